import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { exampleBodies } from '../domain/examples';
import { environment, send, sleep, type Env, type Proc, type Result } from './harness';
import { tally, walkDecision } from './procedure';

// The fault scenarios of issue 5, part 1. Each returns attempted / accepted / lost / duplicated;
// nothing may be lost and nothing duplicated.

export interface Options {
  decisions: number;
  opinions: number;
  trials: number;
}

async function timed(
  scenario: string,
  env: Env,
  body: () => Promise<Omit<Result, 'scenario' | 'seconds'>>,
): Promise<Result> {
  const t0 = Date.now();
  try {
    return { scenario, ...(await body()), seconds: Math.round((Date.now() - t0) / 100) / 10 };
  } finally {
    await env.stop();
  }
}

/** Runs decisions in parallel while `chaos` injects faults until they are done. */
async function underChaos(env: Env, api: () => string, n: number, chaos: (done: () => boolean) => Promise<string>) {
  const ids = Array.from({ length: n }, (_, i) => `fault-${i}-${randomUUID().slice(0, 6)}`);
  let finished = false;
  const chaotic = chaos(() => finished);
  const runs = await Promise.all(
    ids.map(async (id, i) => ({ id, ...(await sleep(i * 150).then(() => walkDecision(env, api, id))) })),
  );
  finished = true;
  const notes = await chaotic;
  const { why, ...counts } = await tally(env, runs);
  return { ...counts, notes: why.length ? `${notes}; ${why.join('; ')}` : notes };
}

/** Is the worker inside a transaction right now, i.e. inside recordEvent? */
async function workerInTransaction(admin: pg.Client, db: string): Promise<boolean> {
  const r = await admin.query(
    `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dueprocess-worker' AND xact_start IS NOT NULL LIMIT 1`,
    [db],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function workerKilledMidActivity(o: Options): Promise<Result> {
  const env = await environment('worker-sigkill');
  return timed('worker SIGKILLed inside an activity', env, async () => {
    process.env.DUEPROCESS_DB_APP_NAME = 'dueprocess-worker';
    let worker: Proc = await env.worker();
    delete process.env.DUEPROCESS_DB_APP_NAME;
    const api = await env.api();
    const admin = new pg.Client({ connectionString: env.dbUrl.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    const db = new URL(env.dbUrl).pathname.slice(1);
    const result = await underChaos(
      env,
      () => api.url,
      o.decisions,
      async (done) => {
        let kills = 0;
        let inside = 0;
        while (!done()) {
          await sleep(1_500);
          for (let i = 0; i < 200 && !(await workerInTransaction(admin, db)); i++) await sleep(5);
          if (await workerInTransaction(admin, db)) inside++;
          await worker.kill('SIGKILL');
          kills++;
          process.env.DUEPROCESS_DB_APP_NAME = 'dueprocess-worker';
          worker = await env.worker();
          delete process.env.DUEPROCESS_DB_APP_NAME;
        }
        return `${kills} SIGKILLs, ${inside} caught inside a recording transaction`;
      },
    );
    await admin.end();
    return result;
  });
}

export async function temporalRestarted(o: Options): Promise<Result> {
  const env = await environment('temporal-restart', { fileBacked: true });
  return timed('Temporal server (SQLite file) restarted', env, async () => {
    await env.worker();
    const api = await env.api();
    return underChaos(
      env,
      () => api.url,
      o.decisions,
      async (done) => {
        let restarts = 0;
        while (!done()) {
          await sleep(3_000);
          if (done()) break;
          await env.restartTemporal();
          restarts++;
        }
        return `${restarts} restarts of the dev server on its SQLite file`;
      },
    );
  });
}

export async function postgresConnectionsTerminated(o: Options): Promise<Result> {
  const env = await environment('pg-terminate');
  return timed('PostgreSQL connections terminated', env, async () => {
    await env.worker();
    const api = await env.api();
    const admin = new pg.Client({ connectionString: env.dbUrl.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    const db = new URL(env.dbUrl).pathname.slice(1);
    const result = await underChaos(
      env,
      () => api.url,
      o.decisions,
      async (done) => {
        let terminated = 0;
        while (!done()) {
          await sleep(400);
          const r = await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'dueprocess%' AND pid <> pg_backend_pid()`,
            [db],
          );
          terminated += r.rowCount ?? 0;
        }
        return `${terminated} connections terminated`;
      },
    );
    await admin.end();
    const stale = await env.prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM decision WHERE status <> 'in-force'`;
    return { ...result, notes: `${result.notes}; ${stale.length} read-model rows behind` };
  });
}

export async function apiRestartedDuringBurst(o: Options): Promise<Result> {
  const env = await environment('api-restart');
  return timed('API restarted during an opinion burst', env, async () => {
    await env.worker();
    let api = await env.api();
    const port = api.port;
    const id = `burst-${randomUUID().slice(0, 6)}`;
    const official = await env.token('official-zhang');
    await send(`${api.url}/api/decisions`, {
      token: official,
      key: `c-${id}`,
      body: {
        id,
        title: 'Burst',
        summary: 's',
        templateId: 'test-fast',
        draft: { text: 'Article 1.', explanation: 'Why.' },
      },
    });
    await send(`${api.url}/api/decisions/${id}/actions/predisclose`, {
      token: official,
      key: `p-${id}`,
      body: { ...exampleBodies().predisclose, commentWindow: { seconds: 600 }, urgencyReason: 'Fault test' },
    });
    const keys = Array.from({ length: o.opinions }, (_, i) => `op-${i}-${randomUUID()}`);
    // Stored client keys are scoped to the client (app/idempotency.ts), so each opinion is
    // recognised by its text, which is unique per key.
    const textOf = (i: number) => `Opinion ${i}: keep the concession.`;
    let next = 0;
    const statuses = new Map<string, number>();
    const client = async () => {
      for (let i = next++; i < keys.length; i = next++) {
        const r = await send(
          `http://127.0.0.1:${port}/api/decisions/${id}/opinions`,
          { key: keys[i], body: { text: textOf(i) } },
          200,
        );
        statuses.set(keys[i], r.status);
      }
    };
    const restart = (async () => {
      await sleep(800);
      await api.kill('SIGKILL');
      await sleep(500);
      api = await env.api(port);
    })();
    await Promise.all([...Array.from({ length: 16 }, client), restart]);
    const texts = keys.map((_, i) => textOf(i));
    const rows = await env.prisma.opinion.groupBy({ by: ['text'], where: { decisionId: id }, _count: true });
    const stored = new Map(rows.map((r) => [r.text, r._count]));
    const accepted = [...statuses.values()].filter((s) => s === 201 || s === 200).length;
    const lost = keys.filter((k, i) => [200, 201].includes(statuses.get(k) ?? 0) && !stored.has(texts[i])).length;
    const duplicated =
      [...stored.values()].reduce((n, c) => n + (c - 1), 0) + rows.filter((r) => !texts.includes(r.text)).length;
    const byStatus = [...statuses.values()].reduce<Record<number, number>>(
      (m, st) => ({ ...m, [st]: (m[st] ?? 0) + 1 }),
      {},
    );
    return {
      attempted: keys.length,
      accepted,
      lost,
      duplicated,
      notes: `API SIGKILLed and restarted once; ${rows.length} rows for ${keys.length} keys; answers ${JSON.stringify(byStatus)}`,
    };
  });
}

export async function concurrentReviewers(o: Options): Promise<Result> {
  const env = await environment('concurrent-reviewers');
  return timed('two reviewers concluding one stage at once', env, async () => {
    await env.worker();
    const api = await env.api();
    const second = 'fairness-second';
    await env.prisma.staffUser.create({ data: { id: second, name: 'Qin Yue', organId: 'harbin-market' } });
    await env.prisma.office.create({
      data: {
        id: 'harbin-market/fair-competition-review-2',
        organId: 'harbin-market',
        role: 'fairness-reviewer',
        title: 'Second reviewer',
      },
    });
    await env.prisma.officeTerm.create({
      data: {
        id: 'fault:second',
        officeId: 'harbin-market/fair-competition-review-2',
        userId: second,
        startsAt: new Date(0),
      },
    });
    const ex = exampleBodies({ draftVersion: 1 });
    let accepted = 0;
    let badTrials = 0;
    await Promise.all(
      Array.from({ length: o.trials }, async (_, t) => {
        const id = `reviewers-${t}-${randomUUID().slice(0, 6)}`;
        const tok = (u: string) => env.token(u);
        const post = async (u: string, action: string, body: unknown) =>
          send(`${api.url}/api/decisions/${id}/actions/${action}`, { token: await tok(u), key: randomUUID(), body });
        await send(`${api.url}/api/decisions`, {
          token: await tok('official-zhang'),
          key: `c-${id}`,
          body: {
            id,
            title: 'Reviewers',
            summary: 's',
            templateId: 'test-fast',
            flags: { nonDisclosable: true, marketRelated: true },
            nonDisclosableReason: 'x',
            draft: { text: 'A.', explanation: 'B.' },
          },
        });
        await post('official-zhang', 'submit-for-legality-review', ex['submit-for-legality-review']);
        await sleep(1_100);
        await post('reviewer-wang', 'file-legality-review', ex['file-legality-review']);
        await post('official-zhang', 'assign', {
          stage: 'fairness-review',
          assignees: [{ userId: 'fairness-zhou' }, { userId: second }],
        });
        const [a, b] = await Promise.all([
          post('fairness-zhou', 'file-fairness-review', ex['file-fairness-review']),
          post(second, 'file-fairness-review', ex['file-fairness-review']),
        ]);
        const ok = [a, b].filter((r) => r.status === 200).length;
        accepted += ok;
        if (ok !== 1) badTrials++;
      }),
    );
    const records = await env.prisma.stageRecord.count({ where: { kind: 'fairness-review' } });
    return {
      attempted: o.trials * 2,
      accepted,
      lost: Math.max(0, o.trials - accepted),
      duplicated: Math.max(0, accepted - o.trials) + Math.max(0, records - o.trials),
      notes: `${o.trials} trials, ${badTrials} with other than exactly one accepted`,
    };
  });
}

export const SCENARIOS = [
  workerKilledMidActivity,
  temporalRestarted,
  postgresConnectionsTerminated,
  apiRestartedDuringBurst,
  concurrentReviewers,
];
