import request from 'supertest';
import type { Express } from 'express';
import { fromRoot } from '../../lib/paths';
import { ApiDriver } from '../support/api-driver';
import { openForComment, secondApp, unique } from '../support/portal';
import { RecordingNotifier, startStack, type Stack } from '../support/stack';

// The public side of the authority model (docs/authority.md; issue 9): one visibility rule for
// opinion texts on every public surface (the JSON API, open data as JSON and CSV, the portal),
// and Idempotency-Keys that belong to their client: another client's identical key is another
// submission, the same client's key is a retry only of the same body.

let stack: Stack;
let api: ApiDriver;
/** An app behind a trusted proxy (loopback), so each test can speak as several clients. */
let proxied: Express;
const notifier = new RecordingNotifier();
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
  const saved = process.env.DUEPROCESS_TRUST_PROXY;
  process.env.DUEPROCESS_TRUST_PROXY = 'loopback';
  proxied = secondApp(stack, {
    notifier,
    templatesDirs: [
      fromRoot('templates'),
      fromRoot('tests', 'fixtures', 'templates'),
      fromRoot('tests', 'fixtures', 'portal-templates'),
    ],
  });
  if (saved === undefined) delete process.env.DUEPROCESS_TRUST_PROXY;
  else process.env.DUEPROCESS_TRUST_PROXY = saved;
}, 60_000);
afterAll(() => stack?.stop());

/** A client address of its own per call (documentation range), so no test shares rate limits. */
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

const opinion = (from: string, id: string, body: Record<string, unknown>, key?: string) => {
  const r = request(proxied).post(`/api/decisions/${id}/opinions`).set('X-Forwarded-For', from);
  if (key !== undefined) r.set('Idempotency-Key', key);
  return r.send(body);
};

async function publicSurfaces(id: string) {
  const [json, openJson, openCsv, page] = await Promise.all([
    request(stack.app).get(`/api/public/decisions/${id}/opinions`),
    request(stack.app).get('/open-data/opinions.json'),
    request(stack.app).get('/open-data/opinions.csv'),
    request(stack.app).get(`/decisions/${id}/opinions?lang=en`),
  ]);
  for (const r of [json, openJson, openCsv, page]) expect(r.status).toBe(200);
  const decisions = (await request(stack.app).get('/open-data/decisions.json')).body.records;
  return {
    json: json.body,
    openJson: openJson.body,
    openCsv: openCsv.text,
    page: page.text,
    counts: decisions.find((d: any) => d.id === id),
  };
}

describe('the opinion visibility rule', () => {
  it('shows counts but no text while the window is open, and every text but the hidden one once it has closed', async () => {
    const id = await openForComment(api, 'auth-visibility', {}, { seconds: 4 });
    const texts = [`Visible after the close ${unique('t')}`, `Hidden by moderation ${unique('t')}`];
    const receipts: string[] = [];
    for (const text of texts) receipts.push((await opinion(address(), id, { text })).body.receipt);
    expect(receipts.every(Boolean)).toBe(true);

    const open = await publicSurfaces(id);
    expect(open.json).toMatchObject({ total: 2, withheld: 2, pending: 2, opinions: [], campaigns: [] });
    expect(open.counts).toMatchObject({ opinions_received: 2, opinions_pending: 2 });
    for (const surface of [JSON.stringify(open.json), JSON.stringify(open.openJson), open.openCsv, open.page]) {
      for (const t of texts) expect(surface).not.toContain(t);
      for (const r of receipts) expect(surface).not.toContain(r);
    }
    expect(open.page).toContain('2');

    const official = { Authorization: `Bearer ${await stack.token('official-zhang')}` };
    const hide = await request(stack.app)
      .post(`/api/decisions/${id}/opinions/${receipts[1]}/moderation`)
      .set(official)
      .send({ action: 'hide', reason: 'Personal data' });
    expect(hide.status).toBe(201);
    await api.waitFor(id, (d) => !!d.windows[0].frozen);

    const closed = await publicSurfaces(id);
    expect(closed.json).toMatchObject({ total: 2, withheld: 0, hidden: 1 });
    expect(closed.json.opinions.map((o: any) => [o.receipt, o.text])).toEqual([
      [receipts[0], texts[0]],
      [receipts[1], null],
    ]);
    expect(
      closed.openJson.records.filter((r: any) => r.decision_id === id).map((r: any) => [r.receipt, r.text, r.hidden]),
    ).toEqual([
      [receipts[0], texts[0], false],
      [receipts[1], null, true],
    ]);
    for (const surface of [closed.openCsv, closed.page]) {
      expect(surface).toContain(texts[0]);
      expect(surface).not.toContain(texts[1]);
    }
    expect(closed.page).toContain('Hidden by moderation: Personal data');
  }, 60_000);
});

describe('public Idempotency-Keys', () => {
  it('gives two clients using the same key each their own receipt, and both opinions are stored and frozen in the count', async () => {
    const id = await openForComment(api, 'auth-key-two-clients', {}, { seconds: 4 });
    const key = unique('shared-key');
    const [a, b] = [address(), `203.0.113.${Math.floor(Math.random() * 250) + 1}`];
    const first = await opinion(a, id, { text: 'Keep the night buses.' }, key);
    const second = await opinion(b, id, { text: 'Lower the fares for pensioners.' }, key);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.receipt).not.toBe(first.body.receipt);
    const stored = await stack.prisma.opinion.findMany({
      where: { decisionId: id },
      select: { id: true, text: true, clientKey: true },
    });
    expect(stored.map((o) => o.text).sort()).toEqual(['Keep the night buses.', 'Lower the fares for pensioners.']);
    // The stored key is the scope, never the raw key nor the address.
    for (const o of stored) expect(o.clientKey).not.toMatch(new RegExp(`${key}|${a}|${b}`.replace(/\./g, '\\.')));
    const decision = await api.waitFor(id, (d) => !!d.windows[0].frozen);
    expect(decision.windows[0].frozen.count).toBe(2);
  }, 60_000);

  it('answers the same client, key and body with the same receipt, and refuses the same key with another text with 422, storing nothing', async () => {
    const id = await openForComment(api, 'auth-key-reuse');
    const key = unique('my-key');
    const from = address();
    const first = await opinion(from, id, { text: 'Keep the student concession.', paragraph: 2 }, key);
    expect(first.status).toBe(201);
    const retry = await opinion(from, id, { text: 'Keep the student concession.', paragraph: 2 }, key);
    expect({ status: retry.status, receipt: retry.body.receipt, duplicate: retry.body.duplicate }).toEqual({
      status: 200,
      receipt: first.body.receipt,
      duplicate: true,
    });
    const other = await opinion(from, id, { text: 'A different opinion under the same key.', paragraph: 2 }, key);
    expect({ status: other.status, code: other.body.error?.code }).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const otherParagraph = await opinion(from, id, { text: 'Keep the student concession.', paragraph: 1 }, key);
    expect(otherParagraph.status).toBe(422);
    expect(await stack.prisma.opinion.count({ where: { decisionId: id } })).toBe(1);
  }, 60_000);

  it('scopes survey answers, hearing registrations and verification requests the same way', async () => {
    const key = unique('form-key');
    const [a, b] = [address(), `203.0.113.${Math.floor(Math.random() * 250) + 1}`];
    const post = (from: string, path: string, body: object) =>
      request(proxied).post(path).set('X-Forwarded-For', from).set('Idempotency-Key', key).send(body);

    const hearing = await openForComment(api, 'auth-key-hearing', { flags: { hearingRequired: true } });
    const path = `/api/decisions/${hearing}/hearing-registrations`;
    const reg = { name: 'Ma', contact: 'ma@example.org', represents: 'commuters' };
    const mine = await post(a, path, reg);
    const theirs = await post(b, path, { ...reg, name: 'Niu' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect((await post(a, path, reg)).body).toMatchObject({ receipt: mine.body.receipt, duplicate: true });
    expect((await post(a, path, { ...reg, represents: 'bus operators' })).status).toBe(422);
    expect(await stack.prisma.hearingRegistration.count({ where: { decisionId: hearing } })).toBe(2);

    const survey = await openForComment(api, 'auth-key-survey', { flags: { livelihood: true } });
    const questions = [{ id: 'support', text: 'Do you support it?', kind: 'single-choice', options: ['yes', 'no'] }];
    expect(
      (await api.act(survey, 'official-zhang', 'open-survey', { questions, surveyWindow: { days: 30 } })).status,
    ).toBe(200);
    const answers = `/api/decisions/${survey}/survey-answers`;
    const yes = await post(a, answers, { answers: { support: 'yes' } });
    const no = await post(b, answers, { answers: { support: 'no' } });
    expect([yes.status, no.status]).toEqual([201, 201]);
    expect((await post(a, answers, { answers: { support: 'yes' } })).body).toMatchObject({
      receipt: yes.body.receipt,
      duplicate: true,
    });
    expect((await post(a, answers, { answers: { support: 'no' } })).status).toBe(422);
    expect(await stack.prisma.surveyAnswer.count({ where: { decisionId: survey } })).toBe(2);

    const created = await request(proxied)
      .post('/api/decisions')
      .set(await api.as('official-zhang'))
      .send({
        id: unique('auth-key-verified'),
        title: 'Verified comments',
        summary: 'S',
        templateId: 'test-verified',
        draft: { text: 'One.\n\nTwo.', explanation: 'Why.' },
      });
    const verified = created.body.result.id;
    await stack.recorded(verified);
    expect((await api.act(verified, 'official-zhang', 'predisclose', api.body('predisclose', 1))).status).toBe(200);
    const codes = `/api/decisions/${verified}/verifications`;
    const sent = await post(a, codes, { channel: 'email', destination: 'ma@example.org' });
    expect(sent.status).toBe(201);
    const again = await post(a, codes, { channel: 'email', destination: 'ma@example.org' });
    expect({ status: again.status, id: again.body.verificationId }).toEqual({
      status: 200,
      id: sent.body.verificationId,
    });
    expect(notifier.sent.filter((n) => n.decisionId === verified)).toHaveLength(1);
    expect((await post(a, codes, { channel: 'email', destination: 'niu@example.org' })).status).toBe(422);
    const theirs2 = await post(b, codes, { channel: 'email', destination: 'ma@example.org' });
    expect({ status: theirs2.status, other: theirs2.body.verificationId !== sent.body.verificationId }).toEqual({
      status: 201,
      other: true,
    });
  }, 60_000);
});
