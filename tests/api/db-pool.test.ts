import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPool, createPrisma } from '../../lib/db';
import { env } from '../support/stack';

// A connection the server ends in the middle of a Prisma transaction (pg_terminate_backend, a
// failover) must not be lost to the pool. Before the fix, every such transaction kept its slot
// until, with all slots held by dead connections, the next transaction waited forever: the
// worker's recording activity timed out again and again, and procedures stalled (found by
// `npm run fault`, PostgreSQL connections terminated).

it('gives back the slot of a connection terminated inside a transaction', async () => {
  const app = `pool-test-${randomUUID().slice(0, 8)}`;
  const pool = createPool(env('DUEPROCESS_TEST_DB'), 2, 'dueprocess_runtime', app);
  const prisma = createPrisma(pool);
  const admin = new pg.Client({ connectionString: env('DUEPROCESS_TEST_DB') });
  await admin.connect();
  try {
    // Twice the pool's size: without the fix the third transaction never gets a connection.
    for (let i = 0; i < 4; i++) {
      const killer = setTimeout(() => void admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]), 300);
      const outcome = await Promise.race([
        prisma.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(1)`).then(
          () => 'committed',
          (e: Error) => (/57P01|terminat/i.test(e.message) ? 'terminated' : `failed: ${e.message}`),
        ),
        new Promise((resolve) => setTimeout(() => resolve('waited 8 s for a connection'), 8_000)),
      ]);
      clearTimeout(killer);
      expect(outcome).toBe('terminated');
    }
    // And the pool serves again.
    expect(await prisma.$queryRaw`SELECT 1::int AS ok`).toEqual([{ ok: 1 }]);
    expect(pool.waitingCount).toBe(0);
  } finally {
    await admin.end();
    await prisma.$disconnect();
    await pool.end();
  }
}, 60_000);
