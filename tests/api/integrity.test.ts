import request from 'supertest';
import { handOver } from '../../lib/directory';
import { useApiStack } from '../support/api-driver';

// Integrity records (DOMAIN §5): an out-of-order attempt leaves a record naming the holder of the
// office at the time, whoever holds it later; a supervisor records by hand; the person or organ
// named disputes, a supervisor resolves once, and an upheld dispute adds a correction record that
// takes the record out of the eligibility count without deleting it. The runtime database role
// cannot rewrite a record.

const suite = useApiStack();

const run = Date.now().toString(36);
let counter = 0;
const uniq = (prefix: string) => `${prefix}-${run}-${++counter}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const as = (userId: string) => suite.api.as(userId);
const get = async (path: string, auth: Record<string, string>) => request(suite.stack.app).get(path).set(auth);
const post = async (path: string, auth: Record<string, string>, body: object, headers: Record<string, string> = {}) =>
  request(suite.stack.app).post(path).set(auth).set(headers).send(body);

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
}

/** A person holding one office per role in `organId`; returns the token and the office ids. */
async function person(
  organId: string,
  roles: Array<'drafting-official' | 'head' | 'supervisor'>,
  name = `Test ${counter}`,
) {
  const id = uniq('ir-user');
  const token = await suite.stack.addStaff({ id, name, organId, roles });
  return { id, name, auth: bearer(token), office: (role: string) => `${organId}/${role}/${id}` };
}

async function manualRecord(
  organId: string,
  officeId?: string,
  extra: Record<string, unknown> = {},
  key = uniq('key'),
) {
  const body = {
    organId,
    ...(officeId ? { officeId } : {}),
    rule: 'Payment withheld after the change of mayor',
    legalBasis: 'Decree 802 Art 9',
    evidence: { description: 'Invoice 17 unpaid 90 days.', references: ['INV-17'] },
    ...extra,
  };
  return post('/api/integrity-records', await as('supervisor-lin'), body, { 'Idempotency-Key': key });
}

async function eligibilityOf(query: string) {
  const res = await get(`/api/eligibility?${query}`, await as('supervisor-lin'));
  expect(res.status).toBe(200);
  return res.body;
}

describe('records from refused out-of-order attempts (DOMAIN §5 [D])', () => {
  it('names the office holder at the time of the attempt; after a handover the successor is named and the old record still names the predecessor', async () => {
    const organ = uniq('ir-organ');
    const a = await person(organ, ['drafting-official'], 'Official Ann');
    const created = await post('/api/decisions', a.auth, {
      id: uniq('ir-dec'),
      title: 'Bus fares',
      summary: 'Fares',
      templateId: 'test-fast',
      flags: { nonDisclosable: true },
      nonDisclosableReason: 'Security of the network',
      draft: { text: 'Article 1. Fares are set by distance.', explanation: 'Why.' },
    });
    expect(created.status).toBe(201);
    const decisionId = created.body.result.id;

    const early = await post(`/api/decisions/${decisionId}/actions/publish`, a.auth, suite.api.body('publish', 1));
    expectError(early, 409, 'LEGALITY_REVIEW_REQUIRED');
    const list = await get(`/api/integrity-records?organ=${organ}`, await as('supervisor-lin'));
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const first = list.body.records[0];
    expect(first).toMatchObject({
      kind: 'out-of-order-attempt',
      organId: organ,
      officeId: a.office('drafting-official'),
      holderUserId: a.id,
      holderName: 'Official Ann',
      decisionId,
      correctsId: null,
      counts: true,
      corrections: [],
      disputes: [],
      evidence: expect.objectContaining({
        decisionId,
        action: 'publish',
        code: 'LEGALITY_REVIEW_REQUIRED',
        message: early.body.error.message,
      }),
    });
    expect(first.legalBasis).toMatch(/Decree 713 Art 25/);
    const audit = await get(`/api/decisions/${decisionId}/audit`, await as('supervisor-lin'));
    const refused = audit.body.entries.find(
      (e: any) => e.outcome === 'refused' && e.code === 'LEGALITY_REVIEW_REQUIRED',
    );
    expect(first.sourceRef).toBe(`audit:${decisionId}:${refused.eventId}`);

    const b = await person(organ, [], 'Official Bo');
    await handOver(suite.stack.prisma, a.office('drafting-official'), b.id);
    const byA = await post(`/api/decisions/${decisionId}/actions/publish`, a.auth, suite.api.body('publish', 1));
    expectError(byA, 403, 'ROLE_REQUIRED'); // no office any more: refused, but no integrity breach
    const second = await post(
      `/api/decisions/${decisionId}/actions/submit-for-discussion`,
      b.auth,
      suite.api.body('submit-for-discussion', 1),
    );
    expectError(second, 409, 'LEGALITY_REVIEW_REQUIRED');

    const after = await get(`/api/integrity-records?organ=${organ}&kind=out-of-order-attempt`, await as('head-gao'));
    expect(after.body.records.map((r: any) => [r.holderName, r.officeId, r.evidence.action])).toEqual([
      ['Official Bo', a.office('drafting-official'), 'submit-for-discussion'],
      ['Official Ann', a.office('drafting-official'), 'publish'],
    ]);
    expect((await eligibilityOf(`official=${a.id}`)).eligible).toBe(false);
    expect((await eligibilityOf(`official=${b.id}`)).counting.map((r: any) => r.evidence.action)).toEqual([
      'submit-for-discussion',
    ]);
  });

  it('records STAGE_NOT_REACHED while public participation is still running', async () => {
    const organ = uniq('ir-organ');
    const a = await person(organ, ['drafting-official']);
    const created = await post('/api/decisions', a.auth, {
      id: uniq('ir-dec'),
      title: 'Parks',
      summary: 'Parks',
      templateId: 'test-fast',
      draft: { text: 'Article 1.', explanation: 'Why.' },
    });
    expect(created.status).toBe(201);
    const res = await post(
      `/api/decisions/${created.body.result.id}/actions/submit-for-legality-review`,
      a.auth,
      suite.api.body('submit-for-legality-review', 1),
    );
    expectError(res, 409, 'STAGE_NOT_REACHED');
    const list = await get(`/api/integrity-records?holder=${a.id}`, await as('supervisor-lin'));
    expect(list.body.records).toEqual([
      expect.objectContaining({
        kind: 'out-of-order-attempt',
        legalBasis: res.body.error.legalBasis,
        evidence: expect.objectContaining({ code: 'STAGE_NOT_REACHED' }),
      }),
    ]);
  });
});

describe('manual records (supervisor)', () => {
  it('names the holder of the office at `at`, is idempotent by Idempotency-Key and refuses a reused key', async () => {
    const organ = uniq('ir-organ');
    const c = await person(organ, ['drafting-official'], 'Chen Before');
    const d = await person(organ, [], 'Du After');
    const handoverAt = new Date(Date.now() - 60_000);
    await handOver(suite.stack.prisma, c.office('drafting-official'), d.id, handoverAt);

    const key = uniq('manual');
    const before = await manualRecord(
      organ,
      c.office('drafting-official'),
      { at: new Date(handoverAt.getTime() - 3_600_000).toISOString() },
      key,
    );
    expect(before.status).toBe(201);
    expect(before.body.record).toMatchObject({
      kind: 'manual',
      organId: organ,
      holderUserId: c.id,
      holderName: 'Chen Before',
      sourceRef: expect.stringMatching(/^manual:k:/),
      createdBy: 'supervisor-lin',
      counts: true,
    });
    expect(before.headers.location).toBe(`/api/integrity-records/${before.body.record.id}`);
    expect(before.body.record.evidence).toMatchObject({
      description: 'Invoice 17 unpaid 90 days.',
      references: ['INV-17'],
    });
    const now = await manualRecord(organ, c.office('drafting-official'));
    expect(now.body.record.holderName).toBe('Du After');

    const retry = await manualRecord(
      organ,
      c.office('drafting-official'),
      { at: new Date(handoverAt.getTime() - 3_600_000).toISOString() },
      key,
    );
    expect(retry.status).toBe(200);
    expect(retry.body.record.id).toBe(before.body.record.id);
    expectError(await manualRecord(organ, undefined, { rule: 'Another rule' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    // The key is the supervisor's own: another supervisor's identical key is another request.
    const other = await person(uniq('ir-supervision'), ['supervisor']);
    const theirs = await post(
      '/api/integrity-records',
      other.auth,
      { organId: organ, rule: 'Another rule', legalBasis: 'Decree 802 Art 9', evidence: { description: 'Elsewhere.' } },
      { 'Idempotency-Key': key },
    );
    expect(theirs.status).toBe(201);
    expect(theirs.body.record.id).not.toBe(before.body.record.id);

    const byId = await get(`/api/integrity-records/${before.body.record.id}`, await as('official-zhang'));
    expect(byId.body.record).toMatchObject({ id: before.body.record.id, holderName: 'Chen Before' });
    expectError(await get('/api/integrity-records/IR-NOPE', await as('official-zhang')), 404, 'NOT_FOUND');
  });

  it('refuses an office of another organ, an unknown organ, a future time and unknown fields (400)', async () => {
    const organ = uniq('ir-organ');
    const expectField = (res: request.Response, path: string) => {
      expectError(res, 400, 'INVALID_INPUT');
      expect(res.body.error.details.issues.map((i: any) => i.path)).toContain(path);
    };
    expectField(await manualRecord('harbin-gov', 'harbin-discipline/supervision'), 'officeId');
    expectField(await manualRecord(organ), 'organId');
    expectField(
      await manualRecord('harbin-gov', undefined, { at: new Date(Date.now() + 86_400_000).toISOString() }),
      'at',
    );
    expectField(await manualRecord('harbin-gov', undefined, { kind: 'correction' }), 'kind');
  });
});

describe('disputes and corrections', () => {
  it('lets the named person dispute; an upheld dispute adds a correction record, the record stays visible and stops counting', async () => {
    const organ = uniq('ir-organ');
    const c = await person(organ, ['drafting-official']);
    const recorded = await manualRecord(organ, c.office('drafting-official'));
    const recordId = recorded.body.record.id;
    const ineligible = await eligibilityOf(`official=${c.id}`);
    expect(ineligible).toMatchObject({ eligible: false, subject: { official: c.id }, window: { years: 3 } });
    expect(ineligible.counting.map((r: any) => r.id)).toEqual([recordId]);

    expectError(
      await post(`/api/integrity-records/${recordId}/disputes`, await as('official-zhang'), { grounds: 'Not me.' }),
      403,
      'NOT_NAMED_IN_RECORD',
    );
    const filed = await post(`/api/integrity-records/${recordId}/disputes`, c.auth, {
      grounds: 'The invoice was paid on time; receipt attached.',
    });
    expect(filed.status).toBe(201);
    expect(filed.body.dispute).toMatchObject({
      recordId,
      filedBy: c.id,
      status: 'pending',
      resolution: null,
      correctionId: null,
    });
    expectError(
      await post(`/api/integrity-records/${recordId}/disputes`, c.auth, { grounds: 'Again.' }),
      409,
      'DISPUTE_PENDING',
    );
    const disputeId = filed.body.dispute.id;

    expectError(
      await post(`/api/integrity-disputes/${disputeId}/resolve`, c.auth, { resolution: 'upheld', reason: 'Self.' }),
      403,
      'ROLE_REQUIRED',
    );
    const correction = {
      rule: 'Record withdrawn: the payment was made on time',
      legalBasis: 'Decree 802 Art 9',
      evidence: { description: 'Bank receipt 2291.', references: ['RCPT-2291'] },
    };
    const resolved = await post(`/api/integrity-disputes/${disputeId}/resolve`, await as('supervisor-lin'), {
      resolution: 'upheld',
      reason: 'The receipt proves payment.',
      correction,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toMatchObject({
      status: 'upheld',
      resolution: 'upheld',
      reason: 'The receipt proves payment.',
      resolvedBy: 'supervisor-lin',
      correctionId: resolved.body.correction.id,
    });
    expect(resolved.body.correction).toMatchObject({
      kind: 'correction',
      correctsId: recordId,
      organId: organ,
      organName: organ,
      holderUserId: c.id,
      rule: correction.rule,
      createdBy: 'supervisor-lin',
    });
    expect(resolved.body.correction.evidence).toMatchObject({
      description: 'Bank receipt 2291.',
      disputeId,
      reason: 'The receipt proves payment.',
    });
    expect(resolved.body.record).toMatchObject({
      id: recordId,
      counts: false,
      corrections: [expect.objectContaining({ id: resolved.body.correction.id })],
      disputes: [expect.objectContaining({ status: 'upheld' })],
    });

    expect(await eligibilityOf(`official=${c.id}`)).toMatchObject({ eligible: true, counting: [] });
    const asBefore = await eligibilityOf(
      `official=${c.id}&at=${encodeURIComponent(new Date(Date.parse(resolved.body.correction.createdAt) - 1).toISOString())}`,
    );
    expect(asBefore.eligible).toBe(false);
    expectError(
      await post(`/api/integrity-disputes/${disputeId}/resolve`, await as('supervisor-lin'), {
        resolution: 'rejected',
        reason: 'Second thoughts.',
      }),
      409,
      'DISPUTE_ALREADY_RESOLVED',
    );
    expectError(
      await post(`/api/integrity-records/${recordId}/disputes`, c.auth, { grounds: 'Once more.' }),
      409,
      'ALREADY_CORRECTED',
    );
    const corrections = await get(`/api/integrity-records?holder=${c.id}&kind=correction`, await as('supervisor-lin'));
    expect(corrections.body.records.map((r: any) => r.correctsId)).toEqual([recordId]);
  });

  it('lets the head of the named organ dispute; a rejected dispute changes nothing and cannot be resolved again', async () => {
    const organ = uniq('ir-organ');
    const head = await person(organ, ['head']);
    const recordId = (await manualRecord(organ)).body.record.id;
    const filed = await post(`/api/integrity-records/${recordId}/disputes`, head.auth, {
      grounds: 'The organ was not responsible.',
    });
    expect(filed.status).toBe(201);
    const resolve = async (body: object) =>
      post(`/api/integrity-disputes/${filed.body.dispute.id}/resolve`, await as('supervisor-lin'), body);
    expectError(
      await resolve({
        resolution: 'rejected',
        reason: 'x',
        correction: { rule: 'r', legalBasis: 'l', evidence: { description: 'd' } },
      }),
      400,
      'INVALID_INPUT',
    );
    const rejected = await resolve({ resolution: 'rejected', reason: 'The organ signed the contract.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      correction: null,
      dispute: { status: 'rejected', reason: 'The organ signed the contract.', correctionId: null },
      record: { counts: true, corrections: [] },
    });
    expectError(await resolve({ resolution: 'upheld', reason: 'Changed my mind.' }), 409, 'DISPUTE_ALREADY_RESOLVED');
    expectError(
      await post('/api/integrity-disputes/DSP-NOPE/resolve', await as('supervisor-lin'), {
        resolution: 'upheld',
        reason: 'x',
      }),
      404,
      'NOT_FOUND',
    );
    expect((await eligibilityOf(`organ=${organ}`)).eligible).toBe(false);
  });

  it('lets no one resolve a dispute about a record that names them or their organ (NAMED_IN_RECORD); another supervisor resolves it', async () => {
    const organ = uniq('ir-supervision');
    const named = await person(organ, ['supervisor'], 'Supervisor Named');
    const colleague = await person(organ, ['supervisor'], 'Supervisor Colleague');
    const recordId = (await manualRecord(organ, named.office('supervisor'))).body.record.id;
    const filed = await post(`/api/integrity-records/${recordId}/disputes`, named.auth, {
      grounds: 'I did not withhold it.',
    });
    expect(filed.status).toBe(201);
    const resolve = async (auth: Record<string, string>) =>
      post(`/api/integrity-disputes/${filed.body.dispute.id}/resolve`, auth, {
        resolution: 'upheld',
        reason: 'Self-acquittal.',
      });
    expectError(await resolve(named.auth), 403, 'NAMED_IN_RECORD');
    expectError(await resolve(colleague.auth), 403, 'NAMED_IN_RECORD');
    expect(
      (await suite.stack.prisma.integrityDispute.findUniqueOrThrow({ where: { id: filed.body.dispute.id } }))
        .resolution,
    ).toBeNull();
    const resolved = await resolve(await as('supervisor-lin'));
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toMatchObject({ status: 'upheld', resolvedBy: 'supervisor-lin' });
  });

  it('resolves two concurrent resolutions of one dispute exactly once', async () => {
    const organ = uniq('ir-organ');
    const head = await person(organ, ['head']);
    const recordId = (await manualRecord(organ)).body.record.id;
    const disputeId = (await post(`/api/integrity-records/${recordId}/disputes`, head.auth, { grounds: 'No.' })).body
      .dispute.id;
    const auth = await as('supervisor-lin');
    const results = await Promise.all(
      ['upheld', 'upheld', 'rejected'].map((resolution) =>
        post(`/api/integrity-disputes/${disputeId}/resolve`, auth, { resolution, reason: 'Race.' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const corrections = await suite.stack.prisma.integrityRecord.count({ where: { correctsId: recordId } });
    expect(corrections).toBe(results.some((r) => r.status === 200 && r.body.dispute.resolution === 'upheld') ? 1 : 0);
  });
});

describe('eligibility (DOMAIN §1, §5)', () => {
  it('counts, for an organ, the records of organs merged into it', async () => {
    const oldOrgan = uniq('ir-old');
    const newOrgan = uniq('ir-new');
    await suite.stack.prisma.organ.createMany({
      data: [
        { id: oldOrgan, name: 'Old bureau' },
        { id: newOrgan, name: 'New bureau' },
      ],
    });
    const old = await manualRecord(oldOrgan);
    expect(old.body.record.organId).toBe(oldOrgan);
    expect(await eligibilityOf(`organ=${newOrgan}`)).toMatchObject({ eligible: true, counting: [] });

    await suite.stack.prisma.organ.update({
      where: { id: oldOrgan },
      data: { successorId: newOrgan, succeededAt: new Date() },
    });
    const merged = await eligibilityOf(`organ=${newOrgan}`);
    expect(merged.eligible).toBe(false);
    expect(merged.subject.organs.sort()).toEqual([newOrgan, oldOrgan].sort());
    expect(merged.counting.map((r: any) => r.id)).toEqual([old.body.record.id]);
    const later = await manualRecord(oldOrgan);
    expect(later.body.record.organId).toBe(newOrgan); // recorded against the organ that carries on
    const list = await get(`/api/integrity-records?organ=${newOrgan}`, await as('supervisor-lin'));
    expect(list.body.records.map((r: any) => r.id).sort()).toEqual([old.body.record.id, later.body.record.id].sort());

    const longBefore = await eligibilityOf(`organ=${newOrgan}&at=2020-01-01T00:00:00%2B08:00`);
    expect(longBefore).toMatchObject({
      eligible: true,
      window: { from: '2016-12-31T16:00:00.000Z', to: '2019-12-31T16:00:00.000Z', years: 3 },
    });
  });

  it('refuses both or neither subject (400) and an unknown one (404)', async () => {
    const auth = await as('supervisor-lin');
    expectError(await get('/api/eligibility?official=official-zhang&organ=harbin-gov', auth), 400, 'INVALID_INPUT');
    expectError(await get('/api/eligibility', auth), 400, 'INVALID_INPUT');
    expectError(await get('/api/eligibility?official=nobody-here', auth), 404, 'NOT_FOUND');
    expectError(await get('/api/eligibility?organ=harbin-gov&at=yesterday', auth), 400, 'INVALID_INPUT');
  });
});

describe('append-only and access', () => {
  it('refuses UPDATE and DELETE of integrity_record by the runtime role, and the record is unchanged', async () => {
    const id = (await manualRecord('harbin-gov')).body.record.id;
    await expect(
      suite.stack.prisma.$executeRaw`UPDATE integrity_record SET rule = 'rewritten' WHERE id = ${id}`,
    ).rejects.toThrow(/permission denied|append-only/i);
    await expect(suite.stack.prisma.$executeRaw`DELETE FROM integrity_record WHERE id = ${id}`).rejects.toThrow(
      /permission denied|append-only/i,
    );
    await expect(
      suite.stack.prisma.integrityRecord.update({ where: { id }, data: { rule: 'rewritten' } }),
    ).rejects.toThrow();
    expect((await suite.stack.prisma.integrityRecord.findUniqueOrThrow({ where: { id } })).rule).toBe(
      'Payment withheld after the change of mayor',
    );
  });

  it('answers 401 without a token and 403 to the wrong role', async () => {
    const noToken = await Promise.all([
      request(suite.stack.app).get('/api/integrity-records'),
      request(suite.stack.app).get('/api/eligibility?organ=harbin-gov'),
      request(suite.stack.app).post('/api/integrity-records').send({}),
      request(suite.stack.app).post('/api/integrity-records/IR-X/disputes').send({ grounds: 'x' }),
      request(suite.stack.app).post('/api/integrity-disputes/D-X/resolve').send({}),
      request(suite.stack.app).get('/api/credit-feed'),
      request(suite.stack.app).get('/api/credit-feed/sme-overdue-payments?year=2025'),
    ]);
    for (const res of noToken) expectError(res, 401, 'UNAUTHENTICATED');
    const zhang = await as('official-zhang');
    for (const res of [
      await post('/api/integrity-records', zhang, {}),
      await get('/api/credit-feed', zhang),
      await get('/api/credit-feed/sme-overdue-payments?year=2025', zhang),
    ]) {
      expectError(res, 403, 'ROLE_REQUIRED');
      expect(res.body.error.details.requiredRoles).toEqual(['supervisor']);
    }
    expectError(await get('/api/integrity-records', await as('entity-harbin-bus')), 403, 'ROLE_REQUIRED');
  });
});
