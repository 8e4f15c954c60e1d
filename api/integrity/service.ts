import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/procedure';
import type { Prisma, PrismaClient } from '../../lib/db';
import { organsActedFor } from '../../lib/directory';
import { correctIntegrity, correctionsOf, recordIntegrity, withdrawnIds } from '../../lib/integrity';
import { ApiError, fieldError, notFound } from '../errors';
import type { Evidence, ManualRecordBody, ResolveDisputeBody } from './schemas';

// Integrity records, disputes and corrections (DOMAIN §5; Decree 802 Art 26). Records are never
// changed: a correction is a new record naming the one it corrects. Disputes are mutable rows, but
// a resolution is written once: the first resolver takes the row, any later one gets 409.

type Row = Prisma.IntegrityRecordGetPayload<object>;
type DisputeRow = Prisma.IntegrityDisputeGetPayload<object>;

export const DOMAIN_5 = 'DOMAIN §5 (records can be disputed and corrected, never deleted)';

export function disputeView(d: DisputeRow) {
  const resolution = d.resolution as 'upheld' | 'rejected' | null;
  const reason = d.resolutionReason;
  return {
    id: d.id,
    recordId: d.recordId,
    filedBy: d.filedBy,
    grounds: d.grounds,
    filedAt: d.filedAt.toISOString(),
    status: resolution ?? 'pending',
    resolution,
    reason,
    resolvedBy: d.resolvedBy,
    resolvedAt: d.resolvedAt?.toISOString() ?? null,
    correctionId: d.correctionId,
  };
}

export function recordSummary(r: Row, organNames?: Map<string, string>) {
  return {
    id: r.id,
    kind: r.kind,
    organId: r.organId,
    organName: organNames?.get(r.organId) ?? null,
    officeId: r.officeId,
    holderUserId: r.holderUserId,
    holderName: r.holderName,
    rule: r.rule,
    legalBasis: r.legalBasis,
    evidence: r.evidence,
    decisionId: r.decisionId,
    commitmentId: r.commitmentId,
    correctsId: r.correctsId,
    sourceRef: r.sourceRef,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function organNames(prisma: PrismaClient | Prisma.TransactionClient): Promise<Map<string, string>> {
  return new Map((await prisma.organ.findMany({ select: { id: true, name: true } })).map((o) => [o.id, o.name]));
}

/** Each record with its corrections and disputes; `counts` says whether it counts for eligibility now. */
export async function recordViews(prisma: PrismaClient, rows: Row[]) {
  const ids = rows.map((r) => r.id);
  const [corrections, disputes, names, chain] = await Promise.all([
    prisma.integrityRecord.findMany({ where: { correctsId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    prisma.integrityDispute.findMany({ where: { recordId: { in: ids } }, orderBy: [{ filedAt: 'asc' }, { id: 'asc' }] }),
    organNames(prisma),
    correctionsOf(prisma, ids),
  ]);
  const withdrawn = withdrawnIds(chain);
  return rows.map((r) => ({
    ...recordSummary(r, names),
    counts: r.kind !== 'correction' && !withdrawn.has(r.id),
    corrections: corrections.filter((c) => c.correctsId === r.id).map((c) => recordSummary(c, names)),
    disputes: disputes.filter((d) => d.recordId === r.id).map(disputeView),
  }));
}

export async function listRecords(prisma: PrismaClient, q: { organ?: string; holder?: string; kind?: string; since?: Date; limit: number; offset: number }) {
  const where: Prisma.IntegrityRecordWhereInput = {
    ...(q.organ ? { organId: { in: await organsActedFor(prisma, [q.organ]) } } : {}),
    ...(q.holder ? { holderUserId: q.holder } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.since ? { createdAt: { gte: q.since } } : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.integrityRecord.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit, skip: q.offset }),
    prisma.integrityRecord.count({ where }),
  ]);
  return { total, limit: q.limit, offset: q.offset, records: await recordViews(prisma, rows) };
}

export async function getRecord(prisma: PrismaClient, id: string) {
  const row = await prisma.integrityRecord.findUnique({ where: { id } });
  if (!row) throw notFound('integrity record');
  return (await recordViews(prisma, [row]))[0];
}

const evidenceJson = (e: Evidence, extra: Record<string, unknown> = {}) => ({ description: e.description, references: e.references, ...extra });

/**
 * A supervisor's record: the holder of the office at `at` is named. `manual:<Idempotency-Key>`
 * is its source, so a retry returns the same record; the same key with another body is refused.
 */
export async function createManualRecord(prisma: PrismaClient, actor: Actor, body: ManualRecordBody, key: string | undefined) {
  const at = body.at ?? new Date();
  if (at.getTime() > Date.now() + 60_000) throw fieldError('at', 'a breach cannot be recorded in the future');
  if (!(await prisma.organ.findUnique({ where: { id: body.organId } }))) throw fieldError('organId', `no organ "${body.organId}"`);
  if (body.officeId) {
    const office = await prisma.office.findUnique({ where: { id: body.officeId } });
    if (!office) throw fieldError('officeId', `no office "${body.officeId}"`);
    if (!(await organsActedFor(prisma, [body.organId])).includes(office.organId)) throw fieldError('officeId', `office "${body.officeId}" is not an office of ${body.organId}`);
  }
  const sourceRef = `manual:${key ?? randomUUID()}`;
  const { id, duplicate } = await recordIntegrity(prisma, {
    kind: 'manual',
    sourceRef,
    organId: body.organId,
    officeId: body.officeId ?? null,
    at,
    rule: body.rule,
    legalBasis: body.legalBasis,
    evidence: evidenceJson(body.evidence),
    createdBy: actor.id,
  });
  const record = await getRecord(prisma, id);
  if (duplicate) {
    const ev = record.evidence as { breachingOrgan?: string; description?: string; at?: string };
    const same = ev.breachingOrgan === body.organId && record.rule === body.rule && record.legalBasis === body.legalBasis && ev.description === body.evidence.description && record.officeId === (body.officeId ?? null) && (!body.at || ev.at === body.at.toISOString());
    if (!same || record.createdBy !== actor.id) throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key already recorded another integrity record; a key is reused only to retry the same request', { id });
  }
  return { record, duplicate };
}

/** Who may dispute a record: the person it names, the head of the organ it names (or of its successor), a supervisor. */
async function mayDispute(prisma: PrismaClient, actor: Actor, record: Row): Promise<boolean> {
  if (actor.roles.includes('supervisor') || (record.holderUserId !== null && record.holderUserId === actor.id)) return true;
  const headOf = actor.offices.filter((o) => o.role === 'head').map((o) => o.organId);
  return headOf.length > 0 && (await organsActedFor(prisma, headOf)).includes(record.organId);
}

export async function fileDispute(prisma: PrismaClient, actor: Actor, recordId: string, grounds: string) {
  const record = await prisma.integrityRecord.findUnique({ where: { id: recordId } });
  if (!record) throw notFound('integrity record');
  if (!(await mayDispute(prisma, actor, record))) {
    throw new ApiError(403, 'NOT_NAMED_IN_RECORD', 'only the person the record names, the head of the organ it names, or a supervisor may dispute it', { recordId }, DOMAIN_5);
  }
  return prisma.$transaction(async (tx) => {
    // One open dispute per record at a time; the advisory lock makes the check and insert atomic.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'integrity-dispute:' + recordId}, 0))`;
    if (await tx.integrityRecord.findFirst({ where: { kind: 'correction', correctsId: recordId }, select: { id: true } })) {
      throw new ApiError(409, 'ALREADY_CORRECTED', 'this record has already been corrected', { recordId }, DOMAIN_5);
    }
    const open = await tx.integrityDispute.findFirst({ where: { recordId, resolution: null } });
    if (open) throw new ApiError(409, 'DISPUTE_PENDING', 'a dispute of this record is pending; it is resolved first', { disputeId: open.id }, DOMAIN_5);
    const row = await tx.integrityDispute.create({ data: { id: `DSP-${randomUUID()}`, recordId, filedBy: actor.id, grounds } });
    return disputeView(row);
  });
}

/** Resolves a dispute once. Upheld: a correction record is created and linked, in the same transaction. */
export async function resolveDispute(prisma: PrismaClient, actor: Actor, disputeId: string, body: ResolveDisputeBody) {
  return prisma.$transaction(async (tx) => {
    const taken = await tx.integrityDispute.updateMany({
      where: { id: disputeId, resolution: null },
      data: { resolution: body.resolution, resolutionReason: body.reason, resolvedBy: actor.id, resolvedAt: new Date() },
    });
    if (taken.count === 0) {
      const existing = await tx.integrityDispute.findUnique({ where: { id: disputeId } });
      if (!existing) throw notFound('integrity dispute');
      throw new ApiError(409, 'DISPUTE_ALREADY_RESOLVED', 'this dispute has already been resolved', { dispute: disputeView(existing) }, DOMAIN_5);
    }
    const dispute = await tx.integrityDispute.findUniqueOrThrow({ where: { id: disputeId } });
    if (body.resolution === 'rejected') return { dispute: disputeView(dispute), correction: null };
    const c = body.correction;
    const { id: correctionId } = await correctIntegrity(tx, {
      recordId: dispute.recordId,
      sourceRef: `dispute:${disputeId}`,
      rule: c?.rule ?? `Record ${dispute.recordId} corrected: dispute upheld`,
      legalBasis: c?.legalBasis ?? DOMAIN_5,
      evidence: c ? evidenceJson(c.evidence, { disputeId, reason: body.reason }) : { description: body.reason, references: [], disputeId, reason: body.reason, grounds: dispute.grounds },
      createdBy: actor.id,
    });
    const linked = await tx.integrityDispute.update({ where: { id: disputeId }, data: { correctionId } });
    const correction = await tx.integrityRecord.findUniqueOrThrow({ where: { id: correctionId } });
    return { dispute: disputeView(linked), correction: recordSummary(correction, await organNames(tx)) };
  });
}
