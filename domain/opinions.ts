import type { DecisionState } from './procedure';
import { Refusal } from './refusals';

// The gates of the staff's handling of public opinions, apart from who (that is `opinion.dispose`
// and `opinion.moderate` of domain/authority.ts). Pure.

/** The procedure (the decision's own or a change procedure's) whose window received the opinion. */
export function procedureOfWindow(state: DecisionState, windowId: string): DecisionState {
  return (
    [state, ...(state.changes ?? []).map((c) => c.procedure)].find((p) => p.windows.some((x) => x.id === windowId)) ??
    state
  );
}

/**
 * An opinion is disposed of after its window has closed and before the feedback report of that
 * round is published (Decree 713 Arts 18, 29(2)).
 */
export function checkDisposable(state: DecisionState, windowId: string): void {
  const procedure = procedureOfWindow(state, windowId);
  const w = procedure.windows.find((x) => x.id === windowId);
  const stage = procedure.stages.find((s) => s.key === 'public-participation');
  if (!w?.frozen) throw new Refusal('WINDOW_STILL_OPEN', 'opinions are disposed of after the window has closed');
  if (stage?.status === 'passed' || w.round !== stage?.round) {
    throw new Refusal(
      'STAGE_ALREADY_PASSED',
      'the feedback report is published; dispositions are final',
      undefined,
      'Decree 713 Art 29(2)',
    );
  }
}

export type ModerationAction = 'hide' | 'restore';

/** Hiding hides a visible opinion; restoring restores a hidden one. */
export function checkModeration(opinion: { hiddenAt: Date | null }, action: ModerationAction): void {
  if (action === 'hide' && opinion.hiddenAt) throw new Refusal('ALREADY_HIDDEN', 'the opinion is already hidden');
  if (action === 'restore' && !opinion.hiddenAt) throw new Refusal('NOT_HIDDEN', 'the opinion is not hidden');
}
