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
    return ((super.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args)).then(fix);
  }
}

/**
 * The application's pool. Every connection runs as the runtime role (created by the migrations),
 * which may only append to the audit chain, the stage records and the integrity records. The role
 * is a startup parameter, so a connection that cannot take it fails instead of running with more
 * rights. `role: null` is for tools that need the login user's rights (migrations).
 */
export function createPool(
  connectionString: string,
  max = 10,
  role: string | null = process.env.DUEPROCESS_DB_ROLE ?? 'dueprocess_runtime',
  applicationName = process.env.DUEPROCESS_DB_APP_NAME ?? 'dueprocess',
): CatalogSafePool {
  if (role !== null && !/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid database role name ${role}`);
  const pool = new CatalogSafePool({ connectionString, max, application_name: applicationName, ...(role ? { options: `-c role=${role}` } : {}) });
  // An idle connection the server closes (restart, failover, pg_terminate_backend) is discarded
  // by the pool and replaced on the next query; without a listener the error would kill the process.
  pool.on('error', (e) => process.stderr.write(JSON.stringify({ msg: 'idle database connection lost', error: e.message }) + '\n'));
  return pool;
}

type ScriptAdapter = { executeScript(script: string): Promise<void>; underlyingDriver(): pg.Pool; onError?(e: unknown): never };

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
