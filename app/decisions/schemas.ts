import { z } from 'zod';
import { text } from '../../domain/text';
import { actionPayloadSchemas, type ActionName } from '../../domain/actions';
import { decisionIdSchema, flagsSchema } from '../../domain/procedure';
import { STAGE_KEYS } from '../../domain/stages';

// The input schemas of the decision commands and queries, shared by both edges (the JSON API
// re-exports them for its OpenAPI document; the pages fill them from forms). Every input schema is
// strict: unknown keys are refused. Action bodies are the domain's payload schemas, except where
// the application fills a field itself (an assignee's name and role from the staff directory; the
// disposition summary from the frozen opinions) — those fields cannot be supplied by the caller.

// The public inputs (opinions, survey answers, the in-force query) and the key format are app/public's.
export { idempotencyKeySchema, inForceQuery, opinionBody, surveyAnswerBody } from '../public/schemas';

export const DECISION_STATUSES = [
  'in-procedure',
  'returned-for-revision',
  'rejected',
  'withdrawn',
  'adopted',
  'announced',
  'published',
  'in-force',
] as const;

export const createDecisionBody = z
  .object({
    id: decisionIdSchema.optional(),
    title: text(300),
    summary: text(5_000),
    templateId: z.string().min(1).max(63),
    flags: flagsSchema.default(flagsSchema.parse({})),
    nonDisclosableReason: text(2_000).optional(),
    draft: z.object({ text: text(500_000), explanation: text(100_000) }).strict(),
  })
  .strict();
export type CreateDecisionBody = z.infer<typeof createDecisionBody>;

export const listDecisionsQuery = z
  .object({
    stage: z.enum(STAGE_KEYS).optional(),
    status: z.enum(DECISION_STATUSES).optional(),
    organ: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const draftRevisionBody = z
  .object({ text: text(500_000), explanation: text(100_000), changeNote: text(5_000) })
  .strict();

export const dispositionBody = z
  .object({
    disposition: z.enum(['adopted', 'partly-adopted', 'not-adopted']),
    reason: text(5_000).optional(),
  })
  .strict()
  .refine((d) => d.disposition === 'adopted' || d.reason !== undefined, {
    message: 'a reason is required when an opinion is not, or only partly, adopted',
    path: ['reason'],
  });

/** An office, named directly or as the office in which a person holds the stage's role. */
const officeChoice = z
  .object({ userId: text(100).optional(), officeId: text(200).optional() })
  .strict()
  .refine((o) => (o.userId === undefined) !== (o.officeId === undefined), {
    message: 'give userId or officeId, not both',
  });
const apiAssignee = z
  .object({ userId: text(100).optional(), officeId: text(200).optional(), dissentingView: z.boolean().optional() })
  .strict()
  .refine((o) => (o.userId === undefined) !== (o.officeId === undefined), {
    message: 'give userId or officeId, not both',
  });

/** Actions sent to POST /api/decisions/{id}/actions/{action}; revisions go to /drafts instead. */
export const apiActionBodySchemas = {
  ...actionPayloadSchemas,
  assign: actionPayloadSchemas.assign.extend({ assignees: z.array(apiAssignee).min(1).max(30) }).strict(),
  'submit-for-legality-review': actionPayloadSchemas['submit-for-legality-review']
    .extend({ reviewer: officeChoice })
    .strict(),
  'withdraw-assignment': z
    .object({
      stage: actionPayloadSchemas['withdraw-assignment'].shape.stage,
      userId: text(100).optional(),
      officeId: text(200).optional(),
      reason: text(2_000),
    })
    .strict()
    .refine((o) => (o.userId === undefined) !== (o.officeId === undefined), {
      message: 'give userId or officeId, not both',
    }),
  'publish-feedback': actionPayloadSchemas['publish-feedback'].omit({ dispositions: true }).strict(),
} satisfies Partial<Record<ActionName, z.ZodType>>;

/** Revisions go to /drafts and change requests to /changes: both carry a document. */
export type ApiActionName = Exclude<ActionName, 'revise-draft' | 'request-change'>;
export const API_ACTIONS = (Object.keys(apiActionBodySchemas) as ActionName[]).filter(
  (a): a is ApiActionName => a !== 'revise-draft' && a !== 'request-change',
);

export const changeRequestBody = z
  .object({
    type: actionPayloadSchemas['request-change'].shape.type,
    grounds: actionPayloadSchemas['request-change'].shape.grounds,
    evidence: actionPayloadSchemas['request-change'].shape.evidence,
    /** The amended text for an amendment; the order (its text and explanation) for the other types. */
    document: z.object({ text: text(500_000), explanation: text(100_000) }).strict(),
  })
  .strict();

export const isApiAction = (a: string): a is ApiActionName => (API_ACTIONS as string[]).includes(a);
