import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createPool, createPrisma } from '../../lib/db';
import { sleep, waitFor } from '../support/api-driver';
import { env, startStack, type Stack } from '../support/stack';
import { appWith } from './support/apps';
import { STACK_HOOK_MS } from '../support/wait';

// Rate limits (issue 5): a fixed window per client (address + verified token subject), counted in
// rate_limit_bucket so every API process shares it; public writes (opinions, survey answers) are
// limited more strictly than the rest; a client over its limit gets 429 with Retry-After in the
// error envelope, and is served again once the window has passed.

process.env.DUEPROCESS_PUBLIC_RATE_LIMIT ??= 'off';
process.env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL ??= 'off';

/** Long enough for the few requests of a test on a busy machine; a test that straddles two is retried (inOneWindow). */
const WINDOW_SECONDS = 10;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

/** Each test counts in its own key space, so parallel test files never share its buckets. */
const limited = (limits: { api?: number; publicWrite?: number } = {}, env: Record<string, string> = {}) =>
  appWith(stack, env, { limits: { windowSeconds: WINDOW_SECONDS, api: 5, publicWrite: 2, scope: `t-${randomUUID().slice(0, 8)}`, ...limits } });

/**
 * Runs `attempt` (which builds its own limited app, so its own counts) until one attempt falls
 * within a single window: windows are fixed spans of the clock, and on a busy machine the
 * requests of an attempt may straddle two. A failure inside one window is a real failure.
 */
async function inOneWindow<T>(attempt: () => Promise<T>): Promise<T> {
  const windowOf = () => Math.floor(Date.now() / (WINDOW_SECONDS * 1000));
  for (let tries = 1; ; tries++) {
    const started = windowOf();
    try {
      const result = await attempt();
      if (windowOf() === started) return result;
    } catch (e) {
      if (windowOf() === started || tries >= 5) throw e;
    }
    if (tries >= 5) throw new Error(`no attempt fitted in one ${WINDOW_SECONDS}-s window in ${tries} tries`);
  }
}

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
  const { app, retry } = await inOneWindow(async () => {
    const app = limited();
    for (let i = 1; i <= 5; i++) {
      const ok = await request(app).get('/api/templates');
      expect(ok.status).toBe(200);
      expect({ limit: ok.headers['ratelimit-limit'], remaining: ok.headers['ratelimit-remaining'] }).toEqual({ limit: '5', remaining: String(5 - i) });
    }
    const retry = expectLimited(await request(app).get('/api/templates'));
    expectLimited(await request(app).get('/api/decisions/x')); // every API route counts
    expect((await request(app).get('/healthz')).status).toBe(200); // the health check does not
    return { app, retry };
  });
  await sleep(retry * 1000 + 100);
  expect((await request(app).get('/api/templates')).status).toBe(200);
});

it('counts each client apart: another verified token subject has its own allowance', async () => {
  const lin = await bearer('supervisor-lin');
  const zhang = await bearer('official-zhang');
  await inOneWindow(async () => {
    const app = limited();
    for (let i = 0; i < 5; i++) expect((await request(app).get('/api/decisions?limit=1').set(lin)).status).toBe(200);
    expectLimited(await request(app).get('/api/decisions?limit=1').set(lin));
    expect((await request(app).get('/api/decisions?limit=1').set(zhang)).status).toBe(200);
    expect((await request(app).get('/api/templates')).status).toBe(200); // no token: a client of its own
  });
});

it('does not let forged tokens or a spoofed X-Forwarded-For mint fresh allowances', async () => {
  await inOneWindow(async () => {
    const app = limited();
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const forged = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: `fake-${i}` })).toString('base64url')}.sig`;
      statuses.push((await request(app).get('/api/templates').set('Authorization', `Bearer ${forged}`).set('X-Forwarded-For', `10.0.0.${i}`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

it('limits public writes more strictly than the rest of the API', async () => {
  await inOneWindow(async () => {
    const app = limited({ api: 50, publicWrite: 2 });
    const post = () => request(app).post('/api/decisions/no-such-decision/opinions').send({ text: 'An opinion' });
    expect((await post()).status).toBe(404);
    expect((await post()).status).toBe(404);
    expectLimited(await post());
    expectLimited(await request(app).post('/api/decisions/no-such-decision/survey-answers').send({ answers: {} }));
    // Reading is not a public write: still allowed.
    expect((await request(app).get('/api/public/decisions/no-such-decision')).status).toBe(404);
  });
});

it('shares the counters between API processes through PostgreSQL', async () => {
  // A second "process": its own pool and Prisma client; only the database is shared.
  const pool = createPool(env('DUEPROCESS_TEST_DB'), 2);
  const otherPrisma = createPrisma(pool);
  try {
    await inOneWindow(async () => {
      const limits = { windowSeconds: WINDOW_SECONDS, api: 4, publicWrite: 2, scope: `t-${randomUUID().slice(0, 8)}` };
      const a = appWith(stack, {}, { limits });
      const b = appWith(stack, {}, { limits, prisma: otherPrisma });
      const statuses = [];
      for (const app of [a, b, a, b, a, b]) statuses.push((await request(app).get('/api/templates')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    });
  } finally {
    await otherPrisma.$disconnect();
    await pool.end();
  }
});

it('counts a busy client in memory far from its limit and exactly near it: no request over the limit passes', async () => {
  const scope = `t-${randomUUID().slice(0, 8)}`;
  const a = appWith(stack, {}, { limits: { windowSeconds: 3600, api: 200, publicWrite: 2, scope } });
  const b = appWith(stack, {}, { limits: { windowSeconds: 3600, api: 200, publicWrite: 2, scope } });
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const batch = await Promise.all(Array.from({ length: 10 }, (_v, j) => request(j % 2 ? a : b).get('/api/templates')));
    statuses.push(...batch.map((r) => r.status));
  }
  expect(statuses.filter((s) => s === 200)).toHaveLength(200);
  expect(statuses.filter((s) => s === 429)).toHaveLength(50);
  // The last in-memory counts reach the table after the responses.
  let stored = 0;
  const total = async () => (await stack.prisma.rateLimitBucket.findMany({ where: { key: { startsWith: `${scope}:` } } })).reduce((n, r) => n + r.count, 0);
  await waitFor(async () => (stored = await total()) >= 250, { what: 'all 250 requests to be counted in rate_limit_bucket', state: () => stored });
  expect(await total()).toBe(250);
});

it('stores no address or person in the bucket keys', async () => {
  const app = limited();
  await request(app).get('/api/templates').set(await bearer('supervisor-lin'));
  const rows = await stack.prisma.rateLimitBucket.findMany({ where: { key: { startsWith: 't-' } } });
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.key).toMatch(/^t-[0-9a-f]{8}:(api|public-write):[A-Za-z0-9_-]{32}$/);
  expect(rows.some((r) => /127\.0\.0\.1|::1|supervisor-lin/.test(r.key))).toBe(false);
});

it('can be switched off, and is on with generous defaults otherwise', async () => {
  const off = appWith(stack, { DUEPROCESS_RATE_LIMIT: 'off' });
  expect((await request(off).get('/api/templates')).headers['ratelimit-limit']).toBeUndefined();
  const defaults = await request(stack.app).get('/api/templates');
  expect(Number(defaults.headers['ratelimit-limit'])).toBeGreaterThanOrEqual(10_000);
  expect(() => appWith(stack, { DUEPROCESS_RATE_LIMIT_API: 'lots' })).toThrow(/invalid configuration:[\s\S]*DUEPROCESS_RATE_LIMIT_API/);
});

it('fails open, and says so in the log, when the counters cannot be reached', async () => {
  const logged: Array<Record<string, unknown>> = [];
  const broken = new Proxy(stack.prisma, {
    get: (target, prop) => (prop === '$queryRaw' ? () => Promise.reject(new Error('connection terminated')) : Reflect.get(target, prop)),
  });
  const app = appWith(stack, {}, { prisma: broken, limits: { api: 1, scope: `t-${randomUUID().slice(0, 8)}` }, log: (e) => logged.push(e) });
  expect((await request(app).get('/api/templates')).status).toBe(200);
  expect((await request(app).get('/api/templates')).status).toBe(200);
  expect(logged).toEqual([expect.objectContaining({ msg: expect.stringMatching(/rate limiter unavailable/) })]);
});
