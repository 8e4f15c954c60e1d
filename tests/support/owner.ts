import pg from 'pg';
import { env } from './stack';

// The database owner's connection (the login user of DUEPROCESS_TEST_DB), for what the runtime
// role the application logs in as may not do: directory changes by an administrator, and the
// tampering the audit checks must detect.

export async function asOwner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: env('DUEPROCESS_TEST_DB') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Runs statements as the owner with every trigger off for this session only (the append-only
 * triggers included): what someone with owner rights could do directly in SQL.
 */
export const tamper = (sql: string, params: unknown[] = []) =>
  asOwner(async (c) => {
    await c.query('BEGIN');
    await c.query('SET LOCAL session_replication_role = replica');
    const r = await c.query(sql, params);
    await c.query('COMMIT');
    return r;
  });
