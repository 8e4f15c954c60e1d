import { resolvePlainDuration } from '../duration';
import { FORBIDDEN_GROUND_BASIS, type Grounds } from '../grounds';
import { Refusal } from '../refusals';
import type { Actor, ActorRecord } from '../procedure/state';
import type { Role } from '../stages';
import type {
  CommitmentPeriods,
  CommitmentState,
  ObligationChange,
  ObligationState,
  ObligationStatus,
  Period,
} from './state';

// The rules of commitments and contracts as pure functions: periods, the SME payment term, who may
// act, and when a change harms the entity. Shared by the workflow, the API and the unit tests.

/** Local time of the organs served (China: +08:00, no DST); periods end at local midnight. */
export const UTC_OFFSET_MINUTES = 480;
const DAY_MS = 86_400_000;

/** [D] Template-like values, configurable per commitment at registration. */
export const DEFAULT_PERIODS: CommitmentPeriods = { complaintResponse: { days: 15 }, reminderBefore: { days: 7 } };

/** Decree 802 Art 9: an SME is paid within 30 days of delivery; a contract may agree at most 60. */
export const SME_DEFAULT_TERM: Period = { days: 30 };
export const SME_MAX_TERM_DAYS = 60;
export const SME_PAYMENT_BASIS = 'Decree 802 Arts 9, 14';
export const CHANGE_BASIS = 'Decree 722 Art 31; Private Economy Promotion Law Arts 70, 73';
export const COMMITMENT_BASIS = FORBIDDEN_GROUND_BASIS;

export const iso = (ms: number) => new Date(ms).toISOString();

export function periodMs(p: Period): number {
  return 'seconds' in p ? Math.round(p.seconds * 1000) : p.days * DAY_MS;
}

export function describePeriod(p: Period): string {
  return 'seconds' in p ? `${p.seconds} seconds` : `${p.days} days`;
}

/** The end of a period begun at `from`: Civil Code Art 201, the first day is not counted and the period ends at local midnight. */
export function endOfPeriod(from: number, p: Period): number {
  return resolvePlainDuration(from, p, UTC_OFFSET_MINUTES) ?? from;
}

/**
 * The payment term an obligation carries. An SME's payment always counts from delivery (30 days
 * unless the contract agrees another term, Decree 802 Art 9), even when a fixed date is also set;
 * another payment without a date falls due 30 days after delivery [D]; a fixed-date payment to a
 * large firm has no term.
 */
export function effectiveTerm(
  o: { kind: string; dueAt: number | null; paymentTerm: Period | null },
  isSme: boolean,
): Period | null {
  if (o.kind !== 'payment') return null;
  if (o.paymentTerm) return o.paymentTerm;
  return isSme || o.dueAt === null ? SME_DEFAULT_TERM : null;
}

/** Refuses an SME payment term longer than the 60 days Decree 802 Art 9 allows a contract to agree. */
export function checkSmePaymentTerm(o: { id: string; kind: string; paymentTerm: Period | null }, isSme: boolean): void {
  if (!isSme || o.kind !== 'payment' || !o.paymentTerm) return;
  if (periodMs(o.paymentTerm) > SME_MAX_TERM_DAYS * DAY_MS) {
    throw new Refusal(
      'SME_PAYMENT_TERM_TOO_LONG',
      `payment "${o.id}" to an SME would fall due ${describePeriod(o.paymentTerm)} after delivery; a contract may agree at most ${SME_MAX_TERM_DAYS} days`,
      {
        obligationId: o.id,
        term: o.paymentTerm,
        maximumDays: SME_MAX_TERM_DAYS,
      },
    );
  }
}

/** The due date a delivery sets: delivery + term, or the fixed date if that is earlier. */
export function dueOnDelivery(o: ObligationState, isSme: boolean, deliveredAt: number): number | null {
  const term = effectiveTerm(o, isSme);
  if (!term) return o.dueAt;
  const due = endOfPeriod(deliveredAt, term);
  return o.dueAt === null ? due : Math.min(o.dueAt, due);
}

export function obligationStatus(o: ObligationState): ObligationStatus {
  if (o.cancelledAt !== null) return 'cancelled';
  if (o.fulfilledAt !== null) return 'fulfilled';
  if (o.dueAt !== null && o.overdueFor === o.dueAt) return 'overdue';
  if (o.dueAt !== null) return 'scheduled';
  if (o.kind === 'payment' && o.deliveredAt === null && o.paymentTerm !== null) return 'awaiting-delivery';
  return 'open';
}

export const isOpen = (o: ObligationState) => o.fulfilledAt === null && o.cancelledAt === null;

/** Recomputes derived fields after every change: obligation statuses, the commitment's status, closure. */
export function refresh(state: CommitmentState): void {
  for (const o of state.obligations) o.status = obligationStatus(o);
  if (state.status !== 'terminated') state.status = state.obligations.some(isOpen) ? 'active' : 'fulfilled';
  state.closed =
    state.status !== 'active' &&
    !state.obligations.some(isOpen) &&
    !state.complaints.some((c) => c.status !== 'answered');
}

// ---- Who may act ---------------------------------------------------------------------------

const officesOf = (a: Actor) => a.offices ?? [];
const actsFor = (a: Actor) => a.actsFor ?? [a.organId];

function record(a: Actor, role: Role, officeId: string | null, organId: string): ActorRecord {
  return { id: a.id, name: a.name, role, organId, officeId };
}

/** Registration: a drafting official of the organ that holds the responsible office (or carries it on). */
export function authoriseRegistration(a: Actor, organId: string): ActorRecord {
  return authoriseRole(a, 'drafting-official', organId);
}

/** Modification and termination: the head of the organ, or of the organ that carries it on (PEPL Art 70). */
export function authoriseRole(a: Actor, role: Role, organId: string): ActorRecord {
  if (!a.roles.includes(role))
    throw new Refusal('ROLE_REQUIRED', `this requires the role ${role}`, {
      requiredRoles: [role],
      actorRoles: a.roles,
    });
  if (!actsFor(a).includes(organId))
    throw new Refusal('WRONG_ORGAN', `the commitment belongs to ${organId}, not ${a.organId}`, {
      commitmentOrgan: organId,
      actorOrgan: a.organId,
    });
  const office = officesOf(a).find((o) => o.role === role);
  return record(a, role, office?.id ?? null, office?.organId ?? a.organId);
}

/**
 * The responsible office acts: its holder now, or an official holding the same role in an organ
 * that carries the commitment's organ on after a merger. A handover changes who that is, never
 * what is owed or when (DOMAIN §3 inv. 7; Decree 802 Art 14).
 */
export function authoriseResponsible(a: Actor, state: CommitmentState): ActorRecord {
  const office = state.responsibleOffice;
  const own = officesOf(a).find((o) => o.id === office.id);
  if (own) return record(a, office.role, office.id, office.organId);
  const successor = actsFor(a).includes(state.organId) ? officesOf(a).find((o) => o.role === office.role) : undefined;
  if (successor) return record(a, office.role, successor.id, successor.organId);
  throw new Refusal(
    'NOT_RESPONSIBLE_OFFICE',
    `this is done by the responsible office "${office.title}" (${office.role}) of ${state.organId}`,
    {
      responsibleOfficeId: office.id,
      role: office.role,
      actorRoles: a.roles,
    },
  );
}

/** A complaint is filed by the market entity that is party to the commitment, and by no other. */
export function authoriseCounterparty(a: Actor, state: CommitmentState): ActorRecord {
  if (!a.roles.includes('market-entity'))
    throw new Refusal('ROLE_REQUIRED', 'this requires the role market-entity', {
      requiredRoles: ['market-entity'],
      actorRoles: a.roles,
    });
  if (a.organId !== state.counterparty.id && !actsFor(a).includes(state.counterparty.id)) {
    throw new Refusal(
      'NOT_COUNTERPARTY',
      `only ${state.counterparty.name}, party to this commitment, may complain about it`,
      { counterpartyId: state.counterparty.id, actorEntity: a.organId },
    );
  }
  const office = officesOf(a).find((o) => o.role === 'market-entity');
  return record(a, 'market-entity', office?.id ?? null, state.counterparty.id);
}

// ---- When a change harms the entity -------------------------------------------------------

/** The entity's own breach is the one ground on which a change owes it nothing unless declared. */
const entityAtFault = (g: Grounds) => g.categories.every((c) => c === 'counterparty-breach');

/** The harms a modification does to the entity: a cancelled, reduced or postponed obligation. */
export function harmsOfModification(
  state: CommitmentState,
  changes: ObligationChange[],
  grounds: Grounds,
  declared: boolean,
): string[] {
  const harms = declared ? ['declared by the head of the organ'] : [];
  if (entityAtFault(grounds)) return harms;
  for (const c of changes) {
    const o = state.obligations.find((x) => x.id === c.obligationId);
    if (!o) continue;
    if (c.cancel) harms.push(`obligation "${o.id}" is cancelled`);
    if (c.amountFen !== undefined && o.amountFen !== null && c.amountFen < o.amountFen)
      harms.push(`obligation "${o.id}" is reduced from ${o.amountFen} to ${c.amountFen} fen`);
    if (c.dueAt !== undefined && o.dueAt !== null && Date.parse(c.dueAt) > o.dueAt)
      harms.push(`obligation "${o.id}" is postponed from ${iso(o.dueAt)} to ${c.dueAt}`);
  }
  return harms;
}

/** The harms a termination does to the entity: every obligation still owed to it is not performed. */
export function harmsOfTermination(state: CommitmentState, grounds: Grounds, declared: boolean): string[] {
  const harms = declared ? ['declared by the head of the organ'] : [];
  if (entityAtFault(grounds)) return harms;
  return [
    ...harms,
    ...state.obligations.filter(isOpen).map((o) => `obligation "${o.id}" (${o.description}) would not be performed`),
  ];
}

/** A change that harms the entity carries a compensation record (Decree 722 Art 31; PEPL Arts 70, 73). */
export function checkCompensation(
  harms: string[],
  compensation: { amountFen: number; reason: string } | undefined,
): void {
  if (harms.length && !compensation) {
    throw new Refusal(
      'COMPENSATION_REQUIRED',
      `the change harms the market entity (${harms.join('; ')}): record the compensation`,
      { harms },
    );
  }
}
