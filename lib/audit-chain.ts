import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from './db';

// The tamper-evident audit chain (DOMAIN §3 inv. 6). Each decision has its own chain: entry n
// holds the hash of entry n-1, and its own hash covers every field. Appends are serialised per
// decision with a transaction-scoped advisory lock and are idempotent by event id, so a retried
// activity or request appends nothing twice.

export const GENESIS = 'sha256:' + '0'.repeat(64);

export interface AuditInput {
  decisionId: string;
  eventId: string;
  outcome: 'accepted' | 'refused' | 'system';
  action: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  actorOfficeId?: string | null;
  at: Date;
  draftVersion: number | null;
  draftHash: string | null;
  code: string | null;
  legalBasis: string | null;
  body: Record<string, unknown>;
}

type Tx = Prisma.TransactionClient;

/** JSON with object keys sorted at every level: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

export function entryHash(e: AuditInput & { seq: number; prevHash: string }): string {
  return sha256(
    canonicalJson({
      decisionId: e.decisionId,
      seq: e.seq,
      eventId: e.eventId,
      outcome: e.outcome,
      action: e.action,
      actorId: e.actorId,
      actorName: e.actorName,
      actorRole: e.actorRole,
      // Entries written before offices existed have none: their hash is unchanged.
      actorOfficeId: e.actorOfficeId ?? undefined,
      at: e.at.toISOString(),
      draftVersion: e.draftVersion,
      draftHash: e.draftHash,
      code: e.code,
      legalBasis: e.legalBasis,
      body: e.body,
      prevHash: e.prevHash,
    }),
  );
}

/** Appends inside `tx`; returns the existing entry's seq when the event was already recorded. */
export async function appendAudit(tx: Tx, e: AuditInput): Promise<{ seq: number; hash: string; duplicate: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'audit:' + e.decisionId}, 0))`;
  const existing = await tx.auditEntry.findUnique({
    where: { decisionId_eventId: { decisionId: e.decisionId, eventId: e.eventId } },
    select: { seq: true, hash: true },
  });
  if (existing) return { ...existing, duplicate: true };
  const last = await tx.auditEntry.findFirst({
    where: { decisionId: e.decisionId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  const at = new Date(e.at.getTime());
  const hash = entryHash({ ...e, at, seq, prevHash });
  await tx.auditEntry.create({ data: { ...e, at, body: e.body as Prisma.InputJsonValue, seq, prevHash, hash } });
  return { seq, hash, duplicate: false };
}

export interface ChainReport {
  decisionId: string;
  entries: number;
  valid: boolean;
  firstBroken: { seq: number; reason: string } | null;
}

/** Recomputes the chain from the stored rows and reports the first entry that does not hold. */
export async function verifyChain(prisma: PrismaClient, decisionId: string): Promise<ChainReport> {
  const rows = await prisma.auditEntry.findMany({ where: { decisionId }, orderBy: { seq: 'asc' } });
  let prev = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const broken = (reason: string): ChainReport => ({ decisionId, entries: rows.length, valid: false, firstBroken: { seq: r.seq, reason } });
    if (r.seq !== i + 1) return broken(`expected entry ${i + 1}, found ${r.seq}: an entry is missing`);
    if (r.prevHash !== prev) return broken('prevHash does not match the previous entry');
    const recomputed = entryHash({ ...r, outcome: r.outcome as AuditInput['outcome'], body: r.body as Record<string, unknown> });
    if (recomputed !== r.hash) return broken('content does not match its hash: the entry was altered');
    prev = r.hash;
  }
  return { decisionId, entries: rows.length, valid: true, firstBroken: null };
}
