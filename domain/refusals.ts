// Every refusal the procedure can give, with the HTTP status the API maps it to and the legal
// basis it enforces. Codes are stable: clients, pages and the audit chain rely on them.
// Pure module: imported by the workflow sandbox, the API and the tests.

export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 422;

interface RefusalSpec {
  status: RefusalStatus;
  legalBasis?: string;
}

export const REFUSALS = {
  INVALID_INPUT: { status: 400 },
  UNAUTHENTICATED: { status: 401 },
  ROLE_REQUIRED: { status: 403, legalBasis: 'DOMAIN §6 (who acts at each stage of Decree 713)' },
  WRONG_ORGAN: { status: 403, legalBasis: 'Decree 713 Art 30 (the deciding organ acts on its own decisions)' },
  NOT_ASSIGNED: {
    status: 403,
    legalBasis: 'Decree 713 Arts 19, 22, 25 (the assigned expert, assessor or reviewer acts)',
  },
  DECISION_NOT_FOUND: { status: 404 },
  OPINION_NOT_FOUND: { status: 404 },
  DRAFT_NOT_FOUND: { status: 404 },
  ALREADY_HIDDEN: {
    status: 409,
    legalBasis: 'Decree 713 Art 15 (moderation is recorded once; the opinion stays counted)',
  },
  NOT_HIDDEN: { status: 409, legalBasis: 'Decree 713 Art 15 (moderation is recorded once; the opinion stays counted)' },
  ACTION_UNKNOWN: { status: 404 },
  DECISION_ID_TAKEN: { status: 409 },
  FORBIDDEN_GROUND: { status: 409, legalBasis: 'Decree 722 Art 31; Private Economy Promotion Law Art 70' },
  DECISION_CLOSED: {
    status: 409,
    legalBasis: 'Decree 713 Art 33 (the record of a closed procedure is archived as it stands)',
  },
  NOT_IN_FORCE: { status: 409, legalBasis: 'Decree 713 Art 37 (change control concerns a decision in force)' },
  CHANGE_IN_PROGRESS: { status: 409, legalBasis: 'Decree 713 Art 37 (one change procedure at a time)' },
  CHANGE_NOT_FOUND: { status: 404 },
  ALREADY_SUSPENDED: { status: 409, legalBasis: 'Decree 713 Art 37' },
  NOT_SUSPENDED: { status: 409, legalBasis: 'Decree 713 Art 37' },
  CHANGE_CONTROL_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 37 (an adopted decision changes only through statutory procedure)',
  },
  STAGE_NOT_REACHED: {
    status: 409,
    legalBasis: 'DOMAIN §3 inv. 1; Decree 713 Art 29 (the stages ahead must pass first)',
  },
  STAGE_ALREADY_PASSED: { status: 409 },
  STAGE_NOT_APPLICABLE: { status: 409 },
  LEGALITY_REVIEW_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 25 (a draft not reviewed or found unlawful must not go to discussion)',
  },
  REVISION_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Arts 24, 28 (a returned draft is revised before the procedure continues)',
  },
  STALE_DRAFT_VERSION: {
    status: 409,
    legalBasis: 'DOMAIN §3 inv. 3; Decree 713 Arts 25, 29 (approvals bind to the draft version examined)',
  },
  DRAFT_UNCHANGED: { status: 409 },
  PUBLIC_WINDOW_OPEN: {
    status: 409,
    legalBasis: 'Decree 713 Art 15 (the draft under public comment stays as published)',
  },
  ALREADY_PREDISCLOSED: { status: 409, legalBasis: 'Decree 713 Art 15' },
  NOT_PREDISCLOSED: { status: 409, legalBasis: 'Decree 713 Art 15 (publish the draft and its explanation first)' },
  COMMENT_WINDOW_TOO_SHORT: {
    status: 409,
    legalBasis:
      'Decree 713 Art 15; Decree 722 Art 62 (generally at least 30 days; shorter only with a published urgency reason)',
  },
  URGENCY_REASON_REQUIRED: {
    status: 409,
    legalBasis:
      'Decree 713 Art 15; DOMAIN §3 inv. 4 (a window closes early only if an urgency reason was published at opening)',
  },
  WINDOW_STILL_OPEN: { status: 409, legalBasis: 'Decree 713 Art 15 (the comment window must elapse)' },
  WINDOW_CLOSED: {
    status: 409,
    legalBasis: 'Decree 713 Art 15 (opinions are accepted only within the published period)',
  },
  VERIFICATION_NOT_REQUIRED: {
    status: 409,
    legalBasis: 'the decision template (publicVerification): this decision asks commenters to verify no contact',
  },
  REGISTRATION_CLOSED: {
    status: 409,
    legalBasis: 'Decree 713 Arts 16–17 (registration runs until the hearing is held)',
  },
  SURVEY_NOT_APPLICABLE: { status: 409 },
  SURVEY_REQUIRED: {
    status: 409,
    legalBasis: 'City integrity plan: opinion surveys for major livelihood decisions [P]',
  },
  DISPOSITIONS_INCOMPLETE: {
    status: 409,
    legalBasis: 'Decree 713 Arts 18, 29(2) (every opinion is studied and its handling reported)',
  },
  EXPERTS_INSUFFICIENT: { status: 409, legalBasis: 'Decree 713 Art 19; template minimum number of experts [L]' },
  DISSENT_SLOT_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 20 (experts holding different views are to be selected)',
  },
  EXPERT_INTEREST_CONFLICT: {
    status: 409,
    legalBasis: 'Decree 713 Art 20 (experts with a direct interest must not be selected)',
  },
  SIGNATURE_REQUIRED: { status: 409, legalBasis: 'Decree 713 Art 19 (written opinions are signed or sealed)' },
  ALREADY_FILED: { status: 409, legalBasis: 'DOMAIN §3 inv. 5 (a filed opinion and its dissent are immutable)' },
  ASSIGNEE_ROLE_MISMATCH: { status: 409, legalBasis: 'DueProcess roles (DOMAIN §6)' },
  NOT_SUBMITTED_FOR_REVIEW: {
    status: 409,
    legalBasis: 'Decree 713 Art 26 (the undertaking unit submits the draft with its legal basis)',
  },
  LEGALITY_REVIEW_TOO_SHORT: {
    status: 409,
    legalBasis: 'Decree 713 Art 27 (review time generally not less than 7 working days)',
  },
  LEGAL_RISK_STATEMENT_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 27 (exploratory reform needs an explicit legal-risk statement)',
  },
  FAIRNESS_EXCEPTION_INCOMPLETE: {
    status: 409,
    legalBasis: 'Decree 783 Art 12 (purpose, no less-restrictive alternative, time limit)',
  },
  NOT_SUBMITTED_FOR_DISCUSSION: {
    status: 409,
    legalBasis: 'Decree 713 Art 29 (the decision package is submitted before discussion)',
  },
  MINUTES_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 30 (the discussion is recorded before the head decides)',
  },
  QUORUM_NOT_MET: { status: 409, legalBasis: 'Decree 713 Art 30 (executive or plenary meeting of the organ)' },
  HEAD_MUST_SPEAK_LAST: { status: 409, legalBasis: 'Decree 713 Art 30 (members speak first, the head last)' },
  DIFFERENCE_REASON_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 30 (the head explains a decision that differs from the majority)',
  },
  NOT_ANNOUNCED: {
    status: 409,
    legalBasis: 'Decree 713 Art 32; DOMAIN §2 stage 7 (announce for the objection window first)',
  },
  OBJECTION_WINDOW_OPEN: {
    status: 409,
    legalBasis: 'DOMAIN §2 stage 7 (the objection window of the publicity stage must elapse) [L]',
  },
  HEARING_NOT_REQUIRED: { status: 409 },
  HEARING_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Arts 16–17 (a required hearing is held before publication)',
  },
  HEARING_NOTICE_TOO_SHORT: {
    status: 409,
    legalBasis: 'Decree 713 Art 17 (materials reach participants at least 7 days before)',
  },
  HEARING_NOT_HELD_YET: { status: 409, legalBasis: 'Decree 713 Art 17' },
  HEARING_RECORD_UNSIGNED: { status: 409, legalBasis: 'Decree 713 Art 17 (participants confirm and sign the record)' },
  PARTY_COMMITTEE_REPORT_REQUIRED: {
    status: 409,
    legalBasis: 'Decree 713 Art 31 (report to the same-level Party committee before issuance)',
  },
  FAIRNESS_REVIEW_BLOCKS_ISSUANCE: {
    status: 409,
    legalBasis: 'Decree 783 Art 18 (a measure that fails review must not be issued)',
  },
  EFFECTIVE_BEFORE_PUBLICATION: {
    status: 409,
    legalBasis: 'Decree 713 Art 32; DOMAIN §3 inv. 2 (publication before entry into force)',
  },
  // Commitments and contracts with market entities (DOMAIN §5; issue 3, part 5).
  COMMITMENT_NOT_FOUND: { status: 404 },
  OBLIGATION_NOT_FOUND: { status: 404 },
  COMPLAINT_NOT_FOUND: { status: 404 },
  COMMITMENT_ID_TAKEN: { status: 409 },
  COMMITMENT_CLOSED: {
    status: 409,
    legalBasis: 'Decree 722 Art 31 (a terminated or performed commitment is not changed again; its record stays)',
  },
  NOT_RESPONSIBLE_OFFICE: {
    status: 403,
    legalBasis: 'DOMAIN §3 inv. 7 (the office answerable for the commitment acts, whoever holds it)',
  },
  NOT_COUNTERPARTY: {
    status: 403,
    legalBasis: 'DOMAIN §6 (a market entity follows and complains about the commitments it holds)',
  },
  SME_PAYMENT_TERM_TOO_LONG: {
    status: 409,
    legalBasis: 'Decree 802 Art 9 (an SME is paid within 30 days of delivery; a contract may agree at most 60 days)',
  },
  OBLIGATION_KIND_MISMATCH: { status: 409 },
  OBLIGATION_SETTLED: {
    status: 409,
    legalBasis: 'Decree 722 Art 31 (a performed or cancelled obligation stays as recorded)',
  },
  ALREADY_DELIVERED: { status: 409, legalBasis: 'Decree 802 Art 9 (the payment term runs from the one delivery)' },
  PAYMENT_AMOUNT_MISMATCH: { status: 409, legalBasis: 'Decree 802 Art 9 (the agreed amount is paid in full)' },
  COMPENSATION_REQUIRED: {
    status: 409,
    legalBasis:
      'Decree 722 Art 31; Private Economy Promotion Law Arts 70, 73 (a change in the public interest compensates the entity)',
  },
  COMPLAINT_ALREADY_ANSWERED: { status: 409 },
  // Authority (docs/authority.md) and the directory (DOMAIN §6; DOMAIN §3 inv. 7).
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    legalBasis: 'docs/authority.md (a key belongs to its actor, its operation and its request)',
  },
  // Integrity records (DOMAIN §5): disputed and corrected, never deleted.
  DISPUTE_PENDING: {
    status: 409,
    legalBasis: 'DOMAIN §5 (records can be disputed and corrected, never deleted; one dispute of a record at a time)',
  },
  ALREADY_CORRECTED: {
    status: 409,
    legalBasis:
      'DOMAIN §5 (records can be disputed and corrected, never deleted; a corrected record is not disputed again)',
  },
  DISPUTE_ALREADY_RESOLVED: { status: 409, legalBasis: 'DOMAIN §5 (a dispute is resolved once)' },
  NOT_NAMED_IN_RECORD: {
    status: 403,
    legalBasis: 'DOMAIN §5 (the person or organ a record names, or a supervisor, disputes it)',
  },
  NAMED_IN_RECORD: { status: 403, legalBasis: 'DOMAIN §5 (no one resolves a dispute about a record that names them)' },
  SELF_HANDOVER: {
    status: 403,
    legalBasis: 'DOMAIN §6 (the directory administrator does not give an office to themselves)',
  },
  NOT_DISCLOSED: { status: 404 },
  ORGAN_NOT_FOUND: { status: 404 },
  OFFICE_NOT_FOUND: { status: 404 },
  ALREADY_MERGED: { status: 409, legalBasis: 'DOMAIN §6 (an organ is merged once; its successor carries it on)' },
  MERGE_CYCLE: {
    status: 409,
    legalBasis: 'DOMAIN §6 (an organ is not merged into itself or into an organ merged into it)',
  },
  MERGE_ABSORBS_SUPERVISOR: { status: 409, legalBasis: 'DOMAIN §6 (no organ absorbs the one that supervises it)' },
  MERGE_KIND_MISMATCH: {
    status: 409,
    legalBasis: 'DOMAIN §6; Decree 722 Art 31 (a market entity is not an organ of government)',
  },
  HANDOVER_OUTSIDE_ORGAN: {
    status: 409,
    legalBasis: 'DOMAIN §3 inv. 7 (an office passes to a person of its own organ)',
  },
  HANDOVER_BEFORE_CURRENT_TERM: {
    status: 409,
    legalBasis: 'DOMAIN §3 inv. 7 (a handover cannot rewrite who held the office before it)',
  },
  HANDOVER_IN_FUTURE: { status: 409, legalBasis: 'DOMAIN §3 inv. 7 (a handover takes effect when it is made)' },
} as const satisfies Record<string, RefusalSpec>;

export type RefusalCode = keyof typeof REFUSALS;

/** A gate's refusal. `legalBasis` defaults to the code's own; a stage gate may cite the stage's article. */
export class Refusal extends Error {
  readonly status: RefusalStatus;
  readonly legalBasis?: string;
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details?: Record<string, unknown>,
    legalBasis?: string,
  ) {
    super(message);
    this.name = 'Refusal';
    this.status = REFUSALS[code].status;
    this.legalBasis = legalBasis ?? (REFUSALS[code] as RefusalSpec).legalBasis;
  }
}

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REFUSALS, code);
}
