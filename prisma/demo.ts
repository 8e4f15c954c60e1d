import type { Role } from '../domain/stages';

// The demo organ and one user per role of DOMAIN §6, seeded by `npm run seed` (and by the start
// command). Local demo data only: real deployments load their staff directory instead.

export const DEMO_ORGANS = [
  { id: 'harbin-gov', name: 'Harbin Municipal People’s Government (demo)' },
  { id: 'harbin-justice', name: 'Harbin Municipal Justice Bureau (demo)' },
  { id: 'harbin-market', name: 'Harbin Market Supervision Administration (demo)' },
  { id: 'harbin-discipline', name: 'Harbin Discipline Inspection Commission (demo)' },
  { id: 'expert-pool', name: 'Heilongjiang Decision Expert Pool (demo)' },
  { id: 'harbin-bus', name: 'Harbin Bus Company (demo market entity)' },
] as const;

export interface DemoUser {
  id: string;
  name: string;
  organId: string;
  roles: Role[];
}

export const DEMO_USERS: DemoUser[] = [
  { id: 'official-zhang', name: 'Zhang Wei', organId: 'harbin-gov', roles: ['drafting-official'] },
  { id: 'expert-li', name: 'Li Wei', organId: 'expert-pool', roles: ['expert'] },
  { id: 'expert-zhao', name: 'Zhao Min', organId: 'expert-pool', roles: ['expert'] },
  { id: 'expert-sun', name: 'Sun Hao', organId: 'expert-pool', roles: ['expert'] },
  { id: 'expert-wu', name: 'Wu Lei', organId: 'expert-pool', roles: ['expert'] },
  { id: 'assessor-qian', name: 'Qian Rui', organId: 'harbin-gov', roles: ['risk-assessor'] },
  { id: 'reviewer-wang', name: 'Wang Fang', organId: 'harbin-justice', roles: ['legality-reviewer'] },
  { id: 'fairness-zhou', name: 'Zhou Ping', organId: 'harbin-market', roles: ['fairness-reviewer'] },
  { id: 'secretary-he', name: 'He Yu', organId: 'harbin-gov', roles: ['meeting-secretary'] },
  { id: 'head-gao', name: 'Gao Ming', organId: 'harbin-gov', roles: ['head'] },
  { id: 'supervisor-lin', name: 'Lin Hui', organId: 'harbin-discipline', roles: ['supervisor'] },
  { id: 'entity-harbin-bus', name: 'Harbin Bus Company', organId: 'harbin-bus', roles: ['market-entity'] },
];

export function demoUser(id: string): DemoUser {
  const u = DEMO_USERS.find((x) => x.id === id);
  if (!u) throw new Error(`no demo user ${id}`);
  return u;
}
