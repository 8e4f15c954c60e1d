// The seven statutory stages (DOMAIN §2), the roles of DOMAIN §6, and the decision flags that
// make a stage applicable. Pure module shared by the workflow sandbox, the API and the tests.

export const STAGE_KEYS = [
  'public-participation',
  'expert-demonstration',
  'risk-assessment',
  'legality-review',
  'fairness-review',
  'collective-discussion',
  'publicity-and-hearing',
] as const;
export type StageKey = (typeof STAGE_KEYS)[number];

/** The article each stage implements; cited by refusals that concern the stage. */
export const STAGE_LEGAL_BASIS: Record<StageKey, string> = {
  'public-participation': 'Decree 713 Arts 14–18',
  'expert-demonstration': 'Decree 713 Arts 19–21',
  'risk-assessment': 'Decree 713 Arts 22–24',
  'legality-review': 'Decree 713 Arts 25–28',
  'fairness-review': 'Decree 783 Arts 2, 8–18',
  'collective-discussion': 'Decree 713 Arts 29–31',
  'publicity-and-hearing': 'Decree 713 Arts 16–17, 32',
};

export const ROLES = [
  'drafting-official',
  'expert',
  'risk-assessor',
  'legality-reviewer',
  'fairness-reviewer',
  'meeting-secretary',
  'head',
  'supervisor',
  'directory-administrator',
  'market-entity',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Flags set by the drafting official when the decision is started. They decide which
 * flag-dependent stages apply; an inapplicable stage is recorded, never skipped silently.
 */
export const FLAGS = [
  'specialised', // specialised or technical matter → expert demonstration (Art 19)
  'riskRelevant', // possible harm to stability, security, environment, finance → risk (Art 22)
  'marketRelated', // touches economic activities of market entities → fairness (Decree 783 Art 2)
  'livelihood', // education, health, food safety, environment, utilities → opinion survey [P]
  'hearingRequired', // prices of public utilities, planning changes → hearing (Arts 16–17)
  'nonDisclosable', // lawfully not disclosable → public participation not applicable (Art 14)
] as const;
export type Flag = (typeof FLAGS)[number];
export type Flags = Record<Flag, boolean>;

export const FLAG_RULES: Record<Flag, string> = {
  specialised: 'Decree 713 Art 19: expert demonstration applies to specialised or technical matters',
  riskRelevant:
    'Decree 713 Art 22: risk assessment applies where social stability, public security, environment or finance may be harmed',
  marketRelated:
    'Decree 783 Art 2: fair-competition review applies to measures touching economic activities of market entities',
  livelihood: 'City integrity plan [P]: opinion surveys apply to major livelihood decisions',
  hearingRequired: 'Decree 713 Arts 16–17: a hearing is held where law requires it',
  nonDisclosable: 'Decree 713 Art 14: public participation applies unless the matter is lawfully not disclosable',
};

export function stageIndex(key: StageKey, order: readonly StageKey[]): number {
  return order.indexOf(key);
}
