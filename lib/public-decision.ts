import { splitParagraphs } from '../domain/draft';
import type { DecisionState } from '../domain/procedure';
import { perClient, type PrismaClient } from './db';
import { isPublic, windowOpen, type HearingNotice } from '../domain/public';

// A decision as the public may see it: only once its draft was pre-disclosed (Decree 713 Art 15)
// or, for a lawfully non-disclosable matter, once it was published (Art 32).

export interface StoredRecord {
  id: string;
  procedureId: string;
  stage: string;
  round: number;
  kind: string;
  actorId: string | null;
  actorRole: string | null;
  draftVersion: number;
  draftHash: string;
  content: unknown;
  at: Date;
}

export { isPublic, windowOpen };

async function readPublicDecision(prisma: PrismaClient, id: string) {
  const row = await prisma.decision.findUnique({ where: { id } });
  if (!row) return null;
  const state = row.state as unknown as DecisionState;
  if (!isPublic(state)) return null;
  const [doc, records, organ] = await Promise.all([
    prisma.draftDocument.findUnique({ where: { decisionId_hash: { decisionId: id, hash: row.draftHash } } }),
    prisma.stageRecord.findMany({ where: { decisionId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    prisma.organ.findUnique({ where: { id: state.organId }, select: { name: true } }),
  ]);
  return {
    row,
    state,
    organName: organ?.name ?? state.organId,
    explanation: doc?.explanation ?? null,
    paragraphs: doc ? splitParagraphs(doc.text) : [],
    records: records as StoredRecord[],
  };
}

const CACHE_MAX = 500;
/** The organ's name is not part of the revision: a copy is read afresh at least this often. */
const CACHE_TTL_MS = 60_000;
const cached = perClient(
  () =>
    new Map<string, { revision: number; at: number; d: NonNullable<Awaited<ReturnType<typeof readPublicDecision>>> }>(),
);

/**
 * A public decision, always as of its latest recorded revision. The row, its stage records and
 * its draft change only together, in the transaction that raises the revision, so a copy read at
 * the same revision is the same: a page read asks the database for the revision alone (no state
 * document, no records) and renders from the copy when it still holds. Read-only: callers must not
 * change what they get.
 */
export async function loadPublicDecision(prisma: PrismaClient, id: string) {
  const cache = cached(prisma);
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) {
    const [now] = await prisma.$queryRaw<Array<{ revision: number }>>`SELECT revision FROM decision WHERE id = ${id}`;
    if (now && Number(now.revision) === hit.revision) return hit.d;
  }
  const d = await readPublicDecision(prisma, id);
  if (!d) {
    cache.delete(id);
    return null;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(id, { revision: d.row.revision, at: Date.now(), d });
  return d;
}
export type PublicDecision = NonNullable<Awaited<ReturnType<typeof loadPublicDecision>>>;

/** The records of the decision's own procedure in the current round of each stage. */
export function currentRecords(state: DecisionState, records: StoredRecord[]): StoredRecord[] {
  const round = new Map(state.stages.map((s) => [s.key as string, s.round]));
  return records.filter((r) => r.procedureId === 'main' && round.get(r.stage) === r.round);
}

export function latest(records: StoredRecord[], kind: string): StoredRecord | null {
  const found = records.filter((r) => r.kind === kind);
  return found[found.length - 1] ?? null;
}

export const hearingNoticeOf = (records: StoredRecord[]) =>
  (latest(records, 'hearing-notice')?.content as HearingNotice | undefined) ?? null;

export type PublicDateKind = 'comment-closes' | 'survey-closes' | 'hearing' | 'objections-close' | 'enters-into-force';

/** The next date the public should know of: a window closing, a hearing, the objection period, entry into force. */
export function nextPublicDate(
  state: DecisionState,
  records: StoredRecord[],
  now = Date.now(),
): { kind: PublicDateKind; at: number } | null {
  const dates: Array<{ kind: PublicDateKind; at: number }> = [];
  for (const w of state.windows)
    if (windowOpen(w, now) && w.closesAt)
      dates.push({ kind: w.kind === 'comment' ? 'comment-closes' : 'survey-closes', at: w.closesAt });
  const notice = hearingNoticeOf(records.filter((r) => r.procedureId === 'main'));
  if (notice) dates.push({ kind: 'hearing', at: Date.parse(notice.heldAt) });
  for (const d of state.deadlines) {
    if (d.cancelled || d.firedAt !== undefined || d.at === null) continue;
    if (d.kind === 'objection-window') dates.push({ kind: 'objections-close', at: d.at });
    if (d.kind === 'entry-into-force') dates.push({ kind: 'enters-into-force', at: d.at });
  }
  return dates.filter((d) => d.at > now).sort((a, b) => a.at - b.at)[0] ?? null;
}

/** Decisions the public may see, newest first; `year` limits them to those started that year (Beijing time). */
export async function publicDecisions(prisma: PrismaClient, opts: { year?: number } = {}) {
  const where = opts.year
    ? {
        createdAt: {
          gte: new Date(Date.UTC(opts.year, 0, 1) - 8 * 3_600_000),
          lt: new Date(Date.UTC(opts.year + 1, 0, 1) - 8 * 3_600_000),
        },
      }
    : {};
  const rows = await prisma.decision.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
  return rows.map((row) => ({ row, state: row.state as unknown as DecisionState })).filter((d) => isPublic(d.state));
}
