import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

// Prisma over the shared pg pool, through the driver adapter: no native query engine is
// downloaded (see TERRAIN.md).

export {
  assertRuntimeSession,
  CatalogSafePool,
  createPool,
  runtimePool,
  runtimeRoleName,
  type PoolRole,
} from './db-pool';

const pools = new WeakMap<PrismaClient, pg.Pool>();

export function createPrisma(pool: pg.Pool): PrismaClient {
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(prisma, pool);
  return prisma;
}

/**
 * The pg pool under a client, for the few single-statement hot paths (public opinion intake)
 * where Prisma's query layer costs more than the statement itself (BENCHMARKS.md). Same
 * connections, same runtime role.
 */
/**
 * One value per database client, made on first use: caches and counters belong to a database, and
 * a process (a test, the start command) may talk to more than one.
 */
export function perClient<T>(make: () => T): (prisma: PrismaClient) => T {
  const values = new WeakMap<PrismaClient, T>();
  return (prisma) => {
    let v = values.get(prisma);
    if (v === undefined) values.set(prisma, (v = make()));
    return v;
  };
}

export const poolOf = (prisma: PrismaClient): pg.Pool | undefined => pools.get(prisma);

export type { PrismaClient };
export { Prisma } from './generated/prisma/client';
