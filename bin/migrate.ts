// Applies the database migrations (and, with --seed, the demo organ and users) to DATABASE_URL,
// creating the database if the server has none of that name. DATABASE_URL is the owner's: the
// migrations need owner rights. With DUEPROCESS_RUNTIME_DB_PASSWORD set, it also gives the
// runtime login role that password (a deployment's application then logs in with it).
import { ensureDatabase, migrate, setRuntimePassword } from '../lib/database';
import { loadConfig, requireSetting } from '../lib/config';
import { createPrisma, runtimePool } from '../lib/db';
import { seedDemo } from '../prisma/seed';

async function main() {
  const config = loadConfig();
  const url = requireSetting(config, 'DATABASE_URL');
  await ensureDatabase(url);
  await migrate(url);
  console.log('migrations applied');
  if (config.DUEPROCESS_RUNTIME_DB_PASSWORD) {
    await setRuntimePassword(url, config.DUEPROCESS_DB_ROLE, config.DUEPROCESS_RUNTIME_DB_PASSWORD);
    console.log(`password of the runtime role ${config.DUEPROCESS_DB_ROLE} set`);
  }
  if (process.argv.includes('--seed')) {
    const pool = runtimePool(url, 1);
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
