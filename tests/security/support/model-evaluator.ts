import type { Rule } from './authority-model';

// The test's own evaluator of the conditions of docs/authority.md. It knows nothing of the code
// under test: who holds which office where comes from the world the test built (world.ts), and
// what a resource's organ, assignments, counterparty, responsible holder or named person are
// comes from what the test did to create it.

export interface Holder {
  /** null: no sign-in. */
  userId: string | null;
  offices: ReadonlyArray<{ role: string; organId: string }>;
}

/** What the world knows of the resource an operation concerns. */
export interface ModelScope {
  /** The resource's organ, then the organs carrying it on. */
  organLineage?: readonly string[];
  /** People holding an office the decision assigned, in any procedure, at any time. */
  assigned?: readonly string[];
  /** People with an assignment of the action's stage in the procedure addressed. */
  stageAssigned?: readonly string[];
  counterpartyOrgan?: string;
  responsibleUserId?: string;
  named?: { userId: string; organLineage: readonly string[] };
  /** The person the operation would give an office to. */
  targetUserId?: string;
}

export type Expected = 401 | 403 | 'allow';

const need = <T>(v: T | undefined, cond: string): T => {
  if (v === undefined)
    throw new Error(`condition \`${cond}\` needs a resource the test did not describe (scope lacks it)`);
  return v;
};

export function holds(cond: string, who: Holder, scope: ModelScope, roles: readonly string[]): boolean {
  const signedIn = who.userId !== null && who.offices.length > 0;
  const staffOffices = who.offices.filter((o) => o.role !== 'market-entity');
  if (cond === 'anyone') return true;
  if (!signedIn) return false;
  switch (cond) {
    case 'signed-in':
      return true;
    case 'staff':
      return staffOffices.length > 0;
    case 'member@organ': {
      const lineage = need(scope.organLineage, cond);
      return staffOffices.some((o) => lineage.includes(o.organId));
    }
    case 'assigned':
      return (scope.assigned ?? []).includes(who.userId!);
    case 'assigned@stage':
      return (scope.stageAssigned ?? []).includes(who.userId!);
    case 'counterparty':
      return who.offices.some((o) => o.role === 'market-entity' && o.organId === need(scope.counterpartyOrgan, cond));
    case 'responsible':
      return who.userId === need(scope.responsibleUserId, cond);
    case 'named':
      return who.userId === need(scope.named, cond).userId;
    case 'head@named-organ':
      return who.offices.some((o) => o.role === 'head' && need(scope.named, cond).organLineage.includes(o.organId));
    case 'not-named': {
      const named = need(scope.named, cond);
      return who.userId !== named.userId && !who.offices.some((o) => named.organLineage.includes(o.organId));
    }
    case 'not-self':
      return who.userId !== need(scope.targetUserId, cond);
  }
  const at = /^([a-z-]+)@organ$/.exec(cond);
  if (at && roles.includes(at[1])) {
    const lineage = need(scope.organLineage, cond);
    return who.offices.some((o) => o.role === at[1] && lineage.includes(o.organId));
  }
  if (roles.includes(cond)) return who.offices.some((o) => o.role === cond);
  throw new Error(`the test's evaluator does not know condition \`${cond}\``);
}

export const allows = (rule: Rule, who: Holder, scope: ModelScope, roles: readonly string[]) =>
  rule.some((alt) => alt.every((c) => holds(c, who, scope, roles)));

/** 'allow' for a rule `anyone` admits; else 401 without sign-in, 403 where the rule denies. */
export function expectedAnswer(rule: Rule, who: Holder, scope: ModelScope, roles: readonly string[]): Expected {
  if (rule.some((alt) => alt.every((c) => c === 'anyone'))) return 'allow';
  if (who.userId === null) return 401;
  return allows(rule, who, scope, roles) ? 'allow' : 403;
}
