// Applies the database migrations (and, with --seed, the demo organ and users) to DATABASE_URL,
// creating the database if the server has none of that name.
import { ensureDatabase, migrate } from '../lib/database';
import { loadConfig, requireSetting } from '../lib/config';
import { createPool, createPrisma } from '../lib/db';
import { seedDemo } from '../prisma/seed';

async function main() {
  const url = requireSetting(loadConfig(), 'DATABASE_URL');
  await ensureDatabase(url);
  await migrate(url);
  console.log('migrations applied');
  if (process.argv.includes('--seed')) {
    const pool = createPool(url, 1);
    const prisma = createPrisma(pool);
    await seedDemo(prisma);
    await prisma.$disconnect();
    await pool.end();
    console.log('demo organ and users seeded');
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
