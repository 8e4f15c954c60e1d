import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { verifyChain } from '../../lib/audit-chain';
import { useApiStack } from '../support/api-driver';

// Directory power (docs/authority.md; DOMAIN §6): only the directory administrator merges,
// renames and hands over; no organ absorbs the one that supervises it; a market entity is never
// merged with an organ of government; a handover goes to a person of the office's organ, dated
// within the current term and not in the future, never to the administrator; every change and
// every refused attempt is in the audit chain "directory", keyed by the request's claim scope.

const suite = useApiStack();

const n = () => randomUUID().slice(0, 8);
const as = (userId: string) => suite.api.as(userId);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const post = async (path: string, auth: Record<string, string>, body: object, headers: Record<string, string> = {}) =>
  request(suite.stack.app).post(path).set(auth).set(headers).send(body);
const merge = async (auth: Record<string, string>, organ: string, into: string, headers: Record<string, string> = {}) =>
  post(`/api/organs/${organ}/merge`, auth, { into, reason: 'Institutional reform' }, headers);
const handover = async (
  auth: Record<string, string>,
  office: string,
  body: object,
  headers: Record<string, string> = {},
) => post(`/api/offices/${encodeURIComponent(office)}/handover`, auth, { reason: 'Transfer', ...body }, headers);

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
}

const successorOf = async (id: string) =>
  (await suite.stack.prisma.organ.findUnique({ where: { id } }))?.successorId ?? null;
const holders = async (office: string) =>
  (await suite.stack.prisma.officeTerm.findMany({ where: { officeId: office }, orderBy: { startsAt: 'asc' } })).map(
    (t) => t.userId,
  );
const directoryEntries = async (where: Record<string, unknown>) =>
  suite.stack.prisma.auditEntry.findMany({ where: { decisionId: 'directory', ...where }, orderBy: { seq: 'asc' } });

/** A bureau of its own with a drafting office held by one person, and a colleague holding nothing. */
async function bureau() {
  const organ = `bureau-${n()}`;
  const holder = `holder-${n()}`;
  await suite.stack.addStaff({ id: holder, name: 'Holder', organId: organ, roles: ['drafting-official'] });
  const colleague = `colleague-${n()}`;
  await suite.stack.prisma.staffUser.create({ data: { id: colleague, name: 'Colleague', organId: organ } });
  return { organ, holder, colleague, office: `${organ}/drafting-official/${holder}` };
}

describe('merging organs', () => {
  it('refuses the head of harbin-gov absorbing harbin-discipline (403), changes nothing, and audits the attempt', async () => {
    const key = `k-${n()}`;
    expectError(
      await merge(await as('head-gao'), 'harbin-discipline', 'harbin-gov', { 'Idempotency-Key': key }),
      403,
      'ROLE_REQUIRED',
    );
    expect(await successorOf('harbin-discipline')).toBeNull();
    const refused = await directoryEntries({ action: 'organ-merged', actorId: 'head-gao', outcome: 'refused' });
    expect(refused.some((e) => e.code === 'ROLE_REQUIRED' && e.eventId.startsWith('organ-merged:k:'))).toBe(true);
  });

  it('refuses the directory administrator merging a supervising organ into one that does not supervise (MERGE_ABSORBS_SUPERVISOR)', async () => {
    expectError(
      await merge(await as('admin-zhou'), 'harbin-discipline', 'harbin-gov'),
      409,
      'MERGE_ABSORBS_SUPERVISOR',
    );
    expectError(await merge(await as('admin-zhou'), 'harbin-org', 'harbin-gov'), 409, 'MERGE_ABSORBS_SUPERVISOR');
    expect(await successorOf('harbin-discipline')).toBeNull();
    expect(await successorOf('harbin-org')).toBeNull();
  });

  it('never merges a market entity with an organ of government (MERGE_KIND_MISMATCH)', async () => {
    expectError(await merge(await as('admin-zhou'), 'harbin-bus', 'harbin-gov'), 409, 'MERGE_KIND_MISMATCH');
    const b = await bureau();
    expectError(await merge(await as('admin-zhou'), b.organ, 'harbin-bus'), 409, 'MERGE_KIND_MISMATCH');
    expect(await successorOf('harbin-bus')).toBeNull();
    expect(await successorOf(b.organ)).toBeNull();
  });

  it('merges two plain bureaux, audited; refuses merging twice or in a cycle', async () => {
    const [a, b] = [await bureau(), await bureau()];
    const merged = await merge(await as('admin-zhou'), a.organ, b.organ);
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ organId: a.organ, successorId: b.organ });
    expect(await successorOf(a.organ)).toBe(b.organ);
    const entries = await directoryEntries({ action: 'organ-merged', outcome: 'accepted', actorId: 'admin-zhou' });
    expect(entries.find((e) => (e.body as any).organId === a.organ)).toMatchObject({
      actorOfficeId: 'harbin-org/directory',
      body: expect.objectContaining({ into: b.organ }),
    });
    expectError(await merge(await as('admin-zhou'), a.organ, b.organ), 409, 'ALREADY_MERGED');
    expectError(await merge(await as('admin-zhou'), b.organ, a.organ), 409, 'MERGE_CYCLE');
    expect((await verifyChain(suite.stack.prisma, 'directory')).valid).toBe(true);
  });

  it('renames only by the directory administrator', async () => {
    const b = await bureau();
    expectError(
      await post(`/api/organs/${b.organ}/rename`, await as('head-gao'), { name: 'Mine', reason: 'x' }),
      403,
      'ROLE_REQUIRED',
    );
    const renamed = await post(`/api/organs/${b.organ}/rename`, await as('admin-zhou'), {
      name: 'Transport Bureau',
      reason: 'Reform',
    });
    expect(renamed.status).toBe(200);
    expect((await suite.stack.prisma.organ.findUnique({ where: { id: b.organ } }))?.name).toBe('Transport Bureau');
  });
});

describe('handing offices over', () => {
  it('refuses a head taking a market entity’s representative office, and the administrator giving it to a government official', async () => {
    const office = 'harbin-bus/representative';
    const before = await holders(office);
    expectError(await handover(await as('head-gao'), office, { toUserId: 'head-gao' }), 403, 'ROLE_REQUIRED');
    expectError(
      await handover(await as('admin-zhou'), office, { toUserId: 'head-gao' }),
      409,
      'HANDOVER_OUTSIDE_ORGAN',
    );
    expect(await holders(office)).toEqual(before);
  });

  it('refuses a handover to a person of another organ, to oneself, dated before the current term or in the future', async () => {
    const b = await bureau();
    const admin = await as('admin-zhou');
    expectError(await handover(admin, b.office, { toUserId: 'official-zhang' }), 409, 'HANDOVER_OUTSIDE_ORGAN');
    expectError(await handover(admin, b.office, { toUserId: 'admin-zhou' }), 403, 'SELF_HANDOVER');
    expectError(
      await handover(admin, b.office, { toUserId: b.colleague, at: new Date(Date.now() + 3_600_000).toISOString() }),
      409,
      'HANDOVER_IN_FUTURE',
    );
    expect(await holders(b.office)).toEqual([b.holder]);

    const done = await handover(admin, b.office, {
      toUserId: b.colleague,
      at: new Date(Date.now() + 5_000).toISOString(),
    }); // within the clock skew: now
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ officeId: b.office, from: { userId: b.holder }, to: { userId: b.colleague } });
    expect(new Date(done.body.at).getTime()).toBeLessThanOrEqual(Date.now());
    expectError(
      await handover(admin, b.office, { toUserId: b.holder, at: new Date(Date.now() - 3_600_000).toISOString() }),
      409,
      'HANDOVER_BEFORE_CURRENT_TERM',
    );
    expect(await holders(b.office)).toEqual([b.holder, b.colleague]);
    const refused = (await directoryEntries({ action: 'office-handover', outcome: 'refused' })).filter(
      (e) => JSON.stringify(e.body).includes(b.office) || e.code === 'SELF_HANDOVER',
    );
    expect(refused.map((e) => e.code)).toEqual(
      expect.arrayContaining([
        'HANDOVER_OUTSIDE_ORGAN',
        'HANDOVER_IN_FUTURE',
        'HANDOVER_BEFORE_CURRENT_TERM',
        'SELF_HANDOVER',
      ]),
    );
  });

  it('answers a retry once, refuses the same key with another body (422) without changing anything, and keeps two people’s keys apart', async () => {
    const b = await bureau();
    const admin = await as('admin-zhou');
    const key = { 'Idempotency-Key': `handover-${n()}` };
    const first = await handover(admin, b.office, { toUserId: b.colleague }, key);
    expect(first.status).toBe(200);
    const retry = await handover(admin, b.office, { toUserId: b.colleague }, key);
    expect(retry.body).toEqual(first.body);
    expectError(await handover(admin, b.office, { toUserId: b.holder }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await holders(b.office)).toEqual([b.holder, b.colleague]);
    const entries = (await directoryEntries({ action: 'office-handover' })).filter(
      (e) => (e.body as any).officeId === b.office || e.code === 'IDEMPOTENCY_KEY_REUSED',
    );
    expect(entries.filter((e) => e.outcome === 'accepted' && (e.body as any).officeId === b.office)).toHaveLength(1);
    expect(
      entries.filter((e) => e.code === 'IDEMPOTENCY_KEY_REUSED' && e.actorId === 'admin-zhou').length,
    ).toBeGreaterThanOrEqual(1);

    // Another administrator's identical key is another request.
    const other = `admin-${n()}`;
    const otherToken = await suite.stack.addStaff({
      id: other,
      name: 'Second administrator',
      organId: 'harbin-org',
      roles: ['directory-administrator'],
    });
    const theirs = await handover(bearer(otherToken), b.office, { toUserId: b.holder }, key);
    expect(theirs.status).toBe(200);
    expect(await holders(b.office)).toEqual([b.holder, b.colleague, b.holder]);
    expect((await verifyChain(suite.stack.prisma, 'directory')).valid).toBe(true);
  });
});
