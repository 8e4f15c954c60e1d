import type { NextFunction, Request, Response } from 'express';
import { toCsv, type CsvValue } from '../../api/integrity/csv';
import { latestCheckpoint } from '../../lib/checkpoints';
import type { PrismaClient } from '../../lib/db';
import { CAMPAIGN_MIN } from '../../lib/moderation';
import { hearingNoticeOf, publicDecisions, type StoredRecord } from '../../lib/public-decision';

// Open data: every public decision and every opinion with its handling, as JSON and CSV. The
// fields are documented in docs/open-data.md; their names and meanings are a contract. No
// personal data: no author names, contacts, client keys, or the names of officials.

export const DECISION_FIELDS = [
  'id', 'title', 'summary', 'organ_id', 'organ_name', 'template_id', 'statutory', 'status', 'current_stage', 'draft_version',
  'created_at', 'predisclosed_at', 'comment_window_closes_at', 'opinions_received', 'opinions_adopted', 'opinions_partly_adopted',
  'opinions_not_adopted', 'opinions_pending', 'opinions_hidden', 'campaigns', 'survey_answers', 'hearing_at', 'published_at', 'in_force_at', 'url',
] as const;

export const OPINION_FIELDS = [
  'receipt', 'decision_id', 'paragraph', 'submitted_at', 'text', 'hidden', 'hidden_reason', 'disposition', 'disposition_reason', 'disposed_at', 'campaign_size',
] as const;

type Row<F extends readonly string[]> = Record<F[number], CsvValue>;
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
export const baseUrl = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

async function opinionCounts(prisma: PrismaClient, ids: string[]) {
  const rows = await prisma.$queryRaw<Array<{ decision_id: string; total: number; adopted: number; partly: number; not_adopted: number; hidden: number; campaigns: number }>>`
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

export async function decisionRows(prisma: PrismaClient, base: string): Promise<Array<Row<typeof DECISION_FIELDS>>> {
  const decisions = await publicDecisions(prisma);
  const ids = decisions.map((d) => d.row.id);
  const [counts, answers, notices, organs] = await Promise.all([
    opinionCounts(prisma, ids),
    prisma.surveyAnswer.groupBy({ by: ['decisionId'], where: { decisionId: { in: ids } }, _count: { _all: true } }),
    prisma.stageRecord.findMany({ where: { decisionId: { in: ids }, kind: 'hearing-notice', procedureId: 'main' }, orderBy: { at: 'asc' } }),
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

export async function opinionRows(prisma: PrismaClient): Promise<Array<Row<typeof OPINION_FIELDS>>> {
  const publicIds = (await publicDecisions(prisma)).map((d) => d.row.id);
  const rows = await prisma.opinion.findMany({
    where: { decisionId: { in: publicIds } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, decisionId: true, paragraph: true, createdAt: true, text: true, textHash: true, hiddenAt: true, hiddenReason: true, disposition: true, dispositionReason: true, disposedAt: true },
  });
  const sizes = new Map<string, number>();
  for (const r of rows) if (r.textHash) sizes.set(`${r.decisionId}:${r.textHash}`, (sizes.get(`${r.decisionId}:${r.textHash}`) ?? 0) + 1);
  return rows.map((r) => ({
    receipt: r.id,
    decision_id: r.decisionId,
    paragraph: r.paragraph,
    submitted_at: r.createdAt,
    text: r.hiddenAt ? null : r.text,
    hidden: r.hiddenAt !== null,
    hidden_reason: r.hiddenReason,
    disposition: r.disposition,
    disposition_reason: r.dispositionReason,
    disposed_at: r.disposedAt,
    campaign_size: r.textHash ? (sizes.get(`${r.decisionId}:${r.textHash}`) ?? 1) : 1,
  }));
}

function send<F extends readonly string[]>(res: Response, name: string, format: string, fields: F, rows: Array<Row<F>>): void {
  if (format === 'csv') {
    res.set({ 'Content-Type': 'text/csv; charset=utf-8; header=present', 'Content-Disposition': `attachment; filename="${name}.csv"` }).send(Buffer.from(toCsv(fields, rows), 'utf8'));
    return;
  }
  const json = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
  res.json({ dataset: name, generatedAt: new Date().toISOString(), fields, documentation: '/open-data#fields', records: json });
}

const FORMATS = ['json', 'csv'];

export function openDataRoutes(prisma: PrismaClient) {
  return {
    decisions: async (req: Request, res: Response, next: NextFunction) =>
      FORMATS.includes(String(req.params.format)) ? send(res, 'decisions', String(req.params.format), DECISION_FIELDS, await decisionRows(prisma, baseUrl(req))) : next(),
    opinions: async (req: Request, res: Response, next: NextFunction) =>
      FORMATS.includes(String(req.params.format)) ? send(res, 'opinions', String(req.params.format), OPINION_FIELDS, await opinionRows(prisma)) : next(),
    /** The latest signed checkpoint of every audit chain's head (the key: /api/public/checkpoints/key). */
    checkpoints: async (_req: Request, res: Response) => {
      res.json({ dataset: 'checkpoints', generatedAt: new Date().toISOString(), key: '/api/public/checkpoints/key', latest: await latestCheckpoint(prisma) });
    },
  };
}
