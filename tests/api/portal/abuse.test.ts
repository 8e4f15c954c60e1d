import request from 'supertest';
import { fromRoot } from '../../../lib/paths';
import { ApiDriver } from '../../support/api-driver';
import { givePasswords, openForComment, secondApp, signedIn, unique } from '../../support/portal';
import { RecordingNotifier, startStack, type Stack } from '../../support/stack';
import { SHORT_WINDOW, sleep, STACK_HOOK_MS } from '../../support/wait';

// Public input under abuse, through the JSON API and the portal's forms alike: per-client rate
// limits shared by every process; identical texts counted as a campaign, never dropped;
// moderation that needs a reason, is logged append-only and leaves the opinion counted; and the
// e-mail verification a template can require (codes hashed, attempts bounded).

let stack: Stack;
let api: ApiDriver;
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
  await givePasswords(stack, ['official-zhang', 'expert-li']);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const opinion = (app: Parameters<typeof request>[0], id: string, text: string) =>
  request(app).post(`/api/decisions/${id}/opinions`).send({ text });
const count = (decisionId: string) => stack.prisma.opinion.count({ where: { decisionId } });

describe('rate limits', () => {
  it('are shared by two app processes, refuse with 429 and Retry-After in the API and on the page, and store nothing when refused', async () => {
    const saved = process.env.DUEPROCESS_PUBLIC_RATE_LIMIT;
    process.env.DUEPROCESS_PUBLIC_RATE_LIMIT = '3/60';
    const [a, b] = [secondApp(stack), secondApp(stack)];
    if (saved === undefined) delete process.env.DUEPROCESS_PUBLIC_RATE_LIMIT;
    else process.env.DUEPROCESS_PUBLIC_RATE_LIMIT = saved;
    const id = await openForComment(api, 'abuse-rate');
    // Windows are fixed minutes of the clock: the five requests start in the first 40 s of one, so
    // they never straddle two. (A longer window would not do: the sweep of a 60-s counter in the
    // same scope deletes a longer window's rows before it ends, lib/api-rate-limit.ts.)
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 40_000) await sleep(60_000 - intoMinute + 100);
    expect((await opinion(a, id, 'One.')).status).toBe(201);
    expect((await opinion(b, id, 'Two.')).status).toBe(201);
    expect((await opinion(a, id, 'Three.')).status).toBe(201);
    const refused = await opinion(b, id, 'Four.');
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const page = await request(a).post(`/decisions/${id}/comment`).type('form').send({ text: 'Five.', paragraph: '' });
    expect(page.status).toBe(429);
    expect(page.text).toMatch(/Too many submissions|提交过于频繁/);
    expect(await count(id)).toBe(3);
    // The limit is per decision: another consultation still hears this client.
    const other = await openForComment(api, 'abuse-rate-other');
    expect((await opinion(a, other, 'Elsewhere.')).status).toBe(201);
  });
});

describe('campaigns', () => {
  it('counts identical texts as one campaign without dropping any, and shows the count to staff, in the receipt and in the public summary', async () => {
    const id = await openForComment(api, 'abuse-campaign', {}, SHORT_WINDOW);
    const texts = [
      'Stop the fare rise!',
      '  stop the FARE   rise! ',
      'Stop the fare rise!',
      'Stop the fare rise!',
      'A different view.',
    ];
    const receipts = [];
    for (const text of texts) receipts.push((await opinion(stack.app, id, text)).body.receipt);
    expect(await count(id)).toBe(5);
    const hashes = await stack.prisma.opinion.groupBy({
      by: ['textHash'],
      where: { decisionId: id },
      _count: { _all: true },
    });
    expect(hashes.map((h) => h._count._all).sort()).toEqual([1, 4]);

    const lookup = await request(stack.app).get(`/api/public/receipts/${receipts[1]}`);
    expect(lookup.body).toMatchObject({ receipt: receipts[1], campaignSize: 4, disposition: null });
    await api.waitFor(id, (d) => d.windows[0].frozen);
    const report = await request(stack.app).get(`/api/public/decisions/${id}/opinions`);
    expect(report.body).toMatchObject({ total: 5, campaigns: [{ count: 4, text: 'Stop the fare rise!' }] });
    const page = await request(stack.app).get(`/decisions/${id}/opinions?lang=en`);
    expect(page.text).toContain('4 identical opinions were submitted (a campaign); each is counted.');
    const staff = await signedIn(stack.app, 'official-zhang');
    const staffPage = await staff.get(`/staff/decisions/${id}/opinions?lang=en`);
    expect(staffPage.text).toContain('4 identical opinions were submitted');

    // One disposition for the whole campaign, from the staff page.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(staffPage.text)![1];
    const r = await staff.post(`/staff/decisions/${id}/opinions/${receipts[0]}/disposition`).type('form').send({
      _csrf: csrf,
      disposition: 'not-adopted',
      reason: 'The fare model is needed to fund the routes.',
      campaign: 'on',
    });
    expect(r.status).toBe(303);
    expect(await stack.prisma.opinion.count({ where: { decisionId: id, disposition: 'not-adopted' } })).toBe(4);
  });
});

describe('moderation', () => {
  it('hides only with a reason, logs every step append-only, keeps the opinion counted, and shows the reason publicly', async () => {
    const id = await openForComment(api, 'abuse-moderation', {}, SHORT_WINDOW);
    const bad = (await opinion(stack.app, id, 'Abusive words and a phone number 13900000000')).body.receipt;
    await opinion(stack.app, id, 'A fair point.');
    const official = { Authorization: `Bearer ${await stack.token('official-zhang')}` };
    const path = `/api/decisions/${id}/opinions/${bad}/moderation`;

    const noReason = await request(stack.app).post(path).set(official).send({ action: 'hide' });
    expect({ status: noReason.status, path: noReason.body.error.details.issues[0].path }).toEqual({
      status: 400,
      path: 'reason',
    });
    const expert = await request(stack.app)
      .post(path)
      .set({ Authorization: `Bearer ${await stack.token('expert-li')}` })
      .send({ action: 'hide', reason: 'I dislike it' });
    expect(expert.status).toBe(403);
    const staff = await signedIn(stack.app, 'official-zhang');
    const form = await staff.get(`/staff/decisions/${id}/opinions`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const pageNoReason = await staff
      .post(`/staff/decisions/${id}/opinions/${bad}/moderation`)
      .type('form')
      .send({ _csrf: csrf, action: 'hide', reason: ' ' });
    expect(pageNoReason.status).toBe(400);
    expect(await stack.prisma.moderationAction.count({ where: { opinionId: bad } })).toBe(0);

    const hidden = await staff
      .post(`/staff/decisions/${id}/opinions/${bad}/moderation`)
      .type('form')
      .send({ _csrf: csrf, action: 'hide', reason: 'Abusive language and a telephone number' });
    expect(hidden.status).toBe(303);
    const log = await stack.prisma.moderationAction.findMany({ where: { opinionId: bad } });
    expect(log).toEqual([
      expect.objectContaining({
        action: 'hide',
        reason: 'Abusive language and a telephone number',
        by: 'official-zhang',
      }),
    ]);
    await expect(
      stack.prisma.$executeRaw`UPDATE moderation_action SET reason = 'nothing' WHERE opinion_id = ${bad}`,
    ).rejects.toThrow();

    const decision = await api.waitFor(id, (d) => d.windows[0].frozen);
    expect(decision.windows[0].frozen.count).toBe(2);
    const report = (await request(stack.app).get(`/api/public/decisions/${id}/opinions`)).body;
    expect(report).toMatchObject({ total: 2, hidden: 1 });
    const page = await request(stack.app).get(`/decisions/${id}/opinions?lang=en`);
    expect(page.text).toContain('Hidden by moderation: Abusive language and a telephone number');
    expect(page.text).not.toContain('13900000000');
    const csv = await request(stack.app).get('/open-data/opinions.csv');
    expect(csv.text).not.toContain('13900000000');

    const restored = await request(stack.app)
      .post(path)
      .set(official)
      .send({ action: 'restore', reason: 'The number was the bureau hotline.' });
    expect(restored.status).toBe(201);
    expect(restored.body.log.map((l: any) => l.action)).toEqual(['hide', 'restore']);
    // A moderator can still dispose of it: hidden or not, it is part of the frozen set.
    const disposed = await request(stack.app)
      .put(`/api/decisions/${id}/opinions/${bad}/disposition`)
      .set(official)
      .send({ disposition: 'not-adopted', reason: 'Not about the draft.' });
    expect(disposed.status).toBe(200);
  });
});

describe('verification required by the template', () => {
  const notifier = new RecordingNotifier();
  let app: ReturnType<typeof secondApp>;
  let id: string;
  beforeAll(async () => {
    app = secondApp(stack, {
      notifier,
      templatesDirs: [
        fromRoot('templates'),
        fromRoot('tests', 'fixtures', 'templates'),
        fromRoot('tests', 'fixtures', 'portal-templates'),
      ],
    });
    const created = await request(app)
      .post('/api/decisions')
      .set({ Authorization: `Bearer ${await stack.token('official-zhang')}` })
      .send({
        id: unique('abuse-verified'),
        title: 'Verified comments',
        summary: 'S',
        templateId: 'test-verified',
        draft: { text: 'One.\n\nTwo.', explanation: 'Why.' },
      });
    id = created.body.result.id;
    expect((await api.act(id, 'official-zhang', 'predisclose', api.body('predisclose', 1))).status).toBe(200);
  });
  const codeOf = (verificationId: string) =>
    /code: (\d{6})/.exec(notifier.sent.find((n) => n.id === `verification:${verificationId}`)!.message)![1];

  it('refuses an unverified opinion, sends a code through the notifier, stores only hashes, and bounds wrong guesses', async () => {
    const unverified = await request(app).post(`/api/decisions/${id}/opinions`).send({ text: 'Hello.' });
    expect({ status: unverified.status, code: unverified.body.error.code }).toEqual({
      status: 403,
      code: 'VERIFICATION_REQUIRED',
    });
    expect(
      (
        await request(app)
          .post(`/api/decisions/${id}/verifications`)
          .send({ channel: 'phone', destination: '13900000000' })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(app)
          .post(`/api/decisions/${id}/verifications`)
          .send({ channel: 'email', destination: 'not an address' })
      ).status,
    ).toBe(400);

    const sent = await request(app)
      .post(`/api/decisions/${id}/verifications`)
      .send({ channel: 'email', destination: 'Citizen@Example.org' });
    expect(sent.status).toBe(201);
    const code = codeOf(sent.body.verificationId);
    const out = notifier.sent.find((n) => n.id === `verification:${sent.body.verificationId}`)!;
    expect(out.destination).toEqual({ channel: 'email', address: 'citizen@example.org' });
    const row = await stack.prisma.verificationCode.findUniqueOrThrow({ where: { id: sent.body.verificationId } });
    expect(JSON.stringify(row)).not.toMatch(new RegExp(`${code}|citizen@example`, 'i'));

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const tries = [];
    for (let i = 0; i < 5; i++)
      tries.push(
        (
          await request(app)
            .post(`/api/decisions/${id}/opinions`)
            .send({ text: 'Hello.', verification: { id: sent.body.verificationId, code: wrong } })
        ).body.error.details,
      );
    expect(tries.map((d) => d.reason)).toEqual([
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'too-many-attempts',
    ]);
    const dead = await request(app)
      .post(`/api/decisions/${id}/opinions`)
      .send({ text: 'Hello.', verification: { id: sent.body.verificationId, code } });
    expect(dead.body.error.details.reason).toBe('too-many-attempts');
    expect(await count(id)).toBe(0);

    const again = await request(app)
      .post(`/api/decisions/${id}/verifications`)
      .send({ channel: 'email', destination: 'citizen@example.org' });
    const ok = await request(app)
      .post(`/api/decisions/${id}/opinions`)
      .send({
        text: 'Hello, verified.',
        verification: { id: again.body.verificationId, code: codeOf(again.body.verificationId) },
      });
    expect(ok.status).toBe(201);
    expect(await stack.prisma.opinion.findUniqueOrThrow({ where: { id: ok.body.receipt } })).toMatchObject({
      verifiedVia: 'email',
    });
  });

  it('takes a commenter through the same verification on the opinion form', async () => {
    const form = await request(app).get(`/decisions/${id}/comment?lang=en`);
    expect(form.text).toContain('Verify your e-mail address');
    const sent = await request(app)
      .post(`/decisions/${id}/comment?lang=en`)
      .type('form')
      .send({ step: 'send-code', destination: 'page@example.org', text: 'Typed before the code.', paragraph: '1' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('A code was sent to page@example.org');
    expect(sent.text).toContain('Typed before the code.');
    const verificationId = /name="verificationId" value="([^"]+)"/.exec(sent.text)![1];
    const bad = await request(app)
      .post(`/decisions/${id}/comment?lang=en`)
      .type('form')
      .send({
        step: 'submit',
        destination: 'page@example.org',
        verificationId,
        code: codeOf(verificationId) === '000000' ? '111111' : '000000',
        text: 'Typed before the code.',
        paragraph: '1',
      });
    expect(bad.status).toBe(403);
    expect(bad.text).toMatch(/id="f-code-error"/);
    const done = await request(app)
      .post(`/decisions/${id}/comment?lang=en`)
      .type('form')
      .send({
        step: 'submit',
        destination: 'page@example.org',
        verificationId,
        code: codeOf(verificationId),
        text: 'Typed before the code.',
        paragraph: '1',
      });
    expect(done.status).toBe(303);
    const receipt = decodeURIComponent(/\/receipts\/([^?]+)/.exec(done.headers.location)![1]);
    expect(await stack.prisma.opinion.findUniqueOrThrow({ where: { id: receipt } })).toMatchObject({
      verifiedVia: 'email',
      contact: 'page@example.org',
      paragraph: 1,
    });
  });
});

describe('a comment after the window closed', () => {
  it('is refused with a clear message by the page and the API, and nothing is stored', async () => {
    const id = await openForComment(api, 'abuse-late', {}, { seconds: 1.5 });
    await api.waitFor(id, (d) => d.windows[0].frozen);
    const page = await request(stack.app)
      .post(`/decisions/${id}/comment?lang=en`)
      .type('form')
      .send({ text: 'Late.', paragraph: '' });
    expect(page.status).toBe(409);
    expect(page.text).toContain('The comment period has closed. Your opinion was not stored.');
    expect(page.text).toContain('Decree 713 Art 15');
    const json = await opinion(stack.app, id, 'Late.');
    expect({ status: json.status, code: json.body.error.code }).toEqual({ status: 409, code: 'WINDOW_CLOSED' });
    expect(await count(id)).toBe(0);
  });
});
