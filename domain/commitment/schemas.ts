import { z } from 'zod';
import { text } from '../text';
import { plainDurationSchema } from '../duration';
import { groundsSchema } from '../grounds';

// Registration and action payloads of a commitment, shared by the API (request validation) and
// the workflow validator, which re-validates: the workflow trusts no caller. Strings are bounded
// so workflow history stays small.

const instant = z.iso.datetime({ offset: true });
const amountFen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const commitmentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,79}$/, 'lowercase letters, digits and dashes, 3–80 characters');
export const obligationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'letters, digits, _ and -, at most 40');
const entityIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'letters, digits and _.:-, at most 100');

export const COMMITMENT_KINDS = ['policy-commitment', 'contract'] as const;
export const COMMITMENT_STATUSES = ['active', 'fulfilled', 'terminated'] as const;

export const obligationInputSchema = z
  .object({
    id: obligationIdSchema,
    kind: z.enum(['payment', 'performance']),
    description: text(2_000),
    amountFen: amountFen.optional(),
    dueAt: instant.optional(),
    /** Payments: days from delivery to the due date; SMEs: 30 by default, at most 60 (Decree 802 Art 9). */
    paymentTermDays: z.number().int().positive().max(3660).optional(),
    /** Demo commitments only: the same term in seconds. */
    paymentTermSeconds: z.number().positive().max(10_000_000).optional(),
  })
  .strict()
  .refine((o) => (o.kind === 'payment') === (o.amountFen !== undefined), {
    message: 'a payment has an amount in fen; a performance has none',
    path: ['amountFen'],
  })
  .refine((o) => o.kind === 'payment' || (o.paymentTermDays === undefined && o.paymentTermSeconds === undefined), {
    message: 'only a payment has a payment term',
    path: ['paymentTermDays'],
  })
  .refine((o) => o.paymentTermDays === undefined || o.paymentTermSeconds === undefined, {
    message: 'give the term in days or in seconds, not both',
    path: ['paymentTermSeconds'],
  });
export type ObligationInput = z.infer<typeof obligationInputSchema>;

export const periodsSchema = z
  .object({ complaintResponse: plainDurationSchema.optional(), reminderBefore: plainDurationSchema.optional() })
  .strict();

/** What the drafting official registers; the API adds the responsible office from the directory. */
export const registrationSchema = z
  .object({
    id: commitmentIdSchema.optional(),
    kind: z.enum(COMMITMENT_KINDS),
    title: text(300),
    counterparty: z.object({ id: entityIdSchema, name: text(300), isSme: z.boolean() }).strict(),
    decisionId: z.string().min(1).max(100).optional(),
    responsibleOfficeId: text(200),
    obligations: z.array(obligationInputSchema).min(1).max(200),
    periods: periodsSchema.optional(),
    /** Allows seconds-scale periods and payment terms: for demonstrations and tests, never statutory. */
    demo: z.boolean().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const ids = r.obligations.map((o) => o.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['obligations', i, 'id'], message: `duplicate obligation id "${id}"` });
    });
    if (r.demo) return;
    for (const key of ['complaintResponse', 'reminderBefore'] as const) {
      if (r.periods?.[key] && 'seconds' in r.periods[key])
        ctx.addIssue({ code: 'custom', path: ['periods', key], message: 'periods in seconds need "demo": true' });
    }
    r.obligations.forEach((o, i) => {
      if (o.paymentTermSeconds !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['obligations', i, 'paymentTermSeconds'],
          message: 'a term in seconds needs "demo": true',
        });
    });
  });
export type RegistrationBody = z.infer<typeof registrationSchema>;

const compensationSchema = z
  .object({
    /** May be 0 only as a recorded settlement; the reason says why. */
    amountFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    reason: text(5_000),
    /** When set, the compensation becomes a payment obligation with its own reminders and deadline. */
    payableBy: instant.optional(),
  })
  .strict();

const changeSchema = z
  .object({
    obligationId: obligationIdSchema,
    dueAt: instant.optional(),
    amountFen: amountFen.optional(),
    description: text(2_000).optional(),
    cancel: z.literal(true).optional(),
  })
  .strict()
  .refine(
    (c) => c.dueAt !== undefined || c.amountFen !== undefined || c.description !== undefined || c.cancel !== undefined,
    { message: 'a change changes something' },
  )
  .refine((c) => !c.cancel || (c.dueAt === undefined && c.amountFen === undefined), {
    message: 'a cancelled obligation takes no new date or amount',
  });

const lawfulChange = {
  grounds: groundsSchema,
  /** The statutory authority the organ acts under (Decree 722 Art 31; PEPL Art 70). */
  legalBasis: text(5_000),
  /** Declared by the head; the rules add the harm they can see (a cancelled, reduced or postponed obligation). */
  harmsEntity: z.boolean().optional(),
  compensation: compensationSchema.optional(),
};

export const commitmentActionSchemas = {
  'record-delivery': z
    .object({ obligationId: obligationIdSchema, deliveredAt: instant.optional(), note: text(2_000).optional() })
    .strict(),
  'record-payment': z.object({ obligationId: obligationIdSchema, amountFen, reference: text(200) }).strict(),
  'record-fulfilment': z.object({ obligationId: obligationIdSchema, evidence: text(5_000) }).strict(),
  'request-modification': z.object({ ...lawfulChange, changes: z.array(changeSchema).min(1).max(200) }).strict(),
  terminate: z.object(lawfulChange).strict(),
  'file-complaint': z.object({ text: text(20_000), obligationId: obligationIdSchema.optional() }).strict(),
  'respond-to-complaint': z.object({ complaintId: z.string().regex(/^C-\d{1,6}$/), response: text(20_000) }).strict(),
} as const;

export type CommitmentActionName = keyof typeof commitmentActionSchemas;
export const COMMITMENT_ACTIONS = Object.keys(commitmentActionSchemas) as CommitmentActionName[];
export const isCommitmentAction = (a: string): a is CommitmentActionName =>
  (COMMITMENT_ACTIONS as string[]).includes(a);
export type CommitmentPayload<A extends CommitmentActionName> = z.output<(typeof commitmentActionSchemas)[A]>;
