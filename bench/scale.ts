import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { exampleBodies } from '../domain/examples';
import { flagsSchema } from '../domain/procedure';
import { loadTemplates } from '../lib/templates';
import { fromRoot } from '../lib/paths';
import { demoActor } from '../prisma/demo';
import { decisionStateQuery, performActionUpdate, TASK_QUEUE, workflowIdFor } from '../workflows/definitions';
import { pingQuery } from './definitions';
import type { BenchEnv } from './env';
import type { Row } from './run';
import { fmt, load, percentile } from './stats';

// Scale: N open decisions, each with a running timer (a comment window of two hours), against N
// open baseline workflows with a timer. Worker memory, query latency, and the time a restarted
// worker takes to answer queries on 1,000 of them (each one replayed from its history).

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** A query that timed out while the worker was still catching up is asked again (counted in the time). */
async function patiently(query: () => Promise<unknown>, tries = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await query();
      return;
    } catch (e) {
      // The client's ServiceError says only "Failed to query Workflow"; the timeout is its cause.
      if (i >= tries || !/DEADLINE_EXCEEDED|timed out/.test(`${String(e)} ${String((e as { cause?: unknown }).cause)}`))
        throw e;
    }
  }
}

/**
 * Waits until the worker has worked through the start-up backlog: the workflow started last
 * answers a query (tasks are handed out roughly in order). Returns the seconds it took.
 */
async function settle(query: () => Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  await patiently(query, 100);
  return (Date.now() - t0) / 1000;
}

async function measure(env: BenchEnv, workflowIds: string[], query: (id: string) => Promise<unknown>) {
  const backlog = await settle(() => query(workflowIds[workflowIds.length - 1]));
  const sample = Array.from(
    { length: Math.min(200, workflowIds.length) },
    () => workflowIds[Math.floor(Math.random() * workflowIds.length)],
  );
  const warm = await load(sample.length, 4, async (i) => patiently(() => query(sample[i])));
  const rss = rssMiB(env.workerPid);
  await env.restartWorker();
  const cold = Array.from(
    { length: Math.min(1000, workflowIds.length) },
    () => workflowIds[Math.floor(Math.random() * workflowIds.length)],
  );
  const catchUp = await load(cold.length, 20, async (i) => patiently(() => query(cold[i])));
  return {
    rss,
    backlog,
    p50: percentile(warm.latencies, 50),
    p99: percentile(warm.latencies, 99),
    catchUp: catchUp.seconds,
    cold: cold.length,
  };
}

export async function scale(env: BenchEnv, client: Client, n: number): Promise<Row[]> {
  const rawIds = Array.from({ length: n }, (_, i) => `timer-${i}-${randomUUID().slice(0, 6)}`);
  await env.restartWorker();
  await load(
    n,
    50,
    async (i) =>
      void (await client.workflow.start('timerWorkflow', { workflowId: rawIds[i], taskQueue: TASK_QUEUE, args: [2] })),
  );
  const raw = await measure(env, rawIds, (id) => client.workflow.getHandle(id).query(pingQuery));

  await env.restartWorker();
  const template = loadTemplates([fromRoot('templates'), fromRoot('tests', 'fixtures', 'templates')]).get('test-fast')!;
  const actor = demoActor('official-zhang');
  const ids = Array.from({ length: n }, (_, i) => `scale-${i}-${randomUUID().slice(0, 6)}`);
  const predisclose = {
    ...exampleBodies().predisclose,
    commentWindow: { seconds: 7200 },
    urgencyReason: 'Scale benchmark',
  };
  const setup = await load(n, 50, async (i) => {
    const input = {
      id: ids[i],
      title: 'Scale',
      summary: 's',
      organId: 'harbin-gov',
      template,
      flags: flagsSchema.parse({}),
      nonDisclosableReason: null,
      draftHash: 'sha256:' + 'ab'.repeat(32),
      actor,
      creationKey: ids[i],
    };
    const h = await client.workflow.start('decisionWorkflow', {
      workflowId: workflowIdFor(ids[i]),
      taskQueue: TASK_QUEUE,
      args: [{ create: input }],
    });
    await h.executeUpdate(performActionUpdate, { args: [{ action: 'predisclose', actor, payload: predisclose }] });
  });
  const dp = await measure(env, ids.map(workflowIdFor), (id) =>
    client.workflow.getHandle(id).query(decisionStateQuery),
  );
  return [
    {
      measure: `${n} open decisions with running timers: worker memory (RSS)`,
      dueprocess: `${fmt(dp.rss, 0)} MiB (set up at ${fmt(setup.rate, 0)} decisions/s; caught up ${fmt(dp.backlog)} s after)`,
      baseline: `${fmt(raw.rss, 0)} MiB with ${n} open timer workflows (caught up ${fmt(raw.backlog)} s after the last start)`,
      ratio: dp.rss / raw.rss,
      target: '< 1024 MiB',
      met: dp.rss < 1024,
    },
    {
      measure: 'state query latency p50 / p99, warm worker',
      dueprocess: `${fmt(dp.p50)} / ${fmt(dp.p99)} ms`,
      baseline: `${fmt(raw.p50)} / ${fmt(raw.p99)} ms query of a timer workflow`,
      ratio: dp.p99 / raw.p99,
      target: '',
      met: null,
    },
    {
      measure: `catch-up after a worker restart: queries on ${dp.cold} decisions, each replayed`,
      dueprocess: `${fmt(dp.catchUp)} s`,
      baseline: `${fmt(raw.catchUp)} s for ${raw.cold} timer workflows`,
      ratio: dp.catchUp / raw.catchUp,
      target: '',
      met: null,
    },
  ];
}
