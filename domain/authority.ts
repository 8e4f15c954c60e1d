import type { ActionName } from './actions';
import { Refusal, type RefusalCode } from './refusals';
import { ROLES, type Role } from './stages';

// Who may do what (docs/authority.md, the written model; DOMAIN §6). One table of rules, one
// evaluator, no I/O: the application layer (app/) loads the scope of a resource from the stores
// and calls `authorize` before every command and read. The authorization tests do not read this
// table: they compute their expectations from docs/authority.md.

/** The actor as the directory resolves them at the moment of the request (DOMAIN §3 inv. 7). */
export interface AuthorityActor {
  id: string;
  offices: ReadonlyArray<{ id: string; role: Role; organId: string }>;
}

/** The conditions of docs/authority.md. A typo here is a type error. */
export type Condition =
  | 'anyone'
  | 'signed-in'
  | 'staff'
  | Role
  | `${Role}@organ`
  | 'member@organ'
  | 'assigned'
  | 'assigned@stage'
  | 'counterparty'
  | 'responsible'
  | 'named'
  | 'head@named-organ'
  | 'not-named'
  | 'not-self';

/** Alternatives of conjunctions: `[['supervisor'], ['member@organ']]` is "supervisor | member@organ". */
export type Rule = ReadonlyArray<ReadonlyArray<Condition>>;

/** What the rules need to know of the resource, loaded by the application layer. */
export interface Scope {
  /** The resource's organ first, then the organs that carry it on (its chain of successors). */
  organLineage?: readonly string[];
  /** Every office the decision assigned, in any of its procedures, at any time (or `user:<id>`). */
  assignedOffices?: readonly string[];
  /** Offices with an assignment of the action's stage in the procedure addressed. */
  stageOffices?: readonly string[];
  /** The organ of the commitment's counterparty (market entity). */
  counterpartyOrgan?: string;
  responsibleOfficeId?: string;
  /** What an integrity record names: the person, and the organ with the organs carrying it on. */
  named?: { userId: string | null; organLineage: readonly string[] };
  /** The person an operation would give an office to. */
  targetUserId?: string;
}

export type Operation =
  | 'decision.list'
  | 'decision.read'
  | 'decision.create'
  | 'decision.revise'
  | 'decision.request-change'
  | 'opinion.dispose'
  | 'opinion.moderate'
  | 'moderation.queue'
  | 'commitment.list'
  | 'commitment.read'
  | 'commitment.audit'
  | 'commitment.register'
  | 'integrity.read'
  | 'integrity.file'
  | 'integrity.dispute'
  | 'integrity.resolve'
  | 'credit-feed.read'
  | 'office.read'
  | 'directory.handover'
  | 'directory.merge'
  | 'directory.rename'
  | `decision.act:${ActionName}`
  | `commitment.act:${CommitmentActionName}`;

export type CommitmentActionName =
  | 'record-delivery'
  | 'record-payment'
  | 'record-fulfilment'
  | 'respond-to-complaint'
  | 'request-modification'
  | 'terminate'
  | 'file-complaint';

const official: Rule = [['drafting-official@organ']];
const responsible: Rule = [['responsible'], ['drafting-official@organ']];

type StageActionName = Exclude<ActionName, 'revise-draft' | 'request-change'>;

const STAGE_ACTIONS: Record<StageActionName, Rule> = {
  predisclose: official,
  'open-survey': official,
  'close-window-early': official,
  'publish-feedback': official,
  assign: official,
  'withdraw-assignment': official,
  'submit-for-legality-review': official,
  'submit-for-discussion': official,
  announce: official,
  'schedule-hearing': official,
  'record-hearing': official,
  publish: official,
  'file-expert-opinion': [['expert', 'assigned@stage']],
  'file-risk-report': [['risk-assessor', 'assigned@stage']],
  'file-legality-review': [['legality-reviewer', 'assigned@stage']],
  'file-fairness-review': [['fairness-reviewer', 'assigned@stage']],
  'record-minutes': [['meeting-secretary@organ']],
  decide: [['head@organ']],
  'report-to-party-committee': [['head@organ']],
  withdraw: [['drafting-official@organ'], ['head@organ']],
};

const COMMITMENT_ACTIONS: Record<CommitmentActionName, Rule> = {
  'record-delivery': responsible,
  'record-payment': responsible,
  'record-fulfilment': responsible,
  'respond-to-complaint': responsible,
  'request-modification': [['head@organ']],
  terminate: [['head@organ']],
  'file-complaint': [['counterparty']],
};

const READER: Rule = [['supervisor'], ['member@organ'], ['assigned']];

export const POLICY: Record<Operation, Rule> = {
  'decision.list': [['staff']],
  'decision.read': READER,
  'decision.create': [['drafting-official']],
  'decision.revise': official,
  'decision.request-change': [['drafting-official@organ'], ['head@organ']],
  'opinion.dispose': official,
  'opinion.moderate': [['supervisor'], ['drafting-official@organ']],
  'moderation.queue': [['supervisor'], ['drafting-official']],
  'commitment.list': [['signed-in']],
  'commitment.read': [['supervisor'], ['member@organ'], ['counterparty']],
  'commitment.audit': [['supervisor'], ['member@organ']],
  'commitment.register': [['drafting-official']],
  'integrity.read': [['staff']],
  'integrity.file': [['supervisor']],
  'integrity.dispute': [['named'], ['head@named-organ'], ['supervisor']],
  'integrity.resolve': [['supervisor', 'not-named']],
  'credit-feed.read': [['supervisor']],
  'office.read': [['staff']],
  'directory.handover': [['directory-administrator', 'not-self']],
  'directory.merge': [['directory-administrator']],
  'directory.rename': [['directory-administrator']],
  ...(Object.fromEntries(Object.entries(STAGE_ACTIONS).map(([a, r]) => [`decision.act:${a}`, r])) as Record<
    `decision.act:${StageActionName}`,
    Rule
  >),
  'decision.act:revise-draft': official,
  'decision.act:request-change': [['drafting-official@organ'], ['head@organ']],
  ...(Object.fromEntries(Object.entries(COMMITMENT_ACTIONS).map(([a, r]) => [`commitment.act:${a}`, r])) as Record<
    `commitment.act:${CommitmentActionName}`,
    Rule
  >),
};

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const isStaffRole = (r: Role) => r !== 'market-entity';

/** Whether one condition holds. Exported for the unit tests of the evaluator. */
export function holds(c: Condition, actor: AuthorityActor | null, scope: Scope): boolean {
  if (c === 'anyone') return true;
  if (!actor || actor.offices.length === 0) return false;
  const offices = actor.offices;
  const inLineage = (organId: string, lineage: readonly string[] | undefined) => !!lineage?.includes(organId);
  switch (c) {
    case 'signed-in':
      return true;
    case 'staff':
      return offices.some((o) => isStaffRole(o.role));
    case 'member@organ':
      return offices.some((o) => isStaffRole(o.role) && inLineage(o.organId, scope.organLineage));
    // An assignment recorded before offices existed names the person, as `user:<id>`.
    case 'assigned':
      return (
        !!scope.assignedOffices?.includes(`user:${actor.id}`) ||
        offices.some((o) => scope.assignedOffices?.includes(o.id))
      );
    case 'assigned@stage':
      return (
        !!scope.stageOffices?.includes(`user:${actor.id}`) || offices.some((o) => scope.stageOffices?.includes(o.id))
      );
    case 'counterparty':
      return offices.some((o) => o.role === 'market-entity' && o.organId === scope.counterpartyOrgan);
    case 'responsible':
      return offices.some((o) => o.id === scope.responsibleOfficeId);
    case 'named':
      return !!scope.named?.userId && scope.named.userId === actor.id;
    case 'head@named-organ':
      return offices.some((o) => o.role === 'head' && inLineage(o.organId, scope.named?.organLineage));
    case 'not-named':
      return (
        !!scope.named &&
        scope.named.userId !== actor.id &&
        !offices.some((o) => inLineage(o.organId, scope.named!.organLineage))
      );
    case 'not-self':
      return scope.targetUserId !== undefined && scope.targetUserId !== actor.id;
  }
  if (c.endsWith('@organ')) {
    const role = c.slice(0, -'@organ'.length) as Role;
    return offices.some((o) => o.role === role && inLineage(o.organId, scope.organLineage));
  }
  if (ROLE_SET.has(c)) return offices.some((o) => o.role === c);
  return false;
}

/** The role a condition is about, if any: an actor holding it came closer than one who does not. */
function roleOf(c: Condition): Role | 'staff' | null {
  if (c === 'member@organ' || c === 'staff' || c === 'assigned' || c === 'assigned@stage') return 'staff';
  if (c === 'counterparty') return 'market-entity';
  if (c === 'head@named-organ') return 'head';
  const role = c.endsWith('@organ') ? c.slice(0, -'@organ'.length) : c;
  return ROLE_SET.has(role) ? (role as Role) : null;
}

const holdsRole = (actor: AuthorityActor | null, role: Role | 'staff' | null) =>
  !!actor && role !== null && actor.offices.some((o) => (role === 'staff' ? isStaffRole(o.role) : o.role === role));

/** The refusal a missing condition gives: the code names what is missing. */
function refusalFor(c: Condition, op: Operation, actor: AuthorityActor | null): Refusal {
  const of = (code: RefusalCode, message: string, details?: Record<string, unknown>) =>
    new Refusal(code, message, { operation: op, missing: c, ...details });
  if (c === 'signed-in' || c === 'staff')
    return of('ROLE_REQUIRED', `${op} requires an office of the staff directory`, {
      requiredRoles: ROLES.filter((r) => c === 'signed-in' || isStaffRole(r)),
    });
  if (c === 'member@organ') return of('WRONG_ORGAN', `${op} is for the organ that owns the resource`);
  if (c === 'assigned' || c === 'assigned@stage') return of('NOT_ASSIGNED', `${op} is for the offices assigned to it`);
  if (c === 'counterparty') return of('NOT_COUNTERPARTY', `${op} is for the counterparty of the commitment`);
  if (c === 'responsible')
    return of('NOT_RESPONSIBLE_OFFICE', `${op} is for the office responsible for the commitment`);
  if (c === 'named' || c === 'head@named-organ')
    return of('NOT_NAMED_IN_RECORD', `${op} is for the person or organ the record names, or a supervisor`);
  if (c === 'not-named')
    return of('NAMED_IN_RECORD', 'no one resolves a dispute about a record that names them or their organ');
  if (c === 'not-self') return of('SELF_HANDOVER', 'the directory administrator does not hand an office to themselves');
  const role = c.endsWith('@organ') ? c.slice(0, -'@organ'.length) : c;
  // A role held elsewhere is the wrong organ; a role not held at all is a missing role.
  if (c.endsWith('@organ') && holdsRole(actor, role as Role))
    return of('WRONG_ORGAN', `${op} requires the role ${role} in the organ that owns the resource`, {
      requiredRoles: [role],
    });
  return of('ROLE_REQUIRED', `${op} requires the role ${role}`, { requiredRoles: [role] });
}

export type Verdict = { allowed: true } | { allowed: false; refusal: Refusal };

/**
 * Evaluates an operation's rule. When refused, the refusal names the condition that failed in the
 * alternative that came closest: most conditions met before the first failure, then a failing
 * condition about a role the actor holds. So a head of another organ hears WRONG_ORGAN, an
 * official who is not the head hears ROLE_REQUIRED, another market entity hears NOT_COUNTERPARTY.
 */
export function judge(
  actor: AuthorityActor | null,
  op: Operation,
  scope: Scope = {},
  rule: Rule = POLICY[op],
): Verdict {
  if (!actor && !rule.some((alt) => alt.every((c) => c === 'anyone'))) {
    return { allowed: false, refusal: new Refusal('UNAUTHENTICATED', `${op} requires a sign-in`, { operation: op }) };
  }
  let best: { score: number; missing: Condition } | null = null;
  for (const alt of rule) {
    const failed = alt.findIndex((c) => !holds(c, actor, scope));
    if (failed === -1) return { allowed: true };
    const score = failed * 2 + (holdsRole(actor, roleOf(alt[failed])) ? 1 : 0);
    if (!best || score > best.score) best = { score, missing: alt[failed] };
  }
  return { allowed: false, refusal: refusalFor(best!.missing, op, actor) };
}

/** Throws the operation's refusal unless the actor may perform it. */
export function authorize(actor: AuthorityActor | null, op: Operation, scope: Scope = {}): void {
  const v = judge(actor, op, scope);
  if (!v.allowed) throw v.refusal;
}

export const may = (actor: AuthorityActor | null, op: Operation, scope: Scope = {}): boolean =>
  judge(actor, op, scope).allowed;

/**
 * Breaches are attributed only to accountable acts (DOMAIN §5 [D]): the actor holds an office of
 * the deciding organ (or of the organ carrying it on) or an assignment in the decision. An
 * outsider's attempt is refused and audited, and is nobody's breach.
 */
export function isAccountable(actor: AuthorityActor, scope: Scope): boolean {
  return holds('member@organ', actor, scope) || holds('assigned', actor, scope);
}
