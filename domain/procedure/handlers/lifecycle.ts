import { Refusal } from '../../refusals';
import type { StageKey } from '../../stages';
import {
  addDeadline,
  addRecord,
  cancelDeadline,
  openAssignments,
  refreshStages,
  stageOf,
  type EventBuilder,
} from '../model';
import type { DecisionState } from '../state';
import type { ActionHandler } from './types';

// Withdrawal by the organ, and draft revision. A revision binds the procedure to the new content
// hash: the stages the template lists (at least legality and fair-competition review, DOMAIN §3
// inv. 3), and the stage that returned the draft, lose their records of the older version and
// run again. Nothing is deleted: earlier rounds move to `invalidatedRecords`.

export const withdraw: ActionHandler<'withdraw'> = {
  apply({ state, payload, by }, ev) {
    state.status = 'withdrawn';
    state.withdrawn = { at: ev.event.at, reason: payload.reason, by };
    for (const d of state.deadlines) cancelDeadline(state, d.id);
    if (state.currentStage) addRecord(state, ev, state.currentStage, 'withdrawal', by, { reason: payload.reason });
    ev.effect(`withdrawn by the organ: ${payload.reason}`);
  },
};

function reopenStage(state: DecisionState, key: StageKey, ev: EventBuilder): void {
  const stage = stageOf(state, key);
  const old = state.records.filter((r) => r.stage === key && r.round === stage.round);
  if (stage.status !== 'passed' && old.length === 0) return;
  const carried = key === 'legality-review' ? [] : openAssignments(state, key);
  for (const a of openAssignments(state, key)) {
    a.status = 'withdrawn';
    cancelDeadline(state, a.deadlineId);
  }
  if (key === 'legality-review') cancelDeadline(state, `legality-minimum:${stage.round}`);
  state.records = state.records.filter((r) => !(r.stage === key && r.round === stage.round));
  state.invalidatedRecords.push(...old);
  stage.round += 1;
  stage.status = 'pending';
  delete stage.passed;
  const deadline = state.template.stages.find((s) => s.key === key)?.assignmentDeadline;
  for (const a of carried) {
    const id = `${key}:${stage.round}:${a.officeId ?? a.userId}`;
    const deadlineId = deadline ? `assignment:${id}` : null;
    if (deadline && deadlineId)
      addDeadline(state, deadlineId, 'assignment', ev.event.at, deadline, { assignmentId: id });
    state.assignments.push({
      ...a,
      id,
      round: stage.round,
      status: 'open',
      assignedAt: ev.event.at,
      deadlineId,
      escalatedAt: undefined,
    });
    ev.notify(
      a.role,
      'assigned',
      `Draft v${state.draft.version} of "${state.title}" needs your ${key} again.`,
      a.officeId ?? a.userId,
    );
  }
  ev.effect(`stage ${key} re-opened (round ${stage.round}): ${old.length} records of the earlier draft invalidated`);
}

export const reviseDraft: ActionHandler<'revise-draft'> = {
  check({ state, payload }) {
    if (payload.hash === state.draft.hash)
      throw new Refusal('DRAFT_UNCHANGED', 'the uploaded draft is identical to the current version');
    const open = state.windows.find((w) => !w.frozen && w.round === stageOf(state, 'public-participation').round);
    if (open)
      throw new Refusal(
        'PUBLIC_WINDOW_OPEN',
        `the ${open.kind} window is open: the published draft cannot change under the public`,
      );
  },
  apply({ state, payload, by }, ev) {
    const version = state.draft.version + 1;
    state.draft = { version, hash: payload.hash };
    state.drafts.push({ version, hash: payload.hash, at: ev.event.at, by, changeNote: payload.changeNote });
    ev.event.draftVersion = version;
    ev.event.draftHash = payload.hash;
    ev.effect(`draft v${version} ${payload.hash}`);
    // Collective discussion adopts only the exact version that passed legality review, so a
    // package or minutes of an earlier version never survive a revision (DOMAIN §3 inv. 3).
    const reopen = new Set<StageKey>([...state.template.revisionInvalidates, 'collective-discussion']);
    if (state.returned) reopen.add(state.returned.stage);
    for (const key of state.stages.map((s) => s.key)) {
      if (reopen.has(key) && stageOf(state, key).status !== 'not-applicable') reopenStage(state, key, ev);
    }
    if (state.status === 'returned-for-revision') {
      state.status = 'in-procedure';
      state.returned = null;
    }
    refreshStages(state);
    ev.effect(`stage ${state.currentStage} is now active`);
  },
};
