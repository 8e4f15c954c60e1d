import { Refusal } from '../refusals';
import { activeChange, changesOf, findChange, settleChange } from './change';
import { applyAction, checkAction, type ActionCommand, type CheckedAction } from './engine';
import type { Deadline, DecisionState, ProcedureEvent, PublicWindow } from './state';
import {
  dueDeadlines,
  fireDeadline,
  freezeWindow,
  nextDeadlineAt,
  resolveDeadline,
  unresolvedDeadlines,
  windowForDeadline,
} from './timers';

// A decision is its own procedure plus, after adoption, the procedure of the change request in
// progress. This module runs actions and timers across both, exactly as the workflow does, so
// the workflow and the tests drive one implementation.

/** The procedure an action addresses: the decision's, or that of one of its change requests. */
export function targetOf(state: DecisionState, cmd: { changeId?: string }): DecisionState {
  if (!cmd.changeId) return state;
  const change = findChange(state, cmd.changeId);
  if (change.status !== 'in-procedure')
    throw new Refusal('DECISION_CLOSED', `change request ${change.id} is ${change.status}; its record is closed`, {
      changeId: change.id,
    });
  return change.procedure;
}

export function checkCommand(
  state: DecisionState,
  cmd: ActionCommand & { changeId?: string },
  now: number,
): CheckedAction {
  return checkAction(targetOf(state, cmd), cmd, now);
}

/** Applies a checked command; an action that completes a change procedure also applies the change. */
export function performCommand(
  state: DecisionState,
  cmd: { changeId?: string },
  checked: CheckedAction,
  now: number,
  eventId: string,
): ProcedureEvent[] {
  const target = targetOf(state, cmd);
  const events = [applyAction(target, checked, now, eventId)];
  if (cmd.changeId) {
    const settled = settleChange(state, findChange(state, cmd.changeId), now);
    if (settled) events.push(settled);
  }
  return events;
}

/** The decision's procedure and the change procedure in progress, if any. */
export function liveProcedures(state: DecisionState): DecisionState[] {
  const c = activeChange(state);
  return c ? [state, c.procedure] : [state];
}

export function nextDeadlineAcross(state: DecisionState): number | null {
  const all = liveProcedures(state)
    .map(nextDeadlineAt)
    .filter((x): x is number => x !== null);
  return all.length ? Math.min(...all) : null;
}

export function unresolvedAcross(state: DecisionState): Array<{ procedure: DecisionState; deadline: Deadline }> {
  return liveProcedures(state).flatMap((procedure) =>
    unresolvedDeadlines(procedure).map((deadline) => ({ procedure, deadline })),
  );
}

export function resolveAcross(procedure: DecisionState, deadline: Deadline, at: number, now: number): ProcedureEvent {
  return resolveDeadline(procedure, deadline.id, at, now);
}

export interface DueWork {
  procedure: DecisionState;
  deadline: Deadline;
  /** Set when the deadline closes a public window: its input must be frozen first. */
  window?: PublicWindow;
}

export function firstDue(state: DecisionState, now: number): DueWork | null {
  for (const procedure of liveProcedures(state)) {
    const deadline = dueDeadlines(procedure, now)[0];
    if (deadline) return { procedure, deadline, window: windowForDeadline(procedure, deadline) };
  }
  return null;
}

/** Fires a due deadline (a window's with its frozen input) and settles a change it completes. */
export function fireDue(
  state: DecisionState,
  work: DueWork,
  now: number,
  frozen?: { count: number; digest: string },
): ProcedureEvent[] {
  const ev = work.window
    ? freezeWindow(work.procedure, work.deadline, now, frozen!)
    : fireDeadline(work.procedure, work.deadline, now);
  const events = ev ? [ev] : [];
  if (work.procedure !== state) {
    const change = changesOf(state).find((c) => c.procedure === work.procedure);
    const settled = change ? settleChange(state, change, now) : null;
    if (settled) events.push(settled);
  }
  return events;
}
