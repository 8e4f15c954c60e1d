import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { exampleBodies } from '../domain/examples';
import { createPool } from '../lib/db';
import { TASK_QUEUE } from '../workflows/definitions';
import type { BenchEnv } from './env';
import type { Row } from './run';
import { fmt, load, percentile } from './stats';
import { noopUpdate } from './definitions';

// The HTTP-facing measures of issue 5, each beside its raw baseline.

const ids: string[] = [];

async function post(env: BenchEnv, path: string, body: unknown, token?: string): Promise<number> {
  const res = await fetch(`${env.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Idempotency-Key': randomUUID(),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status}`);
  return res.status;
}

export async function starts(env: BenchEnv, client: Client, n: number): Promise<Row[]> {
  const token = await env.token('official-zhang');
  const raw = await load(n, 20, async (i) => {
    await client.workflow.start('emptyWorkflow', { workflowId: `empty-${i}-${randomUUID()}`, taskQueue: TASK_QUEUE });
  });
  const api = await load(n, 20, async (i) => {
    const id = `bench-${i}-${randomUUID().slice(0, 8)}`;
    ids.push(id);
    await post(
      env,
      '/api/decisions',
      {
        id,
        title: 'Benchmark',
        summary: 's',
        templateId: 'test-fast',
        draft: { text: 'Article 1.', explanation: 'Why.' },
      },
      token,
    );
  });
  const ratio = api.rate / raw.rate;
  return [
    {
      measure:
        'decisions started per second (API: validated, draft stored, workflow started, first read-model row written)',
      dueprocess: `${fmt(api.rate)}/s (p99 ${fmt(percentile(api.latencies, 99), 0)} ms)`,
      baseline: `${fmt(raw.rate)}/s raw client starts of an empty workflow`,
      ratio,
      target: '≥ 0.70',
      met: ratio >= 0.7,
    },
  ];
}

export async function stageActionLatency(env: BenchEnv, client: Client, n: number): Promise<Row[]> {
  const token = await env.token('official-zhang');
  const h = await client.workflow.start('noopUpdateWorkflow', {
    workflowId: `noop-${randomUUID()}`,
    taskQueue: TASK_QUEUE,
  });
  await h.executeUpdate(noopUpdate, { args: [0] });
  const raw = await load(n, 4, async (i) => {
    await h.executeUpdate(noopUpdate, { args: [i] });
  });
  await h.executeUpdate(noopUpdate, { args: [-1] });
  const body = { ...exampleBodies().predisclose, commentWindow: { seconds: 3600 }, urgencyReason: 'Benchmark' };
  const targets = ids.slice(0, n);
  const api = await load(targets.length, 4, async (i) => {
    await post(env, `/api/decisions/${targets[i]}/actions/predisclose`, body, token);
  });
  const [r50, r99, a50, a99] = [
    percentile(raw.latencies, 50),
    percentile(raw.latencies, 99),
    percentile(api.latencies, 50),
    percentile(api.latencies, 99),
  ];
  return [
    {
      measure: `stage action latency p50 / p99 (API, ${targets.length} predisclose, 4 concurrent)`,
      dueprocess: `${fmt(a50)} / ${fmt(a99)} ms`,
      baseline: `${fmt(r50)} / ${fmt(r99)} ms raw no-op update round trip`,
      ratio: a99 / r99,
      target: 'p99 ≤ 2 × raw',
      met: a99 <= 2 * r99,
    },
  ];
}

export async function opinionBurst(env: BenchEnv, n: number): Promise<Row[]> {
  const id = ids[0];
  const api = await load(n, 50, async (i) => {
    await post(env, `/api/decisions/${id}/opinions`, { text: `Opinion ${i}: keep the student concession.` });
  });
  // The same INSERT through a pool of the API's size, without HTTP, validation or the window check.
  const pool = createPool(env.dbUrl, 10, 'dueprocess_runtime', 'bench-raw');
  const raw = await load(n, 50, async (i) => {
    await pool.query('INSERT INTO opinion (id, decision_id, window_id, text, client_key) VALUES ($1, $2, $3, $4, $5)', [
      `RAW-${i}-${randomUUID()}`,
      'raw-bench',
      'raw-window',
      `Opinion ${i}`,
      randomUUID(),
    ]);
  });
  await pool.end();
  // The runtime role may not delete opinions: the owner removes the benchmark's raw rows.
  const owner = createPool(env.dbUrl, 1, null, 'bench-cleanup');
  await owner.query(`DELETE FROM opinion WHERE decision_id = 'raw-bench'`);
  await owner.end();
  const ratio = api.rate / raw.rate;
  const p99 = percentile(api.latencies, 99);
  return [
    {
      measure: `public opinions accepted per second, burst of ${n} from 50 clients (p99)`,
      dueprocess: `${fmt(api.rate, 0)}/s (p99 ${fmt(p99, 0)} ms)`,
      baseline: `${fmt(raw.rate, 0)}/s raw INSERTs (p99 ${fmt(percentile(raw.latencies, 99), 0)} ms)`,
      ratio,
      target: '≥ 1000/s, p99 < 100 ms, ≥ 0.50 of raw',
      met: api.rate >= 1000 && p99 < 100 && ratio >= 0.5,
    },
  ];
}

export async function pageReads(env: BenchEnv, n: number): Promise<Row[]> {
  const id = ids[0];
  const read = (url: string) => async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  };
  // The portal's page when it exists, else the public JSON view the portal is built on.
  const page =
    (await fetch(`${env.apiUrl}/decisions/${id}`)).status === 200
      ? `${env.apiUrl}/decisions/${id}`
      : `${env.apiUrl}/api/public/decisions/${id}`;
  const api = await load(n, 20, read(page));
  const raw = await load(n, 20, read(`${env.staticUrl}/`));
  const ratio = api.rate / raw.rate;
  return [
    {
      measure: `public decision page reads per second (${page.replace(env.apiUrl, '')})`,
      dueprocess: `${fmt(api.rate, 0)}/s`,
      baseline: `${fmt(raw.rate, 0)}/s static Express response`,
      ratio,
      target: '≥ 0.40',
      met: ratio >= 0.4,
    },
  ];
}
