import { ACTION_SPECS, actionPayloadSchemas, isActionName, type ActionName, type ActionPayload } from '../actions';
import { Refusal } from '../refusals';
import type { StageKey } from '../stages';
import {
  actionStage,
  checkActor,
  checkAssigned,
  checkDraftVersion,
  checkNotAdopted,
  checkNotReturned,
  checkOpen,
  checkStageReached,
} from './gates';
import {
  assign,
  withdrawAssignment,
  fileExpertOpinion,
  fileFairnessReview,
  fileLegalityReview,
  fileRiskReport,
  submitForLegalityReview,
} from './handlers/reviews';
import { closeWindowEarly, openSurvey, predisclose, publishFeedback } from './handlers/participation';
import { decide, recordMinutes, submitForDiscussion } from './handlers/discussion';
import { announce, publish, recordHearing, reportToPartyCommittee, scheduleHearing } from './handlers/publicity';
import { reviseDraft, withdraw } from './handlers/lifecycle';
import { requestChange } from './change';
import type { ActionContext, HandlerTable } from './handlers/types';
import { EventBuilder } from './model';
import type { Actor, ActorRecord, DecisionState, ProcedureEvent } from './state';

// The procedure engine: `checkAction` is every gate, run synchronously in the workflow's update
// validator (a refusal never enters history); `applyAction` mutates the state and returns the
// event the activities record. Both are pure functions of (state, command, now).

const HANDLERS: HandlerTable = {
  predisclose,
  'open-survey': openSurvey,
  'close-window-early': closeWindowEarly,
  'publish-feedback': publishFeedback,
  assign,
  'withdraw-assignment': withdrawAssignment,
  'file-expert-opinion': fileExpertOpinion,
  'file-risk-report': fileRiskReport,
  'submit-for-legality-review': submitForLegalityReview,
  'file-legality-review': fileLegalityReview,
  'file-fairness-review': fileFairnessReview,
  'submit-for-discussion': submitForDiscussion,
  'record-minutes': recordMinutes,
  decide,
  announce,
  'schedule-hearing': scheduleHearing,
  'record-hearing': recordHearing,
  'report-to-party-committee': reportToPartyCommittee,
  publish,
  withdraw,
  'revise-draft': reviseDraft,
  'request-change': requestChange,
};

export interface ActionCommand {
  action: string;
  actor: Actor;
  payload: unknown;
  /** Set to act on the procedure of one of the decision's change requests. */
  changeId?: string;
}

export interface CheckedAction<A extends ActionName = ActionName> {
  action: A;
  payload: ActionPayload<A>;
  actor: Actor;
  by: ActorRecord;
  stage: StageKey | null;
}

export function parsePayload<A extends ActionName>(action: A, payload: unknown): ActionPayload<A> {
  const parsed = actionPayloadSchemas[action].safeParse(payload);
  if (!parsed.success) {
    throw new Refusal('INVALID_INPUT', `invalid payload for "${action}"`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return parsed.data as ActionPayload<A>;
}

/** Applies every gate; throws a Refusal naming the first one that fails. Never mutates. */
export function checkAction(state: DecisionState, cmd: ActionCommand, now: number): CheckedAction {
  if (!isActionName(cmd.action)) throw new Refusal('ACTION_UNKNOWN', `there is no action "${cmd.action}"`);
  const action = cmd.action;
  checkOpen(state);
  const payload = parsePayload(action, cmd.payload);
  const by = checkActor(state, action, cmd.actor);
  checkNotAdopted(state, action);
  const stage = actionStage(action, payload);
  if (stage) {
    checkStageReached(state, stage);
    checkNotReturned(state);
    if (ACTION_SPECS[action].assigned) checkAssigned(state, stage, cmd.actor);
  }
  checkDraftVersion(state, payload);
  const ctx = { state, payload, actor: cmd.actor, by, now } as ActionContext<typeof action>;
  (HANDLERS[action] as { check?: (c: typeof ctx) => void }).check?.(ctx);
  return { action, payload, actor: cmd.actor, by, stage };
}

/** Applies an action that passed `checkAction` at the same `now`. */
export function applyAction(
  state: DecisionState,
  checked: CheckedAction,
  now: number,
  eventId: string,
): ProcedureEvent {
  state.revision += 1;
  const ev = new EventBuilder(state, {
    id: eventId,
    type: checked.action,
    at: now,
    actor: checked.by,
    stage: checked.stage,
    payload: checked.payload as Record<string, unknown>,
  });
  const ctx = { state, payload: checked.payload, actor: checked.actor, by: checked.by, now } as ActionContext<
    typeof checked.action
  >;
  (HANDLERS[checked.action] as { apply: (c: typeof ctx, e: EventBuilder) => void }).apply(ctx, ev);
  return ev.event;
}
