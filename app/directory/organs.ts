import { checkMerge, type OrganFacts } from '../../domain/directory';
import type { Actor } from '../../domain/procedure';
import type { Role } from '../../domain/stages';
import type { Prisma } from '../../lib/db';
import { organsActedFor } from '../../lib/directory';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { directoryChange } from './audit';
import type { MergeBody, RenameBody } from './schemas';

// Institutional reform (DOMAIN §6): merging an organ into another, which carries on its
// decisions, commitments and offices; renaming an organ. Made by the directory administrator of
// the superior government, never by the head of an organ for itself.

const organNotFound = () => new AppError(404, 'NOT_FOUND', 'organ not found');

/** The organ, with the roles of its offices and of the offices of every organ it carries on. */
async function organFacts(
  tx: Prisma.TransactionClient,
  id: string,
): Promise<{ facts: OrganFacts; carriedOn: string[]; name: string } | null> {
  const organ = await tx.organ.findUnique({ where: { id } });
  if (!organ) return null;
  const carriedOn = await organsActedFor(tx, [id]);
  const offices = await tx.office.findMany({
    where: { organId: { in: carriedOn } },
    select: { role: true },
    distinct: ['role'],
  });
  return {
    facts: { id, successorId: organ.successorId, officeRoles: offices.map((o) => o.role as Role) },
    carriedOn,
    name: organ.name,
  };
}

/** `directory.merge`: `organId` is carried on by `body.into` from now (docs/authority.md, the merge rules). */
export async function mergeOrgan(
  actor: Actor,
  input: { organId: string; body: MergeBody; key?: string },
  deps: Pick<AppDeps, 'prisma'>,
): Promise<{ organId: string; successorId: string }> {
  const { organId, body } = input;
  return directoryChange(deps, actor, {
    operation: 'directory.merge',
    action: 'organ-merged',
    key: input.key,
    body: { organId, ...body },
    scope: {},
    run: async (tx) => {
      const [organ, into] = await Promise.all([organFacts(tx, organId), organFacts(tx, body.into)]);
      if (!organ || !into) throw organNotFound();
      const refusal = checkMerge(organ.facts, into.facts, organ.carriedOn);
      if (refusal) throw refusal;
      await tx.organ.update({ where: { id: organId }, data: { successorId: body.into, succeededAt: new Date() } });
      return { result: { organId, successorId: body.into }, record: { organId, into: body.into, reason: body.reason } };
    },
  });
}

/** `directory.rename`. */
export async function renameOrgan(
  actor: Actor,
  input: { organId: string; body: RenameBody; key?: string },
  deps: Pick<AppDeps, 'prisma'>,
): Promise<{ organId: string; name: string }> {
  const { organId, body } = input;
  return directoryChange(deps, actor, {
    operation: 'directory.rename',
    action: 'organ-renamed',
    key: input.key,
    body: { organId, ...body },
    scope: {},
    run: async (tx) => {
      const organ = await tx.organ.findUnique({ where: { id: organId } });
      if (!organ) throw organNotFound();
      await tx.organ.update({ where: { id: organId }, data: { name: body.name } });
      return {
        result: { organId, name: body.name },
        record: { organId, from: organ.name, to: body.name, reason: body.reason },
      };
    },
  });
}
