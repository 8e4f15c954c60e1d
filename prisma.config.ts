import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { CatalogSafePool, wholeScriptMigrations } from './lib/db-pool';

// Migrations run through Prisma's JS (Wasm) schema engine over the same pg driver as the app, so
// nothing is downloaded (TERRAIN.md). DATABASE_URL is required.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    return wholeScriptMigrations(
      new PrismaPg(
        new CatalogSafePool({ connectionString: url, max: Number(process.env.DUEPROCESS_DB_POOL_MAX ?? 2) }),
      ),
    );
  },
});
