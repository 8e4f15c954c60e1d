import { checkGrounds } from '../grounds';
import type { Actor, ActorRecord } from '../procedure/state';
import { Refusal } from '../refusals';
import {
  CHANGE_BASIS,
  SME_PAYMENT_BASIS,
  authoriseCounterparty,
  authoriseResponsible,
  authoriseRole,
  checkCompensation,
  dueOnDelivery,
  endOfPeriod,
  harmsOfModification,
  harmsOfTermination,
  iso,
  isOpen,
  refresh,
} from './rules';
import {
  commitmentActionSchemas,
  isCommitmentAction,
  type CommitmentActionName,
  type CommitmentPayload,
} from './schemas';
import type { CommitmentEvent, CommitmentState, ObligationKind, ObligationState } from './state';

// The actions on a commitment: `checkCommitmentAction` is every gate (the workflow's update
// validator runs it, so a refused action never enters history), `applyCommitmentAction` the state
// change and the event to record. Both are pure and synchronous.

export interface CommitmentCommand {
  action: CommitmentActionName;
  actor: Actor;
  payload: unknown;
}

export type CheckedCommitmentAction = {
  [A in CommitmentActionName]: { action: A; actor: ActorRecord; payload: CommitmentPayload<A>; harms: string[] };
}[CommitmentActionName];

function obligation(state: CommitmentState, id: string): ObligationState {
  const o = state.obligations.find((x) => x.id === id);
  if (!o)
    throw new Refusal('OBLIGATION_NOT_FOUND', `the commitment has no obligation "${id}"`, {
      obligations: state.obligations.map((x) => x.id),
    });
  return o;
}

function openObligation(state: CommitmentState, id: string, kind?: ObligationKind): ObligationState {
  const o = obligation(state, id);
  if (kind && o.kind !== kind)
    throw new Refusal('OBLIGATION_KIND_MISMATCH', `obligation "${id}" is a ${o.kind}, not a ${kind}`, {
      obligationId: id,
      kind: o.kind,
    });
  if (!isOpen(o))
    throw new Refusal(
      'OBLIGATION_SETTLED',
      `obligation "${id}" is ${o.fulfilledAt !== null ? 'already performed' : 'cancelled'}`,
      { obligationId: id, status: o.status },
    );
  return o;
}

function requireActive(state: CommitmentState): void {
  if (state.status !== 'active')
    throw new Refusal('COMMITMENT_CLOSED', `the commitment is ${state.status}: there is nothing left to change`, {
      status: state.status,
    });
}

function parsePayload<A extends CommitmentActionName>(action: A, payload: unknown): CommitmentPayload<A> {
  const r = commitmentActionSchemas[action].safeParse(payload);
  if (!r.success)
    throw new Refusal(
      'INVALID_INPUT',
      `invalid ${action}: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
    );
  return r.data as CommitmentPayload<A>;
}

export function checkCommitmentAction(
  state: CommitmentState,
  cmd: CommitmentCommand,
  now: number,
): CheckedCommitmentAction {
  if (!isCommitmentAction(cmd.action))
    throw new Refusal('ACTION_UNKNOWN', `there is no commitment action "${String(cmd.action)}"`);
  if (state.closed)
    throw new Refusal('COMMITMENT_CLOSED', `the commitment is ${state.status} and closed; its record stays as it is`, {
      status: state.status,
    });
  const a = cmd.actor;
  switch (cmd.action) {
    case 'record-delivery': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseResponsible(a, state);
      const o = openObligation(state, p.obligationId, 'payment');
      if (o.deliveredAt !== null)
        throw new Refusal('ALREADY_DELIVERED', `delivery for "${o.id}" was recorded at ${iso(o.deliveredAt)}`, {
          obligationId: o.id,
        });
      if (p.deliveredAt && Date.parse(p.deliveredAt) > now)
        throw new Refusal(
          'INVALID_INPUT',
          'a delivery is recorded once it has happened: deliveredAt is in the future',
          { deliveredAt: p.deliveredAt },
        );
      return { action: cmd.action, actor, payload: p, harms: [] };
    }
    case 'record-payment': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseResponsible(a, state);
      const o = openObligation(state, p.obligationId, 'payment');
      if (p.amountFen !== o.amountFen)
        throw new Refusal(
          'PAYMENT_AMOUNT_MISMATCH',
          `"${o.id}" is ${o.amountFen} fen; ${p.amountFen} fen was recorded`,
          { obligationId: o.id, amountFen: o.amountFen },
        );
      return { action: cmd.action, actor, payload: p, harms: [] };
    }
    case 'record-fulfilment': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseResponsible(a, state);
      openObligation(state, p.obligationId, 'performance');
      return { action: cmd.action, actor, payload: p, harms: [] };
    }
    case 'request-modification': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseRole(a, 'head', state.organId);
      requireActive(state);
      checkGrounds(p.grounds);
      for (const c of p.changes) openObligation(state, c.obligationId);
      const harms = harmsOfModification(state, p.changes, p.grounds, p.harmsEntity === true);
      checkCompensation(harms, p.compensation);
      return { action: cmd.action, actor, payload: p, harms };
    }
    case 'terminate': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseRole(a, 'head', state.organId);
      requireActive(state);
      checkGrounds(p.grounds);
      const harms = harmsOfTermination(state, p.grounds, p.harmsEntity === true);
      checkCompensation(harms, p.compensation);
      return { action: cmd.action, actor, payload: p, harms };
    }
    case 'file-complaint': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseCounterparty(a, state);
      if (p.obligationId) obligation(state, p.obligationId);
      return { action: cmd.action, actor, payload: p, harms: [] };
    }
    case 'respond-to-complaint': {
      const p = parsePayload(cmd.action, cmd.payload);
      const actor = authoriseResponsible(a, state);
      const c = state.complaints.find((x) => x.id === p.complaintId);
      if (!c) throw new Refusal('COMPLAINT_NOT_FOUND', `the commitment has no complaint ${p.complaintId}`);
      if (c.respondedAt !== null)
        throw new Refusal('COMPLAINT_ALREADY_ANSWERED', `${c.id} was answered at ${iso(c.respondedAt)}`, {
          complaintId: c.id,
        });
      return { action: cmd.action, actor, payload: p, harms: [] };
    }
  }
}

function newEvent(
  state: CommitmentState,
  id: string,
  type: string,
  now: number,
  actor: ActorRecord | null,
  payload: Record<string, unknown>,
  legalBasis: string | null,
): CommitmentEvent {
  return {
    id,
    type,
    at: now,
    actor,
    revision: state.revision,
    legalBasis,
    payload,
    effects: [],
    notifications: [],
    integrity: [],
  };
}

function addCompensation(
  state: CommitmentState,
  ev: CommitmentEvent,
  c: { amountFen: number; reason: string; payableBy?: string },
): string | null {
  if (!c.payableBy || c.amountFen === 0) return null;
  let n = state.changes.length + 1;
  while (state.obligations.some((o) => o.id === `compensation-${n}`)) n++;
  const id = `compensation-${n}`;
  const dueAt = Date.parse(c.payableBy);
  state.obligations.push({
    id,
    kind: 'payment',
    description: `Compensation: ${c.reason}`.slice(0, 2_000),
    amountFen: c.amountFen,
    paymentTerm: null,
    dueAt,
    deliveredAt: null,
    fulfilledAt: null,
    cancelledAt: null,
    remindedFor: null,
    overdueFor: null,
    overdueSince: null,
    reference: null,
    status: 'scheduled',
  });
  ev.effects.push(`compensation of ${c.amountFen} fen is owed as obligation ${id}, due ${iso(dueAt)}`);
  return id;
}

/** Applies a checked action; returns the event to record. */
export function applyCommitmentAction(
  state: CommitmentState,
  checked: CheckedCommitmentAction,
  now: number,
  eventId: string,
): CommitmentEvent {
  state.revision += 1;
  const ev = newEvent(
    state,
    eventId,
    checked.action,
    now,
    checked.actor,
    checked.payload as Record<string, unknown>,
    null,
  );
  const office = state.responsibleOffice;
  const toEntity = (kind: string, message: string) =>
    ev.notifications.push({ recipientRole: 'market-entity', recipientId: state.counterparty.id, kind, message });
  const toOffice = (kind: string, message: string) =>
    ev.notifications.push({ recipientRole: office.role, recipientId: office.id, kind, message });
  switch (checked.action) {
    case 'record-delivery': {
      const o = obligation(state, checked.payload.obligationId);
      o.deliveredAt = checked.payload.deliveredAt ? Date.parse(checked.payload.deliveredAt) : now;
      o.dueAt = dueOnDelivery(o, state.counterparty.isSme, o.deliveredAt);
      ev.legalBasis = state.counterparty.isSme ? SME_PAYMENT_BASIS : null;
      ev.effects.push(
        `delivered ${iso(o.deliveredAt)}; payment ${o.id} falls due ${o.dueAt !== null ? iso(o.dueAt) : 'on its fixed date'}`,
      );
      break;
    }
    case 'record-payment':
    case 'record-fulfilment': {
      const o = obligation(state, checked.payload.obligationId);
      o.fulfilledAt = now;
      o.reference =
        checked.action === 'record-payment' ? checked.payload.reference : checked.payload.evidence.slice(0, 200);
      const late = o.dueAt !== null && now > o.dueAt;
      ev.effects.push(
        `${o.id} ${checked.action === 'record-payment' ? 'paid' : 'performed'}${late ? `, late: it was due ${iso(o.dueAt!)}` : ''}`,
      );
      toEntity(
        'obligation-performed',
        `${o.id} of "${state.title}" is ${checked.action === 'record-payment' ? 'paid' : 'performed'}.`,
      );
      break;
    }
    case 'request-modification':
    case 'terminate': {
      const p = checked.payload;
      const changes = checked.action === 'request-modification' ? checked.payload.changes : [];
      for (const c of changes) {
        const o = obligation(state, c.obligationId);
        if (c.cancel) o.cancelledAt = now;
        if (c.dueAt !== undefined) o.dueAt = Date.parse(c.dueAt);
        if (c.amountFen !== undefined) o.amountFen = c.amountFen;
        if (c.description !== undefined) o.description = c.description;
        ev.effects.push(`obligation ${o.id} ${c.cancel ? 'cancelled' : 'changed'}`);
      }
      if (checked.action === 'terminate') {
        for (const o of state.obligations.filter(isOpen)) o.cancelledAt = now;
        state.status = 'terminated';
        state.terminatedAt = now;
        ev.effects.push('the commitment is terminated; its open obligations are cancelled');
      }
      const obligationId = p.compensation ? addCompensation(state, ev, p.compensation) : null;
      const compensation = p.compensation
        ? { amountFen: p.compensation.amountFen, reason: p.compensation.reason, obligationId }
        : null;
      const type = checked.action === 'terminate' ? 'termination' : 'modification';
      state.changes.push({
        eventId,
        type,
        at: now,
        by: checked.actor,
        grounds: p.grounds,
        legalBasis: p.legalBasis,
        harms: checked.harms,
        compensation,
        changes,
      });
      ev.legalBasis = CHANGE_BASIS;
      const msg = `"${state.title}": ${type} by the head of the organ on the grounds ${p.grounds.categories.join(', ')}${compensation ? `, compensation ${compensation.amountFen} fen` : ''}.`;
      toEntity(`commitment-${type}`, msg);
      toOffice(`commitment-${type}`, msg);
      ev.notifications.push({ recipientRole: 'supervisor', kind: `commitment-${type}`, message: msg });
      break;
    }
    case 'file-complaint': {
      const id = `C-${state.complaints.length + 1}`;
      const responseDueAt = endOfPeriod(now, state.periods.complaintResponse);
      state.complaints.push({
        id,
        obligationId: checked.payload.obligationId ?? null,
        filedBy: checked.actor,
        text: checked.payload.text,
        filedAt: now,
        responseDueAt,
        respondedAt: null,
        respondedBy: null,
        response: null,
        escalatedAt: null,
        status: 'open',
      });
      ev.payload = { ...ev.payload, complaintId: id, responseDueAt: iso(responseDueAt) };
      ev.effects.push(`complaint ${id} filed; the organ answers by ${iso(responseDueAt)}`);
      toOffice(
        'complaint-filed',
        `${state.counterparty.name} complains about "${state.title}" (${id}); answer by ${iso(responseDueAt)}.`,
      );
      break;
    }
    case 'respond-to-complaint': {
      const c = state.complaints.find((x) => x.id === checked.payload.complaintId)!;
      c.respondedAt = now;
      c.respondedBy = checked.actor;
      c.response = checked.payload.response;
      c.status = 'answered';
      ev.effects.push(
        `complaint ${c.id} answered${now > c.responseDueAt ? `, late: it was due ${iso(c.responseDueAt)}` : ''}`,
      );
      toEntity('complaint-answered', `Your complaint ${c.id} about "${state.title}" is answered.`);
      break;
    }
  }
  refresh(state);
  return ev;
}
