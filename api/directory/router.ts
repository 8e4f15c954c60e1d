import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { Refusal } from '../../domain/refusals';
import type { Actor } from '../../domain/procedure';
import { appendAudit } from '../../lib/audit-chain';
import { handOver, holderAt, organsActedFor } from '../../lib/directory';
import { requireStaff, STAFF_READERS, type Auth } from '../auth';
import type { DecisionDeps } from '../decisions/service';
import { ApiError } from '../errors';
import { idempotencyKey, param, parse } from '../http';

// Offices, not persons (DOMAIN §3 inv. 7): handing an office over to another person, and merging
// or renaming organs (institutional reform). Running procedures, assignments, deadlines and
// commitments carry on under the successor; nothing is reassigned. Every change is appended to
// the audit chain "directory". It is done by the head of the organ concerned, or a supervisor.

export const handoverBody = z.object({ toUserId: z.string().trim().min(1).max(100), at: z.iso.datetime({ offset: true }).optional(), reason: z.string().trim().min(1).max(2_000) }).strict();
export const mergeBody = z.object({ into: z.string().trim().min(1).max(100), reason: z.string().trim().min(1).max(2_000) }).strict();
export const renameBody = z.object({ name: z.string().trim().min(1).max(300), reason: z.string().trim().min(1).max(2_000) }).strict();

async function mayAdminister(deps: DecisionDeps, actor: Actor, organId: string): Promise<void> {
  if (actor.roles.includes('supervisor')) return;
  const headOf = actor.offices.filter((o) => o.role === 'head').map((o) => o.organId);
  if (headOf.length && (await organsActedFor(deps.prisma, headOf)).includes(organId)) return;
  throw new Refusal('ROLE_REQUIRED', `changes to ${organId}'s offices are made by its head or a supervisor`, { requiredRoles: ['head', 'supervisor'] });
}

async function audit(deps: DecisionDeps, actor: Actor, action: string, body: Record<string, unknown>, key?: string) {
  await deps.prisma.$transaction((tx) =>
    appendAudit(tx, {
      decisionId: 'directory',
      eventId: `${action}:${key ?? randomUUID()}`,
      outcome: 'accepted',
      action,
      actorId: actor.id,
      actorName: actor.name,
      actorRole: actor.roles.join(','),
      at: new Date(),
      draftVersion: null,
      draftHash: null,
      code: null,
      legalBasis: 'DOMAIN §3 inv. 7; Decree 722 Art 31',
      body,
    }),
  );
}

export function directoryRouter(deps: DecisionDeps & { auth: Auth }): Router {
  const r = Router();
  const staff = requireStaff(deps.auth, STAFF_READERS);

  r.get('/offices/:id', staff, async (req, res) => {
    const office = await deps.prisma.office.findUnique({ where: { id: param(req, 'id') }, include: { terms: { include: { user: true }, orderBy: { startsAt: 'asc' } } } });
    if (!office) throw new ApiError(404, 'NOT_FOUND', 'office not found');
    res.json({
      office: { id: office.id, organId: office.organId, role: office.role, title: office.title },
      holders: office.terms.map((t) => ({ userId: t.userId, name: t.user.name, from: t.startsAt.toISOString(), until: t.endsAt?.toISOString() ?? null })),
    });
  });

  r.post('/offices/:id/handover', staff, async (req, res) => {
    const body = parse(handoverBody, req.body);
    const office = await deps.prisma.office.findUnique({ where: { id: param(req, 'id') } });
    if (!office) throw new ApiError(404, 'NOT_FOUND', 'office not found');
    await mayAdminister(deps, req.actor!, office.organId);
    const successor = await deps.prisma.staffUser.findUnique({ where: { id: body.toUserId } });
    if (!successor?.active) throw new ApiError(400, 'INVALID_INPUT', 'no active staff user with that id', { issues: [{ path: 'toUserId', message: 'unknown' }] });
    const at = body.at ? new Date(body.at) : new Date();
    const before = await holderAt(deps.prisma, office.id, at);
    await handOver(deps.prisma, office.id, successor.id, at);
    await audit(deps, req.actor!, 'office-handover', { officeId: office.id, from: before?.userId ?? null, to: successor.id, at: at.toISOString(), reason: body.reason }, idempotencyKey(req));
    res.json({ officeId: office.id, from: before, to: { userId: successor.id, name: successor.name }, at: at.toISOString() });
  });

  r.post('/organs/:id/merge', staff, async (req, res) => {
    const body = parse(mergeBody, req.body);
    const id = param(req, 'id');
    const [organ, into] = await Promise.all([deps.prisma.organ.findUnique({ where: { id } }), deps.prisma.organ.findUnique({ where: { id: body.into } })]);
    if (!organ || !into) throw new ApiError(404, 'NOT_FOUND', 'organ not found');
    if (organ.successorId) throw new ApiError(409, 'ALREADY_MERGED', `${id} was already merged into ${organ.successorId}`);
    if ((await organsActedFor(deps.prisma, [id])).includes(body.into)) throw new ApiError(409, 'MERGE_CYCLE', `${body.into} was itself merged into ${id}`);
    await mayAdminister(deps, req.actor!, body.into);
    await deps.prisma.organ.update({ where: { id }, data: { successorId: body.into, succeededAt: new Date() } });
    await audit(deps, req.actor!, 'organ-merged', { organId: id, into: body.into, reason: body.reason }, idempotencyKey(req));
    res.json({ organId: id, successorId: body.into });
  });

  r.post('/organs/:id/rename', staff, async (req, res) => {
    const body = parse(renameBody, req.body);
    const id = param(req, 'id');
    const organ = await deps.prisma.organ.findUnique({ where: { id } });
    if (!organ) throw new ApiError(404, 'NOT_FOUND', 'organ not found');
    await mayAdminister(deps, req.actor!, id);
    await deps.prisma.organ.update({ where: { id }, data: { name: body.name } });
    await audit(deps, req.actor!, 'organ-renamed', { organId: id, from: organ.name, to: body.name, reason: body.reason }, idempotencyKey(req));
    res.json({ organId: id, name: body.name });
  });

  return r;
}
