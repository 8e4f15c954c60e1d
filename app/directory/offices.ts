import { authorize } from '../../domain/authority';
import { checkHandover } from '../../domain/directory';
import type { Actor } from '../../domain/procedure';
import { handOverIn, holderAt, organLineage } from '../../lib/directory';
import type { AppDeps } from '../deps';
import { AppError, fieldError } from '../errors';
import { directoryChange } from './audit';
import type { HandoverBody } from './schemas';

// Offices, not persons (DOMAIN §3 inv. 7): an office and who held it when; handing it to another
// person. Running procedures, assignments, deadlines and commitments name the office and carry on.

const officeNotFound = () => new AppError(404, 'NOT_FOUND', 'office not found');

/** `office.read`: the office and every holder, with dates. */
export async function readOffice(actor: Actor | null, input: { officeId: string }, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'office.read');
  const office = await deps.prisma.office.findUnique({
    where: { id: input.officeId },
    include: { terms: { include: { user: true }, orderBy: { startsAt: 'asc' } } },
  });
  if (!office) throw officeNotFound();
  return {
    office: { id: office.id, organId: office.organId, role: office.role, title: office.title },
    holders: office.terms.map((t) => ({
      userId: t.userId,
      name: t.user.name,
      from: t.startsAt.toISOString(),
      until: t.endsAt?.toISOString() ?? null,
    })),
  };
}

export interface HandoverResult {
  officeId: string;
  from: { userId: string; name: string } | null;
  to: { userId: string; name: string };
  at: string;
}

/**
 * `directory.handover` (`directory-administrator & not-self`): the current term ends and the
 * successor's begins at `at` (now by default). The successor is an active person of the office's
 * organ or of the organ carrying it on; `at` is neither before the current holder's start nor in
 * the future (a minute of clock skew is read as now).
 */
export async function handOverOffice(
  actor: Actor,
  input: { officeId: string; body: HandoverBody; key?: string },
  deps: Pick<AppDeps, 'prisma'>,
): Promise<HandoverResult> {
  const { officeId, body } = input;
  return directoryChange<HandoverResult>(deps, actor, {
    operation: 'directory.handover',
    action: 'office-handover',
    key: input.key,
    body: { officeId, ...body },
    scope: { targetUserId: body.toUserId },
    run: async (tx) => {
      const office = await tx.office.findUnique({ where: { id: officeId } });
      if (!office) throw officeNotFound();
      const successor = await tx.staffUser.findUnique({
        where: { id: body.toUserId },
        include: {
          terms: {
            where: { startsAt: { lte: new Date() }, OR: [{ endsAt: null }, { endsAt: { gt: new Date() } }] },
            include: { office: true },
          },
        },
      });
      if (!successor?.active) throw fieldError('toUserId', 'no active staff user with that id');
      const now = new Date();
      const requested = body.at ? new Date(body.at) : now;
      const refusal = checkHandover({
        officeId,
        officeLineage: await organLineage(tx, office.organId),
        successorOrgans: [successor.organId, ...successor.terms.map((t) => t.office.organId)],
        latestTerm: await tx.officeTerm.findFirst({
          where: { officeId },
          orderBy: { startsAt: 'desc' },
          select: { startsAt: true, endsAt: true },
        }),
        at: requested,
        now,
      });
      if (refusal) throw refusal;
      const at = requested > now ? now : requested;
      const before = await holderAt(tx, officeId, at);
      await handOverIn(tx, officeId, successor.id, at);
      const result = {
        officeId,
        from: before,
        to: { userId: successor.id, name: successor.name },
        at: at.toISOString(),
      };
      return {
        result,
        record: { officeId, from: before?.userId ?? null, to: successor.id, at: result.at, reason: body.reason },
      };
    },
  });
}
