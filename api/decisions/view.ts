import type { DecisionState, StageRecord } from '../../domain/procedure';
import type { StoredRecord } from '../../lib/public-decision';
import { isoTimes } from '../iso-times';

// What the staff API returns for a decision: the workflow state with instants as ISO 8601 and the
// template reduced to its identity (the full template is at GET /api/templates).

const TIME_KEY = /^(at|from)$|At$/;



/**
 * The read model keeps stage records in their own append-only table, not in the state snapshot;
 * records of a stage's current round are `records`, earlier rounds `invalidatedRecords`.
 */
function withRecords(state: DecisionState, stored: StoredRecord[], decisionId: string): Record<string, unknown> {
  const { template: _template, changes, ...rest } = state;
  const procedure = state.procedureId ?? 'main';
  const mine = stored.filter((r) => r.procedureId === procedure);
  const round = new Map(state.stages.map((s) => [s.key as string, s.round]));
  const view = (r: StoredRecord) => ({ ...r, id: r.id.slice(decisionId.length + 1), at: r.at.toISOString() });
  return {
    ...(isoTimes(rest, TIME_KEY) as Record<string, unknown>),
    records: mine.filter((r) => round.get(r.stage) === r.round).map(view),
    invalidatedRecords: mine.filter((r) => round.get(r.stage) !== r.round).map(view),
    ...(changes ? { changes: changes.map((c) => ({ ...(isoTimes({ ...c, procedure: undefined }, TIME_KEY) as object), procedure: withRecords(c.procedure, stored, decisionId) })) } : {}),
  };
}

/** Records of an event in the shape the read model stores them. */
export function storedRecords(decisionId: string, records: StageRecord[]): StoredRecord[] {
  return records.map((r) => ({
    id: `${decisionId}:${r.id}`,
    procedureId: r.procedureId ?? 'main',
    stage: r.stage,
    round: r.round,
    kind: r.kind,
    actorId: r.actor?.id ?? null,
    actorRole: r.actor?.role ?? null,
    draftVersion: r.draftVersion,
    draftHash: r.draftHash,
    content: r.content,
    at: new Date(r.at),
  }));
}

export function decisionView(state: DecisionState, stored: StoredRecord[]): Record<string, unknown> {
  const { template } = state;
  return {
    ...withRecords(state, stored, state.id),
    template: { id: template.id, version: template.version, name: template.name, statutory: template.statutory },
  };
}

export interface DecisionRowLike {
  id: string;
  title: string;
  organId: string;
  templateId: string;
  statutory: boolean;
  status: string;
  currentStage: string | null;
  draftVersion: number;
  draftHash: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export function decisionSummary(r: DecisionRowLike) {
  return {
    id: r.id,
    title: r.title,
    organId: r.organId,
    templateId: r.templateId,
    statutory: r.statutory,
    status: r.status,
    currentStage: r.currentStage,
    draft: { version: r.draftVersion, hash: r.draftHash },
    revision: r.revision,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
