import type { Actor } from '../procedure/state';
import { Refusal } from '../refusals';
import {
  DEFAULT_PERIODS,
  SME_PAYMENT_BASIS,
  authoriseRegistration,
  checkSmePaymentTerm,
  describePeriod,
  effectiveTerm,
  iso,
  refresh,
} from './rules';
import { registrationSchema, type ObligationInput, type RegistrationBody } from './schemas';
import type { CommitmentEvent, CommitmentState, ObligationState, Period, ResponsibleOffice } from './state';

// Registering a policy commitment or contract: the workflow's first state and event. The API runs
// `checkRegistration` before it starts the workflow, so a refused registration starts nothing and
// is recorded in the commitment's audit chain; the workflow runs it again (it trusts no caller).

export interface RegisterCommitmentInput {
  /** The registration as the drafting official sent it, with its id settled by the API. */
  body: RegistrationBody & { id: string };
  /** The responsible office, read from the directory by the API. */
  responsibleOffice: ResponsibleOffice;
  actor: Actor;
  /** Fingerprint of the request: a retry with the same key returns the same commitment. */
  creationKey: string;
}

function termOf(o: ObligationInput): Period | null {
  if (o.paymentTermDays !== undefined) return { days: o.paymentTermDays };
  if (o.paymentTermSeconds !== undefined) return { seconds: o.paymentTermSeconds };
  return null;
}

function obligationOf(o: ObligationInput, isSme: boolean): ObligationState {
  const dueAt = o.dueAt ? Date.parse(o.dueAt) : null;
  const base = { kind: o.kind, dueAt, paymentTerm: termOf(o) };
  return {
    id: o.id,
    kind: o.kind,
    description: o.description,
    amountFen: o.amountFen ?? null,
    paymentTerm: effectiveTerm(base, isSme),
    dueAt,
    deliveredAt: null,
    fulfilledAt: null,
    cancelledAt: null,
    remindedFor: null,
    overdueFor: null,
    overdueSince: null,
    reference: null,
    status: 'open',
  };
}

/** Every gate of registration; returns the parsed body. */
export function checkRegistration(input: RegisterCommitmentInput): RegistrationBody & { id: string } {
  const parsed = registrationSchema.safeParse(input.body);
  if (!parsed.success) {
    throw new Refusal(
      'INVALID_INPUT',
      `invalid registration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const body = { ...parsed.data, id: input.body.id };
  authoriseRegistration(input.actor, input.responsibleOffice.organId);
  for (const o of body.obligations)
    checkSmePaymentTerm({ id: o.id, kind: o.kind, paymentTerm: termOf(o) }, body.counterparty.isSme);
  return body;
}

export function createCommitment(
  input: RegisterCommitmentInput,
  now: number,
  eventId: string,
): { state: CommitmentState; event: CommitmentEvent } {
  const body = checkRegistration(input);
  const office = input.responsibleOffice;
  const by = authoriseRegistration(input.actor, office.organId);
  const state: CommitmentState = {
    id: body.id,
    kind: body.kind,
    title: body.title,
    organId: office.organId,
    responsibleOffice: { ...office },
    counterparty: { ...body.counterparty },
    decisionId: body.decisionId ?? null,
    demo: body.demo === true,
    periods: { ...DEFAULT_PERIODS, ...body.periods },
    status: 'active',
    closed: false,
    revision: 1,
    createdAt: now,
    registeredBy: by,
    creationKey: input.creationKey,
    obligations: body.obligations.map((o) => obligationOf(o, body.counterparty.isSme)),
    complaints: [],
    changes: [],
    terminatedAt: null,
  };
  refresh(state);
  const effects = state.obligations.map((o) => {
    const when =
      o.dueAt !== null
        ? `due ${iso(o.dueAt)}`
        : o.paymentTerm
          ? `due ${describePeriod(o.paymentTerm)} after delivery`
          : 'no due date';
    return `obligation ${o.id} (${o.kind}${o.amountFen !== null ? `, ${o.amountFen} fen` : ''}): ${when}`;
  });
  const event: CommitmentEvent = {
    id: eventId,
    type: 'registered',
    at: now,
    actor: by,
    revision: 1,
    legalBasis:
      state.counterparty.isSme && state.obligations.some((o) => o.kind === 'payment') ? SME_PAYMENT_BASIS : null,
    payload: {
      kind: state.kind,
      title: state.title,
      counterparty: state.counterparty,
      decisionId: state.decisionId,
      responsibleOfficeId: office.id,
      demo: state.demo,
    },
    effects,
    notifications: [
      {
        recipientRole: office.role,
        recipientId: office.id,
        kind: 'commitment-registered',
        message: `"${state.title}" with ${state.counterparty.name} is registered; your office is responsible.`,
      },
    ],
    integrity: [],
  };
  return { state, event };
}
