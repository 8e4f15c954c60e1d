import { isAccountable, type AuthorityActor, type Scope } from './authority';

// Which refused attempts on a decision are breaches (docs/authority.md, "Breaches are attributed
// only to accountable acts"; DOMAIN §5 [D]). Pure: the application layer decides with it, and
// lib/integrity.ts only stores what it is told to.

export type BreachKind = 'out-of-order-attempt' | 'forbidden-ground';

const BREACH_KINDS: Readonly<Record<string, BreachKind>> = {
  STAGE_NOT_REACHED: 'out-of-order-attempt',
  LEGALITY_REVIEW_REQUIRED: 'out-of-order-attempt',
  FORBIDDEN_GROUND: 'forbidden-ground',
};

export const BREACH_RULES: Readonly<Record<BreachKind, string>> = {
  'out-of-order-attempt':
    'A stage of a major decision was attempted before the stages ahead of it passed (attempt blocked and recorded)',
  'forbidden-ground':
    'A change, stop or breach was sought on the ground of a change of officials or organisation (refused and recorded)',
};

/** The breach a refusal code is, or null when it is none. */
export function breachKindOf(code: string): BreachKind | null {
  return Object.prototype.hasOwnProperty.call(BREACH_KINDS, code) ? BREACH_KINDS[code] : null;
}

/** The breach a refused attempt is attributed as: a breach kind, by an actor accountable in the decision. */
export function breachOf(actor: AuthorityActor, scope: Scope, code: string): BreachKind | null {
  const kind = breachKindOf(code);
  return kind && isAccountable(actor, scope) ? kind : null;
}
