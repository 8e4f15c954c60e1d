import pg from 'pg';

// The pg pool every part of DueProcess uses to reach PostgreSQL. Kept free of the generated
// Prisma client so prisma.config.ts can use it before `prisma generate` has run.

const NAME_OID = 19;
const TEXT_OID = 25;

/**
 * A pool whose results report catalog columns of type `name` as `text`. Prisma's Wasm schema
 * engine reads such columns during migrations and adapter-pg 6.x cannot decode them
 * (prisma/prisma#27403); the values are plain strings either way.
 */
export class CatalogSafePool extends pg.Pool {
  /**
   * A client whose connection ends while it is checked out (pg_terminate_backend, a failover) is
   * handed back to the pool at once, with the error that removes it. Prisma's adapter never
   * releases a client whose transaction died with its connection: the pool kept counting it as
   * in use until, with every slot taken by dead connections, each later transaction waited
   * forever (found by `npm run fault`, scenario 3; tests/api/db-pool.test.ts). A later release by
   * the holder is then a no-op.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    if (args.length) return (super.connect as (...a: unknown[]) => unknown)(...args);
    return super.connect().then((client) => {
      const release = client.release.bind(client);
      let released = false;
      const onEnd = () => {
        if (released) return;
        released = true;
        release(new Error('the connection ended while the client was checked out'));
      };
      client.once('end', onEnd);
      client.release = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        client.removeListener('end', onEnd);
        release(err);
      };
      return client;
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const fix = (res: pg.QueryResult | pg.QueryResult[]) => {
      for (const r of Array.isArray(res) ? res : [res]) {
        for (const f of r?.fields ?? []) if (f.dataTypeID === NAME_OID) f.dataTypeID = TEXT_OID;
      }
      return res;
    };
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: Error, res: pg.QueryResult) => last(err, res && fix(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    return (super.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args).then(fix);
  }
}

/** The runtime role's name: DUEPROCESS_DB_ROLE, else `dueprocess_runtime` (created by the migrations). */
export const runtimeRoleName = (env: NodeJS.ProcessEnv = process.env) => env.DUEPROCESS_DB_ROLE ?? 'dueprocess_runtime';

/**
 * How a pool connects. A role name: it logs in AS that role (the application, by default). `null`:
 * as the URL's own user, the owner (migrations, tools that need owner rights). `{ setRole }`: as
 * the URL's user, then `SET ROLE` on every new connection; only for the embedded PGlite, which
 * has one superuser session and ignores the user a client logs in as (the role can be left).
 */
export type PoolRole = string | null | { setRole: string };

const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The URL logging in as `role` instead of the URL's user. The password is the URL's when its user
 * already is the role, else DUEPROCESS_RUNTIME_DB_PASSWORD (none: local servers trust loopback).
 */
export function loginUrl(connectionString: string, role: string, env: NodeJS.ProcessEnv = process.env): string {
  const u = new URL(connectionString);
  if (decodeURIComponent(u.username) === role) return connectionString;
  u.username = encodeURIComponent(role);
  u.password = env.DUEPROCESS_RUNTIME_DB_PASSWORD ? encodeURIComponent(env.DUEPROCESS_RUNTIME_DB_PASSWORD) : '';
  return u.toString();
}

/**
 * The application's pool. By default every connection logs in as the runtime role, a login role
 * of its own that may only append to the records (audit chain, stage records, drafts, opinions,
 * dispositions, integrity records, moderation, checkpoints): there is no owner session behind it
 * to return to, and it is a member of no role to switch to. `role: null` is for tools that need
 * the owner's rights (migrations).
 */
export function createPool(
  connectionString: string,
  max = 10,
  role: PoolRole = runtimeRoleName(),
  applicationName = process.env.DUEPROCESS_DB_APP_NAME ?? 'dueprocess',
): CatalogSafePool {
  const name = role === null ? null : typeof role === 'string' ? role : role.setRole;
  if (name !== null && !ROLE_NAME.test(name)) throw new Error(`invalid database role name ${name}`);
  const url = typeof role === 'string' ? loginUrl(connectionString, role) : connectionString;
  const pool = new CatalogSafePool({ connectionString: url, max, application_name: applicationName });
  if (role !== null && typeof role === 'object')
    pool.on('connect', (client) => void client.query(`SET ROLE ${role.setRole}`).catch(() => undefined));
  // An idle connection the server closes (restart, failover, pg_terminate_backend) is discarded
  // by the pool and replaced on the next query; without a listener the error would kill the process.
  pool.on('error', (e) =>
    process.stderr.write(JSON.stringify({ msg: 'idle database connection lost', error: e.message }) + '\n'),
  );
  return pool;
}

/**
 * The application's own pool, from the owner's DATABASE_URL: DUEPROCESS_RUNTIME_DATABASE_URL when
 * set (its user is the runtime login role, with the password the deployment gave it), else
 * DATABASE_URL logging in as the runtime role.
 */
export function runtimePool(ownerUrl: string, max = 10, env: NodeJS.ProcessEnv = process.env): CatalogSafePool {
  const explicit = env.DUEPROCESS_RUNTIME_DATABASE_URL;
  if (explicit)
    return createPool(explicit, max, decodeURIComponent(new URL(explicit).username) || runtimeRoleName(env));
  return createPool(ownerUrl, max, runtimeRoleName(env));
}

/**
 * Refuses to run the application on a connection with more rights than the runtime role: the
 * session must have logged in as a role that is no superuser, cannot create roles or databases,
 * replicate or bypass row security, and is a member of no other role.
 */
export async function assertRuntimeSession(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{
    session: string;
    current: string;
    rolsuper: boolean;
    rolcreaterole: boolean;
    rolcreatedb: boolean;
    rolreplication: boolean;
    rolbypassrls: boolean;
    memberships: number;
  }>(`
    SELECT session_user::text AS session, current_user::text AS current, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
      (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid)::int AS memberships
    FROM pg_roles r WHERE r.rolname = session_user`);
  const r = rows[0];
  const problems = !r
    ? ['the session role is unknown']
    : [
        r.session !== r.current ? `it runs as ${r.current} after logging in as ${r.session}` : '',
        r.rolsuper ? 'it is a superuser' : '',
        r.rolcreaterole ? 'it may create roles' : '',
        r.rolcreatedb ? 'it may create databases' : '',
        r.rolreplication ? 'it may replicate' : '',
        r.rolbypassrls ? 'it bypasses row security' : '',
        r.memberships ? `it is a member of ${r.memberships} role(s)` : '',
      ].filter(Boolean);
  if (problems.length) {
    throw new Error(
      `the application's database login ${r?.session ?? '?'} has more rights than the runtime role may: ${problems.join('; ')} (run npm run migrate; see README "No back door")`,
    );
  }
}

type ScriptAdapter = {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): pg.Pool;
  onError?(e: unknown): never;
};

/**
 * Prisma's pg adapter runs a migration script by splitting it on every ";" (adapter-pg 6.19
 * `executeScript`), which breaks function bodies and comments. PostgreSQL accepts the whole
 * script in one simple query, and runs it as one implicit transaction, so a migration applies
 * entirely or not at all.
 */
export function wholeScriptMigrations<F extends { connect(): Promise<unknown> }>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as ScriptAdapter;
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (e) {
        if (adapter.onError) adapter.onError(e);
        throw e;
      }
    };
    return adapter;
  };
  return factory;
}
