import type { Grounds } from '../grounds';
import type { ActorRecord } from '../procedure/state';
import type { Role } from '../stages';

// The whole state of one policy commitment or contract with a market entity (DOMAIN §5). It lives
// in the commitment's workflow (the source of truth), is returned by its state query and mirrored
// as a snapshot in the read model. Plain JSON only: it crosses the workflow boundary and is carried
// through continue-as-new. Instants are epoch milliseconds.

/** A period: calendar days (Civil Code Art 201), or seconds for commitments registered as demo. */
export type Period = { days: number } | { seconds: number };

export type CommitmentKind = 'policy-commitment' | 'contract';
export type ObligationKind = 'payment' | 'performance';
/** `fulfilled`: every obligation performed or cancelled; `terminated`: ended by the organ on lawful grounds. */
export type CommitmentStatus = 'active' | 'fulfilled' | 'terminated';
export type ObligationStatus = 'awaiting-delivery' | 'scheduled' | 'open' | 'overdue' | 'fulfilled' | 'cancelled';
export type ComplaintStatus = 'open' | 'overdue' | 'answered';

/** The office answerable for the commitment (DOMAIN §3 inv. 7): whoever holds it carries it. */
export interface ResponsibleOffice {
  id: string;
  role: Role;
  organId: string;
  title: string;
}

export interface Counterparty {
  /** The market entity's id in the directory: its representatives belong to this organ id. */
  id: string;
  name: string;
  /** A small or medium-sized enterprise: its payments follow Decree 802. */
  isSme: boolean;
}

export interface ObligationState {
  id: string;
  kind: ObligationKind;
  description: string;
  amountFen: number | null;
  /** Payments: the period from delivery to the due date (Decree 802 Art 9); null: a fixed date only. */
  paymentTerm: Period | null;
  dueAt: number | null;
  deliveredAt: number | null;
  fulfilledAt: number | null;
  cancelledAt: number | null;
  /** The due date a reminder was sent for: a due date changed by a modification is reminded again. */
  remindedFor: number | null;
  /** The due date whose breach was recorded. */
  overdueFor: number | null;
  /** The first due date that passed unperformed; kept after a late performance. */
  overdueSince: number | null;
  reference: string | null;
  status: ObligationStatus;
}

export interface ComplaintState {
  id: string;
  obligationId: string | null;
  filedBy: ActorRecord;
  text: string;
  filedAt: number;
  responseDueAt: number;
  respondedAt: number | null;
  respondedBy: ActorRecord | null;
  response: string | null;
  escalatedAt: number | null;
  status: ComplaintStatus;
}

export interface ObligationChange {
  obligationId: string;
  dueAt?: string;
  amountFen?: number;
  description?: string;
  cancel?: true;
}

export interface Compensation {
  amountFen: number;
  reason: string;
  /** The compensation payment, tracked as an obligation with its own timers when a date is set. */
  obligationId: string | null;
}

/** A modification or termination, on lawful grounds, by the head of the organ. */
export interface ChangeRecord {
  eventId: string;
  type: 'modification' | 'termination';
  at: number;
  by: ActorRecord;
  grounds: Grounds;
  legalBasis: string;
  /** Why the change harms the entity (empty: it does not), which makes compensation mandatory. */
  harms: string[];
  compensation: Compensation | null;
  changes: ObligationChange[];
}

export interface CommitmentPeriods {
  /** The organ answers a complaint within this period [D] (default 15 days). */
  complaintResponse: Period;
  /** The responsible office is reminded this long before each due date [D] (default 7 days). */
  reminderBefore: Period;
}

export interface CommitmentState {
  id: string;
  kind: CommitmentKind;
  title: string;
  organId: string;
  responsibleOffice: ResponsibleOffice;
  counterparty: Counterparty;
  decisionId: string | null;
  /** Registered with seconds-scale periods for a demonstration or a test. */
  demo: boolean;
  periods: CommitmentPeriods;
  status: CommitmentStatus;
  /** No obligation and no complaint is open any more: the workflow ends, the record stays. */
  closed: boolean;
  revision: number;
  createdAt: number;
  registeredBy: ActorRecord;
  creationKey: string;
  obligations: ObligationState[];
  complaints: ComplaintState[];
  changes: ChangeRecord[];
  terminatedAt: number | null;
}

export type IntegrityNoteKind = 'obligation-overdue' | 'payment-overdue' | 'complaint-unanswered';

/** An integrity record the event produces; the activity names the office holder at `at`. */
export interface IntegrityNote {
  kind: IntegrityNoteKind;
  sourceRef: string;
  officeId: string;
  /** The moment of the breach (a due date, a response deadline), not the moment it was noticed. */
  at: number;
  rule: string;
  legalBasis: string;
  evidence: Record<string, unknown>;
}

export interface CommitmentNotification {
  recipientRole: Role;
  recipientId?: string;
  kind: string;
  message: string;
}

/** One accepted action or timer event: what the audit chain, the outbox and the integrity records receive. */
export interface CommitmentEvent {
  id: string;
  type: string;
  at: number;
  actor: ActorRecord | null;
  revision: number;
  legalBasis: string | null;
  payload: Record<string, unknown>;
  effects: string[];
  notifications: CommitmentNotification[];
  integrity: IntegrityNote[];
}
