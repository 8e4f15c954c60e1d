import type { Duration } from '../duration';
import type { ProcedureTemplate } from '../template';
import type { Flags, Role, StageKey } from '../stages';

// The whole state of one decision's procedure. It lives in the workflow (the source of truth), is
// returned by the state query and mirrored, as a snapshot, in the PostgreSQL read model.
// Plain JSON only: it crosses the workflow boundary and is carried through continue-as-new.

/** An office: a role held in an organ (DOMAIN §3 inv. 7), whoever holds it now. */
export interface OfficeRef {
  id: string;
  role: Role;
  organId: string;
}

/**
 * The person acting, as the staff directory knows them at the moment of the request: the offices
 * they hold, the roles those give, and the organs they act for (their offices' organs and any
 * organ merged into those).
 */
export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  organId: string;
  offices: OfficeRef[];
  actsFor: string[];
}

/** Who did something: the person, and the office and role they acted in. */
export interface ActorRecord {
  id: string;
  name: string;
  role: Role;
  organId: string;
  officeId: string | null;
}

export type DecisionStatus =
  | 'in-procedure'
  | 'returned-for-revision'
  | 'rejected'
  | 'withdrawn'
  | 'adopted'
  | 'announced'
  | 'published'
  | 'in-force'
  | 'suspended'
  | 'terminated';

export const TERMINAL_STATUSES: DecisionStatus[] = ['rejected', 'withdrawn', 'terminated'];
export const ADOPTED_STATUSES: DecisionStatus[] = ['adopted', 'announced', 'published', 'in-force', 'suspended'];

export type StageStatus = 'pending' | 'active' | 'passed' | 'not-applicable';

export interface StageState {
  key: StageKey;
  status: StageStatus;
  /** Incremented each time a revision re-opens the stage. */
  round: number;
  notApplicable?: { rule: string; legalBasis: string; determinedBy: ActorRecord; at: number };
  passed?: { at: number; draftVersion: number; draftHash: string; eventId: string };
}

export interface DraftVersion {
  version: number;
  hash: string;
  at: number;
  by: ActorRecord;
  changeNote?: string;
}

export type DeadlineKind =
  | 'comment-window'
  | 'survey-window'
  | 'legality-minimum'
  | 'assignment'
  | 'objection-window'
  | 'entry-into-force'
  | 'ratify-suspension';

/** A durable timer. `at` is null until a working-day period has been resolved against the calendar. */
export interface Deadline {
  id: string;
  kind: DeadlineKind;
  from: number;
  duration: Duration | null;
  at: number | null;
  firedAt?: number;
  /** A deadline that no longer matters (its stage was re-opened, its assignment done). */
  cancelled?: boolean;
  /** For assignment deadlines: the assignment it watches. */
  assignmentId?: string;
  /** For a ratification deadline: the change request it watches. */
  changeId?: string;
}

/** Assigned to an office; `userId` and `name` are the holder when it was assigned. */
export interface Assignment {
  id: string;
  stage: StageKey;
  round: number;
  /** Absent only on assignments recorded before offices existed (matched by person). */
  officeId?: string;
  userId: string;
  name: string;
  role: Role;
  dissentingView: boolean;
  assignedAt: number;
  assignedBy: ActorRecord;
  deadlineId: string | null;
  status: 'open' | 'done' | 'withdrawn';
  escalatedAt?: number;
}

export interface PublicWindow {
  /** Read-model key of the window; public input is filed against it. */
  id: string;
  kind: 'comment' | 'survey';
  round: number;
  opensAt: number;
  closesAt: number | null;
  deadlineId: string;
  urgencyReason: string | null;
  closedEarly?: { at: number; reason: string; by: ActorRecord };
  frozen?: { at: number; count: number; digest: string };
  questions?: unknown[];
}

/** One filed record of a stage: an opinion, a report, a review, minutes, a decision. */
export interface StageRecord {
  id: string;
  /** "main", or the change request whose procedure produced it (absent: "main"). */
  procedureId?: string;
  stage: StageKey;
  round: number;
  kind: string;
  at: number;
  actor: ActorRecord | null;
  draftVersion: number;
  draftHash: string;
  content: Record<string, unknown>;
}

/** A version of the decision's text that was, or is, in force, and the procedure that adopted it. */
export interface VersionInForce {
  version: number;
  hash: string;
  from: number;
  until: number | null;
  adoptedBy: string;
}

export interface Suspension {
  changeId: string;
  from: number;
  until: number | null;
  ratifyBy: number | null;
  ratified: boolean | null;
}

/** What happened to the decision after it entered into force (DOMAIN §4). */
export interface Lifecycle {
  versions: VersionInForce[];
  suspensions: Suspension[];
  terminatedAt: number | null;
}

/** A typed change request and the procedure it runs before anything changes (Decree 713 Art 37). */
export interface ChangeRequest {
  id: string;
  type: import('../template').ChangeType;
  proposer: ActorRecord;
  grounds: import('../grounds').Grounds;
  evidence: Array<{ description: string; reference?: string }>;
  requestedAt: number;
  status: 'in-procedure' | 'effective' | 'rejected' | 'withdrawn';
  effectiveAt: number | null;
  /** The procedure the change runs: the decision's stages, those the type does not re-run not applicable. */
  procedure: DecisionState;
}

export interface DecisionState {
  id: string;
  /** "main" for the decision's own procedure; the change request's id for a change procedure. */
  procedureId?: string;
  title: string;
  summary: string;
  organId: string;
  createdAt: number;
  createdBy: ActorRecord;
  /** Fingerprint of the creation request: a second create with the same id but other content is refused. */
  creationKey: string;
  template: ProcedureTemplate;
  flags: Flags;
  nonDisclosableReason: string | null;
  status: DecisionStatus;
  /** Incremented by every accepted action and timer event; orders read-model writes. */
  revision: number;
  draft: { version: number; hash: string };
  drafts: DraftVersion[];
  stages: StageState[];
  currentStage: StageKey | null;
  returned: { stage: StageKey; reason: string; at: number; by: ActorRecord } | null;
  windows: PublicWindow[];
  assignments: Assignment[];
  deadlines: Deadline[];
  records: StageRecord[];
  /** Records of earlier rounds, kept when a revision re-opened their stage. */
  invalidatedRecords: StageRecord[];
  withdrawn: { at: number; reason: string; by: ActorRecord } | null;
  publishedAt: number | null;
  inForceAt: number | null;
  adoptedDraft: { version: number; hash: string } | null;
  /** Present once the decision is in force (absent in histories from before change control). */
  lifecycle?: Lifecycle;
  changes?: ChangeRequest[];
}

/** An integrity record an event gives rise to (DOMAIN §5); the activity names the holder then. */
export interface IntegrityEffect {
  kind: 'suspension-unratified';
  officeId: string | null;
  rule: string;
  legalBasis: string;
  evidence: Record<string, unknown>;
}

/** An accepted action or timer event, as the activities record it. */
export interface ProcedureEvent {
  id: string;
  type: string;
  at: number;
  revision: number;
  actor: ActorRecord | null;
  stage: StageKey | null;
  draftVersion: number;
  draftHash: string;
  legalBasis: string | null;
  payload: Record<string, unknown>;
  effects: string[];
  records: StageRecord[];
  windows: PublicWindow[];
  notifications: Array<{ recipientRole: Role; recipientId?: string; kind: string; message: string }>;
  /** The procedure the event belongs to: "main", or a change request's id. */
  procedureId?: string;
  integrity?: IntegrityEffect[];
}
