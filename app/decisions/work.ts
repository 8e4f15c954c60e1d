import { ACTION_SPECS, type ActionName } from '../../domain/actions';
import type { Actor, Assignment, DecisionState } from '../../domain/procedure';
import { TERMINAL_STATUSES } from '../../domain/procedure';
import { API_ACTIONS } from './schemas';

// What a person has to do: the open assignments of the offices they hold (with their deadlines)
// and, for the organ's own roles, the actions the current stage of each decision of their organs
// expects. Pure over the read model's state snapshots (app/decisions/queries.ts finds them).

export interface AssignmentItem {
  decisionId: string;
  title: string;
  changeId: string | null;
  assignment: Assignment;
  dueAt: number | null;
  overdue: boolean;
}

export interface OrganItem {
  decisionId: string;
  title: string;
  stage: string | null;
  status: string;
  actions: ActionName[];
}

const procedures = (s: DecisionState) => [
  { changeId: null as string | null, p: s },
  ...(s.changes ?? [])
    .filter((c) => c.status === 'in-procedure')
    .map((c) => ({ changeId: c.id as string | null, p: c.procedure })),
];

export function assignmentsOf(
  state: DecisionState,
  officeIds: string[],
  userId: string,
  now: number,
): AssignmentItem[] {
  if (TERMINAL_STATUSES.includes(state.status)) return [];
  return procedures(state).flatMap(({ changeId, p }) =>
    p.assignments
      .filter((a) => a.status === 'open' && (a.officeId ? officeIds.includes(a.officeId) : a.userId === userId))
      .filter((a) => p.stages.find((s) => s.key === a.stage)?.round === a.round)
      .map((a) => {
        const d = p.deadlines.find((x) => x.id === a.deadlineId);
        const dueAt = d?.at ?? null;
        return {
          decisionId: state.id,
          title: state.title,
          changeId,
          assignment: a,
          dueAt,
          overdue: a.escalatedAt !== undefined || (dueAt !== null && dueAt < now),
        };
      }),
  );
}

/** Actions the actor's roles may take in each decision's current stage (the gates decide). */
export function organWork(state: DecisionState, actor: Actor): OrganItem[] {
  if (TERMINAL_STATUSES.includes(state.status) || !(actor.actsFor ?? [actor.organId]).includes(state.organId))
    return [];
  return procedures(state).flatMap(({ p }) => {
    const actions = API_ACTIONS.filter((a) => {
      const spec = ACTION_SPECS[a];
      if (!spec.sameOrgan || !spec.roles.some((r) => actor.roles.includes(r))) return false;
      return (
        spec.stage === p.currentStage ||
        (spec.stage === 'payload' &&
          a === 'assign' &&
          ['expert-demonstration', 'risk-assessment', 'fairness-review'].includes(p.currentStage ?? ''))
      );
    });
    return actions.length
      ? [{ decisionId: state.id, title: p.title, stage: p.currentStage, status: p.status, actions }]
      : [];
  });
}
