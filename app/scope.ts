import type { Scope } from '../domain/authority';
import type { DecisionState } from '../domain/procedure';
import type { StageKey } from '../domain/stages';
import { organLineage } from '../lib/directory';
import type { AppDeps } from './deps';

// The scope the authority rules need (domain/authority.ts), loaded from the stores. A decision's
// assignments name offices; an assignment recorded before offices existed names only a person,
// and is matched as `user:<id>`.

const assignmentKeys = (p: DecisionState, stage?: StageKey) =>
  p.assignments
    .filter((a) => !stage || (a.stage === stage && a.status === 'open'))
    .map((a) => a.officeId ?? `user:${a.userId}`);

/** Every procedure of a decision: its own and those of its change requests. */
const procedures = (state: DecisionState): DecisionState[] => [state, ...(state.changes ?? []).map((c) => c.procedure)];

export async function decisionScope(
  deps: Pick<AppDeps, 'prisma'>,
  state: DecisionState,
  at?: { stage: StageKey | null; procedure: DecisionState },
): Promise<Scope> {
  return {
    organLineage: await organLineage(deps.prisma, state.organId),
    assignedOffices: procedures(state).flatMap((p) => assignmentKeys(p)),
    ...(at?.stage ? { stageOffices: assignmentKeys(at.procedure, at.stage) } : {}),
  };
}
