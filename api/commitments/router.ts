import { Router } from 'express';
import { COMMITMENT_ACTIONS, isCommitmentAction } from '../../domain/commitment';
import type { Actor } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { verifyChain } from '../../lib/audit-chain';
import type { Prisma } from '../../lib/db';
import { organsActedFor } from '../../lib/directory';
import { commitmentChainId } from '../../workflows/commitment-definitions';
import { requireStaff, STAFF_READERS, type Auth } from '../auth';
import { ApiError } from '../errors';
import { idempotencyKey, param, parse } from '../http';
import { commitmentActionSchemas, listCommitmentsQuery, registrationSchema } from './schemas';
import { canRead, loadCommitment, performCommitmentAction, registerCommitment, type CommitmentDeps } from './service';
import { commitmentSummary, commitmentView } from './view';

// The commitments and contracts registry (issue 3, part 5). Staff read every commitment; a market
// entity reads the commitments it is party to and their complaints. Writes on an existing
// commitment accept any valid token: who may act is decided by the workflow's rules, so a refusal
// for a missing role is recorded in the commitment's audit chain like any other.

export function commitmentsRouter(deps: CommitmentDeps & { auth: Auth }): Router {
  const r = Router();
  const authenticated = requireStaff(deps.auth);
  const official = requireStaff(deps.auth, ['drafting-official']);
  const staff = requireStaff(deps.auth, STAFF_READERS);

  const readable = async (id: string, actor: Actor) => {
    const loaded = await loadCommitment(deps, id);
    if (!canRead(actor, loaded.row.counterpartyId, STAFF_READERS)) {
      throw new Refusal('NOT_COUNTERPARTY', 'a market entity reads only the commitments it is party to', { counterpartyId: loaded.row.counterpartyId });
    }
    return loaded;
  };

  r.post('/commitments', official, async (req, res) => {
    const body = parse(registrationSchema, req.body);
    const result = await registerCommitment(deps, req.actor!, body, idempotencyKey(req));
    const { state } = await loadCommitment(deps, result.id);
    res.status(201).location(`/api/commitments/${result.id}`).json({ result, commitment: commitmentView(state) });
  });

  r.get('/commitments', authenticated, async (req, res) => {
    const q = parse(listCommitmentsQuery, req.query);
    const actor = req.actor!;
    const isStaff = actor.roles.some((role) => STAFF_READERS.includes(role));
    // A merged organ's commitments are listed under the organ that carries them on.
    const organs = q.organ ? await organsActedFor(deps.prisma, [q.organ]) : null;
    const where: Prisma.CommitmentWhereInput = {
      ...(organs ? { organId: { in: organs } } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(isStaff ? (q.counterparty ? { counterpartyId: q.counterparty } : {}) : { counterpartyId: { in: [actor.organId, ...(actor.actsFor ?? [])] } }),
    };
    const [rows, total] = await Promise.all([
      deps.prisma.commitment.findMany({ where, orderBy: { updatedAt: 'desc' }, take: q.limit, skip: q.offset, omit: { state: true } }),
      deps.prisma.commitment.count({ where }),
    ]);
    res.json({ total, limit: q.limit, offset: q.offset, commitments: rows.map(commitmentSummary) });
  });

  r.get('/commitments/:id', authenticated, async (req, res) => {
    const { state } = await readable(param(req, 'id'), req.actor!);
    res.json({ commitment: commitmentView(state) });
  });

  r.get('/commitments/:id/complaints', authenticated, async (req, res) => {
    const id = param(req, 'id');
    await readable(id, req.actor!);
    const rows = await deps.prisma.complaint.findMany({ where: { commitmentId: id }, orderBy: { filedAt: 'asc' } });
    res.json({
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
    });
  });

  r.post('/commitments/:id/actions/:action', authenticated, async (req, res) => {
    const action = param(req, 'action');
    if (!isCommitmentAction(action)) throw new ApiError(404, 'ACTION_UNKNOWN', `there is no commitment action "${action}"`, { actions: COMMITMENT_ACTIONS });
    const body = parse(commitmentActionSchemas[action], req.body ?? {});
    const id = param(req, 'id');
    const result = await performCommitmentAction(deps, req.actor!, id, action, body as Record<string, unknown>, idempotencyKey(req));
    const { state } = await loadCommitment(deps, id);
    res.json({ result, commitment: commitmentView(state) });
  });

  /** The audit chain; also for a refused registration, whose chain exists without a commitment. */
  const chainOf = async (id: string) => {
    const entries = await deps.prisma.auditEntry.findMany({ where: { decisionId: commitmentChainId(id) }, orderBy: { seq: 'asc' } });
    if (!entries.length) await loadCommitment(deps, id);
    return entries;
  };

  r.get('/commitments/:id/audit', staff, async (req, res) => {
    const id = param(req, 'id');
    const entries = await chainOf(id);
    res.json({ commitmentId: id, chainId: commitmentChainId(id), entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
  });

  r.get('/commitments/:id/audit/verify', staff, async (req, res) => {
    const id = param(req, 'id');
    await chainOf(id);
    res.json(await verifyChain(deps.prisma, commitmentChainId(id)));
  });

  return r;
}
