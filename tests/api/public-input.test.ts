import { createHash } from 'node:crypto';
import request from 'supertest';
import { useApiStack } from '../support/api-driver';
import { SHORT_WINDOW } from '../support/wait';

// Public input (Decree 713 Art 15): opinions and survey answers are accepted, without a token,
// only while their window is open; a retry with the same Idempotency-Key is stored once; outside
// the window nothing is stored and the answer cites Art 15; and the count frozen when the window
// closes is exactly the set that was accepted.

const suite = useApiStack();

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;
const RECEIPT = (prefix: 'OP' | 'SV') => new RegExp(`^${prefix}-[A-HJ-KM-NP-Z2-9]{5}-[A-HJ-KM-NP-Z2-9]{5}$`);
// The API driver's default draft has two paragraphs.
const PARAGRAPHS = 2;
/** Long enough for the requests of a test on a loaded machine, short enough to wait for its close. */
const WINDOW = SHORT_WINDOW;

const opinion = (id: string, body: Record<string, unknown>, key?: string) => {
  const r = request(suite.stack.app).post(`/api/decisions/${id}/opinions`);
  if (key !== undefined) r.set('Idempotency-Key', key);
  return r.send(body);
};
const answer = (id: string, answers: Record<string, unknown>, key?: string) => {
  const r = request(suite.stack.app).post(`/api/decisions/${id}/survey-answers`);
  if (key !== undefined) r.set('Idempotency-Key', key);
  return r.send({ answers });
};
const opinionCount = (decisionId: string) => suite.stack.prisma.opinion.count({ where: { decisionId } });
const answerCount = (decisionId: string) => suite.stack.prisma.surveyAnswer.count({ where: { decisionId } });

function expectWindowClosed(res: request.Response): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 409, code: 'WINDOW_CLOSED' });
  expect(res.body.error.legalBasis).toMatch(/Decree 713 Art 15/);
}

function expectInvalid(res: request.Response, path: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'INVALID_INPUT' });
  expect(res.body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
}

async function predisclosed(
  prefix: string,
  extra: Record<string, unknown> = {},
  predisclose: Record<string, unknown> = { commentWindow: WINDOW },
): Promise<string> {
  const created = await suite.api.create({ id: unique(prefix), ...extra });
  expect(created.status).toBe(201);
  const id = created.body.result.id;
  const res = await suite.api.act(id, 'official-zhang', 'predisclose', suite.api.body('predisclose', 1, predisclose));
  expect(res.status).toBe(200);
  return id;
}

const windowOf = (d: Record<string, any>, kind: 'comment' | 'survey') => d.windows.find((w: any) => w.kind === kind);

/** The digest the freeze computes: sha256 over "receipt:sha256(text)" lines in receipt order. */
function frozenDigest(rows: Array<{ id: string; text: string }>): string {
  const hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const lines = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => `${r.id}:${hex(r.text)}`);
  return 'sha256:' + hex(lines.join('\n'));
}

describe('opinions on a pre-disclosed draft', () => {
  it('accepts opinions while the window is open, stores a retry once, refuses after the close with nothing stored, and freezes exactly the accepted set', async () => {
    const id = await predisclosed('pi-comment');
    const key = unique('citizen');

    const first = await opinion(
      id,
      { text: 'Keep the student concession.', paragraph: 2, name: 'A commuter', contact: 'commuter@example.org' },
      key,
    );
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ receipt: expect.stringMatching(RECEIPT('OP')), decisionId: id, duplicate: false });

    const retry = await opinion(
      id,
      { text: 'Keep the student concession.', paragraph: 2, name: 'A commuter', contact: 'commuter@example.org' },
      key,
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ receipt: first.body.receipt, decisionId: id, duplicate: true });
    expect(await opinionCount(id)).toBe(1);

    const anonymous = await opinion(id, { text: 'Fares should not rise for pensioners.' });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body.receipt).not.toBe(first.body.receipt);
    expect(await opinionCount(id)).toBe(2);

    const decision = await suite.api.waitFor(id, (d) => !!windowOf(d, 'comment')?.frozen);
    expect(windowOf(decision, 'comment').frozen.count).toBe(2);
    const rows = await suite.stack.prisma.opinion.findMany({ where: { decisionId: id } });
    expect(windowOf(decision, 'comment').frozen.digest).toBe(frozenDigest(rows));

    const late = await opinion(id, { text: 'Too late, but I still have a view.' });
    expectWindowClosed(late);
    expect(late.body.error.message).toMatch(/nothing was stored/);
    expect(await opinionCount(id)).toBe(2);
    // A retry of an opinion accepted in time still gets its receipt back, and stores nothing.
    const lateRetry = await opinion(id, { text: 'Keep the student concession.', paragraph: 2 }, key);
    expect({ status: lateRetry.status, receipt: lateRetry.body.receipt }).toEqual({
      status: 200,
      receipt: first.body.receipt,
    });
    expect(await opinionCount(id)).toBe(2);

    // Staff see the accepted opinions without the author's contact details or client key.
    const listed = await request(suite.stack.app)
      .get(`/api/decisions/${id}/opinions`)
      .set(await suite.api.as('supervisor-lin'));
    expect(listed.body.opinions.map((o: any) => o.id).sort()).toEqual(
      [first.body.receipt, anonymous.body.receipt].sort(),
    );
    expect(listed.body.opinions[0].contact).toBeUndefined();
    expect(listed.body.opinions[0].clientKey).toBeUndefined();
  });

  it('freezes the count of opinions submitted concurrently, equal to the number of receipts given', async () => {
    const id = await predisclosed('pi-concurrent');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_v, i) =>
        opinion(id, { text: `Opinion number ${i}`, paragraph: (i % PARAGRAPHS) + 1 }),
      ),
    );
    const receipts = results.filter((r) => r.status === 201).map((r) => r.body.receipt);
    expect(receipts).toHaveLength(12);
    expect(new Set(receipts).size).toBe(12);
    // The same retry racing itself is stored once: one 201, the others 200 with the same receipt.
    const key = unique('racing-retry');
    const retries = await Promise.all(
      Array.from({ length: 4 }, () => opinion(id, { text: 'Sent from a flaky connection.' }, key)),
    );
    expect(retries.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(retries.map((r) => r.body.receipt)).size).toBe(1);
    receipts.push(retries[0].body.receipt);
    const decision = await suite.api.waitFor(id, (d) => !!windowOf(d, 'comment')?.frozen);
    expect(windowOf(decision, 'comment').frozen.count).toBe(receipts.length);
    expect(await opinionCount(id)).toBe(receipts.length);
  });

  it('refuses an opinion on a paragraph beyond the draft with 400 path paragraph, storing nothing', async () => {
    const id = await predisclosed('pi-paragraph', {}, { commentWindow: { days: 30 } });
    expectInvalid(
      await opinion(id, { text: 'On a paragraph that does not exist.', paragraph: PARAGRAPHS + 1 }),
      'paragraph',
    );
    expectInvalid(await opinion(id, { text: 'On paragraph zero.', paragraph: 0 }), 'paragraph');
    expectInvalid(await opinion(id, { text: 'On paragraph one and a half.', paragraph: 1.5 }), 'paragraph');
    expect(await opinionCount(id)).toBe(0);
    expect((await opinion(id, { text: 'On the last paragraph.', paragraph: PARAGRAPHS })).status).toBe(201);
  });

  it('refuses an invalid opinion body with 400 naming the field, storing nothing', async () => {
    const id = await predisclosed('pi-body', {}, { commentWindow: { days: 30 } });
    expectInvalid(await opinion(id, { text: '   ' }), 'text');
    expectInvalid(await opinion(id, {}), 'text');
    expectInvalid(await opinion(id, { text: 'x'.repeat(10_001) }), 'text');
    expect((await opinion(id, { text: 'Fine.', receivedBy: 'clerk' })).status).toBe(400);
    expect(await opinionCount(id)).toBe(0);
  });

  it('refuses an opinion on a decision that was never pre-disclosed with 409 WINDOW_CLOSED, storing nothing', async () => {
    const created = await suite.api.create({ id: unique('pi-never') });
    const id = created.body.result.id;
    const res = await opinion(id, { text: 'Is anyone listening?' });
    expectWindowClosed(res);
    expect(res.body.error.message).toMatch(/not open/);
    expect(await opinionCount(id)).toBe(0);

    const secret = await suite.api.create({
      id: unique('pi-secret'),
      flags: { nonDisclosable: true },
      nonDisclosableReason: 'State secret',
    });
    expectWindowClosed(await opinion(secret.body.result.id, { text: 'I found out anyway.' }));
    expect(await opinionCount(secret.body.result.id)).toBe(0);
  });

  it('refuses a comment window shorter than the template without an urgency reason, and closes a window early only if urgency was published at opening', async () => {
    const created = await suite.api.create({ id: unique('pi-urgency') });
    const id = created.body.result.id;
    const short = await suite.api.act(
      id,
      'official-zhang',
      'predisclose',
      suite.api.body('predisclose', 1, { commentWindow: { seconds: 1 } }),
    );
    expect({ status: short.status, code: short.body.error.code }).toEqual({
      status: 409,
      code: 'COMMENT_WINDOW_TOO_SHORT',
    });
    expect(short.body.error.legalBasis).toMatch(/Art 15/);

    const plain = await predisclosed('pi-no-urgency', {}, { commentWindow: { days: 30 } });
    const refused = await suite.api.act(
      plain,
      'official-zhang',
      'close-window-early',
      suite.api.body('close-window-early', 1),
    );
    expect(refused.body.error.code).toBe('URGENCY_REASON_REQUIRED');
    expect((await opinion(plain, { text: 'Still open.' })).status).toBe(201);

    const urgent = await predisclosed(
      'pi-urgent',
      {},
      { commentWindow: { days: 30 }, urgencyReason: 'Flood season: the measure must be in force before June.' },
    );
    expect((await opinion(urgent, { text: 'In time.' })).status).toBe(201);
    const closed = await suite.api.act(
      urgent,
      'official-zhang',
      'close-window-early',
      suite.api.body('close-window-early', 1),
    );
    expect(closed.status).toBe(200);
    expectWindowClosed(await opinion(urgent, { text: 'After the early close.' }));
    const decision = await suite.api.waitFor(urgent, (d) => !!windowOf(d, 'comment')?.frozen);
    expect(windowOf(decision, 'comment').frozen.count).toBe(1);
    expect(await opinionCount(urgent)).toBe(1);
  });
});

describe('opinion surveys (livelihood decisions)', () => {
  const questions = [
    {
      id: 'support',
      text: 'Do you support the new fare structure?',
      kind: 'single-choice',
      options: ['yes', 'no', 'unsure'],
    },
    {
      id: 'topics',
      text: 'Which parts matter to you?',
      kind: 'multiple-choice',
      options: ['fares', 'routes', 'hours'],
    },
    { id: 'why', text: 'What should the bureau change?', kind: 'text' },
  ];

  it('validates answers against the questions, accepts them during the window, and freezes their count', async () => {
    const id = await predisclosed('pi-survey', { flags: { livelihood: true } }, { commentWindow: { days: 30 } });
    expectWindowClosed(await answer(id, { support: 'yes' }));
    const opened = await suite.api.act(id, 'official-zhang', 'open-survey', { questions, surveyWindow: WINDOW });
    expect(opened.status).toBe(200);

    expectInvalid(await answer(id, { colour: 'blue' }), 'answers.colour');
    expectInvalid(await answer(id, { support: 'maybe' }), 'answers.support');
    expectInvalid(await answer(id, { support: ['yes'] }), 'answers.support');
    expectInvalid(await answer(id, { topics: ['fares', 'parking'] }), 'answers.topics');
    expectInvalid(await answer(id, { topics: 'fares' }), 'answers.topics');
    expectInvalid(await answer(id, { why: ['a', 'b'] }), 'answers.why');
    expect(
      (
        await request(suite.stack.app)
          .post(`/api/decisions/${id}/survey-answers`)
          .send({ answers: { support: 'yes' }, name: 'X' })
      ).status,
    ).toBe(400);
    expect(await answerCount(id)).toBe(0);

    const key = unique('respondent');
    const first = await answer(id, { support: 'yes', topics: ['fares', 'hours'], why: 'Fairer for short trips.' }, key);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ receipt: expect.stringMatching(RECEIPT('SV')), decisionId: id, duplicate: false });
    const retry = await answer(id, { support: 'yes', topics: ['fares', 'hours'], why: 'Fairer for short trips.' }, key);
    expect(retry.status).toBe(200);
    expect(retry.body.receipt).toBe(first.body.receipt);
    expect((await answer(id, { support: 'no' })).status).toBe(201);
    expect(await answerCount(id)).toBe(2);

    const decision = await suite.api.waitFor(id, (d) => !!windowOf(d, 'survey')?.frozen);
    expect(windowOf(decision, 'survey').frozen.count).toBe(2);
    expect(windowOf(decision, 'comment').frozen).toBeUndefined();
    expectWindowClosed(await answer(id, { support: 'unsure' }));
    expect(await answerCount(id)).toBe(2);
    // The survey's close does not close the comment window.
    expect((await opinion(id, { text: 'Still commenting.' })).status).toBe(201);
  });

  it('refuses survey answers on a decision with no survey with 409 WINDOW_CLOSED', async () => {
    const id = await predisclosed('pi-no-survey', {}, { commentWindow: { days: 30 } });
    expectWindowClosed(await answer(id, { support: 'yes' }));
    expect(await answerCount(id)).toBe(0);
  });
});

describe('the public view of a decision', () => {
  it('shows a pre-disclosed draft with numbered paragraphs and its open window, without a token', async () => {
    const hidden = await suite.api.create({ id: unique('public-hidden') });
    const notYet = await request(suite.stack.app).get(`/api/public/decisions/${hidden.body.result.id}`);
    expect({ status: notYet.status, code: notYet.body.error.code }).toEqual({
      status: 404,
      code: 'DECISION_NOT_FOUND',
    });

    const id = await predisclosed('public-view', {}, { commentWindow: { days: 30 } });
    const res = await request(suite.stack.app).get(`/api/public/decisions/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.decision.draft.paragraphs).toEqual([
      { number: 1, text: 'Article 1. Fares are set by distance.' },
      { number: 2, text: 'Article 2. Students pay half.' },
    ]);
    expect(res.body.decision.howToComment).toMatch(/portal/);
    expect(res.body.decision.windows).toEqual([
      expect.objectContaining({ kind: 'comment', open: true, submissions: null }),
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/official-zhang|creationKey|assignments/);
  });
});
