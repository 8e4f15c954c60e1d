import request from 'supertest';
import { register } from '../../lib/hearing';
import { useApiStack } from '../support/api-driver';
import { givePasswords, signedIn, unique } from '../support/portal';

// docs/authority.md on the decision endpoints and the staff pages (issue 9): who reads a decision
// (supervisor | member@organ | assigned), who is attributed a breach (an accountable actor only),
// and idempotency keys that cannot be borrowed. Against the real stack.

jest.setTimeout(60_000);
const suite = useApiStack();
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const auditOf = async (id: string): Promise<any[]> =>
  (
    await request(suite.stack.app)
      .get(`/api/decisions/${id}/audit`)
      .set(await suite.api.as('supervisor-lin'))
  ).body.entries;

/** A decision kept from the public (non-disclosable), so it goes straight to legality review. */
async function confidential(
  prefix: string,
  userId = 'official-zhang',
  flags: Record<string, boolean> = {},
  headers: Record<string, string> = {},
) {
  const res = await suite.api.create(
    { id: unique(prefix), flags: { nonDisclosable: true, ...flags }, nonDisclosableReason: 'Not yet to be disclosed' },
    userId,
    headers,
  );
  expect(res.status).toBe(201);
  return res.body.result.id as string;
}

/** An organ of its own for the test (eligibility counts by organ), with a drafting official. */
async function freshOrgan(prefix: string) {
  const organId = unique(prefix);
  const userId = `${organId}-official`;
  const token = await suite.stack.addStaff({
    id: userId,
    name: 'Fresh Official',
    organId,
    roles: ['drafting-official'],
  });
  return { organId, userId, token };
}

async function createAs(token: string, id: string, flags: Record<string, boolean> = {}) {
  const res = await request(suite.stack.app)
    .post('/api/decisions')
    .set(bearer(token))
    .send({
      id,
      title: 'Depot relocation',
      summary: 'Moves the bus depot',
      templateId: 'test-fast',
      flags: { nonDisclosable: true, ...flags },
      nonDisclosableReason: 'Not yet',
      draft: { text: 'Article 1.', explanation: 'Why.' },
    });
  expect(res.status).toBe(201);
  await suite.stack.recorded(id);
  return id;
}

describe('who reads a decision (decision.read)', () => {
  it('refuses a market entity every staff page and read endpoint of a decision with 403', async () => {
    const id = await confidential('auth-entity', 'official-zhang', { hearingRequired: true });
    await register(suite.stack.prisma, {
      decisionId: id,
      name: 'Hu Gang',
      contact: 'hu.gang@example.org',
      represents: 'bus operators',
      statement: 'A private statement',
      clientKey: unique('reg'),
    });
    await givePasswords(suite.stack, ['entity-harbin-bus']);
    const agent = await signedIn(suite.stack.app, 'entity-harbin-bus');
    for (const path of ['', '/revise', '/actions/schedule-hearing', '/actions/predisclose', '/opinions']) {
      const page = await agent.get(`/staff/decisions/${id}${path}`);
      expect({ path, status: page.status }).toEqual({ path, status: 403 });
      expect(page.text).not.toContain('Not yet to be disclosed');
      expect(page.text).not.toContain('hu.gang@example.org');
      expect(page.text).not.toContain('Article 1. Fares');
    }
    expect((await agent.get('/staff')).status).toBe(403);
    expect((await agent.get('/staff/dashboard')).status).toBe(403);
    const hash = (await suite.api.get(id)).body.decision.draft.hash;
    const as = await suite.api.as('entity-harbin-bus');
    for (const path of ['', `/drafts/${hash}`, '/opinions', '/audit', '/audit/verify']) {
      const res = await request(suite.stack.app).get(`/api/decisions/${id}${path}`).set(as);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    expect((await request(suite.stack.app).get('/api/decisions').set(as)).status).toBe(403);
  });

  it('refuses an official of another organ the decision, and leaves it out of their list', async () => {
    const id = await confidential('auth-other-organ');
    const other = await freshOrgan('auth-other');
    const detail = await request(suite.stack.app).get(`/api/decisions/${id}`).set(bearer(other.token));
    expect(detail.status).toBe(403);
    const theirs = await request(suite.stack.app).get('/api/decisions?limit=200').set(bearer(other.token));
    expect(theirs.status).toBe(200);
    expect(theirs.body.decisions.map((d: any) => d.id)).not.toContain(id);
    const own = await createAs(other.token, unique('auth-own'));
    expect(
      (await request(suite.stack.app).get('/api/decisions?limit=200').set(bearer(other.token))).body.decisions.map(
        (d: any) => d.id,
      ),
    ).toEqual([own]);
    const mine = await request(suite.stack.app)
      .get('/api/decisions?limit=200')
      .set(await suite.api.as('official-zhang'));
    expect(mine.body.decisions.map((d: any) => d.id)).toContain(id);
    expect(mine.body.decisions.map((d: any) => d.id)).not.toContain(own);
    await givePasswords(suite.stack, [other.userId]);
    const agent = await signedIn(suite.stack.app, other.userId);
    expect((await agent.get(`/staff/decisions/${id}`)).status).toBe(403);
    expect((await agent.get('/staff/dashboard')).text).not.toContain(id);
  });

  it('lets an expert of the expert pool read the decision once assigned to it, not before', async () => {
    const id = await confidential('auth-expert', 'official-zhang', { specialised: true });
    expect((await suite.api.get(id, 'expert-li')).status).toBe(403);
    const assigned = await suite.api.act(id, 'official-zhang', 'assign', {
      stage: 'expert-demonstration',
      assignees: [{ userId: 'expert-li', dissentingView: true }, { userId: 'expert-zhao' }],
    });
    expect(assigned.status).toBe(200);
    expect((await suite.api.get(id, 'expert-li')).status).toBe(200);
    const list = await request(suite.stack.app)
      .get('/api/decisions?limit=200')
      .set(await suite.api.as('expert-li'));
    expect(list.body.decisions.map((d: any) => d.id)).toContain(id);
    expect((await suite.api.get(id, 'expert-sun')).status).toBe(403);
  });

  it('shows the hearing registrants (names, contacts, statements) only to the drafting official who schedules it', async () => {
    const id = await confidential('auth-hearing', 'official-zhang', { hearingRequired: true });
    await register(suite.stack.prisma, {
      decisionId: id,
      name: 'Hu Gang',
      contact: 'hu.gang@example.org',
      represents: 'bus operators',
      statement: 'A private statement',
      clientKey: unique('reg'),
    });
    await givePasswords(suite.stack, ['official-zhang', 'head-gao']);
    const official = await signedIn(suite.stack.app, 'official-zhang');
    const form = await official.get(`/staff/decisions/${id}/actions/schedule-hearing`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('hu.gang@example.org');
    const head = await signedIn(suite.stack.app, 'head-gao');
    const headForm = await head.get(`/staff/decisions/${id}/actions/schedule-hearing`);
    expect(headForm.status).toBe(200);
    expect(headForm.text).not.toContain('hu.gang@example.org');
    expect(headForm.text).not.toContain('A private statement');
  });
});

describe('breaches are attributed only to accountable acts', () => {
  it('refuses an unassigned reviewer of another organ an out-of-order review, audits it, and records no breach', async () => {
    const organ = await freshOrgan('auth-breach-out');
    const id = await createAs(organ.token, unique('auth-outsider'));
    for (let i = 0; i < 3; i++) {
      const res = await suite.api.act(
        id,
        'reviewer-wang',
        'file-legality-review',
        suite.api.body('file-legality-review', 1),
      );
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'NOT_ASSIGNED' });
    }
    const refused = (await auditOf(id)).filter((e) => e.outcome === 'refused' && e.actorId === 'reviewer-wang');
    expect(refused).toHaveLength(3);
    expect(await suite.stack.prisma.integrityRecord.count({ where: { decisionId: id } })).toBe(0);
    const eligibility = await request(suite.stack.app)
      .get(`/api/eligibility?organ=${organ.organId}`)
      .set(await suite.api.as('supervisor-lin'));
    expect(eligibility.status).toBe(200);
    expect(eligibility.body.eligible).toBe(true);
  });

  it('still records the breach of an accountable official attempting a stage out of order', async () => {
    const organ = await freshOrgan('auth-breach-in');
    const id = await createAs(organ.token, unique('auth-insider'));
    const res = await request(suite.stack.app)
      .post(`/api/decisions/${id}/actions/submit-for-discussion`)
      .set(bearer(organ.token))
      .send(suite.api.body('submit-for-discussion', 1));
    expect(res.status).toBe(409);
    expect(await suite.stack.prisma.integrityRecord.count({ where: { decisionId: id } })).toBe(1);
    const eligibility = await request(suite.stack.app)
      .get(`/api/eligibility?organ=${organ.organId}`)
      .set(await suite.api.as('supervisor-lin'));
    expect(eligibility.body.eligible).toBe(false);
  });
});

describe('idempotency keys cannot be borrowed', () => {
  it('audits two people’s refused attempts under the same key as two entries', async () => {
    const id = await confidential('auth-shared-key');
    const key = unique('shared');
    const mine = await suite.api.act(id, 'official-zhang', 'publish', suite.api.body('publish', 1), {
      'Idempotency-Key': key,
    });
    const theirs = await suite.api.act(id, 'head-gao', 'publish', suite.api.body('publish', 1), {
      'Idempotency-Key': key,
    });
    expect([mine.status, theirs.status]).toEqual([409, 403]);
    const again = await suite.api.act(id, 'head-gao', 'publish', suite.api.body('publish', 1), {
      'Idempotency-Key': key,
    });
    expect(again.status).toBe(403);
    const refused = (await auditOf(id)).filter((e) => e.outcome === 'refused' && e.action === 'publish');
    expect(refused.map((e) => e.actorId)).toEqual(['official-zhang', 'head-gao']);
  });

  it('refuses a stage action resent with the same key and another body with 422, changing nothing; the same body answers the first result', async () => {
    const id = (await suite.api.create({ id: unique('auth-key-body') })).body.result.id;
    const key = unique('body');
    const first = await suite.api.act(
      id,
      'official-zhang',
      'predisclose',
      suite.api.body('predisclose', 1, { commentWindow: { days: 30 } }),
      { 'Idempotency-Key': key },
    );
    expect(first.status).toBe(200);
    const before = (await suite.api.get(id)).body.decision;
    const other = await suite.api.act(
      id,
      'official-zhang',
      'predisclose',
      suite.api.body('predisclose', 1, { commentWindow: { days: 45 } }),
      { 'Idempotency-Key': key },
    );
    expect({ status: other.status, code: other.body.error?.code }).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const after = (await suite.api.get(id)).body.decision;
    expect(after.revision).toBe(before.revision);
    expect(after.windows).toEqual(before.windows);
    const same = await suite.api.act(
      id,
      'official-zhang',
      'predisclose',
      suite.api.body('predisclose', 1, { commentWindow: { days: 30 } }),
      { 'Idempotency-Key': key },
    );
    expect(same.status).toBe(200);
    expect(same.body.result).toEqual(first.body.result);
  });
});
