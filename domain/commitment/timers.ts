import { COMMITMENT_BASIS, SME_PAYMENT_BASIS, iso, isOpen, periodMs, refresh } from './rules';
import type { CommitmentEvent, CommitmentState, ComplaintState, ObligationState } from './state';

// The durable timers of a commitment, derived from its state: a reminder before each due date, the
// breach at each due date, and the end of each complaint's response period. The workflow sleeps
// until `nextTimerAt`, then fires every due timer in order. Deadlines name offices, not people, so
// a handover or a merger changes none of them.

export type TimerKind = 'reminder' | 'overdue' | 'complaint-deadline';

export interface CommitmentTimer {
  /** Unique per due date: a date moved by a modification gets timers of its own. */
  key: string;
  kind: TimerKind;
  at: number;
  ref: string;
}

const COMPLAINT_BASIS = '[D] the response period of the commitment (default 15 days); Decree 722 Art 31';

export function pendingTimers(state: CommitmentState): CommitmentTimer[] {
  const timers: CommitmentTimer[] = [];
  for (const o of state.obligations) {
    if (!isOpen(o) || o.dueAt === null || o.overdueFor === o.dueAt) continue;
    timers.push({ key: `overdue:${o.id}:${o.dueAt}`, kind: 'overdue', at: o.dueAt, ref: o.id });
    if (o.remindedFor !== o.dueAt) {
      timers.push({
        key: `reminder:${o.id}:${o.dueAt}`,
        kind: 'reminder',
        at: o.dueAt - periodMs(state.periods.reminderBefore),
        ref: o.id,
      });
    }
  }
  for (const c of state.complaints) {
    if (c.status === 'open')
      timers.push({ key: `complaint:${c.id}`, kind: 'complaint-deadline', at: c.responseDueAt, ref: c.id });
  }
  return timers.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

export function nextTimerAt(state: CommitmentState): number | null {
  return pendingTimers(state)[0]?.at ?? null;
}

export function dueTimers(state: CommitmentState, now: number): CommitmentTimer[] {
  return pendingTimers(state).filter((t) => t.at <= now);
}

function systemEvent(
  state: CommitmentState,
  t: CommitmentTimer,
  type: string,
  now: number,
  legalBasis: string | null,
): CommitmentEvent {
  state.revision += 1;
  return {
    id: `timer:${t.key}`,
    type,
    at: now,
    actor: null,
    revision: state.revision,
    legalBasis,
    payload: { timer: t.key, scheduledFor: iso(t.at) },
    effects: [],
    notifications: [],
    integrity: [],
  };
}

function remind(state: CommitmentState, o: ObligationState, t: CommitmentTimer, now: number): CommitmentEvent | null {
  const dueAt = o.dueAt!;
  o.remindedFor = dueAt;
  // A reminder that would arrive after the due date is pointless: the breach is recorded instead.
  if (now >= dueAt) return null;
  const ev = systemEvent(state, t, 'obligation-reminder', now, null);
  const office = state.responsibleOffice;
  const msg = `${o.id} of "${state.title}" (${o.description}) with ${state.counterparty.name} is due ${iso(dueAt)}.`;
  ev.notifications.push({ recipientRole: office.role, recipientId: office.id, kind: 'reminder', message: msg });
  ev.effects.push(`reminded ${office.title}: ${msg}`);
  return ev;
}

function breach(state: CommitmentState, o: ObligationState, t: CommitmentTimer, now: number): CommitmentEvent {
  const dueAt = o.dueAt!;
  o.overdueFor = dueAt;
  o.overdueSince ??= dueAt;
  const smePayment = o.kind === 'payment' && state.counterparty.isSme;
  const legalBasis = smePayment ? `${SME_PAYMENT_BASIS}, 26` : COMMITMENT_BASIS;
  const ev = systemEvent(state, t, 'obligation-overdue', now, legalBasis);
  const office = state.responsibleOffice;
  ev.integrity.push({
    kind: smePayment ? 'payment-overdue' : 'obligation-overdue',
    sourceRef: `commitment:${state.id}:overdue:${o.id}:${dueAt}`,
    officeId: office.id,
    at: dueAt,
    rule: smePayment
      ? `payment to an SME not made within its term after delivery`
      : `${o.kind} obligation of a ${state.kind} not performed by its due date`,
    legalBasis,
    evidence: {
      commitmentId: state.id,
      title: state.title,
      obligationId: o.id,
      description: o.description,
      amountFen: o.amountFen,
      deliveredAt: o.deliveredAt !== null ? iso(o.deliveredAt) : null,
      dueAt: iso(dueAt),
      counterparty: state.counterparty,
      responsibleOffice: office,
      demo: state.demo,
    },
  });
  const msg = `${o.id} of "${state.title}" with ${state.counterparty.name} was due ${iso(dueAt)} and is not ${o.kind === 'payment' ? 'paid' : 'performed'}.`;
  for (const role of ['head', 'supervisor'] as const)
    ev.notifications.push({ recipientRole: role, kind: 'overdue', message: msg });
  ev.notifications.push({ recipientRole: office.role, recipientId: office.id, kind: 'overdue', message: msg });
  ev.effects.push(`overdue, escalated and recorded: ${msg}`);
  return ev;
}

function unanswered(state: CommitmentState, c: ComplaintState, t: CommitmentTimer, now: number): CommitmentEvent {
  c.escalatedAt = now;
  c.status = 'overdue';
  const ev = systemEvent(state, t, 'complaint-unanswered', now, COMPLAINT_BASIS);
  const office = state.responsibleOffice;
  ev.integrity.push({
    kind: 'complaint-unanswered',
    sourceRef: `commitment:${state.id}:complaint:${c.id}`,
    officeId: office.id,
    at: c.responseDueAt,
    rule: 'a market entity’s complaint about a commitment not answered within the response period',
    legalBasis: COMPLAINT_BASIS,
    evidence: {
      commitmentId: state.id,
      title: state.title,
      complaintId: c.id,
      filedAt: iso(c.filedAt),
      responseDueAt: iso(c.responseDueAt),
      counterparty: state.counterparty,
      responsibleOffice: office,
      demo: state.demo,
    },
  });
  const msg = `complaint ${c.id} by ${state.counterparty.name} about "${state.title}" was due an answer by ${iso(c.responseDueAt)}.`;
  for (const role of ['head', 'supervisor'] as const)
    ev.notifications.push({ recipientRole: role, kind: 'complaint-unanswered', message: msg });
  ev.effects.push(`unanswered, escalated and recorded: ${msg}`);
  return ev;
}

/** Fires one due timer; returns the event to record, or null when there is nothing to say. */
export function fireTimer(state: CommitmentState, t: CommitmentTimer, now: number): CommitmentEvent | null {
  let ev: CommitmentEvent | null;
  if (t.kind === 'complaint-deadline') {
    ev = unanswered(
      state,
      state.complaints.find((c) => c.id === t.ref)!,
      t,
      now,
    );
  } else {
    const o = state.obligations.find((x) => x.id === t.ref)!;
    ev = t.kind === 'reminder' ? remind(state, o, t, now) : breach(state, o, t, now);
  }
  refresh(state);
  return ev;
}
