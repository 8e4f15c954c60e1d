import { z } from 'zod';
import { text } from '../../domain/text';

// Request schemas of the public endpoints: the public inputs are the application layer's (both
// edges parse with them); moderation is staff's (strict: unknown keys refused).

export { hearingRegistrationBody, publicOpinionBody, verificationBody } from '../../app/public/schemas';

export const moderationBody = z.object({ action: z.enum(['hide', 'restore']), reason: text(2_000) }).strict();
