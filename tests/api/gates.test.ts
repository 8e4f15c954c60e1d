import request from 'supertest';
import { useApiStack } from '../support/api-driver';

// The gates of the procedure, seen from the HTTP API: an out-of-order, unauthorised or stale
// action is refused with its stable code and the article it enforces (403/409), leaves the
// decision unchanged, and is written to the tamper-evident audit chain as a refused attempt
// (DOMAIN §3 inv. 1, 3, 6).

const suite = useApiStack();

let counter = 0;
const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** A decision with no public participation: the procedure starts at legality review. */
async function createAtLegalityReview(
  prefix: string,
  flags: Record<string, boolean> = {},
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await suite.api.create({
    id: newId(prefix),
    flags: { nonDisclosable: true, ...flags },
    nonDisclosableReason: 'Internal security arrangements of the transport network',
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body.result.id;
}

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
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ decisionId: id, valid: true, firstBroken: null });
}

function expectRefusal(res: request.Response, status: number, code: string, legalBasis?: RegExp): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe('string');
  if (legalBasis) expect(res.body.error.legalBasis).toMatch(legalBasis);
}

/** The refused attempt is in the audit chain, with its code and legal basis, and the chain verifies. */
async function expectRecordedRefusal(id: string, res: request.Response, action: string, actorId: string): Promise<any> {
  const entries = await auditOf(id);
  const refused = entries.filter(
    (e) => e.outcome === 'refused' && e.action === action && e.code === res.body.error.code && e.actorId === actorId,
  );
  expect(refused).toHaveLength(1);
  expect(refused[0].legalBasis).toBe(res.body.error.legalBasis ?? null);
  expect(refused[0].legalBasis).toEqual(expect.any(String));
  await expectChainValid(id);
  return refused[0];
}

async function revisionOf(id: string): Promise<number> {
  return (await suite.api.get(id)).body.decision.revision;
}

async function passLegalityReview(id: string, draftVersion = 1): Promise<void> {
  const submitted = await suite.api.act(
    id,
    'official-zhang',
    'submit-for-legality-review',
    suite.api.body('submit-for-legality-review', draftVersion),
  );
  expect(submitted.status).toBe(200);
  await suite.api.waitFor(id, (d) =>
    d.deadlines.some(
      (x: any) =>
        x.id === `legality-minimum:${d.stages.find((s: any) => s.key === 'legality-review').round}` && x.firedAt,
    ),
  );
  const filed = await suite.api.act(
    id,
    'reviewer-wang',
    'file-legality-review',
    suite.api.body('file-legality-review', draftVersion),
  );
  expect(filed.status).toBe(200);
}

describe('stage order (DOMAIN §3 inv. 1–2)', () => {
  it('refuses submit-for-discussion before legality review with LEGALITY_REVIEW_REQUIRED citing Decree 713 Art 25, and records the attempt', async () => {
    const id = await createAtLegalityReview('gate-discussion');
    const before = await revisionOf(id);

    const res = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-discussion',
      suite.api.body('submit-for-discussion', 1),
    );
    expectRefusal(res, 409, 'LEGALITY_REVIEW_REQUIRED', /Decree 713 Art 25/);
    expect(res.body.error.details).toMatchObject({ stage: 'collective-discussion', currentStage: 'legality-review' });

    expect(await revisionOf(id)).toBe(before);
    const entry = await expectRecordedRefusal(id, res, 'submit-for-discussion', 'official-zhang');
    expect(entry).toMatchObject({ draftVersion: 1, actorName: 'Zhang Wei', actorRole: 'drafting-official' });
    expect(entry.draftHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses the same out-of-order step while public participation is still running', async () => {
    const created = await suite.api.create({ id: newId('gate-early') });
    const id = created.body.result.id;
    const res = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-discussion',
      suite.api.body('submit-for-discussion', 1),
    );
    expectRefusal(res, 409, 'LEGALITY_REVIEW_REQUIRED', /Art 25/);
    const review = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    expectRefusal(review, 409, 'STAGE_NOT_REACHED', /DOMAIN §3 inv\. 1/);
    await expectRecordedRefusal(id, res, 'submit-for-discussion', 'official-zhang');
    await expectRecordedRefusal(id, review, 'submit-for-legality-review', 'official-zhang');
  });

  it('refuses publication before legality review and before adoption, and records both attempts', async () => {
    const id = await createAtLegalityReview('gate-publish');
    const tooEarly = await suite.api.act(id, 'official-zhang', 'publish', suite.api.body('publish', 1));
    expectRefusal(tooEarly, 409, 'LEGALITY_REVIEW_REQUIRED', /Art 25/);

    await passLegalityReview(id);
    expect((await suite.api.get(id)).body.decision.currentStage).toBe('collective-discussion');

    const beforeAdoption = await suite.api.act(id, 'official-zhang', 'publish', suite.api.body('publish', 1));
    expectRefusal(beforeAdoption, 409, 'STAGE_NOT_REACHED', /DOMAIN §3 inv\. 1; Decree 713 Arts 29–31/);
    expect(beforeAdoption.body.error.details).toMatchObject({
      stage: 'publicity-and-hearing',
      currentStage: 'collective-discussion',
    });
    const announce = await suite.api.act(id, 'official-zhang', 'announce', suite.api.body('announce', 1));
    expectRefusal(announce, 409, 'STAGE_NOT_REACHED');
    const decide = await suite.api.act(id, 'head-gao', 'decide', suite.api.body('decide', 1));
    expectRefusal(decide, 409, 'MINUTES_REQUIRED', /Art 30/);

    await expectRecordedRefusal(id, tooEarly, 'publish', 'official-zhang');
    await expectRecordedRefusal(id, beforeAdoption, 'publish', 'official-zhang');
    await expectRecordedRefusal(id, decide, 'decide', 'head-gao');
    expect((await suite.api.get(id)).body.decision.status).toBe('in-procedure');
  });

  it('refuses a legality conclusion before the minimum review period with LEGALITY_REVIEW_TOO_SHORT citing Art 27, and accepts it once the period has elapsed', async () => {
    // The demo template's minimum review is 10 s: time for the early attempt on a busy machine
    // (test-fast's 1 s is not).
    const id = await createAtLegalityReview('gate-review-short', {}, { templateId: 'demo' });
    const beforeSubmission = Date.now();
    const submitted = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    expect(submitted.status).toBe(200);

    const early = await suite.api.act(
      id,
      'reviewer-wang',
      'file-legality-review',
      suite.api.body('file-legality-review', 1),
    );
    expectRefusal(early, 409, 'LEGALITY_REVIEW_TOO_SHORT', /Decree 713 Art 27/);
    expect(Date.parse(early.body.error.details.earliestConclusionAt)).toBeGreaterThanOrEqual(beforeSubmission + 10_000);
    await expectRecordedRefusal(id, early, 'file-legality-review', 'reviewer-wang');

    await suite.api.waitFor(id, (d) => d.deadlines.some((x: any) => x.kind === 'legality-minimum' && x.firedAt));
    const later = await suite.api.act(
      id,
      'reviewer-wang',
      'file-legality-review',
      suite.api.body('file-legality-review', 1),
    );
    expect(later.status).toBe(200);
    expect(later.body.decision.stages.find((s: any) => s.key === 'legality-review').status).toBe('passed');
    await expectChainValid(id);
  });
});

describe('who may act (DOMAIN §6)', () => {
  it('refuses an action by the wrong role with 403 ROLE_REQUIRED naming the required role, and records it', async () => {
    const id = await createAtLegalityReview('gate-role');
    const byExpert = await suite.api.act(
      id,
      'expert-li',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    expectRefusal(byExpert, 403, 'ROLE_REQUIRED', /DOMAIN §6/);
    // The application's authority check answers before the gates (docs/authority.md): its details name the operation.
    expect(byExpert.body.error.details).toEqual({
      operation: 'decision.act:submit-for-legality-review',
      missing: 'drafting-official@organ',
      requiredRoles: ['drafting-official'],
    });

    await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    const byHead = await suite.api.act(
      id,
      'head-gao',
      'file-legality-review',
      suite.api.body('file-legality-review', 1),
    );
    expectRefusal(byHead, 403, 'ROLE_REQUIRED');
    expect(byHead.body.error.details.requiredRoles).toEqual(['legality-reviewer']);

    await expectRecordedRefusal(id, byExpert, 'submit-for-legality-review', 'expert-li');
    await expectRecordedRefusal(id, byHead, 'file-legality-review', 'head-gao');
  });

  it('refuses to start a decision for anyone but a drafting official (403 ROLE_REQUIRED)', async () => {
    const res = await suite.api.create({ id: newId('gate-create-role') }, 'head-gao');
    expectRefusal(res, 403, 'ROLE_REQUIRED');
    expect(res.body.error.details.requiredRoles).toEqual(['drafting-official']);
  });

  it('refuses an expert who is not assigned with 403 NOT_ASSIGNED, and records it', async () => {
    const id = await createAtLegalityReview('gate-assigned', { specialised: true });
    expect((await suite.api.get(id)).body.decision.currentStage).toBe('expert-demonstration');
    const assigned = await suite.api.act(id, 'official-zhang', 'assign', {
      stage: 'expert-demonstration',
      assignees: [{ userId: 'expert-li', dissentingView: true }, { userId: 'expert-zhao' }],
    });
    expect(assigned.status).toBe(200);

    const signed = { signature: { signedBy: 'Sun Hao', signedAt: new Date().toISOString(), method: 'seal' } };
    const res = await suite.api.act(
      id,
      'expert-sun',
      'file-expert-opinion',
      suite.api.body('file-expert-opinion', 1, signed),
    );
    expectRefusal(res, 403, 'NOT_ASSIGNED', /Decree 713 Arts 19, 22, 25/);
    expect(res.body.error.details).toEqual({
      operation: 'decision.act:file-expert-opinion',
      missing: 'assigned@stage',
    });
    await expectRecordedRefusal(id, res, 'file-expert-opinion', 'expert-sun');
    expect(
      (await suite.api.get(id)).body.decision.records.filter((r: any) => r.kind === 'expert-opinion'),
    ).toHaveLength(0);
  });

  it('refuses an official of another organ with 403 WRONG_ORGAN, and records it under that official', async () => {
    const id = await createAtLegalityReview('gate-organ');
    const outsider = await suite.stack.addStaff({
      id: 'official-outsider',
      name: 'Qiu Lan',
      roles: ['drafting-official', 'head'],
      organId: 'harbin-education',
    });
    const asOutsider = (action: string, body: unknown) =>
      request(suite.stack.app)
        .post(`/api/decisions/${id}/actions/${action}`)
        .set('Authorization', `Bearer ${outsider}`)
        .send(body as object);

    const res = await asOutsider('submit-for-legality-review', suite.api.body('submit-for-legality-review', 1));
    expectRefusal(res, 403, 'WRONG_ORGAN', /Decree 713 Art 30/);
    expect(res.body.error.details).toEqual({
      operation: 'decision.act:submit-for-legality-review',
      missing: 'drafting-official@organ',
      requiredRoles: ['drafting-official'],
    });
    const withdraw = await asOutsider('withdraw', suite.api.body('withdraw', 1));
    expectRefusal(withdraw, 403, 'WRONG_ORGAN');

    const entry = await expectRecordedRefusal(id, res, 'submit-for-legality-review', 'official-outsider');
    expect(entry.actorName).toBe('Qiu Lan');
    await expectRecordedRefusal(id, withdraw, 'withdraw', 'official-outsider');
    expect((await suite.api.get(id)).body.decision.status).toBe('in-procedure');
  });
});

describe('approvals bind to a draft version (DOMAIN §3 inv. 3)', () => {
  it('refuses an action on a stale draft version after a revision upload with 409 STALE_DRAFT_VERSION, and records it', async () => {
    const id = await createAtLegalityReview('gate-stale');
    const revised = await request(suite.stack.app)
      .post(`/api/decisions/${id}/drafts`)
      .set(await suite.api.as('official-zhang'))
      .send({
        text: 'Article 1. Fares are set by distance, capped at 4 yuan.\n\nArticle 2. Students pay half.',
        explanation: 'Why.',
        changeNote: 'Cap added.',
      });
    expect(revised.status).toBe(201);
    expect(revised.body.result.draft.version).toBe(2);

    const stale = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    expectRefusal(stale, 409, 'STALE_DRAFT_VERSION', /DOMAIN §3 inv\. 3/);
    expect(stale.body.error.details).toMatchObject({
      given: 1,
      current: 2,
      currentHash: revised.body.result.draft.hash,
    });
    const entry = await expectRecordedRefusal(id, stale, 'submit-for-legality-review', 'official-zhang');
    expect(entry).toMatchObject({ draftVersion: 2, draftHash: revised.body.result.draft.hash });

    const current = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 2),
    );
    expect(current.status).toBe(200);
  });

  it('refuses a legality conclusion on the old version once a revision re-opened the review', async () => {
    const id = await createAtLegalityReview('gate-stale-review');
    await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    const revised = await request(suite.stack.app)
      .post(`/api/decisions/${id}/drafts`)
      .set(await suite.api.as('official-zhang'))
      .send({
        text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students and pensioners pay half.',
        explanation: 'Why.',
        changeNote: 'Pensioners added.',
      });
    expect(revised.status).toBe(201);
    expect(revised.body.decision.stages.find((s: any) => s.key === 'legality-review').round).toBe(2);
    // The revision withdrew the reviewer's assignment on v1: the old version cannot be approved.
    const res = await suite.api.act(
      id,
      'reviewer-wang',
      'file-legality-review',
      suite.api.body('file-legality-review', 1),
    );
    expectRefusal(res, 403, 'NOT_ASSIGNED');
    await expectRecordedRefusal(id, res, 'file-legality-review', 'reviewer-wang');
    expect((await suite.api.get(id)).body.decision.stages.find((s: any) => s.key === 'legality-review').status).toBe(
      'active',
    );
  });

  it('refuses a revision that changes nothing (DRAFT_UNCHANGED) and one under open public comment (PUBLIC_WINDOW_OPEN), and records both', async () => {
    const created = await suite.api.create({ id: newId('gate-revise') });
    const id = created.body.result.id;
    const same = await request(suite.stack.app)
      .post(`/api/decisions/${id}/drafts`)
      .set(await suite.api.as('official-zhang'))
      .send({
        text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay half.',
        explanation: 'Why.',
        changeNote: 'Nothing.',
      });
    expectRefusal(same, 409, 'DRAFT_UNCHANGED');

    const pre = await suite.api.act(
      id,
      'official-zhang',
      'predisclose',
      suite.api.body('predisclose', 1, { commentWindow: { days: 30 } }),
    );
    expect(pre.status).toBe(200);
    const underComment = await request(suite.stack.app)
      .post(`/api/decisions/${id}/drafts`)
      .set(await suite.api.as('official-zhang'))
      .send({ text: 'Article 1. Fares are flat.', explanation: 'Why.', changeNote: 'Changed under comment.' });
    expectRefusal(underComment, 409, 'PUBLIC_WINDOW_OPEN', /Art 15/);

    const entries = await auditOf(id);
    expect(
      entries
        .filter((e) => e.outcome === 'refused' && e.action === 'revise-draft')
        .map((e) => e.code)
        .sort(),
    ).toEqual(['DRAFT_UNCHANGED', 'PUBLIC_WINDOW_OPEN']);
    await expectChainValid(id);
    expect((await suite.api.get(id)).body.decision.draft.version).toBe(1);
  });
});

describe('the audit chain of refusals (DOMAIN §3 inv. 6)', () => {
  it('keeps every refused attempt in order between accepted events, and the chain still verifies', async () => {
    const id = await createAtLegalityReview('gate-chain');
    const attempts = [
      await suite.api.act(id, 'official-zhang', 'publish', suite.api.body('publish', 1)),
      await suite.api.act(id, 'expert-li', 'withdraw', suite.api.body('withdraw', 1)),
      await suite.api.act(id, 'reviewer-wang', 'file-legality-review', suite.api.body('file-legality-review', 1)),
    ];
    expect(attempts.map((r) => r.body.error.code)).toEqual([
      'LEGALITY_REVIEW_REQUIRED',
      'ROLE_REQUIRED',
      'NOT_ASSIGNED',
    ]);
    const accepted = await suite.api.act(
      id,
      'official-zhang',
      'submit-for-legality-review',
      suite.api.body('submit-for-legality-review', 1),
    );
    expect(accepted.status).toBe(200);

    const entries = await auditOf(id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_e, i) => i + 1));
    expect(entries.map((e) => [e.outcome, e.code ?? e.action])).toEqual([
      ['accepted', 'decision-started'],
      ['refused', 'LEGALITY_REVIEW_REQUIRED'],
      ['refused', 'ROLE_REQUIRED'],
      ['refused', 'NOT_ASSIGNED'],
      ['accepted', 'submit-for-legality-review'],
      ...entries.slice(5).map((e) => [e.outcome, e.code ?? e.action]),
    ]);
    for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    await expectChainValid(id);
  });

  // Regression (found by this suite, fixed): the role guard of the router refuses these attempts before they reach the
  // service, so unlike the same ROLE_REQUIRED refusal given by the workflow's gates they never
  // reach the audit chain. DOMAIN §3 inv. 6: "Every action, accepted or rejected, is recorded with
  // actor, role, time, draft hash and the legal basis cited". A head uploading a revision
  // (POST /drafts) or a market entity sending an action is an identified actor's rejected action
  // on an existing decision, answered with 403 ROLE_REQUIRED and a legal basis, but not recorded.
  it('records a role refusal given by the route guard (revision upload by a non-official, action by a market entity) in the audit chain', async () => {
    const id = await createAtLegalityReview('gate-guard');
    const byHead = await request(suite.stack.app)
      .post(`/api/decisions/${id}/drafts`)
      .set(await suite.api.as('head-gao'))
      .send({ text: 'Article 1. Fares are flat.', explanation: 'Why.', changeNote: 'The head rewrites it.' });
    expectRefusal(byHead, 403, 'ROLE_REQUIRED', /DOMAIN §6/);
    const byEntity = await suite.api.act(id, 'entity-harbin-bus', 'withdraw', suite.api.body('withdraw', 1));
    expectRefusal(byEntity, 403, 'ROLE_REQUIRED', /DOMAIN §6/);

    const refused = (await auditOf(id)).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => [e.action, e.actorId, e.code])).toEqual([
      ['revise-draft', 'head-gao', 'ROLE_REQUIRED'],
      ['withdraw', 'entity-harbin-bus', 'ROLE_REQUIRED'],
    ]);
  });

  // Regression (found by this suite, fixed): refusals of PUT /api/decisions/{id}/opinions/{receipt}/disposition are thrown
  // as plain ApiErrors by api/decisions/service.ts disposeOpinion (WRONG_ORGAN, WINDOW_STILL_OPEN,
  // STAGE_ALREADY_PASSED) and never reach recordRefusal, although an accepted disposition is
  // appended to the chain as "dispose-opinion". DOMAIN §3 inv. 6 wants the rejected attempt too.
  it('records refused opinion dispositions (window still open, another organ) in the audit chain', async () => {
    const created = await suite.api.create({ id: newId('gate-dispose') });
    const id = created.body.result.id;
    expect(
      (
        await suite.api.act(
          id,
          'official-zhang',
          'predisclose',
          suite.api.body('predisclose', 1, { commentWindow: { days: 30 } }),
        )
      ).status,
    ).toBe(200);
    const op = await request(suite.stack.app)
      .post(`/api/decisions/${id}/opinions`)
      .send({ text: 'Keep the student concession.' });
    expect(op.status).toBe(201);
    const dispose = (auth: Record<string, string>) =>
      request(suite.stack.app)
        .put(`/api/decisions/${id}/opinions/${op.body.receipt}/disposition`)
        .set(auth)
        .send({ disposition: 'adopted' });

    const early = await dispose(await suite.api.as('official-zhang'));
    expectRefusal(early, 409, 'WINDOW_STILL_OPEN', /Art 15/);
    const outsider = await suite.stack.addStaff({
      id: 'official-outsider',
      name: 'Qiu Lan',
      roles: ['drafting-official'],
      organId: 'harbin-education',
    });
    const foreign = await dispose({ Authorization: `Bearer ${outsider}` });
    expectRefusal(foreign, 403, 'WRONG_ORGAN');

    const refused = (await auditOf(id)).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => [e.action, e.actorId, e.code])).toEqual([
      ['dispose-opinion', 'official-zhang', 'WINDOW_STILL_OPEN'],
      ['dispose-opinion', 'official-outsider', 'WRONG_ORGAN'],
    ]);
  });
});
