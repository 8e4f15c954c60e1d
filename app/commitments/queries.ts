import { authorize } from '../../domain/authority';
import type { Actor } from '../../domain/procedure';
import { verifyChain } from '../../lib/audit-chain';
import type { Prisma } from '../../lib/db';
import { organsActedFor } from '../../lib/directory';
import { commitmentChainId } from '../../workflows/commitment-definitions';
import type { AppDeps } from '../deps';
import { commitmentScope, loadCommitment } from './commands';
import type { ListCommitmentsQuery } from './schemas';
import { commitmentSummary, commitmentView } from './view';

// The reads of the commitments registry (docs/authority.md): `commitment.read` is
// `supervisor | member@organ | counterparty`, `commitment.audit` is `supervisor | member@organ`;
// the list holds only what the actor may read, filtered in SQL.

type Deps = Pick<AppDeps, 'prisma'>;

/** The commitments the actor may read: a supervisor all; staff their organs' (and those merged into them); a market entity its own. */
async function readableWhere(deps: Deps, actor: Actor): Promise<Prisma.CommitmentWhereInput> {
  if (actor.offices.some((o) => o.role === 'supervisor')) return {};
  const staffOrgans = [...new Set(actor.offices.filter((o) => o.role !== 'market-entity').map((o) => o.organId))];
  const entityOrgans = [...new Set(actor.offices.filter((o) => o.role === 'market-entity').map((o) => o.organId))];
  const or: Prisma.CommitmentWhereInput[] = [];
  if (staffOrgans.length) or.push({ organId: { in: await organsActedFor(deps.prisma, staffOrgans) } });
  if (entityOrgans.length) or.push({ counterpartyId: { in: entityOrgans } });
  return or.length ? { OR: or } : { id: { in: [] } };
}

/** `commitment.list`. */
export async function listCommitments(actor: Actor | null, q: ListCommitmentsQuery, deps: Deps) {
  authorize(actor, 'commitment.list');
  // A merged organ's commitments are listed under the organ that carries them on.
  const organs = q.organ ? await organsActedFor(deps.prisma, [q.organ]) : null;
  const where: Prisma.CommitmentWhereInput = {
    AND: [
      await readableWhere(deps, actor!),
      {
        ...(organs ? { organId: { in: organs } } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.counterparty ? { counterpartyId: q.counterparty } : {}),
      },
    ],
  };
  const [rows, total] = await Promise.all([
    deps.prisma.commitment.findMany({
      where,
      orderBy: { updatedAt: 'desc' },
      take: q.limit,
      skip: q.offset,
      omit: { state: true },
    }),
    deps.prisma.commitment.count({ where }),
  ]);
  return { total, limit: q.limit, offset: q.offset, commitments: rows.map(commitmentSummary) };
}

async function readable(actor: Actor | null, id: string, deps: Deps) {
  const loaded = await loadCommitment(deps, id);
  authorize(actor, 'commitment.read', await commitmentScope(deps, loaded.row));
  return loaded;
}

/** `commitment.read`: the commitment as the API shows it. */
export async function readCommitment(actor: Actor | null, input: { id: string }, deps: Deps) {
  const { state } = await readable(actor, input.id, deps);
  return { commitment: commitmentView(state) };
}

/** `commitment.read`: its complaints with their deadlines and answers. */
export async function readComplaints(actor: Actor | null, input: { id: string }, deps: Deps) {
  const { id } = input;
  await readable(actor, id, deps);
  const rows = await deps.prisma.complaint.findMany({ where: { commitmentId: id }, orderBy: { filedAt: 'asc' } });
  return {
    complaints: rows.map((c) => ({
      id: c.id.slice(id.length + 1),
      filedBy: c.filedBy,
      text: c.text,
      filedAt: c.filedAt.toISOString(),
      responseDueAt: c.responseDueAt.toISOString(),
      respondedAt: c.respondedAt?.toISOString() ?? null,
      response: c.response,
      status: c.status,
    })),
  };
}

/**
 * `commitment.audit`. A refused registration leaves a chain without a commitment: having no
 * organ to be a member of, it is for supervisors.
 */
async function auditable(actor: Actor | null, id: string, deps: Deps) {
  const entries = await deps.prisma.auditEntry.findMany({
    where: { decisionId: commitmentChainId(id) },
    orderBy: { seq: 'asc' },
  });
  const row = await deps.prisma.commitment.findUnique({
    where: { id },
    select: { organId: true, counterpartyId: true, responsibleOfficeId: true },
  });
  if (!row && !entries.length) await loadCommitment(deps, id); // 404
  authorize(actor, 'commitment.audit', row ? await commitmentScope(deps, row) : {});
  return entries;
}

export async function readCommitmentAudit(actor: Actor | null, input: { id: string }, deps: Deps) {
  const entries = await auditable(actor, input.id, deps);
  return {
    commitmentId: input.id,
    chainId: commitmentChainId(input.id),
    entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

export async function verifyCommitmentAudit(actor: Actor | null, input: { id: string }, deps: Deps) {
  await auditable(actor, input.id, deps);
  return verifyChain(deps.prisma, commitmentChainId(input.id));
}
