import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

// Prisma over the shared pg pool, through the driver adapter: no native query engine is
// downloaded (see TERRAIN.md).

export { CatalogSafePool, createPool } from './db-pool';

export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

export type { PrismaClient };
export { Prisma } from './generated/prisma/client';
