import { randomUUID } from 'node:crypto';
import { authorize, type Scope } from '../../domain/authority';
import type { Actor } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { Prisma, PrismaClient } from '../../lib/db';
import { organLineage, organsActedFor } from '../../lib/directory';
import {
  correctIntegrity,
  correctionsOf,
  eligibility,
  eligibilityYears,
  recordIntegrity,
  withdrawnIds,
} from '../../lib/integrity';
import type { AppDeps } from '../deps';
import { fieldError, notFound } from '../errors';
import { claimKey } from '../idempotency';
import { parse } from '../input';
import { manualRecordBody, type Evidence, type ResolveDisputeBody } from './schemas';

// Integrity records, disputes and corrections (DOMAIN §5; Decree 802 Art 26), the commands and
// queries both edges call. Records are never changed: a correction is a new record naming the one
// it corrects. Disputes are mutable rows, but a resolution is written once: the first resolver
// takes the row, any later one gets 409. Who may do what: docs/authority.md.

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
    prisma.integrityRecord.findMany({
      where: { correctsId: { in: ids } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
    prisma.integrityDispute.findMany({
      where: { recordId: { in: ids } },
      orderBy: [{ filedAt: 'asc' }, { id: 'asc' }],
    }),
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

export type ListRecordsInput = {
  organ?: string;
  holder?: string;
  kind?: string;
  since?: Date;
  limit: number;
  offset: number;
};

/** `integrity.read`: records, newest first; an organ's include those of the organs merged into it. */
export async function listRecords(actor: Actor | null, q: ListRecordsInput, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'integrity.read');
  const { prisma } = deps;
  const where: Prisma.IntegrityRecordWhereInput = {
    ...(q.organ ? { organId: { in: await organsActedFor(prisma, [q.organ]) } } : {}),
    ...(q.holder ? { holderUserId: q.holder } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.since ? { createdAt: { gte: q.since } } : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.integrityRecord.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit,
      skip: q.offset,
    }),
    prisma.integrityRecord.count({ where }),
  ]);
  return { total, limit: q.limit, offset: q.offset, records: await recordViews(prisma, rows) };
}

async function recordView(prisma: PrismaClient, id: string) {
  const row = await prisma.integrityRecord.findUnique({ where: { id } });
  if (!row) throw notFound('integrity record');
  return (await recordViews(prisma, [row]))[0];
}

/** `integrity.read`: one record with its corrections and disputes. */
export async function readRecord(actor: Actor | null, input: { id: string }, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'integrity.read');
  return recordView(deps.prisma, input.id);
}

export type EligibilityInput = { official?: string; organ?: string; at?: Date; years?: number };

/** `integrity.read`: whether an official or organ may be put forward for selection or commendation now (or at `at`). */
export async function checkEligibility(actor: Actor | null, q: EligibilityInput, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'integrity.read');
  const { prisma } = deps;
  const at = q.at ?? new Date();
  if (q.official && !(await prisma.staffUser.findUnique({ where: { id: q.official } }))) throw notFound('official');
  if (q.organ && !(await prisma.organ.findUnique({ where: { id: q.organ } }))) throw notFound('organ');
  const subject = q.official ? { official: q.official } : { organ: q.organ! };
  const e = await eligibility(prisma, subject, at, q.years ?? eligibilityYears());
  return {
    subject: { ...subject, ...(e.organs ? { organs: e.organs } : {}) },
    at: at.toISOString(),
    eligible: e.eligible,
    window: { from: e.window.from.toISOString(), to: e.window.to.toISOString(), years: e.window.years },
    legalBasis:
      'DOMAIN §1, §5 (people and organs with untrustworthiness records lose eligibility for selection and commendation)',
    counting: await recordViews(prisma, e.counting),
  };
}

const evidenceJson = (e: Evidence, extra: Record<string, unknown> = {}) => ({
  description: e.description,
  references: e.references,
  ...extra,
});

/**
 * `integrity.file` (supervisor): a record by hand, naming the holder of the office at `at`. The
 * body is checked after the role, so the schema is not an oracle for anyone else. The claim
 * scope of the Idempotency-Key is the record's source (`manual:<scope>`): a retry returns the
 * same record (`duplicate`), the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.
 */
export async function fileRecord(
  actor: Actor | null,
  input: { body: unknown; key?: string },
  deps: Pick<AppDeps, 'prisma'>,
) {
  authorize(actor, 'integrity.file');
  const { prisma } = deps;
  const body = parse(manualRecordBody, input.body);
  // Dates as sent (ISO strings): the body hash must see them.
  const claim = await claimKey(
    deps,
    { kind: 'staff', id: actor!.id },
    'integrity.file',
    input.key,
    JSON.parse(JSON.stringify(body)),
  );
  const at = body.at ?? new Date();
  if (at.getTime() > Date.now() + 60_000) throw fieldError('at', 'a breach cannot be recorded in the future');
  if (!(await prisma.organ.findUnique({ where: { id: body.organId } })))
    throw fieldError('organId', `no organ "${body.organId}"`);
  if (body.officeId) {
    const office = await prisma.office.findUnique({ where: { id: body.officeId } });
    if (!office) throw fieldError('officeId', `no office "${body.officeId}"`);
    if (!(await organsActedFor(prisma, [body.organId])).includes(office.organId))
      throw fieldError('officeId', `office "${body.officeId}" is not an office of ${body.organId}`);
  }
  const { id, duplicate } = await recordIntegrity(prisma, {
    kind: 'manual',
    sourceRef: `manual:${claim.scope}`,
    organId: body.organId,
    officeId: body.officeId ?? null,
    at,
    rule: body.rule,
    legalBasis: body.legalBasis,
    evidence: evidenceJson(body.evidence),
    createdBy: actor!.id,
  });
  return { record: await recordView(prisma, id), duplicate };
}

/** What a record names, for `named`, `head@named-organ` and `not-named`: the person, and the organ with those carrying it on. */
async function namedScope(prisma: PrismaClient, record: Row): Promise<Scope> {
  return { named: { userId: record.holderUserId, organLineage: await organLineage(prisma, record.organId) } };
}

/** `integrity.dispute` (`named | head@named-organ | supervisor`): one pending dispute of a record at a time. */
export async function disputeRecord(
  actor: Actor | null,
  input: { recordId: string; grounds: string },
  deps: Pick<AppDeps, 'prisma'>,
) {
  const { prisma } = deps;
  const { recordId } = input;
  const record = await prisma.integrityRecord.findUnique({ where: { id: recordId } });
  if (!record) throw notFound('integrity record');
  authorize(actor, 'integrity.dispute', await namedScope(prisma, record));
  const dispute = await prisma.$transaction(async (tx) => {
    // One open dispute per record at a time; the advisory lock makes the check and insert atomic.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'integrity-dispute:' + recordId}, 0))`;
    if (
      await tx.integrityRecord.findFirst({ where: { kind: 'correction', correctsId: recordId }, select: { id: true } })
    ) {
      throw new Refusal('ALREADY_CORRECTED', 'this record has already been corrected', { recordId });
    }
    const open = await tx.integrityDispute.findFirst({ where: { recordId, resolution: null } });
    if (open)
      throw new Refusal('DISPUTE_PENDING', 'a dispute of this record is pending; it is resolved first', {
        disputeId: open.id,
      });
    return disputeView(
      await tx.integrityDispute.create({
        data: { id: `DSP-${randomUUID()}`, recordId, filedBy: actor!.id, grounds: input.grounds },
      }),
    );
  });
  return { dispute, record: await recordView(prisma, recordId) };
}

/**
 * `integrity.resolve` (`supervisor & not-named`): resolves a dispute once; no one resolves a
 * dispute about a record that names them or their organ. Upheld: a correction record is created
 * and linked, in the same transaction.
 */
export async function resolveDispute(
  actor: Actor | null,
  input: { disputeId: string; body: ResolveDisputeBody },
  deps: Pick<AppDeps, 'prisma'>,
) {
  const { prisma } = deps;
  const { disputeId, body } = input;
  const found = await prisma.integrityDispute.findUnique({ where: { id: disputeId } });
  const record = found && (await prisma.integrityRecord.findUnique({ where: { id: found.recordId } }));
  if (!found || !record) throw notFound('integrity dispute');
  authorize(actor, 'integrity.resolve', await namedScope(prisma, record));
  const result = await prisma.$transaction(async (tx) => {
    const taken = await tx.integrityDispute.updateMany({
      where: { id: disputeId, resolution: null },
      data: {
        resolution: body.resolution,
        resolutionReason: body.reason,
        resolvedBy: actor!.id,
        resolvedAt: new Date(),
      },
    });
    if (taken.count === 0) {
      const existing = await tx.integrityDispute.findUniqueOrThrow({ where: { id: disputeId } });
      throw new Refusal('DISPUTE_ALREADY_RESOLVED', 'this dispute has already been resolved', {
        dispute: disputeView(existing),
      });
    }
    const dispute = await tx.integrityDispute.findUniqueOrThrow({ where: { id: disputeId } });
    if (body.resolution === 'rejected') return { dispute: disputeView(dispute), correction: null };
    const c = body.correction;
    const { id: correctionId } = await correctIntegrity(tx, {
      recordId: dispute.recordId,
      sourceRef: `dispute:${disputeId}`,
      rule: c?.rule ?? `Record ${dispute.recordId} corrected: dispute upheld`,
      legalBasis: c?.legalBasis ?? DOMAIN_5,
      evidence: c
        ? evidenceJson(c.evidence, { disputeId, reason: body.reason })
        : { description: body.reason, references: [], disputeId, reason: body.reason, grounds: dispute.grounds },
      createdBy: actor!.id,
    });
    const linked = await tx.integrityDispute.update({ where: { id: disputeId }, data: { correctionId } });
    const correction = await tx.integrityRecord.findUniqueOrThrow({ where: { id: correctionId } });
    return { dispute: disputeView(linked), correction: recordSummary(correction, await organNames(tx)) };
  });
  return { ...result, record: await recordView(prisma, found.recordId) };
}
