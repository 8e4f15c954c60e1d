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

/** The draft an entry examined, for the chains of decisions; commitments have none. */
type DraftRef = { version: number; hash: string } | null;

/** The entry of a recorded event: an accepted action, or a system event (a timer) when it has no actor. */
export function eventEntry(
  chainId: string,
  e: { id: string; type: string; at: number; legalBasis: string | null; actor?: { id: string; name: string; role: string; officeId?: string | null } | null },
  draft: DraftRef,
  body: Record<string, unknown>,
): AuditInput {
  return {
    decisionId: chainId,
    eventId: e.id,
    outcome: e.actor ? 'accepted' : 'system',
    action: e.type,
    actorId: e.actor?.id ?? null,
    actorName: e.actor?.name ?? null,
    actorRole: e.actor?.role ?? null,
    actorOfficeId: e.actor?.officeId ?? null,
    at: new Date(e.at),
    draftVersion: draft?.version ?? null,
    draftHash: draft?.hash ?? null,
    code: null,
    legalBasis: e.legalBasis,
    body,
  };
}

/** The entry of an attempt a gate refused: who tried what, the stable code and the article. */
export function refusalEntry(
  chainId: string,
  eventId: string,
  action: string,
  actor: { id: string; name: string; roles: readonly string[] },
  r: { code: string; message: string; legalBasis?: string; details?: unknown },
  draft: DraftRef,
  at: Date,
): AuditInput {
  return {
    decisionId: chainId,
    eventId,
    outcome: 'refused',
    action,
    actorId: actor.id,
    actorName: actor.name,
    actorRole: actor.roles.join(','),
    at,
    draftVersion: draft?.version ?? null,
    draftHash: draft?.hash ?? null,
    code: r.code,
    legalBasis: r.legalBasis ?? null,
    body: { message: r.message, details: r.details ?? null },
  };
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

/**
 * The hash of a stage record's content, kept in the audit entry of the event that produced it, so
 * a stage record altered in the database no longer matches the chain.
 */
export function recordHash(r: { id: string; stage: string; kind: string; draftHash: string; content: unknown }): string {
  return sha256(canonicalJson({ id: r.id, stage: r.stage, kind: r.kind, draftHash: r.draftHash, content: r.content }));
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
  /** Stage records whose content no longer matches the hash their event put in the chain. */
  alteredRecords: string[];
}

/**
 * Recomputes the chain from the stored rows and reports the first entry that does not hold, then
 * checks every stage record against the hash its event recorded in the chain.
 */
export async function verifyChain(prisma: PrismaClient, decisionId: string): Promise<ChainReport> {
  const rows = await prisma.auditEntry.findMany({ where: { decisionId }, orderBy: { seq: 'asc' } });
  const report: ChainReport = { decisionId, entries: rows.length, valid: true, firstBroken: null, alteredRecords: [] };
  let prev = GENESIS;
  for (let i = 0; i < rows.length && report.valid; i++) {
    const r = rows[i];
    const broken = (reason: string) => Object.assign(report, { valid: false, firstBroken: { seq: r.seq, reason } });
    if (r.seq !== i + 1) broken(`expected entry ${i + 1}, found ${r.seq}: an entry is missing`);
    else if (r.prevHash !== prev) broken('prevHash does not match the previous entry');
    else if (entryHash({ ...r, outcome: r.outcome as AuditInput['outcome'], body: r.body as Record<string, unknown> }) !== r.hash) broken('content does not match its hash: the entry was altered');
    prev = r.hash;
  }
  const expected = new Map<string, string>();
  for (const r of rows) for (const x of ((r.body as { records?: Array<{ id: string; hash: string }> }).records ?? [])) expected.set(`${decisionId}:${x.id}`, x.hash);
  const records = await prisma.stageRecord.findMany({ where: { decisionId } });
  for (const rec of records) {
    const hash = expected.get(rec.id);
    if (hash === undefined) continue; // recorded before record hashes were chained
    if (recordHash({ ...rec, id: rec.id.slice(decisionId.length + 1) }) !== hash) report.alteredRecords.push(rec.id);
  }
  const missing = [...expected.keys()].filter((id) => !records.some((r) => r.id === id));
  report.alteredRecords.push(...missing.map((id) => `${id} (missing)`));
  if (report.alteredRecords.length) report.valid = false;
  return report;
}
