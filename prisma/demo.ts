import type { Actor } from '../domain/procedure';
import type { Role } from '../domain/stages';

// The demo organs, their offices and one person holding each office (DOMAIN §6), seeded by
// `npm run seed` and by the start command. Local demo data only: a real deployment loads its
// staff directory instead.

export const DEMO_ORGANS = [
  { id: 'harbin-gov', name: 'Harbin Municipal People’s Government (demo)' },
  { id: 'harbin-justice', name: 'Harbin Municipal Justice Bureau (demo)' },
  { id: 'harbin-market', name: 'Harbin Market Supervision Administration (demo)' },
  { id: 'harbin-discipline', name: 'Harbin Discipline Inspection Commission (demo)' },
  { id: 'expert-pool', name: 'Heilongjiang Decision Expert Pool (demo)' },
  { id: 'harbin-org', name: 'Organisation Office of the Harbin Municipal Government (demo)' },
  { id: 'harbin-bus', name: 'Harbin Bus Company (demo market entity)' },
] as const;

export interface DemoUser {
  id: string;
  name: string;
  organId: string;
  roles: Role[];
  /** The one office this demo person holds. */
  officeId: string;
  officeTitle: string;
}

const user = (
  id: string,
  name: string,
  organId: string,
  role: Role,
  office: string,
  officeTitle: string,
): DemoUser => ({
  id,
  name,
  organId,
  roles: [role],
  officeId: `${organId}/${office}`,
  officeTitle,
});

export const DEMO_USERS: DemoUser[] = [
  user(
    'official-zhang',
    'Zhang Wei',
    'harbin-gov',
    'drafting-official',
    'drafting-office',
    'Drafting office (undertaking unit)',
  ),
  user('expert-li', 'Li Wei', 'expert-pool', 'expert', 'li-wei', 'Expert seat: transport economics'),
  user('expert-zhao', 'Zhao Min', 'expert-pool', 'expert', 'zhao-min', 'Expert seat: public finance'),
  user('expert-sun', 'Sun Hao', 'expert-pool', 'expert', 'sun-hao', 'Expert seat: urban planning'),
  user('expert-wu', 'Wu Lei', 'expert-pool', 'expert', 'wu-lei', 'Expert seat: consumer affairs'),
  user(
    'assessor-qian',
    'Qian Rui',
    'harbin-gov',
    'risk-assessor',
    'risk-assessment',
    'Social stability risk assessment',
  ),
  user(
    'reviewer-wang',
    'Wang Fang',
    'harbin-justice',
    'legality-reviewer',
    'legality-review',
    'Legality review division',
  ),
  user(
    'fairness-zhou',
    'Zhou Ping',
    'harbin-market',
    'fairness-reviewer',
    'fair-competition-review',
    'Fair competition review office',
  ),
  user(
    'secretary-he',
    'He Yu',
    'harbin-gov',
    'meeting-secretary',
    'meeting-secretary',
    'Secretary of the executive meeting',
  ),
  user('head-gao', 'Gao Ming', 'harbin-gov', 'head', 'head', 'Mayor (head of the organ)'),
  user('supervisor-lin', 'Lin Hui', 'harbin-discipline', 'supervisor', 'supervision', 'Supervision office'),
  user(
    'admin-zhou',
    'Zhou Jie',
    'harbin-org',
    'directory-administrator',
    'directory',
    'Directory administration (organs, offices, holders)',
  ),
  user(
    'entity-harbin-bus',
    'Harbin Bus Company',
    'harbin-bus',
    'market-entity',
    'representative',
    'Legal representative',
  ),
];

export function demoUser(id: string): DemoUser {
  const u = DEMO_USERS.find((x) => x.id === id);
  if (!u) throw new Error(`no demo user ${id}`);
  return u;
}

/** The actor the directory resolves for a demo user (used by tests that bypass the API). */
export function demoActor(id: string): Actor {
  const u = demoUser(id);
  return {
    id: u.id,
    name: u.name,
    roles: u.roles,
    organId: u.organId,
    offices: [{ id: u.officeId, role: u.roles[0], organId: u.organId }],
    actsFor: [u.organId],
  };
}
