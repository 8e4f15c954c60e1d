import { ACTION_SPECS, type ActionName } from '../actions';
import { Refusal } from '../refusals';
import { STAGE_LEGAL_BASIS, type Role, type StageKey } from '../stages';
import { openAssignments, stageOf, stageOrder } from './model';
import {
  ADOPTED_STATUSES,
  TERMINAL_STATUSES,
  type Actor,
  type ActorRecord,
  type Assignment,
  type DecisionState,
} from './state';

// The gates every action passes before its own content is examined, in this order: the decision
// is open; the actor holds the role (403); belongs to the organ (403); the stage is the current
// one (DOMAIN §3 inv. 1, Decree 713 Art 25); the draft is not awaiting revision; the actor is
// assigned (403); the action examines the current draft version (DOMAIN §3 inv. 3).

export function actionStage(action: ActionName, payload: unknown): StageKey | null {
  const spec = ACTION_SPECS[action];
  if (spec.stage === 'payload') return (payload as { stage: StageKey }).stage;
  return spec.stage;
}

export function checkActor(state: DecisionState, action: ActionName, actor: Actor): ActorRecord {
  const spec = ACTION_SPECS[action];
  const role = spec.roles.find((r) => actor.roles.includes(r));
  if (!role) {
    throw new Refusal('ROLE_REQUIRED', `"${action}" requires the role ${spec.roles.join(' or ')}`, {
      requiredRoles: spec.roles,
      actorRoles: actor.roles,
    });
  }
  if (spec.sameOrgan && !actsFor(actor).includes(state.organId)) {
    throw new Refusal(
      'WRONG_ORGAN',
      `"${action}" is done by the deciding organ ${state.organId}, not ${actor.organId}`,
      {
        decisionOrgan: state.organId,
        actorOrgan: actor.organId,
      },
    );
  }
  return actorRecord(actor, role, state.organId);
}

// Actors recorded in histories from before offices existed carry neither `offices` nor
// `actsFor`: they replay as acting for their own organ, matched to assignments by person.
const officesOf = (actor: Actor) => actor.offices ?? [];
const actsFor = (actor: Actor) => actor.actsFor ?? [actor.organId];

/** The office the actor acts from: one with the role, in the decision's organ if they hold one there. */
export function actorRecord(actor: Actor, role: Role, organId?: string): ActorRecord {
  const withRole = officesOf(actor).filter((o) => o.role === role);
  const office = withRole.find((o) => o.organId === organId) ?? withRole[0];
  return {
    id: actor.id,
    name: actor.name,
    role,
    organId: office?.organId ?? actor.organId,
    officeId: office?.id ?? null,
  };
}

export function checkStageReached(state: DecisionState, key: StageKey): void {
  const stage = stageOf(state, key);
  if (stage.status === 'not-applicable') {
    throw new Refusal(
      'STAGE_NOT_APPLICABLE',
      `stage ${key} does not apply to this decision: ${stage.notApplicable?.rule}`,
      { stage: key },
      STAGE_LEGAL_BASIS[key],
    );
  }
  if (stage.status === 'passed') {
    throw new Refusal(
      'STAGE_ALREADY_PASSED',
      `stage ${key} has already passed`,
      { stage: key },
      STAGE_LEGAL_BASIS[key],
    );
  }
  const current = state.currentStage;
  if (current === key) return;
  const order = stageOrder(state);
  const legality = stageOf(state, 'legality-review');
  if (
    order.indexOf(key) > order.indexOf('legality-review') &&
    legality.status !== 'passed' &&
    (key === 'collective-discussion' || key === 'publicity-and-hearing')
  ) {
    throw new Refusal(
      'LEGALITY_REVIEW_REQUIRED',
      `the draft has not passed legality review, so it cannot go to ${key}`,
      {
        stage: key,
        currentStage: current,
      },
    );
  }
  throw new Refusal(
    'STAGE_NOT_REACHED',
    `stage ${key} is not reached: stage ${current} must pass first`,
    { stage: key, currentStage: current },
    `DOMAIN §3 inv. 1; ${current ? STAGE_LEGAL_BASIS[current] : ''}`,
  );
}

export function checkOpen(state: DecisionState): void {
  if (TERMINAL_STATUSES.includes(state.status)) {
    throw new Refusal('DECISION_CLOSED', `the decision is ${state.status}; its record is closed`, {
      status: state.status,
    });
  }
}

/** After adoption only the publicity stage goes on; anything else is a change (Decree 713 Art 37). */
export function checkNotAdopted(state: DecisionState, action: ActionName): void {
  if (ADOPTED_STATUSES.includes(state.status) && (action === 'revise-draft' || action === 'withdraw')) {
    throw new Refusal(
      'CHANGE_CONTROL_REQUIRED',
      `the decision is ${state.status}; it changes only through a change request`,
      { status: state.status },
    );
  }
}

export function checkNotReturned(state: DecisionState): void {
  if (state.status !== 'returned-for-revision') return;
  const r = state.returned;
  throw new Refusal(
    'REVISION_REQUIRED',
    `the draft was returned at ${r?.stage} (${r?.reason}); upload a revision first`,
    {
      returnedAt: r?.stage,
    },
  );
}

/** The open assignment of one of the actor's offices: a successor in the office carries it on. */
export function assignmentOf(state: DecisionState, stage: StageKey, actor: Actor): Assignment | undefined {
  return openAssignments(state, stage).find((x) =>
    x.officeId ? officesOf(actor).some((o) => o.id === x.officeId) : x.userId === actor.id,
  );
}

export function checkAssigned(state: DecisionState, stage: StageKey, actor: Actor): Assignment {
  const a = assignmentOf(state, stage, actor);
  if (!a) {
    throw new Refusal('NOT_ASSIGNED', `${actor.name} holds no office assigned to ${stage} for this decision`, {
      stage,
      actorId: actor.id,
    });
  }
  return a;
}

export function checkDraftVersion(state: DecisionState, payload: unknown): void {
  const given = (payload as { draftVersion?: number }).draftVersion;
  if (given !== undefined && given !== state.draft.version) {
    throw new Refusal(
      'STALE_DRAFT_VERSION',
      `the action examines draft v${given}, but the current draft is v${state.draft.version}`,
      {
        given,
        current: state.draft.version,
        currentHash: state.draft.hash,
      },
    );
  }
}
