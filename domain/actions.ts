import { z } from 'zod';
import { storable, text } from './text';
import { plainDurationSchema } from './duration';
import { groundsSchema } from './grounds';
import { CHANGE_TYPES } from './template';
import { ROLES, type Role, type StageKey } from './stages';

// The payload of every stage action, shared by the API (request validation, OpenAPI) and the
// workflow validator (which re-validates: the workflow trusts no caller). Strings are bounded so
// workflow history stays small; documents and public opinions live in PostgreSQL.

const instant = z.iso.datetime({ offset: true });
const draftVersion = z.number().int().positive();
const userId = text(100);
/**
 * Filled in by the API from the staff directory, never by the caller: the office and its holder.
 * `officeId` is optional only so that histories recorded before offices existed still replay
 * (payload schemas change additively); the API always sends it.
 */
const assignee = z
  .object({
    officeId: text(200).optional(),
    userId,
    name: text(200),
    role: z.enum(ROLES),
    dissentingView: z.boolean().optional(),
  })
  .strict();

export const actionPayloadSchemas = {
  predisclose: z
    .object({
      explanation: text(20_000),
      howToComment: text(2_000),
      /** Shorter than the template's window only with an urgency reason (Decree 713 Art 15). */
      commentWindow: plainDurationSchema.optional(),
      urgencyReason: text(2_000).optional(),
    })
    .strict(),
  'open-survey': z
    .object({
      questions: z
        .array(
          z
            .object({
              id: z.string().regex(/^[a-z0-9-]{1,40}$/),
              text: text(500),
              kind: z.enum(['single-choice', 'multiple-choice', 'text']),
              options: z.array(text(200)).min(2).max(20).optional(),
            })
            .strict()
            .refine((q) => (q.kind === 'text') === (q.options === undefined), {
              message: 'choice questions need options; text questions take none',
              path: ['options'],
            }),
        )
        .min(1)
        .max(50),
      surveyWindow: plainDurationSchema.optional(),
      urgencyReason: text(2_000).optional(),
    })
    .strict(),
  'close-window-early': z.object({ window: z.enum(['comment', 'survey']), reason: text(2_000) }).strict(),
  'publish-feedback': z
    .object({
      report: text(50_000),
      /** Computed by the API from the frozen opinion set; the workflow checks it against the freeze. */
      dispositions: z
        .object({
          digest: z.string().max(128),
          total: z.number().int().min(0),
          disposed: z.number().int().min(0),
          /** The window and the digest of its dispositions (lib/dispositions.ts), kept in the chain. */
          window: z.string().max(200).optional(),
          dispositionsDigest: z.string().max(128).optional(),
        })
        .strict(),
    })
    .strict(),
  assign: z
    .object({
      stage: z.enum(['expert-demonstration', 'risk-assessment', 'fairness-review']),
      assignees: z.array(assignee).min(1).max(30),
      dissentSlotReason: text(2_000).optional(),
    })
    .strict(),
  /** Releases an assignee who cannot act (a declared interest, illness); their filed records stay. */
  'withdraw-assignment': z
    .object({
      stage: z.enum(['expert-demonstration', 'risk-assessment', 'fairness-review']),
      officeId: text(200),
      reason: text(2_000),
    })
    .strict(),
  'file-expert-opinion': z
    .object({
      draftVersion,
      opinion: text(50_000),
      conclusion: z.enum(['supports', 'supports-with-changes', 'opposes']),
      /** Immutable once filed (DOMAIN §3 inv. 5); may be empty. */
      dissent: storable().trim().max(20_000).default(''),
      signature: z
        .object({ signedBy: text(200), signedAt: instant, method: z.enum(['signature', 'seal', 'e-signature']) })
        .strict(),
      interestDeclaration: z.object({ directInterest: z.boolean(), statement: text(2_000) }).strict(),
    })
    .strict(),
  'file-risk-report': z
    .object({
      draftVersion,
      riskPoints: z.array(text(2_000)).min(1).max(100),
      measures: z.array(text(2_000)).min(1).max(100),
      contingencyPlan: text(20_000),
      rating: z.enum(['controllable', 'uncontrollable']),
      assessedBy: text(200).optional(),
      departmentsHeard: z.array(text(200)).max(50).optional(),
      /** An assessment already made under other rules is referenced, not repeated (Art 22). */
      priorAssessmentReference: text(500).optional(),
    })
    .strict(),
  'submit-for-legality-review': z
    .object({
      draftVersion,
      legalBasis: text(20_000),
      procedureExplanation: text(20_000),
      reviewer: assignee,
    })
    .strict(),
  'file-legality-review': z
    .object({
      draftVersion,
      outcome: z.enum(['pass', 'exploratory-reform', 'return', 'unlawful']),
      opinion: text(50_000),
      legalRiskStatement: text(20_000).optional(),
    })
    .strict(),
  'file-fairness-review': z
    .object({
      draftVersion,
      conclusion: z.enum(['pass', 'exception', 'fail']),
      findings: text(50_000),
      businessesHeard: text(5_000).optional(),
      exception: z
        .object({ purpose: text(5_000), noLessRestrictiveAlternative: text(5_000), timeLimit: z.iso.date() })
        .strict()
        .optional(),
    })
    .strict(),
  'submit-for-discussion': z.object({ draftVersion, packageSummary: text(20_000) }).strict(),
  'record-minutes': z
    .object({
      draftVersion,
      meeting: z
        .object({
          kind: z.enum(['executive', 'plenary']),
          heldAt: instant,
          membersTotal: z.number().int().min(1).max(500),
          attendees: z
            .array(z.object({ name: text(200), title: text(200).optional() }).strict())
            .min(1)
            .max(500),
        })
        .strict(),
      speeches: z
        .array(
          z
            .object({
              speaker: text(200),
              isHead: z.boolean(),
              position: z.enum(['adopt', 'reject', 'abstain']),
              summary: text(5_000).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(500),
      /** May be empty, never absent (Decree 713 Art 30). */
      dissent: storable().trim().max(20_000),
    })
    .strict(),
  decide: z.object({ draftVersion, decision: z.enum(['adopt', 'reject']), reason: text(5_000).optional() }).strict(),
  announce: z.object({ announcement: text(20_000) }).strict(),
  'schedule-hearing': z
    .object({
      heldAt: instant,
      place: text(500),
      selectionMethod: text(5_000),
      participants: z
        .array(z.object({ name: text(200), represents: text(200) }).strict())
        .min(2)
        .max(200),
      materialsSentAt: instant,
    })
    .strict(),
  'record-hearing': z
    .object({
      record: text(50_000),
      signatures: z
        .array(z.object({ participant: text(200), signedAt: instant }).strict())
        .min(1)
        .max(200),
    })
    .strict(),
  'report-to-party-committee': z.object({ reportedAt: instant, reference: text(500) }).strict(),
  publish: z
    .object({
      gazetteReference: text(200).optional(),
      url: z.url().max(2_000).optional(),
      effectiveAt: instant.optional(),
    })
    .strict(),
  withdraw: z.object({ reason: text(5_000) }).strict(),
  /** A typed change of a decision in force; the document is the amended text or the order. */
  'request-change': z
    .object({
      type: z.enum(CHANGE_TYPES),
      grounds: groundsSchema,
      evidence: z
        .array(z.object({ description: text(2_000), reference: text(500).optional() }).strict())
        .max(50)
        .default([]),
      documentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    })
    .strict(),
  'revise-draft': z.object({ hash: z.string().regex(/^sha256:[0-9a-f]{64}$/), changeNote: text(5_000) }).strict(),
} as const;

export type ActionName = keyof typeof actionPayloadSchemas;
export const ACTION_NAMES = Object.keys(actionPayloadSchemas) as ActionName[];
export type ActionPayload<A extends ActionName> = z.output<(typeof actionPayloadSchemas)[A]>;

export interface ActionSpec {
  /** The stage the action belongs to; `assign` names it in its payload; null: any stage. */
  stage: StageKey | 'payload' | null;
  roles: Role[];
  /** The actor must belong to the decision's organ. */
  sameOrgan: boolean;
  /** The actor must be assigned to the stage. */
  assigned: boolean;
}

const official = { roles: ['drafting-official'] as Role[], sameOrgan: true, assigned: false };
export const ACTION_SPECS: Record<ActionName, ActionSpec> = {
  predisclose: { stage: 'public-participation', ...official },
  'open-survey': { stage: 'public-participation', ...official },
  'close-window-early': { stage: 'public-participation', ...official },
  'publish-feedback': { stage: 'public-participation', ...official },
  assign: { stage: 'payload', ...official },
  'withdraw-assignment': { stage: 'payload', ...official },
  'file-expert-opinion': { stage: 'expert-demonstration', roles: ['expert'], sameOrgan: false, assigned: true },
  'file-risk-report': { stage: 'risk-assessment', roles: ['risk-assessor'], sameOrgan: false, assigned: true },
  'submit-for-legality-review': { stage: 'legality-review', ...official },
  'file-legality-review': { stage: 'legality-review', roles: ['legality-reviewer'], sameOrgan: false, assigned: true },
  'file-fairness-review': { stage: 'fairness-review', roles: ['fairness-reviewer'], sameOrgan: false, assigned: true },
  'submit-for-discussion': { stage: 'collective-discussion', ...official },
  'record-minutes': { stage: 'collective-discussion', roles: ['meeting-secretary'], sameOrgan: true, assigned: false },
  decide: { stage: 'collective-discussion', roles: ['head'], sameOrgan: true, assigned: false },
  announce: { stage: 'publicity-and-hearing', ...official },
  'schedule-hearing': { stage: 'publicity-and-hearing', ...official },
  'record-hearing': { stage: 'publicity-and-hearing', ...official },
  'report-to-party-committee': { stage: 'publicity-and-hearing', roles: ['head'], sameOrgan: true, assigned: false },
  publish: { stage: 'publicity-and-hearing', ...official },
  withdraw: { stage: null, roles: ['drafting-official', 'head'], sameOrgan: true, assigned: false },
  'request-change': { stage: null, roles: ['drafting-official', 'head'], sameOrgan: true, assigned: false },
  'revise-draft': { stage: null, ...official },
};

/** The role each assignable stage's assignees must hold. */
export const ASSIGNEE_ROLE: Partial<Record<StageKey, Role>> = {
  'expert-demonstration': 'expert',
  'risk-assessment': 'risk-assessor',
  'legality-review': 'legality-reviewer',
  'fairness-review': 'fairness-reviewer',
};

export function isActionName(name: string): name is ActionName {
  return Object.prototype.hasOwnProperty.call(actionPayloadSchemas, name);
}
