import { randomBytes } from 'node:crypto';
import { poolOf, type PrismaClient } from './db';
import { dispositionsDigest } from './dispositions';

// Public opinions and survey answers go straight to PostgreSQL, never into workflow history.
// An insert is accepted only while its window is open and not frozen, checked by the database
// clock in the same statement that inserts. Freezing takes the window row's lock, so it waits
// for in-flight inserts and no insert can slip in after it: the frozen count and digest cover
// exactly the accepted set (Decree 713 Art 15).

const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A receipt a person can read out over the phone: no 0/O or 1/I/L. */
export function newReceipt(prefix: string): string {
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length];
  return `${prefix}-${s.slice(0, 5)}-${s.slice(5)}`;
}

/**
 * `key-reused`: the client's scoped key was already accepted with another body; nothing was stored
 * (the edge answers 422 IDEMPOTENCY_KEY_REUSED). A retry of the same body is `duplicate`.
 */
export type Acceptance =
  | { accepted: true; id: string; duplicate: boolean }
  | { accepted: false; reason: 'no-window' | 'closed' | 'key-reused' };

export interface OpinionInput {
  decisionId: string;
  /** When given, the opinion is accepted only while this is still the decision's draft. */
  draftHash?: string;
  paragraph: number | null;
  text: string;
  authorName: string | null;
  contact: string | null;
  /** The client's key scoped to the client and the operation (app/idempotency.ts scopeOf). */
  clientKey: string;
  /** The channel a template-required verification went through ("email", "phone"), else null. */
  verifiedVia?: string | null;
}

/** The normalised text hash of the migration: identical texts (case, spacing) are one campaign. */
const TEXT_HASH = (param: string) =>
  `'sha256:' || encode(sha256(convert_to(lower(regexp_replace(btrim(${param}::text), '\\s+', ' ', 'g')), 'UTF8')), 'hex')`;

// One statement on every path a client normally takes. The insert succeeds (a new receipt), or
// its key conflicts, and then the same statement returns the row under that key with whether it
// holds the same body (text hash and paragraph): a retry, or a key reused for another opinion.
// `NOT EXISTS (SELECT 1 FROM ins)` is a one-time filter: an accepted insert reads nothing more.
// A conflicting row committed after the statement's snapshot is not visible to the second branch;
// that race (the same retry in flight twice) is settled by whyNotInserted, one more statement.
const ACCEPT_OPINION = `
    WITH w AS (
      SELECT id FROM public_window
      WHERE decision_id = $2 AND kind = 'comment' AND frozen_at IS NULL
        AND opens_at <= now() AND closes_at > now()
        AND ($9::text IS NULL OR EXISTS (SELECT 1 FROM decision d WHERE d.id = $2 AND d.draft_hash = $9))
      ORDER BY opens_at DESC LIMIT 1
      FOR SHARE
    ), h AS (SELECT ${TEXT_HASH('$4')} AS text_hash),
    ins AS (
      INSERT INTO opinion (id, decision_id, window_id, paragraph, text, author_name, contact, client_key, text_hash, verified_via)
      SELECT $1, $2, w.id, $3::int, $4, $5, $6, $7, h.text_hash, $8 FROM w, h
      ON CONFLICT (window_id, client_key) DO NOTHING
      RETURNING id
    )
    SELECT id, true AS inserted, true AS same_body FROM ins
    UNION ALL
    (SELECT o.id, false, o.text_hash = h.text_hash AND o.paragraph IS NOT DISTINCT FROM $3::int
      FROM opinion o, h WHERE o.decision_id = $2 AND o.client_key = $7 AND NOT EXISTS (SELECT 1 FROM ins)
      ORDER BY o.created_at DESC LIMIT 1)`;

type Returned = { id: string; inserted: boolean; same_body: boolean };

function acceptance(row: Returned): Acceptance {
  if (row.inserted) return { accepted: true, id: row.id, duplicate: false };
  return row.same_body ? { accepted: true, id: row.id, duplicate: true } : { accepted: false, reason: 'key-reused' };
}

/**
 * Accepts an opinion into the open comment window of a decision, once per client key. The text's
 * hash (the same normalisation as the migration's) marks identical texts as one campaign: they are
 * all stored and counted.
 */
export async function acceptOpinion(prisma: PrismaClient, o: OpinionInput): Promise<Acceptance> {
  const id = newReceipt('OP');
  const params = [
    id,
    o.decisionId,
    o.paragraph,
    o.text,
    o.authorName,
    o.contact,
    o.clientKey,
    o.verifiedVia ?? null,
    o.draftHash ?? null,
  ];
  // One statement; straight on the pool when there is one (Prisma's query layer costs more than
  // the insert at a busy window), else through Prisma.
  const pool = poolOf(prisma);
  const rows = pool
    ? (await pool.query<Returned>(ACCEPT_OPINION, params)).rows
    : await prisma.$queryRawUnsafe<Returned[]>(ACCEPT_OPINION, ...params);
  if (rows.length) return acceptance(rows[0]);
  const existing = await prisma.$queryRawUnsafe<Returned[]>(
    `SELECT id, false AS inserted, text_hash = ${TEXT_HASH('$3')} AND paragraph IS NOT DISTINCT FROM $4::int AS same_body
     FROM opinion WHERE decision_id = $1 AND client_key = $2 ORDER BY created_at DESC LIMIT 1`,
    o.decisionId,
    o.clientKey,
    o.text,
    o.paragraph,
  );
  return existing.length ? acceptance(existing[0]) : whyNotInserted(prisma, 'comment', o.decisionId);
}

export async function acceptSurveyAnswer(
  prisma: PrismaClient,
  a: { decisionId: string; answers: Record<string, unknown>; clientKey: string },
): Promise<Acceptance> {
  const id = newReceipt('SV');
  const answers = JSON.stringify(a.answers);
  // As for opinions: one statement, which also says whether a conflicting key holds the same answers.
  const rows = await prisma.$queryRaw<Returned[]>`
    WITH w AS (
      SELECT id FROM public_window
      WHERE decision_id = ${a.decisionId} AND kind = 'survey' AND frozen_at IS NULL
        AND opens_at <= now() AND closes_at > now()
      ORDER BY opens_at DESC LIMIT 1
      FOR SHARE
    ), ins AS (
      INSERT INTO survey_answer (id, decision_id, window_id, answers, client_key)
      SELECT ${id}, ${a.decisionId}, w.id, ${answers}::jsonb, ${a.clientKey} FROM w
      ON CONFLICT (window_id, client_key) DO NOTHING
      RETURNING id
    )
    SELECT id, true AS inserted, true AS same_body FROM ins
    UNION ALL
    (SELECT s.id, false, s.answers = ${answers}::jsonb FROM survey_answer s
      WHERE s.decision_id = ${a.decisionId} AND s.client_key = ${a.clientKey} AND NOT EXISTS (SELECT 1 FROM ins)
      ORDER BY s.created_at DESC LIMIT 1)`;
  if (rows.length) return acceptance(rows[0]);
  const existing = await prisma.$queryRaw<Returned[]>`
    SELECT id, false AS inserted, answers = ${answers}::jsonb AS same_body FROM survey_answer
    WHERE decision_id = ${a.decisionId} AND client_key = ${a.clientKey} ORDER BY created_at DESC LIMIT 1`;
  return existing.length ? acceptance(existing[0]) : whyNotInserted(prisma, 'survey', a.decisionId);
}

/** Nothing was inserted and no row holds the key: no window is open. */
async function whyNotInserted(
  prisma: PrismaClient,
  kind: 'comment' | 'survey',
  decisionId: string,
): Promise<Acceptance> {
  const any = await prisma.publicWindow.findFirst({ where: { decisionId, kind } });
  return { accepted: false, reason: any ? 'closed' : 'no-window' };
}

/** Freezes a window: idempotent, returns the same count and digest however often it is called. */
export async function freezeWindowInput(
  prisma: PrismaClient,
  windowId: string,
): Promise<{ count: number; digest: string }> {
  return prisma.$transaction(async (tx) => {
    const w = await tx.$queryRaw<Array<{ kind: string; frozen_count: number | null; frozen_digest: string | null }>>`
      SELECT kind, frozen_count, frozen_digest FROM public_window WHERE id = ${windowId} FOR UPDATE`;
    if (!w.length) throw new Error(`public window ${windowId} is not in the read model yet`);
    if (w[0].frozen_count !== null && w[0].frozen_digest !== null)
      return { count: w[0].frozen_count, digest: w[0].frozen_digest };
    const [agg] =
      w[0].kind === 'comment'
        ? await tx.$queryRaw<Array<{ count: number; digest: string }>>`
            SELECT count(*)::int AS count,
              'sha256:' || encode(sha256(convert_to(coalesce(string_agg(id || ':' || encode(sha256(convert_to(text, 'UTF8')), 'hex'), E'\n' ORDER BY id), ''), 'UTF8')), 'hex') AS digest
            FROM opinion WHERE window_id = ${windowId}`
        : await tx.$queryRaw<Array<{ count: number; digest: string }>>`
            SELECT count(*)::int AS count,
              'sha256:' || encode(sha256(convert_to(coalesce(string_agg(id || ':' || encode(sha256(convert_to(answers::text, 'UTF8')), 'hex'), E'\n' ORDER BY id), ''), 'UTF8')), 'hex') AS digest
            FROM survey_answer WHERE window_id = ${windowId}`;
    await tx.$executeRaw`
      UPDATE public_window SET frozen_at = now(), frozen_count = ${agg.count}, frozen_digest = ${agg.digest}, closes_at = LEAST(closes_at, now())
      WHERE id = ${windowId}`;
    return agg;
  });
}

/**
 * What the feedback report must account for: the frozen set and how many have a disposition, and
 * a digest of the dispositions themselves, which the report's audit entry keeps (verifyChain
 * recomputes it).
 */
export async function dispositionSummary(
  prisma: PrismaClient,
  windowId: string,
): Promise<{ digest: string; total: number; disposed: number; window: string; dispositionsDigest: string }> {
  const w = await prisma.publicWindow.findUnique({ where: { id: windowId } });
  const total = await prisma.opinion.count({ where: { windowId } });
  const disposed = await prisma.opinion.count({ where: { windowId, disposition: { not: null } } });
  return {
    digest: w?.frozenDigest ?? '',
    total,
    disposed,
    window: windowId,
    dispositionsDigest: await dispositionsDigest(prisma, windowId),
  };
}
