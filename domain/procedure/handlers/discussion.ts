import { Refusal } from '../../refusals';
import { STAGE_KEYS } from '../../stages';
import { addRecord, cancelDeadline, iso, passStage, recordsOf, stageOf } from '../model';
import type { DecisionState } from '../state';
import type { ActionHandler } from './types';

// Stage 6, collective discussion (Decree 713 Arts 29–31): the undertaking unit submits the
// decision package (the outcomes of stages 1–5, Art 29); the executive or plenary meeting is
// minuted with its quorum, members speaking first and the head last, and a dissent field that
// may be empty but not absent (Art 30); the head decides, giving reasons where the decision
// differs from the majority. Only the exact draft that passed legality review can be adopted.

type Majority = 'adopt' | 'reject' | 'none';

function majorityOf(speeches: Array<{ isHead: boolean; position: string }>): Majority {
  const members = speeches.filter((s) => !s.isHead);
  const adopt = members.filter((s) => s.position === 'adopt').length;
  const reject = members.filter((s) => s.position === 'reject').length;
  if (adopt * 2 > members.length) return 'adopt';
  if (reject * 2 > members.length) return 'reject';
  return 'none';
}

/** The decision package of Art 29: where stages 1–5 stand and which draft each examined. */
function decisionPackage(state: DecisionState) {
  return STAGE_KEYS.filter((k) => k !== 'collective-discussion' && k !== 'publicity-and-hearing').map((k) => {
    const s = stageOf(state, k);
    return {
      stage: k,
      status: s.status,
      draftVersion: s.passed?.draftVersion ?? null,
      draftHash: s.passed?.draftHash ?? null,
      notApplicable: s.notApplicable?.rule ?? null,
    };
  });
}

export const submitForDiscussion: ActionHandler<'submit-for-discussion'> = {
  check({ state }) {
    const legality = stageOf(state, 'legality-review');
    if (legality.status !== 'not-applicable' && legality.passed?.draftHash !== state.draft.hash) {
      throw new Refusal(
        'STALE_DRAFT_VERSION',
        'only the draft version that passed legality review can go to discussion',
        {
          legalityPassedOn: legality.passed?.draftVersion ?? null,
          current: state.draft.version,
        },
      );
    }
    if (recordsOf(state, 'collective-discussion', 'discussion-package').length) {
      throw new Refusal('ALREADY_FILED', 'this draft is already submitted for discussion');
    }
  },
  apply({ state, payload, by }, ev) {
    addRecord(state, ev, 'collective-discussion', 'discussion-package', by, {
      packageSummary: payload.packageSummary,
      stages: decisionPackage(state),
    });
    ev.effect(`draft v${state.draft.version} submitted for collective discussion`);
    ev.notify('meeting-secretary', 'discussion-submitted', `"${state.title}" is submitted for collective discussion.`);
    ev.notify('head', 'discussion-submitted', `"${state.title}" is submitted for collective discussion.`);
  },
};

export const recordMinutes: ActionHandler<'record-minutes'> = {
  check({ state, payload, now }) {
    if (!recordsOf(state, 'collective-discussion', 'discussion-package').length) {
      throw new Refusal('NOT_SUBMITTED_FOR_DISCUSSION', 'the decision package has not been submitted for discussion');
    }
    if (recordsOf(state, 'collective-discussion', 'minutes').length) {
      throw new Refusal('ALREADY_FILED', 'the minutes of this discussion are recorded and immutable');
    }
    const { meeting, speeches } = payload;
    if (Date.parse(meeting.heldAt) > now) {
      throw new Refusal('INVALID_INPUT', 'minutes record a meeting that has been held', {
        issues: [{ path: 'meeting.heldAt', message: 'must not be in the future' }],
      });
    }
    if (
      meeting.attendees.length > meeting.membersTotal ||
      meeting.attendees.length <= state.template.discussionQuorum * meeting.membersTotal
    ) {
      throw new Refusal(
        'QUORUM_NOT_MET',
        `${meeting.attendees.length} of ${meeting.membersTotal} members attended; more than ${state.template.discussionQuorum * 100}% are required`,
        {
          attendees: meeting.attendees.length,
          membersTotal: meeting.membersTotal,
        },
      );
    }
    const heads = speeches.filter((s) => s.isHead);
    if (heads.length !== 1 || !speeches[speeches.length - 1].isHead || speeches.length < 2) {
      throw new Refusal('HEAD_MUST_SPEAK_LAST', 'members speak first and the head of the organ speaks last, once');
    }
  },
  apply({ state, payload, by }, ev) {
    const majority = majorityOf(payload.speeches);
    addRecord(state, ev, 'collective-discussion', 'minutes', by, { ...payload, majority });
    ev.effect(`minutes recorded: majority ${majority}; dissent ${payload.dissent ? 'recorded' : 'none'}`);
  },
};

export const decide: ActionHandler<'decide'> = {
  check({ state, payload }) {
    const minutes = recordsOf(state, 'collective-discussion', 'minutes')[0];
    if (!minutes) throw new Refusal('MINUTES_REQUIRED', 'the head decides on the basis of the minuted discussion');
    const legality = stageOf(state, 'legality-review');
    if (
      minutes.draftHash !== state.draft.hash ||
      (legality.status !== 'not-applicable' && legality.passed?.draftHash !== state.draft.hash)
    ) {
      throw new Refusal(
        'STALE_DRAFT_VERSION',
        'the minuted discussion or the legality review examined another draft than the current one',
        {
          minutesOn: minutes.draftVersion,
          current: state.draft.version,
        },
      );
    }
    const majority = minutes.content.majority as Majority;
    if (payload.decision !== majority && !payload.reason) {
      throw new Refusal(
        'DIFFERENCE_REASON_REQUIRED',
        `the majority view was "${majority}"; a decision to ${payload.decision} needs the head's reason`,
        { majority },
      );
    }
  },
  apply({ state, payload, by }, ev) {
    const minutes = recordsOf(state, 'collective-discussion', 'minutes')[0];
    addRecord(state, ev, 'collective-discussion', 'decision', by, { ...payload, majority: minutes.content.majority });
    if (payload.decision === 'adopt') {
      state.status = 'adopted';
      state.adoptedDraft = { ...state.draft };
      passStage(state, 'collective-discussion', ev);
      ev.effect(`adopted draft v${state.draft.version} (${state.draft.hash}) at ${iso(ev.event.at)}`);
      ev.notify('drafting-official', 'adopted', `"${state.title}" was adopted; announce it for the objection window.`);
    } else {
      state.status = 'rejected';
      for (const d of state.deadlines) cancelDeadline(state, d.id);
      ev.effect('rejected at collective discussion');
      ev.notify('drafting-official', 'rejected', `"${state.title}" was rejected at collective discussion.`);
    }
  },
};
