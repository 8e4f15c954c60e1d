import type { ActionName, ActionPayload } from '../../actions';
import type { EventBuilder } from '../model';
import type { Actor, ActorRecord, DecisionState } from '../state';

export interface ActionContext<A extends ActionName> {
  state: DecisionState;
  payload: ActionPayload<A>;
  /** The actor as authenticated, and the record of the role they act in. */
  actor: Actor;
  by: ActorRecord;
  now: number;
}

/**
 * `check` applies the action's own gates and must not mutate; `apply` assumes `check` passed.
 * Both are synchronous: the workflow runs `check` in an update validator.
 */
export interface ActionHandler<A extends ActionName> {
  check?(ctx: ActionContext<A>): void;
  apply(ctx: ActionContext<A>, ev: EventBuilder): void;
}

export type HandlerTable = { [A in ActionName]: ActionHandler<A> };
