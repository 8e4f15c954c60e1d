import { ASSIGNEE_ROLE } from '../../actions';
import { Refusal } from '../../refusals';
import type { StageKey } from '../../stages';
import {
  addDeadline,
  addRecord,
  cancelDeadline,
  deadlineById,
  iso,
  openAssignments,
  passStage,
  recordsOf,
  stageOf,
  type EventBuilder,
} from '../model';
import { assignmentOf } from '../gates';
import type { Actor, ActorRecord, Assignment, DecisionState } from '../state';
import type { ActionHandler } from './types';

// Stages 2–5: expert demonstration (Arts 19–21), risk assessment (Arts 22–24), legality review
// (Arts 25–28) and fair-competition review (Decree 783). Each is done by assigned people, and
// each record carries the hash of the draft it examined.

type AssigneeInput = {
  officeId?: string;
  userId: string;
  name: string;
  role: Assignment['role'];
  dissentingView?: boolean;
};

function assignPeople(
  state: DecisionState,
  stage: StageKey,
  people: AssigneeInput[],
  by: ActorRecord,
  now: number,
  ev: EventBuilder,
): Assignment[] {
  const round = stageOf(state, stage).round;
  const deadline = state.template.stages.find((s) => s.key === stage)?.assignmentDeadline;
  return people.map((p) => {
    const id = `${stage}:${round}:${p.officeId ?? p.userId}`;
    const deadlineId = deadline ? `assignment:${id}` : null;
    if (deadline && deadlineId) addDeadline(state, deadlineId, 'assignment', now, deadline, { assignmentId: id });
    const a: Assignment = {
      id,
      stage,
      round,
      officeId: p.officeId,
      userId: p.userId,
      name: p.name,
      role: p.role,
      dissentingView: p.dissentingView ?? false,
      assignedAt: now,
      assignedBy: by,
      deadlineId,
      status: 'open',
    };
    state.assignments.push(a);
    ev.notify(p.role, 'assigned', `You are assigned to ${stage} of "${state.title}".`, p.officeId ?? p.userId);
    return a;
  });
}

function checkAssigneeRoles(stage: StageKey, people: AssigneeInput[]): void {
  const role = ASSIGNEE_ROLE[stage];
  const wrong = people.filter((p) => p.role !== role);
  if (wrong.length) {
    throw new Refusal('ASSIGNEE_ROLE_MISMATCH', `${stage} is done by holders of the role ${role}`, {
      requiredRole: role,
      users: wrong.map((w) => w.userId),
    });
  }
}

function completeAssignment(state: DecisionState, a: Assignment): void {
  a.status = 'done';
  cancelDeadline(state, a.deadlineId);
}

function returnForRevision(
  state: DecisionState,
  stage: StageKey,
  reason: string,
  by: ActorRecord,
  ev: EventBuilder,
): void {
  state.status = 'returned-for-revision';
  state.returned = { stage, reason, at: ev.event.at, by };
  ev.effect(`returned for revision at ${stage}: ${reason}`);
  ev.notify('drafting-official', 'returned-for-revision', `"${state.title}" was returned at ${stage}: ${reason}`);
}

export const assign: ActionHandler<'assign'> = {
  check({ state, payload }) {
    checkAssigneeRoles(payload.stage, payload.assignees);
    const existing = openAssignments(state, payload.stage);
    const ids = payload.assignees.map((a) => a.officeId ?? a.userId);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i || existing.some((e) => (e.officeId ?? e.userId) === id));
    if (dupes.length)
      throw new Refusal('INVALID_INPUT', `already assigned: ${dupes.join(', ')}`, {
        issues: [{ path: 'assignees', message: 'duplicate' }],
      });
    if (payload.stage !== 'expert-demonstration') return;
    const total = existing.length + payload.assignees.length;
    if (total < state.template.minExperts) {
      throw new Refusal(
        'EXPERTS_INSUFFICIENT',
        `at least ${state.template.minExperts} experts are required; ${total} assigned`,
        {
          required: state.template.minExperts,
          assigned: total,
        },
      );
    }
    const hasDissentSlot = existing.some((e) => e.dissentingView) || payload.assignees.some((a) => a.dissentingView);
    if (!hasDissentSlot && !payload.dissentSlotReason) {
      throw new Refusal(
        'DISSENT_SLOT_REQUIRED',
        'include at least one expert holding a different view, or record why none was selected',
      );
    }
  },
  apply({ state, payload, by, now }, ev) {
    const made = assignPeople(state, payload.stage, payload.assignees, by, now, ev);
    addRecord(state, ev, payload.stage, 'assignment', by, {
      assignees: made.map((a) => ({
        officeId: a.officeId,
        userId: a.userId,
        name: a.name,
        dissentingView: a.dissentingView,
      })),
      dissentSlotReason: payload.dissentSlotReason ?? null,
    });
    ev.effect(`assigned ${made.map((a) => a.name).join(', ')} to ${payload.stage}`);
  },
};

export const withdrawAssignment: ActionHandler<'withdraw-assignment'> = {
  check({ state, payload }) {
    const a = openAssignments(state, payload.stage).find((x) => x.officeId === payload.officeId);
    if (!a)
      throw new Refusal('NOT_ASSIGNED', `${payload.officeId} is not assigned to ${payload.stage}`, {
        stage: payload.stage,
        officeId: payload.officeId,
      });
    if (a.status === 'done')
      throw new Refusal(
        'ALREADY_FILED',
        `${a.name} has already filed for ${payload.stage}; a filed record is immutable`,
      );
  },
  apply({ state, payload, by }, ev) {
    const a = openAssignments(state, payload.stage).find((x) => x.officeId === payload.officeId)!;
    a.status = 'withdrawn';
    cancelDeadline(state, a.deadlineId);
    addRecord(state, ev, payload.stage, 'assignment-withdrawn', by, {
      officeId: a.officeId,
      userId: a.userId,
      name: a.name,
      reason: payload.reason,
    });
    ev.effect(`${a.name} released from ${payload.stage}: ${payload.reason}`).notify(
      a.role,
      'assignment-withdrawn',
      `You are released from ${payload.stage} of "${state.title}".`,
      a.officeId,
    );
    // With the remaining experts all filed, the stage may now be complete.
    const rest = openAssignments(state, payload.stage);
    if (
      payload.stage === 'expert-demonstration' &&
      rest.length &&
      rest.every((x) => x.status === 'done') &&
      recordsOf(state, 'expert-demonstration', 'expert-opinion').length >= state.template.minExperts
    ) {
      passStage(state, 'expert-demonstration', ev);
    }
  },
};

function ownAssignment(state: DecisionState, stage: StageKey, actor: Actor): Assignment {
  return assignmentOf(state, stage, actor)!;
}

export const fileExpertOpinion: ActionHandler<'file-expert-opinion'> = {
  check({ state, payload, actor }) {
    if (ownAssignment(state, 'expert-demonstration', actor).status === 'done') {
      throw new Refusal('ALREADY_FILED', 'your opinion on this draft is already filed and cannot be changed');
    }
    if (payload.interestDeclaration.directInterest) {
      throw new Refusal(
        'EXPERT_INTEREST_CONFLICT',
        'an expert with a direct interest in the matter must not take part; the official must assign another expert',
      );
    }
    if (payload.signature.signedBy.trim().toLowerCase() !== actor.name.trim().toLowerCase()) {
      throw new Refusal('SIGNATURE_REQUIRED', `the opinion must be signed by the expert filing it (${actor.name})`, {
        signedBy: payload.signature.signedBy,
      });
    }
  },
  apply({ state, payload, by, actor }, ev) {
    const a = ownAssignment(state, 'expert-demonstration', actor);
    completeAssignment(state, a);
    addRecord(state, ev, 'expert-demonstration', 'expert-opinion', by, {
      ...payload,
      dissentingViewSlot: a.dissentingView,
    });
    ev.effect(`expert opinion filed by ${actor.name} (${payload.conclusion})`);
    const all = openAssignments(state, 'expert-demonstration');
    const filed = recordsOf(state, 'expert-demonstration', 'expert-opinion').length;
    if (all.every((x) => x.status === 'done') && filed >= state.template.minExperts)
      passStage(state, 'expert-demonstration', ev);
  },
};

export const fileRiskReport: ActionHandler<'file-risk-report'> = {
  apply({ state, payload, by, actor }, ev) {
    completeAssignment(state, ownAssignment(state, 'risk-assessment', actor));
    addRecord(state, ev, 'risk-assessment', 'risk-report', by, payload);
    if (payload.rating === 'controllable') passStage(state, 'risk-assessment', ev);
    else
      returnForRevision(
        state,
        'risk-assessment',
        'risk rated uncontrollable: revise the draft and reassess (Decree 713 Art 24)',
        by,
        ev,
      );
  },
};

export const submitForLegalityReview: ActionHandler<'submit-for-legality-review'> = {
  check({ state, payload }) {
    checkAssigneeRoles('legality-review', [payload.reviewer]);
    if (recordsOf(state, 'legality-review', 'legality-submission').length) {
      throw new Refusal('ALREADY_FILED', 'this draft is already under legality review');
    }
  },
  apply({ state, payload, by, now }, ev) {
    const round = stageOf(state, 'legality-review').round;
    const min = addDeadline(
      state,
      `legality-minimum:${round}`,
      'legality-minimum',
      now,
      state.template.durations.legalityReview,
    );
    assignPeople(state, 'legality-review', [payload.reviewer], by, now, ev);
    addRecord(state, ev, 'legality-review', 'legality-submission', by, {
      legalBasis: payload.legalBasis,
      procedureExplanation: payload.procedureExplanation,
      reviewer: { officeId: payload.reviewer.officeId, userId: payload.reviewer.userId, name: payload.reviewer.name },
    });
    ev.effect(
      `submitted for legality review; earliest conclusion ${min.at === null ? 'being computed from the working-day calendar' : iso(min.at)}`,
    );
  },
};

export const fileLegalityReview: ActionHandler<'file-legality-review'> = {
  check({ state, payload, now }) {
    const min = deadlineById(state, `legality-minimum:${stageOf(state, 'legality-review').round}`);
    if (!min || min.at === null || now < min.at) {
      throw new Refusal(
        'LEGALITY_REVIEW_TOO_SHORT',
        `the review may conclude from ${min?.at ? iso(min.at) : '(being computed)'}`,
        {
          earliestConclusionAt: min?.at ? iso(min.at) : null,
        },
      );
    }
    if (payload.outcome === 'exploratory-reform' && !payload.legalRiskStatement) {
      throw new Refusal(
        'LEGAL_RISK_STATEMENT_REQUIRED',
        'an exploratory-reform outcome needs an explicit legal-risk statement',
      );
    }
  },
  apply({ state, payload, by, actor }, ev) {
    completeAssignment(state, ownAssignment(state, 'legality-review', actor));
    addRecord(state, ev, 'legality-review', 'legality-review', by, payload);
    if (payload.outcome === 'pass' || payload.outcome === 'exploratory-reform') passStage(state, 'legality-review', ev);
    else
      returnForRevision(
        state,
        'legality-review',
        `legality review outcome "${payload.outcome}" (Decree 713 Arts 25, 28)`,
        by,
        ev,
      );
  },
};

export const fileFairnessReview: ActionHandler<'file-fairness-review'> = {
  check({ payload }) {
    if (payload.conclusion === 'exception' && !payload.exception) {
      throw new Refusal(
        'FAIRNESS_EXCEPTION_INCOMPLETE',
        'an exception documents its purpose, why no less-restrictive alternative exists, and its time limit',
      );
    }
  },
  apply({ state, payload, by, actor }, ev) {
    completeAssignment(state, ownAssignment(state, 'fairness-review', actor));
    addRecord(state, ev, 'fairness-review', 'fairness-review', by, payload);
    if (payload.conclusion === 'fail')
      returnForRevision(
        state,
        'fairness-review',
        'fails fair-competition review: issuance blocked (Decree 783 Art 18)',
        by,
        ev,
      );
    else passStage(state, 'fairness-review', ev);
  },
};
