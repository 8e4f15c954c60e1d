import { resolvePlainDuration, type Duration } from '../../duration';
import { Refusal } from '../../refusals';
import { notShorterThan } from '../../template';
import { addDeadline, addRecord, deadlineById, iso, passStage, procedurePrefix, stageOf, windowOf } from '../model';
import type { DecisionState, PublicWindow } from '../state';
import type { ActionContext, ActionHandler } from './types';

// Stage 1, public participation (Decree 713 Arts 14–18): pre-disclosure opens the comment window,
// livelihood matters add an opinion survey, and the stage passes when every window has closed and
// been frozen, every opinion has a disposition and the feedback report is published.

function checkWindowLength(
  state: DecisionState,
  kind: 'comment' | 'survey',
  given: Duration | undefined,
  urgency: string | undefined,
  now: number,
) {
  const required = kind === 'comment' ? state.template.durations.commentWindow : state.template.durations.surveyWindow;
  if (given && !notShorterThan(given, required, now, state.template.utcOffsetMinutes) && !urgency) {
    throw new Refusal(
      'COMMENT_WINDOW_TOO_SHORT',
      `a ${kind} window shorter than the template's needs an urgency reason published with the notice`,
      {
        given,
        required,
      },
    );
  }
}

function openWindow(
  ctx: ActionContext<'predisclose' | 'open-survey'>,
  kind: 'comment' | 'survey',
  duration: Duration,
  urgencyReason: string | undefined,
  questions?: unknown[],
): PublicWindow {
  const { state, now } = ctx;
  const round = stageOf(state, 'public-participation').round;
  const deadlineId = `${kind}-window:${round}`;
  const w: PublicWindow = {
    id: `${state.id}:${procedurePrefix(state)}${kind}:${round}`,
    kind,
    round,
    opensAt: now,
    closesAt: resolvePlainDuration(now, duration, state.template.utcOffsetMinutes),
    deadlineId,
    urgencyReason: urgencyReason ?? null,
    ...(questions ? { questions } : {}),
  };
  state.windows.push(w);
  addDeadline(state, deadlineId, kind === 'comment' ? 'comment-window' : 'survey-window', now, duration);
  return w;
}

export const predisclose: ActionHandler<'predisclose'> = {
  check({ state, payload, now }) {
    if (windowOf(state, 'comment'))
      throw new Refusal('ALREADY_PREDISCLOSED', 'the draft is already pre-disclosed in this round');
    checkWindowLength(state, 'comment', payload.commentWindow, payload.urgencyReason, now);
  },
  apply(ctx, ev) {
    const { state, payload, by } = ctx;
    const w = openWindow(
      ctx,
      'comment',
      payload.commentWindow ?? state.template.durations.commentWindow,
      payload.urgencyReason,
    );
    addRecord(state, ev, 'public-participation', 'predisclosure', by, {
      explanation: payload.explanation,
      howToComment: payload.howToComment,
      opensAt: iso(w.opensAt),
      closesAt: w.closesAt === null ? null : iso(w.closesAt),
      urgencyReason: w.urgencyReason,
    });
    ev.window(w).effect(`comment window open until ${w.closesAt === null ? '?' : iso(w.closesAt)}`);
  },
};

export const openSurvey: ActionHandler<'open-survey'> = {
  check({ state, payload, now }) {
    if (!state.flags.livelihood)
      throw new Refusal('SURVEY_NOT_APPLICABLE', 'opinion surveys apply to livelihood decisions only');
    if (!windowOf(state, 'comment'))
      throw new Refusal('NOT_PREDISCLOSED', 'pre-disclose the draft before opening the survey');
    if (windowOf(state, 'survey')) throw new Refusal('ALREADY_FILED', 'the survey of this round is already open');
    checkWindowLength(state, 'survey', payload.surveyWindow, payload.urgencyReason, now);
  },
  apply(ctx, ev) {
    const { state, payload, by } = ctx;
    const w = openWindow(
      ctx,
      'survey',
      payload.surveyWindow ?? state.template.durations.surveyWindow,
      payload.urgencyReason,
      payload.questions,
    );
    addRecord(state, ev, 'public-participation', 'survey-opened', by, {
      questions: payload.questions,
      closesAt: w.closesAt === null ? null : iso(w.closesAt),
    });
    ev.window(w).effect(`survey open until ${w.closesAt === null ? '?' : iso(w.closesAt)}`);
  },
};

export const closeWindowEarly: ActionHandler<'close-window-early'> = {
  check({ state, payload }) {
    const w = windowOf(state, payload.window);
    if (!w) throw new Refusal('NOT_PREDISCLOSED', `no ${payload.window} window is open`);
    if (w.frozen || w.closedEarly) throw new Refusal('WINDOW_CLOSED', `the ${payload.window} window is already closed`);
    if (!w.urgencyReason) {
      throw new Refusal(
        'URGENCY_REASON_REQUIRED',
        'a window closes early only if an urgency reason was published when it opened',
      );
    }
  },
  apply({ state, payload, by, now }, ev) {
    const w = windowOf(state, payload.window)!;
    w.closedEarly = { at: now, reason: payload.reason, by };
    w.closesAt = now;
    const d = deadlineById(state, w.deadlineId);
    if (d) d.at = now;
    addRecord(state, ev, 'public-participation', 'window-closed-early', by, {
      window: payload.window,
      reason: payload.reason,
    });
    ev.window(w).effect(`${payload.window} window closed early`);
  },
};

export const publishFeedback: ActionHandler<'publish-feedback'> = {
  check({ state, payload }) {
    const comment = windowOf(state, 'comment');
    if (!comment) throw new Refusal('NOT_PREDISCLOSED', 'the draft has not been pre-disclosed for comment');
    const windows = [comment];
    if (state.flags.livelihood) {
      const survey = windowOf(state, 'survey');
      if (!survey)
        throw new Refusal(
          'SURVEY_REQUIRED',
          'a livelihood decision needs an opinion survey before the feedback report',
        );
      windows.push(survey);
    }
    for (const w of windows) {
      if (!w.frozen) {
        throw new Refusal(
          'WINDOW_STILL_OPEN',
          `the ${w.kind} window is open until ${w.closesAt === null ? '?' : iso(w.closesAt)}`,
          {
            window: w.kind,
            closesAt: w.closesAt === null ? null : iso(w.closesAt),
          },
        );
      }
    }
    const { total, disposed, digest } = payload.dispositions;
    if (digest !== comment.frozen!.digest || total !== comment.frozen!.count || disposed !== total) {
      throw new Refusal(
        'DISPOSITIONS_INCOMPLETE',
        `${total - disposed} of ${comment.frozen!.count} opinions still lack a disposition`,
        {
          frozenCount: comment.frozen!.count,
          disposed,
        },
      );
    }
  },
  apply({ state, payload, by }, ev) {
    addRecord(state, ev, 'public-participation', 'feedback-report', by, {
      report: payload.report,
      dispositions: payload.dispositions,
    });
    passStage(state, 'public-participation', ev);
  },
};
