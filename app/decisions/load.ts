import { WorkflowNotFoundError } from '@temporalio/client';
import { authorize, type AuthorityActor, type Operation, type Scope } from '../../domain/authority';
import type { DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { canonicalJson, sha256 } from '../../lib/audit-chain';
import { decisionStateQuery, workflowIdFor } from '../../workflows/definitions';
import type { AppDeps } from '../deps';
import { decisionScope } from '../scope';

// Loading a decision for a command or a query, with the scope its authority rules need.

export type Deps = Pick<AppDeps, 'prisma' | 'temporal'>;

export const draftHash = (text: string, explanation: string) => sha256(canonicalJson({ text, explanation }));

export interface Loaded {
  state: DecisionState;
  /** False in the moment between the workflow's start and its first record. */
  recorded: boolean;
  scope: Scope;
}

/**
 * The decision as the read model has it; in the moment between its workflow's start and its
 * first record, as the workflow itself answers (the workflow is the source of truth).
 */
export async function loadState(deps: Deps, id: string): Promise<{ state: DecisionState; recorded: boolean }> {
  const row = await deps.prisma.decision.findUnique({ where: { id }, select: { state: true } });
  if (row) return { state: row.state as unknown as DecisionState, recorded: true };
  try {
    return {
      state: await deps.temporal.workflow.getHandle(workflowIdFor(id)).query(decisionStateQuery),
      recorded: false,
    };
  } catch (e) {
    if (e instanceof WorkflowNotFoundError || (e as { name?: string }).name === 'WorkflowNotFoundError')
      throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found`);
    throw e;
  }
}

export async function loadDecision(deps: Deps, id: string): Promise<Loaded> {
  const { state, recorded } = await loadState(deps, id);
  return { state, recorded, scope: await decisionScope(deps, state) };
}

/** Loads the decision and authorizes the operation on it (a read: nothing is audited). */
export async function loadFor(actor: AuthorityActor, op: Operation, deps: Deps, id: string): Promise<Loaded> {
  const loaded = await loadDecision(deps, id);
  authorize(actor, op, loaded.scope);
  return loaded;
}
