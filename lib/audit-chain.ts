import { chainHead, latestCheckpoint } from './checkpoints';
import type { Prisma, PrismaClient } from './db';
import { dispositionHash, dispositionsDigest, latestDispositions } from './dispositions';
import { canonicalJson, documentHash, GENESIS, sha256 } from './hashing';

// The tamper-evident audit chain (DOMAIN §3 inv. 6). Each decision has its own chain: entry n
// holds the hash of entry n-1, and its own hash covers every field. Appends are serialised per
// decision with a transaction-scoped advisory lock and are idempotent by event id, so a retried
// activity or request appends nothing twice.

export { canonicalJson, documentHash, GENESIS, sha256 };

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
  e: {
    id: string;
    type: string;
    at: number;
    legalBasis: string | null;
    actor?: { id: string; name: string; role: string; officeId?: string | null } | null;
  },
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
export function recordHash(r: {
  id: string;
  stage: string;
  kind: string;
  draftHash: string;
  content: unknown;
}): string {
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
  /** The first thing found wrong, in words; null when the chain and its records hold. */
  reason: string | null;
  firstBroken: { seq: number; reason: string } | null;
  /** Stage records whose content no longer matches the hash their event put in the chain. */
  alteredRecords: string[];
  /** Stage records of the chain's decision that no audit entry refers to: inserted outside any procedure. */
  unchainedRecords: string[];
  /** Draft documents whose text no longer matches their hash, or that the chain names and are missing. */
  alteredDrafts: string[];
  /** Dispositions whose content, chained hash or published digest no longer match. */
  alteredDispositions: string[];
  /** The chain's head now, and the head the latest signed checkpoint recorded for it. */
  head: { seq: number; hash: string } | null;
  checkpoint: { seq: number; slot: string; head: { seq: number; hash: string } | null; matches: boolean } | null;
}

type Body = {
  records?: Array<{ id: string; hash: string }>;
  dispositionRecord?: { id: string; hash: string };
  payload?: { dispositions?: { window?: string; dispositionsDigest?: string } };
};

/**
 * Recomputes the chain from the stored rows and reports the first entry that does not hold; then
 * checks every record the chain refers to by hash (stage records, drafts, dispositions), that no
 * stage record of the decision is outside the chain, and that the chain still reaches the head the
 * latest signed checkpoint recorded for it (a deleted tail leaves the chain itself intact).
 */
export async function verifyChain(prisma: PrismaClient, decisionId: string): Promise<ChainReport> {
  const rows = await prisma.auditEntry.findMany({ where: { decisionId }, orderBy: { seq: 'asc' } });
  const report: ChainReport = {
    decisionId,
    entries: rows.length,
    valid: true,
    reason: null,
    firstBroken: null,
    alteredRecords: [],
    unchainedRecords: [],
    alteredDrafts: [],
    alteredDispositions: [],
    head: null,
    checkpoint: null,
  };
  const problem = (reason: string) => {
    report.valid = false;
    report.reason ??= reason;
  };
  let prev = GENESIS;
  for (let i = 0; i < rows.length && !report.firstBroken; i++) {
    const r = rows[i];
    const broken = (reason: string) => {
      report.firstBroken = { seq: r.seq, reason };
      problem(`entry ${r.seq}: ${reason}`);
    };
    if (r.seq !== i + 1) broken(`expected entry ${i + 1}, found ${r.seq}: an entry is missing`);
    else if (r.prevHash !== prev) broken('prevHash does not match the previous entry');
    else if (
      entryHash({ ...r, outcome: r.outcome as AuditInput['outcome'], body: r.body as Record<string, unknown> }) !==
      r.hash
    )
      broken('content does not match its hash: the entry was altered');
    prev = r.hash;
  }
  const last = rows[rows.length - 1];
  report.head = last ? { seq: last.seq, hash: last.hash } : null;
  const bodies = rows.map((r) => ({ seq: r.seq, action: r.action, body: r.body as Body }));

  // The latest signed checkpoint: the chain must still reach the head it recorded. First, as a
  // deleted tail also leaves the records its entries named outside the chain.
  const cp = await latestCheckpoint(prisma);
  if (cp) {
    const at = cp.statement.heads.find((h) => h.chain === decisionId) ?? null;
    const matches =
      !at || (rows.length >= at.seq && rows[at.seq - 1].seq === at.seq && rows[at.seq - 1].hash === at.hash);
    report.checkpoint = { seq: cp.seq, slot: cp.slot, head: at ? { seq: at.seq, hash: at.hash } : null, matches };
    if (cp.hash !== sha256(canonicalJson(cp.statement)))
      problem(`checkpoint ${cp.seq} does not match its hash: it was altered`);
    if (at && !matches) {
      const reason =
        rows.length < at.seq
          ? `entries after seq ${rows.length} were deleted: checkpoint ${cp.seq} (${cp.slot}) recorded entry ${at.seq}`
          : `entry ${at.seq} differs from the one checkpoint ${cp.seq} (${cp.slot}) recorded`;
      report.firstBroken ??= { seq: Math.min(rows.length + 1, at.seq), reason };
      problem(reason);
    }
  }

  // Stage records: each must match the hash its event chained, and each must be chained at all.
  const expected = new Map<string, string>();
  for (const { body } of bodies) for (const x of body.records ?? []) expected.set(`${decisionId}:${x.id}`, x.hash);
  const records = await prisma.stageRecord.findMany({ where: { decisionId } });
  for (const rec of records) {
    const hash = expected.get(rec.id);
    if (hash === undefined) {
      // Chains recorded before record hashes were chained name none; any other is a forged insert.
      if (bodies.some((b) => b.body.records)) report.unchainedRecords.push(rec.id);
      continue;
    }
    if (recordHash({ ...rec, id: rec.id.slice(decisionId.length + 1) }) !== hash) report.alteredRecords.push(rec.id);
  }
  const missing = [...expected.keys()].filter((id) => !records.some((r) => r.id === id));
  report.alteredRecords.push(...missing.map((id) => `${id} (missing)`));
  if (report.alteredRecords.length)
    problem(`stage record ${report.alteredRecords[0]} does not match the hash in the chain: it was altered or deleted`);
  if (report.unchainedRecords.length)
    problem(`stage record ${report.unchainedRecords[0]} is in no audit entry: it was inserted outside the procedure`);

  // Drafts: each stored text must still hash to its address, and every draft the chain or a stage
  // record names must be stored.
  const drafts = await prisma.draftDocument.findMany({ where: { decisionId } });
  for (const d of drafts) if (documentHash(d.text, d.explanation) !== d.hash) report.alteredDrafts.push(d.hash);
  const named = new Set<string>(
    [...rows.map((r) => r.draftHash), ...records.map((r) => r.draftHash)].filter((h): h is string => !!h),
  );
  for (const h of named) if (!drafts.some((d) => d.hash === h)) report.alteredDrafts.push(`${h} (missing)`);
  if (report.alteredDrafts.length)
    problem(`draft ${report.alteredDrafts[0]} no longer matches its hash: its text was altered or deleted`);

  // Dispositions: each row's own hash, the hash its entry chained, the opinion's read-out of the
  // latest, and the digest the published feedback report put in the chain.
  const dispositions = await prisma.opinionDisposition.findMany({ where: { decisionId } });
  const chained = new Map(
    bodies.flatMap((b) =>
      b.body.dispositionRecord ? [[b.body.dispositionRecord.id, b.body.dispositionRecord.hash] as const] : [],
    ),
  );
  for (const d of dispositions) {
    const own = dispositionHash(d);
    if (own !== d.hash || (chained.has(d.id) && chained.get(d.id) !== d.hash)) report.alteredDispositions.push(d.id);
  }
  for (const id of chained.keys())
    if (!dispositions.some((d) => d.id === id)) report.alteredDispositions.push(`${id} (missing)`);
  const windows = [...new Set(dispositions.map((d) => d.windowId))];
  for (const w of windows) {
    const opinions = await prisma.opinion.findMany({
      where: { windowId: w, disposition: { not: null } },
      select: { id: true, disposition: true, dispositionReason: true },
    });
    for (const l of await latestDispositions(prisma, w)) {
      const o = opinions.find((x) => x.id === l.opinionId);
      if (!o || o.disposition !== l.disposition || o.dispositionReason !== l.reason)
        report.alteredDispositions.push(`${l.opinionId} (the opinion shows another disposition)`);
    }
  }
  for (const b of bodies) {
    const p = b.action === 'publish-feedback' ? b.body.payload?.dispositions : undefined;
    if (p?.window && p.dispositionsDigest && (await dispositionsDigest(prisma, p.window)) !== p.dispositionsDigest) {
      report.alteredDispositions.push(
        `${p.window} (the dispositions differ from those the feedback report of entry ${b.seq} published)`,
      );
    }
  }
  if (report.alteredDispositions.length)
    problem(`disposition ${report.alteredDispositions[0]} no longer matches the chain`);

  return report;
}

export { chainHead };
