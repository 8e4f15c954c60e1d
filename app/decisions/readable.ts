import { Prisma } from '../../lib/db';
import type { Actor } from '../../domain/procedure';
import { organsActedFor } from '../../lib/directory';
import type { AppDeps } from '../deps';

// Which decisions an actor may `decision.read` (docs/authority.md: supervisor | member@organ |
// assigned), as a SQL condition on the read model's `decision` row (alias `d`), so a list never
// loads the decisions it would then hide. The same rule as domain/authority.ts, for many rows.

/** The organs whose lineage holds one of the organs in which the actor holds the role (or any staff office). */
export async function organsOf(deps: Pick<AppDeps, 'prisma'>, actor: Actor, role?: string): Promise<string[]> {
  const own = [
    ...new Set(
      actor.offices.filter((o) => (role ? o.role === role : o.role !== 'market-entity')).map((o) => o.organId),
    ),
  ];
  return own.length ? organsActedFor(deps.prisma, own) : [];
}

/** A procedure's assignments naming one of the actor's offices (or, before offices, the person). */
const assigning = (assignments: Prisma.Sql, offices: string[], userId: string) => Prisma.sql`EXISTS (
  SELECT 1 FROM jsonb_array_elements(coalesce(${assignments}, '[]'::jsonb)) a
  WHERE a->>'officeId' = ANY(${offices}::text[]) OR (a->>'officeId' IS NULL AND a->>'userId' = ${userId}))`;

/**
 * The condition; `null` when the actor reads every decision (a supervisor). With `own`, a
 * supervisor is limited like anyone else (their inbox is their own work, not everyone's).
 */
export async function readableCondition(
  deps: Pick<AppDeps, 'prisma'>,
  actor: Actor,
  opts: { own?: boolean } = {},
): Promise<Prisma.Sql | null> {
  if (!opts.own && actor.roles.includes('supervisor')) return null;
  const organs = await organsOf(deps, actor);
  const offices = actor.offices.map((o) => o.id);
  return Prisma.sql`(d.organ_id = ANY(${organs}::text[])
    OR ${assigning(Prisma.sql`d.state->'assignments'`, offices, actor.id)}
    OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(d.state->'changes', '[]'::jsonb)) c
               WHERE ${assigning(Prisma.sql`c->'procedure'->'assignments'`, offices, actor.id)}))`;
}
