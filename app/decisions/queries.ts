import { may, authorize } from '../../domain/authority';
import { targetOf, TERMINAL_STATUSES, type Actor, type DecisionState, type StageRecord } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { Role } from '../../domain/stages';
import { verifyChain } from '../../lib/audit-chain';
import { Prisma } from '../../lib/db';
import type { StoredRecord } from '../../lib/public-decision';
import type { AppDeps } from '../deps';
import { parse } from '../input';
import { loadFor, type Deps } from './load';
import { readableCondition } from './readable';
import { isApiAction, listDecisionsQuery, type ApiActionName } from './schemas';
import { assignmentsOf, organWork } from './work';

// The decision queries of both edges: every one authorizes `decision.list` or `decision.read`
// (docs/authority.md) before it reads anything of a decision.

/** Records of an event in the shape the read model stores them. */
export function storedRecords(decisionId: string, records: StageRecord[]): StoredRecord[] {
  return records.map((r) => ({
    id: `${decisionId}:${r.id}`,
    procedureId: r.procedureId ?? 'main',
    stage: r.stage,
    round: r.round,
    kind: r.kind,
    actorId: r.actor?.id ?? null,
    actorRole: r.actor?.role ?? null,
    draftVersion: r.draftVersion,
    draftHash: r.draftHash,
    content: r.content,
    at: new Date(r.at),
  }));
}

export interface DecisionRow {
  id: string;
  title: string;
  organId: string;
  templateId: string;
  statutory: boolean;
  status: string;
  currentStage: string | null;
  draftVersion: number;
  draftHash: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

type RawRow = {
  id: string;
  title: string;
  organ_id: string;
  template_id: string;
  statutory: boolean;
  status: string;
  current_stage: string | null;
  draft_version: number;
  draft_hash: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
};
const fromRaw = (r: RawRow): DecisionRow => ({
  id: r.id,
  title: r.title,
  organId: r.organ_id,
  templateId: r.template_id,
  statutory: r.statutory,
  status: r.status,
  currentStage: r.current_stage,
  draftVersion: r.draft_version,
  draftHash: r.draft_hash,
  revision: r.revision,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const whereOf = (conds: Prisma.Sql[]) =>
  conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, ' AND ')}` : Prisma.empty;

/** `decision.list`: the decisions the actor may `decision.read`, newest change first. */
export async function listDecisions(actor: Actor, query: unknown, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'decision.list');
  const q = parse(listDecisionsQuery, query);
  const readable = await readableCondition(deps, actor);
  const conds = [
    ...(readable ? [readable] : []),
    ...(q.stage ? [Prisma.sql`d.current_stage = ${q.stage}`] : []),
    ...(q.status ? [Prisma.sql`d.status = ${q.status}`] : []),
    ...(q.organ ? [Prisma.sql`d.organ_id = ${q.organ}`] : []),
  ];
  const where = whereOf(conds);
  const [rows, count] = await Promise.all([
    deps.prisma.$queryRaw<RawRow[]>`
      SELECT d.id, d.title, d.organ_id, d.template_id, d.statutory, d.status, d.current_stage, d.draft_version, d.draft_hash, d.revision, d.created_at, d.updated_at
      FROM decision d ${where} ORDER BY d.updated_at DESC, d.id LIMIT ${q.limit} OFFSET ${q.offset}`,
    deps.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM decision d ${where}`,
  ]);
  return { total: count[0]?.n ?? 0, limit: q.limit, offset: q.offset, decisions: rows.map(fromRaw) };
}

/** The states of the open decisions the actor may read (all of them, for a supervisor, unless `own`). */
async function readableStates(
  actor: Actor,
  deps: Pick<AppDeps, 'prisma'>,
  opts: { own?: boolean; open?: boolean; limit: number },
): Promise<Array<{ state: DecisionState; row: DecisionRow }>> {
  const readable = await readableCondition(deps, actor, { own: opts.own });
  const conds = [
    ...(readable ? [readable] : []),
    ...(opts.open ? [Prisma.sql`d.status NOT IN ('rejected', 'withdrawn', 'terminated')`] : []),
  ];
  const rows = await deps.prisma.$queryRaw<Array<RawRow & { state: unknown }>>`
    SELECT d.id, d.title, d.organ_id, d.template_id, d.statutory, d.status, d.current_stage, d.draft_version, d.draft_hash, d.revision, d.created_at, d.updated_at, d.state
    FROM decision d ${whereOf(conds)} ORDER BY d.updated_at DESC, d.id LIMIT ${opts.limit}`;
  // A row that holds no recorded state (an owner's repair, a test's insert) is left out of the
  // work lists rather than failing every page that lists its organ.
  return rows
    .filter((r) => Array.isArray((r.state as Partial<DecisionState> | null)?.stages))
    .map((r) => ({ state: r.state as DecisionState, row: fromRaw(r) }));
}

/** `decision.read`: the decision's state and its stage records. */
export async function readDecision(actor: Actor, decisionId: string, deps: Deps) {
  const { state, recorded, scope } = await loadFor(actor, 'decision.read', deps, decisionId);
  const records: StoredRecord[] = recorded
    ? ((await deps.prisma.stageRecord.findMany({ where: { decisionId }, orderBy: { at: 'asc' } })) as StoredRecord[])
    : storedRecords(decisionId, [...state.records, ...state.invalidatedRecords]);
  return { state, records, scope };
}

/** `decision.read`: one version of the draft, by its hash. */
export async function readDraft(actor: Actor, input: { decisionId: string; hash: string }, deps: Deps) {
  await loadFor(actor, 'decision.read', deps, input.decisionId);
  const doc = await deps.prisma.draftDocument.findUnique({
    where: { decisionId_hash: { decisionId: input.decisionId, hash: input.hash } },
  });
  if (!doc) throw new Refusal('DRAFT_NOT_FOUND', 'draft not found');
  return doc;
}

/** `decision.read`: the audit chain, in order (or its last `last` entries, newest first). */
export async function readAudit(actor: Actor, decisionId: string, deps: Deps, opts: { last?: number } = {}) {
  await loadFor(actor, 'decision.read', deps, decisionId);
  return deps.prisma.auditEntry.findMany({
    where: { decisionId },
    orderBy: { seq: opts.last ? 'desc' : 'asc' },
    ...(opts.last ? { take: opts.last } : {}),
  });
}

/** `decision.read`: the chain recomputed, with its first broken link. */
export async function verifyAudit(actor: Actor, decisionId: string, deps: Deps) {
  await loadFor(actor, 'decision.read', deps, decisionId);
  return verifyChain(deps.prisma, decisionId);
}

/** The staff page of a decision: its state and the recent audit trail. */
export async function staffDecision(actor: Actor, decisionId: string, deps: Deps) {
  const { state } = await loadFor(actor, 'decision.read', deps, decisionId);
  const audit = await deps.prisma.auditEntry.findMany({ where: { decisionId }, orderBy: { seq: 'desc' }, take: 15 });
  return { state, audit };
}

/** The revision form: the decision and its current draft's text. */
export async function draftForRevision(actor: Actor, decisionId: string, deps: Deps) {
  const { state } = await loadFor(actor, 'decision.read', deps, decisionId);
  const doc = await deps.prisma.draftDocument.findUnique({
    where: { decisionId_hash: { decisionId, hash: state.draft.hash } },
  });
  return { state, text: doc?.text ?? '', explanation: doc?.explanation ?? '' };
}

async function holders(deps: Pick<AppDeps, 'prisma'>, roles: Role[]) {
  const offices = await deps.prisma.office.findMany({
    where: { role: { in: roles } },
    include: { terms: { where: { endsAt: null }, include: { user: true } } },
    orderBy: { id: 'asc' },
  });
  return offices.flatMap((o) => o.terms.map((t) => ({ userId: t.userId, name: t.user.name, officeTitle: o.title })));
}

/**
 * What the form of a stage action needs: the procedure addressed, its current stage records, the
 * people who may be chosen, and, for the hearing notice, the registrations (with the registrants'
 * contacts and statements) only to whoever may act it (`decision.act:schedule-hearing`).
 */
export async function actionForm(
  actor: Actor,
  input: { decisionId: string; action: string; changeId?: string },
  deps: Deps,
) {
  if (!isApiAction(input.action)) throw new Refusal('ACTION_UNKNOWN', `there is no action "${input.action}"`);
  const action: ApiActionName = input.action;
  const { state, scope } = await loadFor(actor, 'decision.read', deps, input.decisionId);
  const procedure = input.changeId ? targetOf(state, { changeId: input.changeId }) : state;
  const stored = (await deps.prisma.stageRecord.findMany({
    where: { decisionId: state.id, procedureId: input.changeId ?? 'main' },
    orderBy: { at: 'asc' },
  })) as StoredRecord[];
  const records = stored.filter((r) => procedure.stages.find((x) => x.key === r.stage)?.round === r.round);
  const choices =
    action === 'assign'
      ? await holders(deps, ['expert', 'risk-assessor', 'fairness-reviewer'])
      : action === 'submit-for-legality-review'
        ? await holders(deps, ['legality-reviewer'])
        : [];
  const registrations =
    action === 'schedule-hearing' && may(actor, 'decision.act:schedule-hearing', scope)
      ? await deps.prisma.hearingRegistration.findMany({
          where: { decisionId: state.id },
          orderBy: { createdAt: 'asc' },
        })
      : [];
  return { action, state, procedure, changeId: input.changeId, records, choices, registrations };
}

/** The inbox: the open assignments of the actor's offices, and the work of their organs' current stages. */
export async function inbox(actor: Actor, deps: Pick<AppDeps, 'prisma'>, now = Date.now()) {
  authorize(actor, 'decision.list');
  const states = (await readableStates(actor, deps, { own: true, open: true, limit: 500 })).map((x) => x.state);
  const officeIds = actor.offices.map((o) => o.id);
  return {
    assigned: states
      .flatMap((st) => assignmentsOf(st, officeIds, actor.id, now))
      .sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity)),
    organ: states.flatMap((st) => organWork(st, actor)),
  };
}

/** The dashboard: the decisions the actor may read, counted by stage and status, with overdue assignments. */
export async function dashboard(actor: Actor, deps: Pick<AppDeps, 'prisma'>, now = Date.now()) {
  authorize(actor, 'decision.list');
  const all = await readableStates(actor, deps, { limit: 5_000 });
  const states = all.map((x) => x.state);
  const open = states.filter((st) => !TERMINAL_STATUSES.includes(st.status));
  return {
    everything: actor.roles.includes('supervisor'),
    states,
    open,
    overdue: open
      .flatMap((st) =>
        st.assignments.length
          ? assignmentsOf(
              st,
              st.assignments.map((a) => a.officeId ?? ''),
              '',
              now,
            )
          : [],
      )
      .filter((i) => i.overdue),
    recent: all.slice(0, 30).map((x) => x.row),
  };
}
