import { z } from 'zod';
import { text } from '../../domain/text';

// The input of the public commands and queries, shared by both edges: the JSON API parses request
// bodies with them, the portal its forms (strict: unknown keys refused).

/** An Idempotency-Key as a client may send it (header or hidden form field). */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'letters, digits and _.:- only, at most 200');

export const opinionBody = z
  .object({
    text: text(10_000),
    paragraph: z.number().int().positive().max(100_000).optional(),
    name: text(100).optional(),
    contact: text(200).optional(),
  })
  .strict();

/** An opinion, with the verification the template may require (see POST …/verifications). */
export const publicOpinionBody = opinionBody
  .extend({
    verification: z
      .object({
        id: z.string().max(64),
        code: z
          .string()
          .trim()
          .regex(/^[0-9]{6}$/, 'six digits'),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PublicOpinionInput = z.output<typeof publicOpinionBody>;

export const surveyAnswerBody = z
  .object({
    answers: z.record(
      z.string().regex(/^[a-z0-9-]{1,40}$/),
      z.union([z.string().trim().max(5_000), z.array(z.string().max(200)).max(20)]),
    ),
  })
  .strict();

export const verificationBody = z.object({ channel: z.enum(['email', 'phone']), destination: text(200) }).strict();

export const hearingRegistrationBody = z
  .object({ name: text(100), contact: text(200), represents: text(200), statement: text(5_000).optional() })
  .strict();

/** Which text was in force at a moment (now when absent). */
export const inForceQuery = z.object({ at: z.iso.datetime({ offset: true }).optional() }).strict();
