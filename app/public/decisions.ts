import { inForceAt, type DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import {
  loadPublicDecision,
  nextPublicDate,
  publicDecisions,
  type PublicDecision,
  type StoredRecord,
} from '../../lib/public-decision';
import type { AppDeps } from '../deps';
import type { PublicClient } from './client';

// The public queries of a decision (docs/authority.md: decision.public-read, catalog.read).
// Anyone may read a decision once it is disclosed (domain/public.ts isPublic); before that it does
// not exist for the public, and the answer is the one an unknown id gets.

const notDisclosed = (id: string) => new Refusal('DECISION_NOT_FOUND', `decision ${id} not found or not yet disclosed`);

/** A disclosed decision with its current draft, stage records and organ; 404 before disclosure. */
export async function readDisclosedDecision(
  _client: PublicClient,
  input: { decisionId: string },
  deps: AppDeps,
): Promise<PublicDecision> {
  const d = input.decisionId ? await loadPublicDecision(deps.prisma, input.decisionId) : null;
  if (!d) throw notDisclosed(input.decisionId);
  return d;
}

export interface InForceText {
  decisionId: string;
  answer: ReturnType<typeof inForceAt>;
  text: string | null;
  explanation: string | null;
  /** The stage records of the procedure that adopted the version in force. */
  procedure: Array<{ stage: string; kind: string; at: Date; draftVersion: number }>;
}

/** Which text of a published decision was in force at a moment, and the procedure that adopted it. */
export async function readInForceText(
  _client: PublicClient,
  input: { decisionId: string; at?: number },
  deps: AppDeps,
): Promise<InForceText> {
  const row = await deps.prisma.decision.findUnique({ where: { id: input.decisionId }, select: { state: true } });
  const state = row?.state as unknown as DecisionState | undefined;
  if (!state || state.publishedAt === null)
    throw new Refusal('DECISION_NOT_FOUND', `decision ${input.decisionId} not found or not published`);
  const answer = inForceAt(state, input.at ?? Date.now());
  const v = answer.version;
  const [doc, procedure] = v
    ? await Promise.all([
        deps.prisma.draftDocument.findUnique({
          where: { decisionId_hash: { decisionId: input.decisionId, hash: v.hash } },
        }),
        deps.prisma.stageRecord.findMany({
          where: { decisionId: input.decisionId, procedureId: v.adoptedBy },
          orderBy: { at: 'asc' },
          select: { stage: true, kind: true, at: true, draftVersion: true },
        }),
      ])
    : [null, []];
  return {
    decisionId: input.decisionId,
    answer,
    text: doc?.text ?? null,
    explanation: doc?.explanation ?? null,
    procedure,
  };
}

export interface CatalogueEntry {
  id: string;
  title: string;
  organName: string;
  status: string;
  currentStage: string | null;
  next: ReturnType<typeof nextPublicDate>;
}

/** This year's disclosed decisions (Beijing time), newest first, each with its next public date. */
export async function readCatalogue(
  _client: PublicClient,
  input: { year: number },
  deps: AppDeps,
): Promise<CatalogueEntry[]> {
  const decisions = await publicDecisions(deps.prisma, { year: input.year });
  const ids = decisions.map((d) => d.row.id);
  const [notices, organs] = await Promise.all([
    deps.prisma.stageRecord.findMany({
      where: { decisionId: { in: ids }, kind: 'hearing-notice' },
      orderBy: { at: 'asc' },
    }),
    deps.prisma.organ.findMany({ select: { id: true, name: true } }),
  ]);
  const organName = new Map(organs.map((o) => [o.id, o.name]));
  return decisions.map(({ row, state }) => ({
    id: row.id,
    title: row.title,
    organName: organName.get(state.organId) ?? state.organId,
    status: state.status,
    currentStage: state.currentStage,
    next: nextPublicDate(state, notices.filter((n) => n.decisionId === row.id) as StoredRecord[]),
  }));
}

export interface FeedEntry {
  id: string;
  title: string;
  summary: string;
  status: string;
  currentStage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The decisions of the Atom feed: the 100 most recently moved, newest first. */
export async function readDecisionFeed(
  _client: PublicClient,
  _input: Record<string, never>,
  deps: AppDeps,
): Promise<FeedEntry[]> {
  const decisions = (await publicDecisions(deps.prisma))
    .sort((a, b) => b.row.updatedAt.getTime() - a.row.updatedAt.getTime())
    .slice(0, 100);
  return decisions.map(({ row, state }) => ({
    id: row.id,
    title: state.title,
    summary: state.summary,
    status: state.status,
    currentStage: state.currentStage,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}
