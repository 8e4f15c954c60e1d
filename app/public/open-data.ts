import { opinionVisibility } from '../../domain/public';
import type { CsvValue } from '../../lib/csv';
import type { PrismaClient } from '../../lib/db';
import { CAMPAIGN_MIN } from '../../lib/moderation';
import { hearingNoticeOf, publicDecisions, type StoredRecord } from '../../lib/public-decision';
import { OPINION_SELECT } from '../../lib/public-opinions';
import type { AppDeps } from '../deps';
import type { PublicClient } from './client';
import { windowsOf } from './opinions';

// Open data: every public decision and every opinion the public may see, with its handling. The
// fields are documented in docs/open-data.md; their names and meanings are a contract. No
// personal data: no author names, contacts, client keys, or the names of officials.

export const DECISION_FIELDS = [
  'id',
  'title',
  'summary',
  'organ_id',
  'organ_name',
  'template_id',
  'statutory',
  'status',
  'current_stage',
  'draft_version',
  'created_at',
  'predisclosed_at',
  'comment_window_closes_at',
  'opinions_received',
  'opinions_adopted',
  'opinions_partly_adopted',
  'opinions_not_adopted',
  'opinions_pending',
  'opinions_hidden',
  'campaigns',
  'survey_answers',
  'hearing_at',
  'published_at',
  'in_force_at',
  'url',
] as const;

export const OPINION_FIELDS = [
  'receipt',
  'decision_id',
  'paragraph',
  'submitted_at',
  'text',
  'hidden',
  'hidden_reason',
  'disposition',
  'disposition_reason',
  'disposed_at',
  'campaign_size',
] as const;

export type Row<F extends readonly string[]> = Record<F[number], CsvValue>;
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

async function opinionCounts(prisma: PrismaClient, ids: string[]) {
  const rows = await prisma.$queryRaw<
    Array<{
      decision_id: string;
      total: number;
      adopted: number;
      partly: number;
      not_adopted: number;
      hidden: number;
      campaigns: number;
    }>
  >`
    SELECT o.decision_id, count(*)::int AS total,
      count(*) FILTER (WHERE disposition = 'adopted')::int AS adopted,
      count(*) FILTER (WHERE disposition = 'partly-adopted')::int AS partly,
      count(*) FILTER (WHERE disposition = 'not-adopted')::int AS not_adopted,
      count(*) FILTER (WHERE hidden_at IS NOT NULL)::int AS hidden,
      (SELECT count(*)::int FROM (SELECT 1 FROM opinion c WHERE c.decision_id = o.decision_id AND c.text_hash IS NOT NULL
        GROUP BY c.text_hash HAVING count(*) >= ${CAMPAIGN_MIN}) g) AS campaigns
    FROM opinion o WHERE o.decision_id = ANY(${ids}::text[]) GROUP BY o.decision_id`;
  return new Map(rows.map((r) => [r.decision_id, r]));
}

/** Every disclosed decision with its counts (counts are public while a window is open). */
export async function readOpenDataDecisions(
  _client: PublicClient,
  input: { base: string },
  deps: AppDeps,
): Promise<Array<Row<typeof DECISION_FIELDS>>> {
  const { prisma } = deps;
  const base = input.base;
  const decisions = await publicDecisions(prisma);
  const ids = decisions.map((d) => d.row.id);
  const [counts, answers, notices, organs] = await Promise.all([
    opinionCounts(prisma, ids),
    prisma.surveyAnswer.groupBy({ by: ['decisionId'], where: { decisionId: { in: ids } }, _count: { _all: true } }),
    prisma.stageRecord.findMany({
      where: { decisionId: { in: ids }, kind: 'hearing-notice', procedureId: 'main' },
      orderBy: { at: 'asc' },
    }),
    prisma.organ.findMany({ select: { id: true, name: true } }),
  ]);
  const organName = new Map(organs.map((o) => [o.id, o.name]));
  return decisions.map(({ row, state }) => {
    const c = counts.get(row.id);
    const comment = state.windows.filter((w) => w.kind === 'comment');
    const notice = hearingNoticeOf(notices.filter((n) => n.decisionId === row.id) as StoredRecord[]);
    const total = c?.total ?? 0;
    const disposed = (c?.adopted ?? 0) + (c?.partly ?? 0) + (c?.not_adopted ?? 0);
    return {
      id: row.id,
      title: state.title,
      summary: state.summary,
      organ_id: state.organId,
      organ_name: organName.get(state.organId) ?? null,
      template_id: state.template.id,
      statutory: state.template.statutory,
      status: state.status,
      current_stage: state.currentStage,
      draft_version: state.draft.version,
      created_at: iso(state.createdAt),
      predisclosed_at: iso(comment[0]?.opensAt),
      comment_window_closes_at: iso(comment[comment.length - 1]?.closesAt),
      opinions_received: total,
      opinions_adopted: c?.adopted ?? 0,
      opinions_partly_adopted: c?.partly ?? 0,
      opinions_not_adopted: c?.not_adopted ?? 0,
      opinions_pending: total - disposed,
      opinions_hidden: c?.hidden ?? 0,
      campaigns: c?.campaigns ?? 0,
      survey_answers: answers.find((a) => a.decisionId === row.id)?._count._all ?? 0,
      hearing_at: notice?.heldAt ?? null,
      published_at: iso(state.publishedAt),
      in_force_at: iso(state.inForceAt),
      url: `${base}/decisions/${encodeURIComponent(row.id)}`,
    };
  });
}

/**
 * Every opinion the visibility rule lets the public see (domain/public.ts): those of windows that
 * have closed, a hidden one with its reason and without its text. An opinion of an open window is
 * not listed: it is counted in the decisions dataset.
 */
export async function readOpenDataOpinions(
  _client: PublicClient,
  input: { now?: number },
  deps: AppDeps,
): Promise<Array<Row<typeof OPINION_FIELDS>>> {
  const { prisma } = deps;
  const now = input.now ?? Date.now();
  const decisions = await publicDecisions(prisma);
  const windows = new Map(decisions.map((d) => [d.row.id, windowsOf(d.state)]));
  const all = await prisma.opinion.findMany({
    where: { decisionId: { in: [...windows.keys()] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: OPINION_SELECT,
  });
  const visibility = (r: (typeof all)[number]) =>
    opinionVisibility({ hidden: r.hiddenAt !== null }, windows.get(r.decisionId)?.(r.windowId) ?? null, now);
  const rows = all.filter((r) => visibility(r) !== 'withheld');
  const sizes = new Map<string, number>();
  for (const r of all)
    if (r.textHash) sizes.set(`${r.decisionId}:${r.textHash}`, (sizes.get(`${r.decisionId}:${r.textHash}`) ?? 0) + 1);
  return rows.map((r) => ({
    receipt: r.id,
    decision_id: r.decisionId,
    paragraph: r.paragraph,
    submitted_at: r.createdAt,
    text: visibility(r) === 'visible' ? r.text : null,
    hidden: r.hiddenAt !== null,
    hidden_reason: r.hiddenReason,
    disposition: r.disposition,
    disposition_reason: r.dispositionReason,
    disposed_at: r.disposedAt,
    campaign_size: r.textHash ? (sizes.get(`${r.decisionId}:${r.textHash}`) ?? 1) : 1,
  }));
}
