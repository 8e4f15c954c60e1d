import { authorize } from '../../domain/authority';
import type { Actor } from '../../domain/procedure';
import type { CsvValue } from '../../lib/csv';
import type { Prisma, PrismaClient } from '../../lib/db';
import type { AppDeps } from '../deps';
import { fieldError } from '../errors';
import { organNames } from './records';

// The credit-platform feed (DOMAIN §1, §5; 国发〔2016〕76号; Decree 802 Arts 18, 26), read by
// supervisors (`credit-feed.read`). Field lists are a published contract (docs/credit-feed.md):
// add fields at the end, never rename or reorder. Writing CSV is the edge's (lib/csv.ts).

export const FEED_FIELDS = [
  'id',
  'kind',
  'organId',
  'organName',
  'officeId',
  'holderUserId',
  'holderName',
  'rule',
  'legalBasis',
  'decisionId',
  'commitmentId',
  'correctsId',
  'createdAt',
  'evidence',
] as const;
export type FeedField = (typeof FEED_FIELDS)[number];

export const SME_FIELDS = [
  'obligationId',
  'commitmentId',
  'commitmentTitle',
  'organId',
  'organName',
  'currentOrganId',
  'counterpartyId',
  'counterpartyName',
  'description',
  'amountYuan',
  'deliveredAt',
  'dueAt',
  'overdueSince',
  'fulfilledAt',
  'status',
] as const;
export type SmeField = (typeof SME_FIELDS)[number];

/** Seconds a record must have existed before the feed serves it (DUEPROCESS_FEED_SETTLE_SECONDS, default 5). */
export function feedSettleSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DUEPROCESS_FEED_SETTLE_SECONDS;
  if (raw === undefined || raw === '') return 5;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0 || s > 3600)
    throw new Error(`invalid configuration:\n  DUEPROCESS_FEED_SETTLE_SECONDS: 0 to 3600, not "${raw}"`);
  return s;
}

interface Position {
  createdAt: Date;
  id: string;
}

export const encodeCursor = (p: Position) =>
  Buffer.from(JSON.stringify([p.createdAt.toISOString(), p.id])).toString('base64url');

export function decodeCursor(cursor: string): Position {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw fieldError('cursor', 'not a cursor this feed returned');
  }
}

/**
 * Records created strictly after `since` (or after the cursor's record), oldest first by
 * (createdAt, id). A record younger than the settle time is held back: a transaction that began
 * earlier may still commit a record stamped before it, and an incremental reader would miss it.
 */
async function feedRecords(
  prisma: PrismaClient,
  q: { since?: Date; cursor?: string; limit: number },
  settleSeconds: number,
) {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const since = after?.createdAt ?? q.since ?? new Date(0);
  const where: Prisma.IntegrityRecordWhereInput = {
    AND: [
      after
        ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
        : { createdAt: { gt: since } },
      { createdAt: { lte: new Date(Date.now() - settleSeconds * 1000) } },
    ],
  };
  const [rows, names] = await Promise.all([
    prisma.integrityRecord.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: q.limit }),
    organNames(prisma),
  ]);
  const records = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    organId: r.organId,
    organName: names.get(r.organId) ?? null,
    officeId: r.officeId,
    holderUserId: r.holderUserId,
    holderName: r.holderName,
    rule: r.rule,
    legalBasis: r.legalBasis,
    decisionId: r.decisionId,
    commitmentId: r.commitmentId,
    correctsId: r.correctsId,
    createdAt: r.createdAt.toISOString(),
    evidence: r.evidence as Record<string, unknown>,
  }));
  const last = rows[rows.length - 1];
  return {
    since: since.toISOString(),
    records,
    complete: rows.length < q.limit,
    next: last
      ? { since: last.createdAt.toISOString(), cursor: encodeCursor(last) }
      : { since: since.toISOString(), cursor: after ? q.cursor! : null },
  };
}

export const feedCsvRow = (
  r: Awaited<ReturnType<typeof feedRecords>>['records'][number],
): Record<FeedField, CsvValue> => ({ ...r, evidence: JSON.stringify(r.evidence) });

/** Fen as a decimal string in yuan: 123456 → "1234.56". */
export function yuan(fen: bigint | null): string | null {
  if (fen === null) return null;
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

interface SmeRow {
  obligation_id: string;
  commitment_id: string;
  commitment_title: string;
  organ_id: string;
  counterparty_id: string;
  counterparty_name: string;
  description: string;
  amount_fen: bigint | null;
  delivered_at: Date | null;
  due_at: Date | null;
  overdue_since: Date | null;
  fulfilled_at: Date | null;
  status: string;
}

/**
 * Decree 802 Art 18: the payments to SMEs overdue at any time in `year`, published by 31 March of
 * the next year. A payment is overdue from `overdueSince`, or, where the registry has not marked
 * it (and it was not cancelled), from its due date if it was paid after it or is still unpaid past
 * it; it stays overdue until `fulfilledAt` (paid, or cancelled by a lawful change: see `status`).
 * Years are calendar years in China Standard Time (UTC+8).
 */
async function smeRows(prisma: PrismaClient, year: number) {
  const start = new Date(`${year}-01-01T00:00:00+08:00`);
  const end = new Date(`${year + 1}-01-01T00:00:00+08:00`);
  const rows = await prisma.$queryRaw<SmeRow[]>`
    SELECT o.id AS obligation_id, c.id AS commitment_id, c.title AS commitment_title, c.organ_id, c.counterparty_id, c.counterparty_name,
           o.description, o.amount_fen, o.delivered_at, o.due_at,
           COALESCE(o.overdue_since, CASE WHEN o.status <> 'cancelled' AND o.due_at < COALESCE(o.fulfilled_at, now()) THEN o.due_at END) AS overdue_since,
           o.fulfilled_at, o.status
    FROM obligation o JOIN commitment c ON c.id = o.commitment_id
    WHERE o.kind = 'payment' AND c.counterparty_is_sme
      AND COALESCE(o.overdue_since, CASE WHEN o.status <> 'cancelled' AND o.due_at < COALESCE(o.fulfilled_at, now()) THEN o.due_at END) < ${end}
      AND (o.fulfilled_at IS NULL OR o.fulfilled_at > ${start})
    ORDER BY organ_id, overdue_since, obligation_id`;
  const organs = await prisma.organ.findMany({ select: { id: true, name: true, successorId: true } });
  const byId = new Map(organs.map((o) => [o.id, o]));
  const current = (id: string) => {
    let at = id;
    for (let i = 0; i < 50 && byId.get(at)?.successorId; i++) at = byId.get(at)!.successorId!;
    return at;
  };
  const payments = rows.map((r): Record<SmeField, string | null> => ({
    obligationId: r.obligation_id,
    commitmentId: r.commitment_id,
    commitmentTitle: r.commitment_title,
    organId: r.organ_id,
    organName: byId.get(r.organ_id)?.name ?? null,
    currentOrganId: current(r.organ_id),
    counterpartyId: r.counterparty_id,
    counterpartyName: r.counterparty_name,
    description: r.description,
    amountYuan: yuan(r.amount_fen === null ? null : BigInt(r.amount_fen)),
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    dueAt: r.due_at?.toISOString() ?? null,
    overdueSince: r.overdue_since?.toISOString() ?? null,
    fulfilledAt: r.fulfilled_at?.toISOString() ?? null,
    status: r.status,
  }));
  return {
    year,
    legalBasis: 'Decree 802 Art 18 (overdue payments to SMEs are published by 31 March of the next year)',
    publishBy: `${year + 1}-03-31`,
    yearComplete: Date.now() >= end.getTime(),
    generatedAt: new Date().toISOString(),
    payments,
  };
}

/**
 * `credit-feed.read`: the records created after `since` or the cursor, oldest first.
 * `settleSeconds` is the edge's configuration (feedSettleSeconds), read once when it is built.
 */
export async function creditFeed(
  actor: Actor | null,
  q: { since?: Date; cursor?: string; limit: number; settleSeconds?: number },
  deps: Pick<AppDeps, 'prisma'>,
) {
  authorize(actor, 'credit-feed.read');
  return feedRecords(deps.prisma, q, q.settleSeconds ?? feedSettleSeconds());
}

/** `credit-feed.read`: Decree 802 Art 18, the SME payments overdue at any time in `year`. */
export async function smeOverduePayments(actor: Actor | null, q: { year: number }, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'credit-feed.read');
  return smeRows(deps.prisma, q.year);
}
