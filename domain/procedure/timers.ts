import { describeDuration } from '../duration';
import { startLifecycle, suspensionOverdue } from './change';
import { EventBuilder, addRecord, iso, procedurePrefix, stageOf } from './model';
import type { Deadline, DecisionState, ProcedureEvent } from './state';

// What happens when a durable timer fires. The workflow sleeps until `nextDeadlineAt`, then fires
// every due deadline in order. Window deadlines need the frozen count and digest of the public
// input first, which the workflow obtains from an activity.

function live(d: Deadline): boolean {
  return d.firedAt === undefined && !d.cancelled;
}

export function nextDeadlineAt(state: DecisionState): number | null {
  let next: number | null = null;
  for (const d of state.deadlines) if (live(d) && d.at !== null && (next === null || d.at < next)) next = d.at;
  return next;
}

export function dueDeadlines(state: DecisionState, now: number): Deadline[] {
  return state.deadlines.filter((d) => live(d) && d.at !== null && d.at <= now).sort((a, b) => a.at! - b.at!);
}

/** Working-day periods wait for the calendar activity before they can be armed. */
export function unresolvedDeadlines(state: DecisionState): Deadline[] {
  return state.deadlines.filter((d) => live(d) && d.at === null);
}

function systemEvent(
  state: DecisionState,
  id: string,
  type: string,
  now: number,
  stage: ProcedureEvent['stage'],
): EventBuilder {
  state.revision += 1;
  return new EventBuilder(state, {
    id: id.replace(/^timer:/, `timer:${procedurePrefix(state)}`),
    type,
    at: now,
    actor: null,
    stage,
    payload: {},
  });
}

export function resolveDeadline(state: DecisionState, id: string, at: number, now: number): ProcedureEvent {
  const d = state.deadlines.find((x) => x.id === id)!;
  d.at = at;
  const ev = systemEvent(state, `timer:${id}:resolved`, 'deadline-computed', now, null);
  ev.event.payload = { deadline: id, kind: d.kind, at: iso(at) };
  ev.effect(
    `${d.kind} (${d.duration ? describeDuration(d.duration) : ''}) ends ${iso(at)} on the working-day calendar`,
  );
  return ev.event;
}

/** Fires a due deadline other than a public window; returns the event to record, if any. */
export function fireDeadline(state: DecisionState, d: Deadline, now: number): ProcedureEvent | null {
  d.firedAt = now;
  const id = `timer:${d.id}`;
  switch (d.kind) {
    case 'assignment': {
      const a = state.assignments.find((x) => x.id === d.assignmentId);
      if (!a || a.status !== 'open' || a.round !== stageOf(state, a.stage).round) return null;
      a.escalatedAt = now;
      const ev = systemEvent(state, id, 'assignment-overdue', now, a.stage);
      addRecord(state, ev, a.stage, 'escalation', null, {
        assignment: a.id,
        officeId: a.officeId,
        userId: a.userId,
        name: a.name,
        dueAt: iso(d.at!),
      });
      const msg = `${a.name} has not completed ${a.stage} of "${state.title}", due ${iso(d.at!)}.`;
      ev.effect(`escalated: ${msg}`)
        .notify('head', 'overdue', msg)
        .notify('supervisor', 'overdue', msg)
        .notify(a.role, 'overdue', msg, a.officeId ?? a.userId);
      return ev.event;
    }
    case 'legality-minimum': {
      const ev = systemEvent(state, id, 'legality-minimum-elapsed', now, 'legality-review');
      return ev.effect('the minimum legality-review period has elapsed; the reviewer may conclude').event;
    }
    case 'objection-window': {
      const ev = systemEvent(state, id, 'objection-window-closed', now, 'publicity-and-hearing');
      return ev.effect('the objection window has closed').event;
    }
    case 'entry-into-force': {
      state.status = 'in-force';
      state.inForceAt = now;
      startLifecycle(state, now);
      const ev = systemEvent(state, id, 'entered-into-force', now, 'publicity-and-hearing');
      return ev
        .effect(`in force from ${iso(now)} on draft v${state.adoptedDraft?.version}`)
        .notify('drafting-official', 'in-force', `"${state.title}" is in force.`).event;
    }
    case 'ratify-suspension':
      return d.changeId ? suspensionOverdue(state, d.changeId, now) : null;
    default:
      return null;
  }
}

/** Closes a public window with the frozen count and digest the freeze activity returned. */
export function freezeWindow(
  state: DecisionState,
  d: Deadline,
  now: number,
  frozen: { count: number; digest: string },
): ProcedureEvent | null {
  d.firedAt = now;
  const w = state.windows.find((x) => x.deadlineId === d.id && !x.frozen);
  if (!w) return null;
  const ev = systemEvent(state, `timer:${d.id}`, 'window-frozen', now, 'public-participation');
  w.frozen = { at: now, count: frozen.count, digest: frozen.digest };
  w.closesAt = Math.min(w.closesAt ?? now, now);
  addRecord(state, ev, 'public-participation', `${w.kind}-window-frozen`, null, { windowId: w.id, ...frozen });
  ev.window(w).effect(`${w.kind} window closed: ${frozen.count} submissions frozen (${frozen.digest})`);
  ev.notify(
    'drafting-official',
    'window-closed',
    `The ${w.kind} window of "${state.title}" closed with ${frozen.count} submissions.`,
  );
  return ev.event;
}

export function windowForDeadline(state: DecisionState, d: Deadline) {
  return d.kind === 'comment-window' || d.kind === 'survey-window'
    ? state.windows.find((w) => w.deadlineId === d.id)
    : undefined;
}
