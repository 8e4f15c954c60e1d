import { randomUUID } from 'node:crypto';
import { canonicalJson, sha256 } from './hashing';
import type { Prisma, PrismaClient } from './db';

// How each public opinion was handled (Decree 713 Arts 18, 29(2)), as an append-only log:
// `opinion_disposition` takes one row per disposition, with its own content hash, and the runtime
// role may only insert into it. A trigger (SECURITY DEFINER, prisma/migrations/20261201000000_…)
// copies the row into the opinion's disposition columns, which every reader keeps using; the
// runtime has no UPDATE on `opinion`. A new disposition of the same opinion is a new row.

type Db = Prisma.TransactionClient | PrismaClient;

export interface DispositionRow {
  id: string;
  opinionId: string;
  decisionId: string;
  windowId: string;
  disposition: string;
  reason: string | null;
  by: string;
  at: Date;
}

/** The hash of a disposition's content; the migration computes the same for older dispositions. */
export function dispositionHash(d: DispositionRow): string {
  return sha256(
    canonicalJson({
      id: d.id,
      opinionId: d.opinionId,
      decisionId: d.decisionId,
      windowId: d.windowId,
      disposition: d.disposition,
      reason: d.reason,
      by: d.by,
      at: d.at.toISOString(),
    }),
  );
}

/**
 * Records a disposition of an opinion inside `tx` and returns it with its hash (to put in the
 * audit chain). Dispositions of one opinion are serialised, so the latest row is the one the
 * opinion shows.
 */
export async function recordDisposition(
  tx: Prisma.TransactionClient,
  d: {
    opinion: { id: string; decisionId: string; windowId: string };
    disposition: string;
    reason: string | null;
    by: string;
    at?: Date;
  },
): Promise<DispositionRow & { hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'disposition:' + d.opinion.id}, 0))`;
  const row: DispositionRow = {
    id: `DSP-${randomUUID()}`,
    opinionId: d.opinion.id,
    decisionId: d.opinion.decisionId,
    windowId: d.opinion.windowId,
    disposition: d.disposition,
    reason: d.reason,
    by: d.by,
    at: new Date((d.at ?? new Date()).getTime()),
  };
  const hash = dispositionHash(row);
  await tx.opinionDisposition.create({ data: { ...row, hash } });
  return { ...row, hash };
}

/** The latest disposition row of each opinion of a window (the one the opinion shows). */
export async function latestDispositions(db: Db, windowId: string): Promise<Array<DispositionRow & { hash: string }>> {
  const rows = await db.opinionDisposition.findMany({
    where: { windowId },
    orderBy: [{ opinionId: 'asc' }, { at: 'desc' }, { id: 'desc' }],
  });
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.opinionId) && seen.add(r.opinionId));
}

/**
 * One hash over how every opinion of a window was handled: each opinion's latest disposition
 * hash, by opinion id. Put in the published feedback report's entry, so a disposition changed
 * afterwards no longer matches.
 */
export async function dispositionsDigest(db: Db, windowId: string): Promise<string> {
  const latest = await latestDispositions(db, windowId);
  return sha256(latest.map((r) => `${r.opinionId}:${r.hash}`).join('\n'));
}
