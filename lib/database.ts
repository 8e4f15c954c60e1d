import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { fromRoot } from './paths';

// Creating and migrating the application database. Migrations are Prisma's, applied with
// `prisma migrate deploy` through the JS schema engine (prisma.config.ts).

const run = promisify(execFile);

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Creates the URL's database when the server has none of that name. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName(url).replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function migrate(url: string): Promise<void> {
  const prisma = fromRoot('node_modules', '.bin', 'prisma');
  try {
    await run(prisma, ['migrate', 'deploy'], { cwd: fromRoot(), env: { ...process.env, DATABASE_URL: url } });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`migration failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/**
 * Gives the runtime login role its password (the role is cluster-wide: every database on the
 * server shares it). Run by `npm run migrate` on the owner's connection when
 * DUEPROCESS_RUNTIME_DB_PASSWORD is set; the migrations themselves never hold a password.
 */
export async function setRuntimePassword(url: string, role: string, password: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid database role name ${role}`);
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  try {
    await owner.query(`ALTER ROLE ${role} PASSWORD ${owner.escapeLiteral(password)}`);
  } finally {
    await owner.end();
  }
}
