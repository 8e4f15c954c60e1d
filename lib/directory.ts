import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/procedure';
import type { Role } from '../domain/stages';
import type { Prisma, PrismaClient } from './db';

// The staff directory: offices, who holds them when, and organs with their successors
// (DOMAIN §3 inv. 7). What a person may do is resolved here at the moment of each request, so
// a handover takes effect at once, whatever token the predecessor still carries.

type Db = PrismaClient | Prisma.TransactionClient;

const currentTerm = (at: Date) => ({ startsAt: { lte: at }, OR: [{ endsAt: null }, { endsAt: { gt: at } }] });

/** Every organ whose chain of successors leads to one of `organIds`, and those organs. */
export async function organsActedFor(db: Db, organIds: string[]): Promise<string[]> {
  const all = await db.organ.findMany({ select: { id: true, successorId: true } });
  const result = new Set(organIds);
  for (let grew = true; grew;) {
    grew = false;
    for (const o of all) {
      if (o.successorId && result.has(o.successorId) && !result.has(o.id)) {
        result.add(o.id);
        grew = true;
      }
    }
  }
  return [...result];
}

/** The organ that carries on `organId` today: itself, or the end of its successor chain. */
export async function currentOrgan(db: Db, organId: string): Promise<string> {
  let id = organId;
  for (let i = 0; i < 50; i++) {
    const o = await db.organ.findUnique({ where: { id }, select: { successorId: true } });
    if (!o?.successorId) return id;
    id = o.successorId;
  }
  return id;
}

export async function resolveActor(db: Db, userId: string, at = new Date()): Promise<Actor | null> {
  const user = await db.staffUser.findUnique({
    where: { id: userId },
    include: { terms: { where: currentTerm(at), include: { office: true } } },
  });
  if (!user || !user.active) return null;
  const offices = user.terms.map((t) => ({ id: t.office.id, role: t.office.role as Role, organId: t.office.organId }));
  const organs = [...new Set(offices.map((o) => o.organId))];
  return {
    id: user.id,
    name: user.name,
    roles: [...new Set(offices.map((o) => o.role))],
    organId: offices[0]?.organId ?? user.organId,
    offices,
    actsFor: await organsActedFor(db, organs.length ? organs : [user.organId]),
  };
}

/** Who held the office at `at`: the person an integrity record or an audit entry names. */
export async function holderAt(db: Db, officeId: string, at: Date): Promise<{ userId: string; name: string } | null> {
  const term = await db.officeTerm.findFirst({
    where: { officeId, ...currentTerm(at) },
    include: { user: true },
    orderBy: { startsAt: 'desc' },
  });
  return term ? { userId: term.userId, name: term.user.name } : null;
}

/** The current holder of each office with the role, in the organ or the organs it succeeded. */
export async function officesWithRole(db: Db, organId: string, role: Role): Promise<string[]> {
  const organs = await organsActedFor(db, [organId]);
  const offices = await db.office.findMany({ where: { organId: { in: organs }, role }, select: { id: true } });
  return offices.map((o) => o.id);
}

/** Hands an office over: the current term ends and the successor's begins, at the same instant. */
export async function handOver(
  db: PrismaClient,
  officeId: string,
  toUserId: string,
  at = new Date(),
): Promise<{ from: string | null; to: string }> {
  return db.$transaction((tx) => handOverIn(tx, officeId, toUserId, at));
}

/** The same, inside the caller's transaction (with the audit entry that records it). */
export async function handOverIn(
  tx: Prisma.TransactionClient,
  officeId: string,
  toUserId: string,
  at = new Date(),
): Promise<{ from: string | null; to: string }> {
  const current = await tx.officeTerm.findFirst({ where: { officeId, ...currentTerm(at) } });
  if (current) await tx.officeTerm.update({ where: { id: current.id }, data: { endsAt: at } });
  await tx.officeTerm.create({ data: { id: randomUUID(), officeId, userId: toUserId, startsAt: at } });
  return { from: current?.userId ?? null, to: toUserId };
}

/** The organ and the organs that carry it on, in order: itself, its successor, that one's successor… */
export async function organLineage(db: Db, organId: string): Promise<string[]> {
  const lineage = [organId];
  for (let i = 0; i < 50; i++) {
    const o = await db.organ.findUnique({ where: { id: lineage[lineage.length - 1] }, select: { successorId: true } });
    if (!o?.successorId || lineage.includes(o.successorId)) break;
    lineage.push(o.successorId);
  }
  return lineage;
}
