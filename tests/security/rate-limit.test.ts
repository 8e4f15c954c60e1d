import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CatalogSafePool, createPool, createPrisma } from '../../lib/db';
import { sleep } from '../support/api-driver';
import { env, startStack, type Stack } from '../support/stack';
import { appWith } from './support/apps';

// Rate limits (issues 5 and 9): a fixed window per client (address + verified token subject),
// counted atomically by rate-limiter-flexible's PostgreSQL store (table rate_limiter) so every
// API process shares it; public writes (opinions, survey answers) are limited more strictly than
// the rest; a client over its limit gets 429 with Retry-After in the error envelope, and is
// served again once the window has passed. A window starts with a client's first request.

process.env.DUEPROCESS_PUBLIC_RATE_LIMIT ??= 'off';
process.env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL ??= 'off';

const WINDOW_SECONDS = 3;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
}, 60_000);
afterAll(() => stack?.stop());

/** Each test counts in its own key space, so parallel test files never share its buckets. */
const limited = (limits: { api?: number; publicWrite?: number } = {}, env: Record<string, string> = {}) =>
  appWith(stack, env, {
    limits: {
      windowSeconds: WINDOW_SECONDS,
      api: 5,
      publicWrite: 2,
      scope: `t-${randomUUID().slice(0, 8)}`,
      ...limits,
    },
  });

function expectLimited(res: request.Response): number {
  expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  const retry = Number(res.headers['retry-after']);
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(res.body.error.details).toMatchObject({ retryAfterSeconds: retry, windowSeconds: WINDOW_SECONDS });
  return retry;
}

const bearer = async (userId: string) => ({ Authorization: `Bearer ${await stack.token(userId)}` });

it('answers 429 with Retry-After once a client is over its limit, and serves it again after the window', async () => {
  const app = limited();
  for (let i = 1; i <= 5; i++) {
    const ok = await request(app).get('/api/templates');
    expect(ok.status).toBe(200);
    expect({ limit: ok.headers['ratelimit-limit'], remaining: ok.headers['ratelimit-remaining'] }).toEqual({
      limit: '5',
      remaining: String(5 - i),
    });
  }
  const retry = expectLimited(await request(app).get('/api/templates'));
  expectLimited(await request(app).get('/api/decisions/x')); // every API route counts
  expect((await request(app).get('/healthz')).status).toBe(200); // the health check does not
  await sleep(retry * 1000 + 100);
  expect((await request(app).get('/api/templates')).status).toBe(200);
}, 30_000);

it('counts each client apart: another verified token subject has its own allowance', async () => {
  const app = limited();
  const lin = await bearer('supervisor-lin');
  for (let i = 0; i < 5; i++) expect((await request(app).get('/api/decisions?limit=1').set(lin)).status).toBe(200);
  expectLimited(await request(app).get('/api/decisions?limit=1').set(lin));
  expect(
    (
      await request(app)
        .get('/api/decisions?limit=1')
        .set(await bearer('official-zhang'))
    ).status,
  ).toBe(200);
  expect((await request(app).get('/api/templates')).status).toBe(200); // no token: a client of its own
}, 30_000);

it('does not let forged tokens or a spoofed X-Forwarded-For mint fresh allowances', async () => {
  const app = limited();
  const statuses = [];
  for (let i = 0; i < 7; i++) {
    const forged = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: `fake-${i}` })).toString('base64url')}.sig`;
    statuses.push(
      (
        await request(app)
          .get('/api/templates')
          .set('Authorization', `Bearer ${forged}`)
          .set('X-Forwarded-For', `10.0.0.${i}`)
      ).status,
    );
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
}, 30_000);

it('limits public writes more strictly than the rest of the API', async () => {
  const app = limited({ api: 50, publicWrite: 2 });
  const post = () => request(app).post('/api/decisions/no-such-decision/opinions').send({ text: 'An opinion' });
  expect((await post()).status).toBe(404);
  expect((await post()).status).toBe(404);
  expectLimited(await post());
  expectLimited(await request(app).post('/api/decisions/no-such-decision/survey-answers').send({ answers: {} }));
  // Reading is not a public write: still allowed.
  expect((await request(app).get('/api/public/decisions/no-such-decision')).status).toBe(404);
}, 30_000);

it('shares the counters between API processes through PostgreSQL', async () => {
  const scope = `t-${randomUUID().slice(0, 8)}`;
  const limits = { windowSeconds: WINDOW_SECONDS, api: 4, publicWrite: 2, scope };
  // A second "process": its own pool and Prisma client; only the database is shared.
  const pool = createPool(env('DUEPROCESS_TEST_DB'), 2);
  const otherPrisma = createPrisma(pool);
  try {
    const a = appWith(stack, {}, { limits });
    const b = appWith(stack, {}, { limits, prisma: otherPrisma });
    const statuses = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await request(app).get('/api/templates')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  } finally {
    await otherPrisma.$disconnect();
    await pool.end();
  }
}, 30_000);

it('lets no request over the limit pass, however many arrive at once on two processes', async () => {
  const scope = `t-${randomUUID().slice(0, 8)}`;
  const limits = { windowSeconds: 3600, api: 200, publicWrite: 2, scope };
  const pool = createPool(env('DUEPROCESS_TEST_DB'), 4);
  const otherPrisma = createPrisma(pool);
  try {
    const a = appWith(stack, {}, { limits });
    const b = appWith(stack, {}, { limits, prisma: otherPrisma });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, (_v, j) => request(j % 2 ? a : b).get('/api/templates')),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    // One row for the client; refused requests of a process that saw the limit passed are refused from memory.
    const rows = await stack.prisma.rateLimiter.findMany({ where: { key: { startsWith: `${scope}:` } } });
    expect(rows).toHaveLength(1);
    expect(rows[0].points).toBeGreaterThan(200);
  } finally {
    await otherPrisma.$disconnect();
    await pool.end();
  }
}, 60_000);

it('stores no address or person in the keys', async () => {
  const app = limited();
  await request(app)
    .get('/api/templates')
    .set(await bearer('supervisor-lin'));
  const rows = await stack.prisma.rateLimiter.findMany({ where: { key: { startsWith: 't-' } } });
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.key).toMatch(/^t-[0-9a-f]{8}:(api|public-write):[A-Za-z0-9_-]{32}$/);
  expect(rows.some((r) => /127\.0\.0\.1|::1|supervisor-lin/.test(r.key))).toBe(false);
});

it('can be switched off, and is on with generous defaults otherwise', async () => {
  const off = appWith(stack, { DUEPROCESS_RATE_LIMIT: 'off' });
  expect((await request(off).get('/api/templates')).headers['ratelimit-limit']).toBeUndefined();
  const defaults = await request(stack.app).get('/api/templates');
  expect(Number(defaults.headers['ratelimit-limit'])).toBeGreaterThanOrEqual(10_000);
  expect(() => appWith(stack, { DUEPROCESS_RATE_LIMIT_API: 'lots' })).toThrow(
    /invalid configuration:[\s\S]*DUEPROCESS_RATE_LIMIT_API/,
  );
});

it('fails open, and says so in the log, when the counters cannot be reached', async () => {
  const logged: Array<Record<string, unknown>> = [];
  // A database that is not there: nothing listens on port 1.
  const pool = new CatalogSafePool({
    connectionString: 'postgresql://root@127.0.0.1:1/none',
    max: 1,
    connectionTimeoutMillis: 2000,
  });
  pool.on('error', () => undefined);
  const broken = createPrisma(pool);
  try {
    const app = appWith(
      stack,
      {},
      { prisma: broken, limits: { api: 1, scope: `t-${randomUUID().slice(0, 8)}` }, log: (e) => logged.push(e) },
    );
    expect((await request(app).get('/api/templates')).status).toBe(200);
    expect((await request(app).get('/api/templates')).status).toBe(200);
    expect(logged).toEqual([expect.objectContaining({ msg: expect.stringMatching(/rate limiter unavailable/) })]);
  } finally {
    await pool.end();
  }
});
