import { z } from 'zod';
import { COMMITMENT_STATUSES, commitmentActionSchemas, registrationSchema } from '../../domain/commitment';

// Request schemas of the commitments API. Every input schema is strict: unknown keys are refused.
// Registration and action bodies are the domain's schemas, which the workflow validates again.

export { commitmentActionSchemas, registrationSchema };

export const listCommitmentsQuery = z
  .object({
    organ: z.string().min(1).max(100).optional(),
    counterparty: z.string().min(1).max(100).optional(),
    status: z.enum(COMMITMENT_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListCommitmentsQuery = z.infer<typeof listCommitmentsQuery>;
