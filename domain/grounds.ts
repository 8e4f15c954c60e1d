import { z } from 'zod';
import { Refusal } from './refusals';
import { text } from './text';

// Grounds for changing, suspending or terminating an adopted decision, a policy commitment or a
// contract. A change whose only grounds are a change of officials or of organisation is refused:
// "new officials do not ignore old accounts" (Decree 722 Art 31; Private Economy Promotion Law
// Art 70). Pure module, shared by the decision workflow, the commitment workflow and the API.

export const FORBIDDEN_GROUNDS = [
  'administrative-division-adjustment',
  'change-of-government-term',
  'institutional-reorganisation',
  'replacement-of-responsible-person',
] as const;

export const LAWFUL_GROUNDS = [
  'public-interest', // national or public interest, by statutory authority and procedure, with compensation
  'change-in-law', // the higher-level law or policy it implements changed
  'implementation-evaluation', // post-evaluation found it misses its purpose (Decree 713 Art 36)
  'emergency', // an urgent case (Decree 713 Art 37)
  'counterparty-breach', // the market entity did not perform
  'mutual-agreement', // both parties agree (contracts)
  'error-correction', // a clerical or factual error in the text
] as const;

export const GROUND_CATEGORIES = [...LAWFUL_GROUNDS, ...FORBIDDEN_GROUNDS] as const;
export type GroundCategory = (typeof GROUND_CATEGORIES)[number];

export const groundsSchema = z
  .object({
    categories: z.array(z.enum(GROUND_CATEGORIES)).min(1).max(10),
    explanation: text(20_000),
  })
  .strict();
export type Grounds = z.infer<typeof groundsSchema>;

export const FORBIDDEN_GROUND_BASIS = 'Decree 722 Art 31; Private Economy Promotion Law Art 70';

/** Refuses grounds that consist only of forbidden categories. */
export function checkGrounds(g: Grounds): void {
  const forbidden = g.categories.filter((c) => (FORBIDDEN_GROUNDS as readonly string[]).includes(c));
  if (forbidden.length === g.categories.length) {
    throw new Refusal(
      'FORBIDDEN_GROUND',
      `a change of officials or of organisation is no ground to change, stop or breach a lawful decision or commitment (${forbidden.join(', ')})`,
      { forbidden },
      FORBIDDEN_GROUND_BASIS,
    );
  }
}
