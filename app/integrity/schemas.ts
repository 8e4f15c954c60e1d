import { z } from 'zod';
import { text } from '../../domain/text';
import { INTEGRITY_KINDS } from '../../lib/integrity';

// Request schemas of the integrity API. Every input schema is strict: unknown keys are refused.

const id = text(200);
// A "+08:00" offset sent unencoded in a query string arrives as " 08:00": read it as meant.
const isoDate = z
  .preprocess((v) => (typeof v === 'string' ? v.replace(/ (\d\d:\d\d)$/, '+$1') : v), z.iso.datetime({ offset: true }))
  .transform((s) => new Date(s));

export const evidenceSchema = z
  .object({
    description: text(20_000),
    references: z.array(text(2_000)).max(100).default([]),
  })
  .strict();
export type Evidence = z.infer<typeof evidenceSchema>;

export const listRecordsQuery = z
  .object({
    organ: id.optional(),
    holder: id.optional(),
    kind: z.enum(INTEGRITY_KINDS).optional(),
    since: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const manualRecordBody = z
  .object({
    organId: id,
    officeId: id.optional(),
    at: isoDate.optional(),
    rule: text(2_000),
    legalBasis: text(1_000),
    evidence: evidenceSchema,
  })
  .strict();
export type ManualRecordBody = z.infer<typeof manualRecordBody>;

export const disputeBody = z.object({ grounds: text(20_000) }).strict();

export const resolveDisputeBody = z
  .object({
    resolution: z.enum(['upheld', 'rejected']),
    reason: text(20_000),
    correction: z
      .object({ rule: text(2_000), legalBasis: text(1_000), evidence: evidenceSchema })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => b.resolution === 'upheld' || b.correction === undefined, {
    message: 'only an upheld dispute has a correction',
    path: ['correction'],
  });
export type ResolveDisputeBody = z.infer<typeof resolveDisputeBody>;

export const eligibilityQuery = z
  .object({ official: id.optional(), organ: id.optional(), at: isoDate.optional() })
  .strict()
  .refine((q) => (q.official === undefined) !== (q.organ === undefined), {
    message: 'give official or organ, not both',
    path: ['official'],
  });

const format = z.enum(['json', 'csv']).default('json');

export const creditFeedQuery = z
  .object({
    since: isoDate.optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
    format,
  })
  .strict()
  .refine((q) => q.since === undefined || q.cursor === undefined, {
    message: 'give since or cursor, not both',
    path: ['cursor'],
  });

export const smeOverdueQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), format }).strict();
