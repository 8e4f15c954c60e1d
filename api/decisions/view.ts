import type { DecisionState } from '../../domain/procedure';
import type { StoredRecord } from '../../lib/public-decision';
import type { DecisionRow } from '../../app/decisions/queries';
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
    ...(changes
      ? {
          changes: changes.map((c) => ({
            ...(isoTimes({ ...c, procedure: undefined }, TIME_KEY) as object),
            procedure: withRecords(c.procedure, stored, decisionId),
          })),
        }
      : {}),
  };
}

export function decisionView(state: DecisionState, stored: StoredRecord[]): Record<string, unknown> {
  const { template } = state;
  return {
    ...withRecords(state, stored, state.id),
    template: { id: template.id, version: template.version, name: template.name, statutory: template.statutory },
  };
}

export function decisionSummary(r: DecisionRow) {
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
