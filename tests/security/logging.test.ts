import { Writable } from 'node:stream';
import request from 'supertest';
import { logNotifier } from '../../lib/notifier';
import { createLogger, logWith, pseudonym } from '../../lib/log';
import { csrfOf, givePasswords } from '../support/portal';
import type { PrismaClient } from '../../lib/db';
import { ApiDriver } from '../support/api-driver';
import { startStack, type Stack } from '../support/stack';
import { appWith } from './support/apps';
import { buildWorld, newDecision, newOpinion, type World } from './support/world';
import { SHORT_WINDOW, STACK_HOOK_MS } from '../support/wait';

// No tokens, passwords or personal data in logs (issues 5 and 9). The app logs a failed request
// (5xx); a database driver's error may echo the values of the failing query, so the test makes
// the database fail with an error that echoes everything the request carried — its Authorization
// header, token, contact details, a password, a connection string — and checks what reached the
// log. A refused request (failed sign-in, 401, 403, 409, 429) is one entry of the security-event
// stream, with pseudonyms only. The notifier's log line, the notifications of a real procedure
// and the pino logger's own redaction are checked too.

process.env.DUEPROCESS_PUBLIC_RATE_LIMIT ??= 'off';
process.env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL ??= 'off';

const CONTACT = 'wang.xiaoming@example.org';
const PHONE = '+86 138 0013 8000';
const NAME = 'Wang Xiaoming';
const PASSWORD = 'Tr0ub4dor&3-correct-horse';
const DB_URL = 'postgresql://dueprocess:S3cr3t-DB-pw@db.internal:5432/dueprocess';

let stack: Stack;
let api: ApiDriver;
let w: World;
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
  w = await buildWorld(stack);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

/**
 * The stack's client, except that reading a decision (through the model or raw SQL, as the opinion
 * intake does) fails, echoing `echo.value` when it is set.
 */
function echoingPrisma(echo: { value: string | null }): PrismaClient {
  const bind = (target: object, prop: PropertyKey) => {
    const v = Reflect.get(target, prop);
    return typeof v === 'function' ? v.bind(target) : v;
  };
  return new Proxy(stack.prisma, {
    get(target, prop) {
      if (prop === '$queryRaw' && echo.value !== null) {
        return (strings: TemplateStringsArray, ...values: unknown[]) =>
          /FROM decision\b/.test(strings.join('?'))
            ? Promise.reject(
                new Error(`Invalid \`prisma.$queryRaw()\` invocation: ${echo.value} (while connected to ${DB_URL})`),
              )
            : target.$queryRaw(strings, ...values);
      }
      if (prop !== 'decision') return bind(target, prop);
      return new Proxy(target.decision, {
        get(delegate, method) {
          if (method === 'findUnique' && echo.value !== null) {
            return () =>
              Promise.reject(
                new Error(
                  `Invalid \`prisma.decision.findUnique()\` invocation: ${echo.value} (while connected to ${DB_URL})`,
                ),
              );
          }
          return bind(delegate, method);
        },
      });
    },
  });
}

const secretsIn = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));

it('logs failed requests without their token, Authorization header, contact details or passwords', async () => {
  const logged: Array<Record<string, unknown>> = [];
  const echo = { value: null as string | null };
  const app = appWith(stack, {}, { prisma: echoingPrisma(echo), log: (e) => logged.push(e) });
  const { decision } = await newOpinion(stack, w);
  const token = (await api.as('supervisor-lin')).Authorization;
  const requests = [
    { method: 'get', path: `/api/decisions/${decision}`, headers: { Authorization: token }, body: undefined },
    {
      method: 'post',
      path: `/api/decisions/${decision}/opinions`,
      headers: {},
      body: { text: `Call me on ${PHONE}`, name: NAME, contact: CONTACT },
    },
    {
      method: 'post',
      path: `/api/decisions/${decision}/hearing-registrations`,
      headers: {},
      body: { name: NAME, contact: PHONE, represents: 'Commuters' },
    },
    {
      method: 'post',
      path: `/api/decisions/${decision}/verifications`,
      headers: {},
      body: { channel: 'email', destination: CONTACT },
    },
  ] as const;
  for (const r of requests) {
    // What a careless driver might say about the query it ran for this request.
    echo.value = JSON.stringify({
      headers: r.headers,
      body: r.body,
      authorization: r.headers && 'Authorization' in r.headers ? r.headers.Authorization : null,
      password: PASSWORD,
    });
    const req = request(app)[r.method](r.path).set(r.headers);
    const res = await (r.body ? req.send(r.body) : req);
    expect({ path: r.path, status: res.status, code: res.body.error?.code }).toEqual({
      path: r.path,
      status: 500,
      code: 'INTERNAL',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/findUnique|queryRaw/); // the client learns nothing
  }
  echo.value = null;
  expect(logged).toHaveLength(requests.length);
  const text = JSON.stringify(logged);
  const bare = token.replace(/^Bearer /, '');
  expect(secretsIn(text, [bare, token, bare.split('.')[1], CONTACT, PHONE, PASSWORD, 'S3cr3t-DB-pw'])).toEqual([]);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  // What is logged still says what failed, and where.
  expect(logged[0]).toMatchObject({
    msg: 'request failed',
    method: 'GET',
    path: `/api/decisions/${decision}`,
    error: expect.stringContaining('prisma.decision.findUnique'),
  });
});

/** The entries of the security-event stream, once every answer has finished. */
async function securityEvents(logged: Array<Record<string, unknown>>) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return logged.filter((e) => e.stream === 'security');
}

it('logs each refused request as exactly one security event, with pseudonyms and no personal data', async () => {
  const logged: Array<Record<string, unknown>> = [];
  const app = appWith(stack, {}, { log: (e) => logged.push(e) });
  const id = await newDecision(stack, w);
  await givePasswords(stack, ['official-zhang']);
  const cases: Array<{
    event: string;
    method: string;
    status: number;
    code: string | null;
    route: string;
    send: () => Promise<request.Response>;
  }> = [
    {
      event: 'login-failed',
      method: 'POST',
      status: 401,
      code: null,
      route: '/staff/login',
      send: async () => {
        const agent = request.agent(app);
        const page = await agent.get('/staff/login');
        logged.length = 0; // the form's GET is no event
        return agent
          .post('/staff/login')
          .type('form')
          .send({ _csrf: csrfOf(page.text), userId: 'official-zhang', password: PASSWORD });
      },
    },
    {
      event: 'unauthenticated',
      method: 'GET',
      status: 401,
      code: 'UNAUTHENTICATED',
      route: '/api/decisions',
      send: () =>
        request(app).get('/api/decisions').set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
    },
    {
      event: 'forbidden',
      method: 'GET',
      status: 403,
      code: 'ROLE_REQUIRED',
      route: '/api/decisions',
      send: async () =>
        request(app)
          .get('/api/decisions')
          .set('Authorization', `Bearer ${await stack.token('entity-harbin-bus')}`),
    },
    {
      event: 'refused',
      method: 'POST',
      status: 409,
      code: 'WINDOW_CLOSED',
      route: '/api/decisions/:id/opinions',
      send: () =>
        request(app).post(`/api/decisions/${id}/opinions`).send({ text: 'Late', name: NAME, contact: CONTACT }),
    },
  ];
  for (const c of cases) {
    logged.length = 0;
    const res = await c.send();
    expect({ event: c.event, status: res.status }).toEqual({ event: c.event, status: c.status });
    const events = await securityEvents(logged);
    expect(logged).toEqual(events); // nothing else is logged for a refusal
    expect(events).toEqual([
      {
        msg: 'security event',
        level: 'warn',
        stream: 'security',
        event: c.event,
        method: c.method,
        route: c.route,
        status: c.status,
        code: c.code,
        client: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
        user:
          c.event === 'login-failed'
            ? pseudonym('user', 'official-zhang')
            : c.event === 'forbidden'
              ? pseudonym('user', 'entity-harbin-bus')
              : null,
      },
    ]);
    const text = JSON.stringify(events);
    expect(
      secretsIn(text, [PASSWORD, CONTACT, NAME, 'official-zhang', 'entity-harbin-bus', '127.0.0.1', 'eyJ', id]),
    ).toEqual([]);
  }
});

it('logs a refused decision action as one "refused" event naming the gate, and a rate limit as "rate-limited"', async () => {
  const logged: Array<Record<string, unknown>> = [];
  const app = appWith(
    stack,
    {},
    { log: (e) => logged.push(e), limits: { api: 1, windowSeconds: 60, scope: `log-${Date.now()}` } },
  );
  const id = await newDecision(stack, w);
  const official = w.member['drafting-official'].headers;
  const predisclose = { explanation: 'Why.', howToComment: 'On the portal.', commentWindow: { seconds: 120 } };
  expect(
    (await request(stack.app).post(`/api/decisions/${id}/actions/predisclose`).set(official).send(predisclose)).status,
  ).toBe(200);
  const refused = await request(app).post(`/api/decisions/${id}/actions/predisclose`).set(official).send(predisclose);
  expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
    status: 409,
    code: 'ALREADY_PREDISCLOSED',
  });
  let events = await securityEvents(logged);
  expect(events).toEqual([
    expect.objectContaining({
      event: 'refused',
      method: 'POST',
      status: 409,
      code: refused.body.error.code,
      route: '/api/decisions/:id/actions/:action',
      user: expect.any(String),
    }),
  ]);
  expect((await request(app).get('/api/templates')).status).toBe(200); // a client of its own: no token
  logged.length = 0;
  const limited = await request(app).get('/api/templates');
  expect(limited.status).toBe(429);
  events = await securityEvents(logged);
  expect(events).toEqual([
    expect.objectContaining({ event: 'rate-limited', status: 429, code: 'RATE_LIMITED', route: null, user: null }),
  ]);
  expect(secretsIn(JSON.stringify(events), [PASSWORD, id])).toEqual([]);
});

it('censors sensitive keys and scrubs tokens and addresses from every entry the pino logger writes', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const write = logWith(createLogger(sink));
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvZmZpY2lhbC16aGFuZyJ9.c2lnbmF0dXJl';
  write({
    msg: 'something happened',
    level: 'error',
    password: PASSWORD,
    contact: CONTACT,
    headers: { authorization: `Bearer ${jwt}` },
    error: `failed for ${CONTACT} with ${jwt} on ${DB_URL}`,
    decision: 'd-1',
  });
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]);
  expect(entry).toMatchObject({
    level: 'error',
    msg: 'something happened',
    decision: 'd-1',
    password: '[redacted]',
    contact: '[redacted]',
    headers: { authorization: '[redacted]' },
  });
  expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(secretsIn(lines[0], [PASSWORD, CONTACT, jwt, 'S3cr3t-DB-pw'])).toEqual([]);
});

it('writes one line per notification with ids and kinds only: no message text, no destination', async () => {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    lines.push(String(chunk)),
    true
  )) as typeof process.stdout.write;
  try {
    await logNotifier.deliver({
      id: 'n-1',
      decisionId: 'd-1',
      recipientRole: 'public',
      recipientId: null,
      kind: 'verification-code',
      message: `Your code is 493817. ${NAME}, ${PHONE}`,
      destination: { channel: 'email', address: CONTACT },
    } as Parameters<typeof logNotifier.deliver>[0]);
  } finally {
    process.stdout.write = write;
  }
  expect(lines).toHaveLength(1);
  expect(Object.keys(JSON.parse(lines[0])).sort()).toEqual(['decision', 'id', 'kind', 'msg', 'to']);
  expect(secretsIn(lines[0], [CONTACT, PHONE, NAME, '493817'])).toEqual([]);
});

it('sends notifications of a real procedure that name no commenter, contact or token', async () => {
  const id = await newDecision(stack, w, { flags: { specialised: true } });
  const official = w.member['drafting-official'].headers;
  const pre = await request(stack.app)
    .post(`/api/decisions/${id}/actions/predisclose`)
    .set(official)
    .send({ explanation: 'Why.', howToComment: 'Portal.', commentWindow: SHORT_WINDOW });
  expect(pre.status).toBe(200);
  const op = await request(stack.app)
    .post(`/api/decisions/${id}/opinions`)
    .send({ text: 'Keep the concession.', name: NAME, contact: CONTACT });
  expect(op.status).toBe(201);
  await api.waitFor(id, (d) => d.windows.every((x: any) => x.frozen));
  const assign = await request(stack.app)
    .post(`/api/decisions/${id}/actions/assign`)
    .set(official)
    .send({ stage: 'expert-demonstration', assignees: [{ userId: w.member.expert.userId, dissentingView: true }] });
  expect(assign.status).toBeLessThan(500);
  const sent = stack.notifier.sent.filter((n) => n.decisionId === id);
  expect(sent.length).toBeGreaterThan(0);
  const text = JSON.stringify(sent);
  expect(
    secretsIn(text, [CONTACT, NAME, ...Object.values(w.member).map((m) => m.headers.Authorization.slice(7))]),
  ).toEqual([]);
});

// Regression: the portal's page error handler used to log the error's stack as is, so a driver
// message echoing a form's contact field or password reached the log; it now redacts like the API.
it('logs failed portal pages without the contact details or passwords their forms carried', async () => {
  const logged: Array<Record<string, unknown>> = [];
  const echo = { value: null as string | null };
  const app = appWith(stack, {}, { prisma: echoingPrisma(echo), log: (e) => logged.push(e) });
  const { decision } = await newOpinion(stack, w);
  const form = { text: 'Keep the concession.', name: NAME, contact: CONTACT };
  echo.value = JSON.stringify({ ...form, password: PASSWORD });
  const res = await request(app).post(`/decisions/${decision}/comment`).type('form').send(form);
  echo.value = null;
  expect(res.status).toBe(500);
  expect(logged.length).toBeGreaterThan(0);
  expect(secretsIn(JSON.stringify(logged), [CONTACT, PASSWORD])).toEqual([]);
});
