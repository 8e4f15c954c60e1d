import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPool, createPrisma } from '../../lib/db';
import { env } from '../support/stack';
import { WAIT_MS, waitFor } from '../support/wait';

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
    // The connection is terminated once its transaction is seen running, never after a fixed
    // delay: on a busy machine the transaction may not have begun yet, or may have ended.
    for (let i = 0; i < 4; i++) {
      const outcome = prisma
        .$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(60)`, { maxWait: WAIT_MS, timeout: 2 * WAIT_MS })
        .then(
          () => 'committed',
          (e: Error) => (/57P01|terminat/i.test(e.message) ? 'terminated' : `failed: ${e.message}`),
        );
      const running = () =>
        admin.query(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
          [app],
        );
      await waitFor(async () => (await running()).rowCount, {
        what: `transaction ${i + 1} to get a connection from the pool and run`,
      });
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
      expect(await outcome).toBe('terminated');
    }
    // And the pool serves again.
    expect(await prisma.$queryRaw`SELECT 1::int AS ok`).toEqual([{ ok: 1 }]);
    expect(pool.waitingCount).toBe(0);
  } finally {
    await admin.end();
    await prisma.$disconnect();
    await pool.end();
  }
});
