import request from 'supertest';
import { scopeOf } from '../../app/idempotency';
import { useApiStack } from '../support/api-driver';

// Retries: a POST sent again with the same Idempotency-Key is applied once (the action's update
// is keyed by it), a creation retried with its key returns the same decision, and an id that is
// taken cannot be started again.

const suite = useApiStack();

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

async function auditOf(id: string): Promise<any[]> {
  const res = await request(suite.stack.app)
    .get(`/api/decisions/${id}/audit`)
    .set(await suite.api.as('supervisor-lin'));
  expect(res.status).toBe(200);
  return res.body.entries;
}

async function expectChainValid(id: string): Promise<void> {
  const res = await request(suite.stack.app)
    .get(`/api/decisions/${id}/audit/verify`)
    .set(await suite.api.as('supervisor-lin'));
  expect(res.body).toMatchObject({ valid: true, firstBroken: null });
}

/** A month-long comment window: no timer fires during the test to move the revision. */
const prediscloseBody = () => suite.api.body('predisclose', 1, { commentWindow: { days: 30 } });

describe('actions', () => {
  it('applies an action sent twice with the same Idempotency-Key once: one audit entry, the same eventId, the revision unchanged by the retry', async () => {
    const id = (await suite.api.create({ id: unique('idem-action') })).body.result.id;
    const key = unique('retry');
    const first = await suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody(), {
      'Idempotency-Key': key,
    });
    expect(first.status).toBe(200);
    const revisionAfterFirst = (await suite.api.get(id)).body.decision.revision;
    expect(first.body.result.revision).toBe(revisionAfterFirst);

    const second = await suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody(), {
      'Idempotency-Key': key,
    });
    expect(second.status).toBe(200);
    expect(second.body.result).toEqual(first.body.result);
    expect(second.body.result.eventId).toBe(first.body.result.eventId);

    const decision = (await suite.api.get(id)).body.decision;
    expect(decision.revision).toBe(revisionAfterFirst);
    expect(decision.windows).toHaveLength(1);
    const entries = await auditOf(id);
    expect(entries.filter((e) => e.action === 'predisclose')).toHaveLength(1);
    expect(entries.filter((e) => e.action === 'predisclose')[0].eventId).toBe(first.body.result.eventId);
    await expectChainValid(id);
  });

  it('applies the same keyed action once when the two sends race', async () => {
    const id = (await suite.api.create({ id: unique('idem-race') })).body.result.id;
    const key = unique('race');
    const [a, b] = await Promise.all([
      suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody(), { 'Idempotency-Key': key }),
      suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody(), { 'Idempotency-Key': key }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.result.eventId).toBe(b.body.result.eventId);
    expect((await auditOf(id)).filter((e) => e.action === 'predisclose')).toHaveLength(1);
    expect((await suite.api.get(id)).body.decision.windows).toHaveLength(1);
  });

  it('treats another key as another attempt: the repeated step is refused by its gate', async () => {
    const id = (await suite.api.create({ id: unique('idem-other-key') })).body.result.id;
    expect(
      (await suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody(), { 'Idempotency-Key': unique('k1') }))
        .status,
    ).toBe(200);
    const again = await suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody(), {
      'Idempotency-Key': unique('k2'),
    });
    expect({ status: again.status, code: again.body.error.code }).toEqual({
      status: 409,
      code: 'ALREADY_PREDISCLOSED',
    });
    const withoutKey = await suite.api.act(id, 'official-zhang', 'predisclose', prediscloseBody());
    expect(withoutKey.body.error.code).toBe('ALREADY_PREDISCLOSED');
    expect((await auditOf(id)).filter((e) => e.action === 'predisclose').map((e) => e.outcome)).toEqual([
      'accepted',
      'refused',
      'refused',
    ]);
  });

  it('records a refused attempt retried with the same key once', async () => {
    const id = (await suite.api.create({ id: unique('idem-refused') })).body.result.id;
    const key = unique('refused');
    const first = await suite.api.act(id, 'official-zhang', 'publish', suite.api.body('publish', 1), {
      'Idempotency-Key': key,
    });
    const second = await suite.api.act(id, 'official-zhang', 'publish', suite.api.body('publish', 1), {
      'Idempotency-Key': key,
    });
    expect([first.body.error.code, second.body.error.code]).toEqual([
      'LEGALITY_REVIEW_REQUIRED',
      'LEGALITY_REVIEW_REQUIRED',
    ]);
    const refused = (await auditOf(id)).filter((e) => e.outcome === 'refused');
    expect(refused).toHaveLength(1);
    // The event is named by the key's scope (its owner, the operation, the key: app/idempotency.ts).
    expect(refused[0].eventId).toBe(
      `refused:publish:${scopeOf({ kind: 'staff', id: 'official-zhang' }, 'decision.act:publish', key)}`,
    );
    await expectChainValid(id);
  });

  it('applies a revision upload sent twice with the same key once (the retry is not refused as unchanged)', async () => {
    const id = (
      await suite.api.create({
        id: unique('idem-draft'),
        flags: { nonDisclosable: true },
        nonDisclosableReason: 'Security',
      })
    ).body.result.id;
    const key = unique('draft');
    const send = async () =>
      request(suite.stack.app)
        .post(`/api/decisions/${id}/drafts`)
        .set(await suite.api.as('official-zhang'))
        .set('Idempotency-Key', key)
        .send({
          text: 'Article 1. Fares are set by distance, capped at 4 yuan.',
          explanation: 'Why.',
          changeNote: 'Cap added.',
        });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.result).toEqual(first.body.result);
    expect(second.body.decision.draft.version).toBe(2);
    expect((await auditOf(id)).filter((e) => e.action === 'revise-draft')).toHaveLength(1);
  });
});

describe('creation', () => {
  it('returns the same decision for a creation retried with the same Idempotency-Key', async () => {
    const key = unique('create');
    const first = await suite.api.create({}, 'official-zhang', { 'Idempotency-Key': key });
    const second = await suite.api.create({}, 'official-zhang', { 'Idempotency-Key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.result.id).toBe(first.body.result.id);
    expect(second.body.result.eventId).toBe(first.body.result.eventId);
    expect(first.headers.location).toBe(`/api/decisions/${first.body.result.id}`);
    const id = first.body.result.id;
    expect(await suite.stack.prisma.decision.count({ where: { id } })).toBe(1);
    expect((await auditOf(id)).filter((e) => e.action === 'decision-started')).toHaveLength(1);
  });

  // Regression (found by this suite, fixed): domain/procedure/state.ts documents creationKey as the "fingerprint of the
  // creation request: a second create with the same id but other content is refused", but
  // api/decisions/service.ts uses the raw Idempotency-Key as creationKey. A key reused for a
  // different decision answers 201 with the OLD decision (the new title and draft are silently
  // dropped), and the new draft text is still upserted as a stray draft_document of the old
  // decision. Expected: the reuse is refused (409/422) and nothing is stored.
  it('refuses a creation that reuses a key with other content, storing nothing', async () => {
    const key = unique('reused');
    const first = await suite.api.create({ title: 'Bus fares' }, 'official-zhang', { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const id = first.body.result.id;
    const other = await suite.api.create(
      {
        title: 'School catchment areas',
        draft: { text: 'Article 1. Catchments follow districts.', explanation: 'Why.' },
      },
      'official-zhang',
      { 'Idempotency-Key': key },
    );
    expect(await suite.stack.prisma.draftDocument.count({ where: { decisionId: id } })).toBe(1);
    expect([409, 422]).toContain(other.status);
  });

  it('returns the same decision for a keyed creation with an explicit id', async () => {
    const id = unique('idem-create-id');
    const key = unique('create-id');
    const first = await suite.api.create({ id }, 'official-zhang', { 'Idempotency-Key': key });
    const second = await suite.api.create({ id }, 'official-zhang', { 'Idempotency-Key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect([first.body.result.id, second.body.result.id]).toEqual([id, id]);
    expect((await auditOf(id)).filter((e) => e.action === 'decision-started')).toHaveLength(1);
  });

  it('scopes the key to the official: another official with the same key starts another decision', async () => {
    const key = unique('shared-key');
    const colleague = await suite.stack.addStaff({
      id: 'official-wu',
      name: 'Wu Jie',
      roles: ['drafting-official'],
      organId: 'harbin-gov',
    });
    const mine = await suite.api.create({}, 'official-zhang', { 'Idempotency-Key': key });
    const theirs = await request(suite.stack.app)
      .post('/api/decisions')
      .set('Authorization', `Bearer ${colleague}`)
      .set('Idempotency-Key', key)
      .send({
        title: 'Another decision',
        summary: 'Another',
        templateId: 'test-fast',
        draft: { text: 'Article 1.', explanation: 'Why.' },
      });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.result.id).not.toBe(mine.body.result.id);
  });

  it('refuses a second creation with a taken id and no key with 409 DECISION_ID_TAKEN, leaving the first decision as it was', async () => {
    const id = unique('idem-taken');
    const first = await suite.api.create({ id, title: 'The original' });
    expect(first.status).toBe(201);
    const again = await suite.api.create({ id, title: 'An impostor' });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'DECISION_ID_TAKEN' });
    expect(again.body.error.details).toEqual({ id });
    const withOtherKey = await suite.api.create({ id, title: 'An impostor' }, 'official-zhang', {
      'Idempotency-Key': unique('other'),
    });
    expect(withOtherKey.body.error.code).toBe('DECISION_ID_TAKEN');
    const decision = (await suite.api.get(id)).body.decision;
    expect(decision.title).toBe('The original');
    expect(decision.revision).toBe(first.body.decision.revision);
    expect((await auditOf(id)).filter((e) => e.action === 'decision-started')).toHaveLength(1);
  });

  // Regression (found by this suite, fixed): createDecision upserts the draft document before the workflow refuses the
  // taken id, so a refused creation (409 DECISION_ID_TAKEN) still stores the impostor's draft text
  // as a draft_document of the existing decision (readable at GET /api/decisions/{id}/drafts/{hash}).
  it('stores nothing for a creation refused because its id is taken', async () => {
    const id = unique('idem-taken-draft');
    expect((await suite.api.create({ id })).status).toBe(201);
    const again = await suite.api.create({
      id,
      draft: { text: 'Article 1. An impostor’s text.', explanation: 'Planted.' },
    });
    expect(again.body.error.code).toBe('DECISION_ID_TAKEN');
    expect(await suite.stack.prisma.draftDocument.count({ where: { decisionId: id } })).toBe(1);
  });

  it('refuses to start again the id of a decision whose procedure has closed (withdrawn)', async () => {
    const id = unique('idem-closed');
    expect((await suite.api.create({ id })).status).toBe(201);
    expect((await suite.api.act(id, 'official-zhang', 'withdraw', suite.api.body('withdraw', 1))).status).toBe(200);
    const again = await suite.api.create({ id, title: 'Started again' });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'DECISION_ID_TAKEN' });
    expect((await suite.api.get(id)).body.decision).toMatchObject({
      status: 'withdrawn',
      title: 'Reform of urban bus fares',
    });
  });
});
