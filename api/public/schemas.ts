import { z } from 'zod';
import { text } from '../../domain/text';
import { opinionBody } from '../decisions/schemas';

// Request schemas of the public endpoints added with the portal (strict: unknown keys refused).


/** An opinion, with the verification the template may require (see POST …/verifications). */
export const publicOpinionBody = opinionBody.extend({ verification: z.object({ id: z.string().max(64), code: z.string().trim().regex(/^[0-9]{6}$/, 'six digits') }).strict().optional() }).strict();

export const verificationBody = z.object({ channel: z.enum(['email', 'phone']), destination: text(200) }).strict();

export const hearingRegistrationBody = z
  .object({ name: text(100), contact: text(200), represents: text(200), statement: text(5_000).optional() })
  .strict();

export const moderationBody = z.object({ action: z.enum(['hide', 'restore']), reason: text(2_000) }).strict();
