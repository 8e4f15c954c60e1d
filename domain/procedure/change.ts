import { checkGrounds } from '../grounds';
import { Refusal } from '../refusals';
import { changeRule, changeStages, type ChangeType } from '../template';
import { createDecision } from './create';
import { EventBuilder, addDeadline, addRecord, cancelDeadline, iso } from './model';
import type { ActionHandler } from './handlers/types';
import type { ChangeRequest, DecisionState, Lifecycle, ProcedureEvent, Suspension, VersionInForce } from './state';

// Change control after adoption (Decree 713 Art 37; DOMAIN §4). A decision in force changes only
// through a typed change request that runs the stages its type re-runs, with the same gates as
// the decision's own procedure; the others are recorded as not applicable with the rule. Only
// when that procedure completes does anything change. An urgent suspension is the exception: it
// takes effect at once on the head's order and must be ratified by collective discussion in time.
// A change whose only grounds are a change of officials or organisation is refused.

export const changesOf = (s: DecisionState): ChangeRequest[] => s.changes ?? [];

/** Grows with every event of the decision or of any of its change procedures: orders read-model writes. */
export const totalRevision = (s: DecisionState): number =>
  changesOf(s).reduce((n, c) => n + c.procedure.revision, s.revision);
export const activeChange = (s: DecisionState): ChangeRequest | undefined =>
  changesOf(s).find((c) => c.status === 'in-procedure');

export function findChange(s: DecisionState, changeId: string): ChangeRequest {
  const c = changesOf(s).find((x) => x.id === changeId);
  if (!c) throw new Refusal('CHANGE_NOT_FOUND', `no change request ${changeId} on this decision`);
  return c;
}

function openSuspension(l: Lifecycle | undefined): Suspension | undefined {
  return l?.suspensions.find((x) => x.until === null);
}

export const requestChange: ActionHandler<'request-change'> = {
  check({ state, payload, by }) {
    if (state.status !== 'in-force' && state.status !== 'suspended') {
      throw new Refusal(
        'NOT_IN_FORCE',
        `the decision is ${state.status}: a change request concerns a decision in force`,
      );
    }
    const active = activeChange(state);
    if (active)
      throw new Refusal('CHANGE_IN_PROGRESS', `change request ${active.id} (${active.type}) is still in procedure`, {
        changeId: active.id,
      });
    checkGrounds(payload.grounds);
    if (payload.type === 'urgent-suspension') {
      if (by.role !== 'head')
        throw new Refusal(
          'ROLE_REQUIRED',
          'an urgent suspension is ordered by the head of the organ',
          { requiredRoles: ['head'] },
          'Decree 713 Art 37',
        );
      if (state.status === 'suspended') throw new Refusal('ALREADY_SUSPENDED', 'the decision is already suspended');
    }
    if (payload.type === 'resumption' && state.status !== 'suspended')
      throw new Refusal('NOT_SUSPENDED', 'only a suspended decision can be resumed');
  },
  apply({ state, payload, by, actor, now }, ev) {
    const id = `change-${changesOf(state).length + 1}`;
    const runs = changeStages(state.template, payload.type);
    const rule = `Decree 713 Art 37; DOMAIN §4: a ${payload.type} re-runs ${runs.join(', ')}`;
    const { state: procedure, event } = createDecision(
      {
        id: state.id,
        title: `${state.title} — ${payload.type}`,
        summary: payload.grounds.explanation,
        organId: state.organId,
        template: state.template,
        flags: state.flags,
        nonDisclosableReason: state.nonDisclosableReason,
        draftHash: payload.documentHash,
        actor,
        creationKey: `${state.creationKey}:${id}`,
      },
      now,
      ev.event.id,
      { procedureId: id, by, runs, rule },
    );
    const change: ChangeRequest = {
      id,
      type: payload.type,
      proposer: by,
      grounds: payload.grounds,
      evidence: payload.evidence,
      requestedAt: now,
      status: 'in-procedure',
      effectiveAt: null,
      procedure,
    };
    state.changes = [...changesOf(state), change];
    ev.event.records.push(...event.records);
    ev.event.payload = { ...ev.event.payload, changeId: id };
    addRecord(procedure, ev, procedure.currentStage!, 'change-request', by, {
      type: payload.type,
      grounds: payload.grounds,
      evidence: payload.evidence,
    });
    ev.effect(`change request ${id} (${payload.type}) opened: it runs ${runs.join(', ')}`);
    if (payload.type === 'urgent-suspension') suspendNow(state, change, now, ev);
  },
};

function suspendNow(state: DecisionState, change: ChangeRequest, now: number, ev: EventBuilder): void {
  const within = changeRule(state.template, 'urgent-suspension').ratifyWithin!;
  const d = addDeadline(state, `ratify-suspension:${change.id}`, 'ratify-suspension', now, within, {
    changeId: change.id,
  });
  state.status = 'suspended';
  state.lifecycle!.suspensions.push({ changeId: change.id, from: now, until: null, ratifyBy: d.at, ratified: null });
  ev.effect(
    `suspended at once on the head's order; collective discussion must ratify it by ${d.at === null ? '?' : iso(d.at)}`,
  );
  ev.notify(
    'meeting-secretary',
    'suspension-to-ratify',
    `"${state.title}" was suspended urgently; collective discussion must ratify it.`,
  );
  ev.notify('supervisor', 'suspended', `"${state.title}" was suspended urgently on the head's order.`);
}

const publishes = (s: DecisionState, type: ChangeType) =>
  changeStages(s.template, type).includes('publicity-and-hearing');

/** After an event of a change procedure: applies the change when its procedure is complete. */
export function settleChange(state: DecisionState, change: ChangeRequest, now: number): ProcedureEvent | null {
  if (change.status !== 'in-procedure') return null;
  const p = change.procedure;
  const outcome =
    p.status === 'rejected'
      ? 'rejected'
      : p.status === 'withdrawn'
        ? 'withdrawn'
        : p.status === (publishes(state, change.type) ? 'in-force' : 'adopted')
          ? 'effective'
          : null;
  if (!outcome) return null;
  state.revision += 1;
  const ev = new EventBuilder(state, {
    id: `change:${change.id}:${outcome}`,
    type: `change-${outcome}`,
    at: now,
    actor: null,
    stage: null,
    payload: { changeId: change.id, type: change.type },
  });
  change.status = outcome;
  if (outcome === 'effective') {
    change.effectiveAt = now;
    applyEffect(state, change, now, ev);
  } else if (change.type === 'urgent-suspension') {
    liftSuspension(state, now, false);
    ev.effect(`the urgent suspension was not ratified (${outcome}); the decision is in force again`);
  } else {
    ev.effect(`change request ${change.id} ${outcome}: nothing changed`);
  }
  cancelDeadline(state, `ratify-suspension:${change.id}`);
  return ev.event;
}

function liftSuspension(state: DecisionState, now: number, ratified: boolean | null): void {
  const open = openSuspension(state.lifecycle);
  if (open) {
    open.until = now;
    if (ratified !== null) open.ratified = ratified;
  }
  state.status = 'in-force';
}

function closeVersion(l: Lifecycle, now: number): void {
  const current = l.versions.find((v) => v.until === null);
  if (current) current.until = now;
}

function applyEffect(state: DecisionState, change: ChangeRequest, now: number, ev: EventBuilder): void {
  const l = state.lifecycle!;
  switch (change.type) {
    case 'urgent-suspension': {
      const open = openSuspension(l);
      if (open) open.ratified = true;
      ev.effect('the urgent suspension was ratified by collective discussion');
      return;
    }
    case 'resumption':
      liftSuspension(state, now, null);
      ev.effect('resumed: the decision is in force again');
      return;
    case 'minor-amendment':
    case 'major-amendment': {
      const adopted = change.procedure.adoptedDraft!;
      const version = state.draft.version + 1;
      closeVersion(l, now);
      state.draft = { version, hash: adopted.hash };
      state.adoptedDraft = { version, hash: adopted.hash };
      state.drafts.push({
        version,
        hash: adopted.hash,
        at: now,
        by: change.proposer,
        changeNote: `${change.type} ${change.id}`,
      });
      l.versions.push({ version, hash: adopted.hash, from: now, until: null, adoptedBy: change.id });
      ev.effect(`amended: text v${version} in force from ${iso(now)}`);
      return;
    }
    case 'termination':
      closeVersion(l, now);
      const open = openSuspension(l);
      if (open) open.until = now;
      l.terminatedAt = now;
      state.status = 'terminated';
      for (const d of state.deadlines) cancelDeadline(state, d.id);
      ev.effect(`terminated from ${iso(now)}`);
  }
}

/** The ratification deadline of an urgent suspension passed without ratification. */
export function suspensionOverdue(state: DecisionState, changeId: string, now: number): ProcedureEvent | null {
  const change = changesOf(state).find((c) => c.id === changeId);
  const s = state.lifecycle?.suspensions.find((x) => x.changeId === changeId);
  if (!change || !s || s.ratified || s.until !== null) return null;
  state.revision += 1;
  const ev = new EventBuilder(state, {
    id: `timer:ratify-suspension:${changeId}`,
    type: 'suspension-unratified',
    at: now,
    actor: null,
    stage: null,
    payload: { changeId },
  });
  const msg = `The urgent suspension of "${state.title}" (${changeId}) was not ratified by collective discussion by ${iso(s.ratifyBy ?? now)}.`;
  ev.effect(`escalated: ${msg}`).notify('head', 'overdue', msg).notify('supervisor', 'overdue', msg);
  ev.event.integrity = [
    {
      kind: 'suspension-unratified',
      officeId: change.proposer.officeId,
      rule: 'DOMAIN §4: an urgent suspension is ratified by collective discussion within the template deadline',
      legalBasis: 'Decree 713 Art 37',
      evidence: {
        changeId,
        suspendedAt: iso(s.from),
        ratifyBy: s.ratifyBy === null ? null : iso(s.ratifyBy),
        orderedBy: change.proposer,
      },
    },
  ];
  return ev.event;
}

/** When the decision entered into force: the first version of its text in force. */
export function startLifecycle(state: DecisionState, now: number): void {
  const v = state.adoptedDraft ?? state.draft;
  state.lifecycle = {
    versions: [{ version: v.version, hash: v.hash, from: now, until: null, adoptedBy: state.procedureId ?? 'main' }],
    suspensions: [],
    terminatedAt: null,
  };
}

export interface InForceAnswer {
  at: number;
  status: 'not-in-force' | 'in-force' | 'suspended' | 'terminated';
  version: VersionInForce | null;
  suspension: Suspension | null;
}

/** Which text of the decision was in force at `at`, and whether it was suspended then. */
export function inForceAt(state: DecisionState, at: number): InForceAnswer {
  const l = state.lifecycle;
  const version = l?.versions.find((v) => v.from <= at && (v.until === null || at < v.until)) ?? null;
  const suspension = l?.suspensions.find((s) => s.from <= at && (s.until === null || at < s.until)) ?? null;
  const status = version
    ? suspension
      ? 'suspended'
      : 'in-force'
    : l?.terminatedAt !== null && l?.terminatedAt !== undefined && at >= l.terminatedAt
      ? 'terminated'
      : 'not-in-force';
  return { at, status, version, suspension };
}
