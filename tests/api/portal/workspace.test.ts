import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { handOver } from '../../../lib/directory';
import { checkPassword } from '../../../lib/passwords';
import { fromRoot } from '../../../lib/paths';
import { ApiDriver } from '../../support/api-driver';
import {
  csrfOf,
  givePasswords,
  openForComment,
  secondApp,
  signedIn,
  TEST_PASSWORD,
  unique,
} from '../../support/portal';
import { env, startStack, type Stack } from '../../support/stack';
import { STACK_HOOK_MS } from '../../support/wait';

// The staff workspace: argon2id passwords set by a command that never echoes them, sessions in
// HttpOnly SameSite=Lax cookies (Secure over HTTPS) whose hash alone is stored, CSRF tokens on
// every form, roles from the directory at each request, and action forms that validate like the
// API and submit through the same gates.

let stack: Stack;
let api: ApiDriver;
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
  await givePasswords(stack, ['official-zhang', 'supervisor-lin']);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in page, and refuses a wrong password or a missing form token', async () => {
    const anon = await request(stack.app).get('/staff/dashboard');
    expect({ status: anon.status, location: anon.headers.location }).toEqual({
      status: 303,
      location: '/staff/login?next=%2Fstaff%2Fdashboard',
    });
    const agent = request.agent(stack.app);
    const page = await agent.get('/staff/login?lang=en');
    const wrong = await agent
      .post('/staff/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), userId: 'official-zhang', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The user ID or password is not right.');
    expect(String(wrong.headers['set-cookie'] ?? '')).not.toContain('dp_session=');
    const noToken = await request(stack.app)
      .post('/staff/login')
      .type('form')
      .send({ userId: 'official-zhang', password: TEST_PASSWORD });
    expect(noToken.status).toBe(403);
  });

  it('sets an HttpOnly SameSite=Lax session cookie (Secure over HTTPS) and stores only its hash; signing out ends it', async () => {
    const saved = process.env.DUEPROCESS_TRUST_PROXY;
    process.env.DUEPROCESS_TRUST_PROXY = 'loopback';
    const app = secondApp(stack);
    if (saved === undefined) delete process.env.DUEPROCESS_TRUST_PROXY;
    else process.env.DUEPROCESS_TRUST_PROXY = saved;
    // A Secure cookie is not sent back over plain http by a cookie jar: the test carries it itself.
    const page = await request(app).get('/staff/login').set('X-Forwarded-Proto', 'https');
    const login = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('dp_login='))!;
    expect(login).toMatch(/Secure/);
    const res = await request(app)
      .post('/staff/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', login.split(';')[0])
      .type('form')
      .send({ _csrf: csrfOf(page.text), userId: 'official-zhang', password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('dp_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const token = decodeURIComponent(/dp_session=([^;]+)/.exec(cookie)![1]);
    expect(await stack.prisma.staffSession.count({ where: { id: token } })).toBe(0);

    const plain = await signedIn(stack.app, 'official-zhang');
    const inbox = await plain.get('/staff');
    expect(inbox.status).toBe(200);
    const out = await plain
      .post('/staff/logout')
      .type('form')
      .send({ _csrf: csrfOf(inbox.text) });
    expect(out.status).toBe(303);
    expect((await plain.get('/staff')).status).toBe(303);
  });

  it('stops sign-in for a user after too many failed attempts, even with the right password', async () => {
    const saved = { limit: process.env.DUEPROCESS_LOGIN_RATE_LIMIT, proxy: process.env.DUEPROCESS_TRUST_PROXY };
    process.env.DUEPROCESS_LOGIN_RATE_LIMIT = '2/300';
    process.env.DUEPROCESS_TRUST_PROXY = 'loopback';
    const app = secondApp(stack);
    for (const [k, v] of [
      ['DUEPROCESS_LOGIN_RATE_LIMIT', saved.limit],
      ['DUEPROCESS_TRUST_PROXY', saved.proxy],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const userId = unique('official-guessed');
    await stack.addStaff({ id: userId, name: 'Guessed', organId: 'harbin-gov', roles: ['drafting-official'] });
    await givePasswords(stack, [userId]);
    // A client of its own (behind the trusted proxy), so no other test's failures count here.
    const client = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const agent = request.agent(app);
    const attempt = async (password: string) => {
      const page = await agent.get('/staff/login').set('X-Forwarded-For', client);
      return agent
        .post('/staff/login')
        .set('X-Forwarded-For', client)
        .type('form')
        .send({ _csrf: csrfOf(page.text), userId, password });
    };
    expect((await attempt('guess one')).status).toBe(401);
    expect((await attempt('guess two')).status).toBe(401);
    const blocked = await attempt(TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('takes roles from the directory at each request: a handover removes them at once', async () => {
    const userId = unique('official-temp');
    await stack.addStaff({ id: userId, name: 'Temp Official', organId: 'harbin-gov', roles: ['drafting-official'] });
    await givePasswords(stack, [userId]);
    const agent = await signedIn(stack.app, userId);
    const before = await agent.get('/staff?lang=en');
    expect(before.text).toContain('Drafting official');
    await handOver(stack.prisma, `harbin-gov/drafting-official/${userId}`, 'official-zhang');
    // docs/authority.md: a person who holds no office has no authority at all, not even to list.
    const after = await agent.get('/staff?lang=en');
    expect(after.status).toBe(403);
    expect(after.text).toContain('ROLE_REQUIRED');
    const id = await openForComment(api, 'ws-handover');
    expect((await agent.get(`/staff/decisions/${id}/actions/close-window-early?lang=en`)).status).toBe(403);
    const refused = await agent
      .post(`/staff/decisions/${id}/actions/close-window-early?lang=en`)
      .type('form')
      .send({ _csrf: csrfOf(before.text), _key: unique('k'), window: 'comment', reason: 'Urgent.' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('ROLE_REQUIRED');
  });
});

describe('forms', () => {
  it('refuses a form POST without the session’s CSRF token and changes nothing', async () => {
    const id = await openForComment(api, 'ws-csrf');
    const agent = await signedIn(stack.app, 'official-zhang');
    const res = await agent
      .post(`/staff/decisions/${id}/actions/close-window-early`)
      .type('form')
      .send({ _csrf: 'forged', window: 'comment', reason: 'Forged.' });
    expect(res.status).toBe(403);
    const audit = await stack.prisma.auditEntry.count({ where: { decisionId: id, action: 'close-window-early' } });
    expect(audit).toBe(0);
  });

  it('shows validation errors next to their fields, then submits an action through the gates', async () => {
    const created = await api.create({ id: unique('ws-form') });
    const id = created.body.result.id;
    const agent = await signedIn(stack.app, 'official-zhang');
    const form = await agent.get(`/staff/decisions/${id}/actions/predisclose?lang=en`);
    const csrf = csrfOf(form.text);
    const key = /name="_key" value="([^"]+)"/.exec(form.text)![1];
    const invalid = await agent
      .post(`/staff/decisions/${id}/actions/predisclose?lang=en`)
      .type('form')
      .send({ _csrf: csrf, _key: key, explanation: '', howToComment: 'By letter.' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toMatch(
      /<textarea[^>]*id="f-explanation"[^>]*aria-describedby="f-explanation-error"[^>]*aria-invalid="true"/,
    );
    expect(invalid.text).toContain('id="f-explanation-error"');
    const ok = await agent.post(`/staff/decisions/${id}/actions/predisclose`).type('form').send({
      _csrf: csrf,
      _key: key,
      explanation: 'Why the fares change.',
      howToComment: 'On the portal.',
      'commentWindow.days': '40',
    });
    expect(ok.status).toBe(303);
    const d = (await api.get(id)).body.decision;
    expect(d.windows[0].kind).toBe('comment');
    expect(Date.parse(d.windows[0].closesAt) - Date.parse(d.windows[0].opensAt)).toBeGreaterThan(39 * 86_400_000);
  });

  it('starts a decision and shows staff the integrity records (docs/authority.md integrity.read)', async () => {
    const agent = await signedIn(stack.app, 'official-zhang');
    const form = await agent.get('/staff/decisions/new');
    const made = await agent
      .post('/staff/decisions/new')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        _key: unique('new'),
        title: 'Night bus routes',
        summary: 'New night routes',
        templateId: 'test-fast',
        'flags.livelihood': 'on',
        'draft.text': 'Article 1. Night buses run until 2 am.',
        'draft.explanation': 'Shift workers asked for them.',
      });
    expect(made.status).toBe(303);
    const id = decodeURIComponent(/\/staff\/decisions\/([^?]+)/.exec(made.headers.location)![1]);
    expect((await api.get(id)).body.decision.flags.livelihood).toBe(true);
    expect((await agent.get('/staff/integrity')).status).toBe(200);
    const supervisor = await signedIn(stack.app, 'supervisor-lin');
    const list = await supervisor.get('/staff/integrity?lang=en');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Integrity records');
  });
});

describe('npm run set-password', () => {
  const run = (args: string[], input: string, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [require.resolve('tsx/cli'), fromRoot('bin', 'set-password.ts'), ...args], {
      input,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: env('DUEPROCESS_TEST_DB'), ...extra },
      timeout: 60_000,
    });

  it('sets an argon2id password from standard input or the environment without printing it', async () => {
    const piped = run(['expert-wu'], 'a long enough password\n');
    expect(piped.status).toBe(0);
    expect(piped.stdout + piped.stderr).not.toContain('a long enough password');
    expect(await checkPassword(stack.prisma, 'expert-wu', 'a long enough password')).toBe(true);
    expect(
      (await stack.prisma.staffCredential.findUniqueOrThrow({ where: { userId: 'expert-wu' } })).passwordHash,
    ).toMatch(/^\$argon2id\$/);
    const fromEnv = run(['expert-wu'], '', { DUEPROCESS_PASSWORD: 'another long password' });
    expect(fromEnv.status).toBe(0);
    expect(await checkPassword(stack.prisma, 'expert-wu', 'another long password')).toBe(true);
    const short = run(['expert-wu'], 'short\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
  });
});
