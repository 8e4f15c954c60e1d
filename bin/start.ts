// `npm start`: the whole system on one machine, for a newcomer or a demo.
//  - Temporal: TEMPORAL_ADDRESS if set; otherwise the Temporal CLI dev server (built on first
//    use) with its SQLite file in .data/temporal, so decisions survive restarts, and its Web UI.
//  - PostgreSQL: DATABASE_URL if set; otherwise the local server on 127.0.0.1:5432 (database
//    "dueprocess", created if missing); otherwise an embedded PGlite persisted in .data/pglite.
//  - Migrations, the demo organ and users (with a generated local demo password for the staff
//    workspace), then the worker and the API in this process.
// Ctrl-C stops everything.
import * as net from 'node:net';
import * as os from 'node:os';
import pg from 'pg';
import { loadConfig, type Config } from '../lib/config';
import { ensureDatabase, migrate, withDatabase } from '../lib/database';
import { assertRuntimeSession, createPool, createPrisma, runtimePool, runtimeRoleName } from '../lib/db';
import { jwtSecret } from '../lib/dev-secret';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { dataDir } from '../lib/paths';
import { log, runApi, runWorker, stopOnSignal } from '../server/services';
import { startDevServer } from '../lib/temporal-dev';
import { seedDemo } from '../prisma/seed';
import { seedDemoPasswords } from '../lib/demo-passwords';

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net
      .createServer()
      .once('error', () => resolve(false))
      .once('listening', () => s.close(() => resolve(true)));
    s.listen(port, '127.0.0.1');
  });
}

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

interface Database {
  url: string;
  poolMax: number;
  stop?: () => Promise<void>;
  /** PGlite: one superuser session, whatever user a client logs in as. */
  embedded?: boolean;
}

async function chooseDatabase(config: Config): Promise<Database> {
  if (config.DUEPROCESS_DATABASE === 'embedded') return embedded('DUEPROCESS_DATABASE=embedded');
  if (config.DATABASE_URL) {
    await ensureDatabase(config.DATABASE_URL);
    log({ msg: 'database: DATABASE_URL', database: new URL(config.DATABASE_URL).pathname });
    return { url: config.DATABASE_URL, poolMax: config.DUEPROCESS_DB_POOL_MAX };
  }
  const users = [...new Set([process.env.PGUSER, os.userInfo().username, 'postgres'].filter(Boolean))];
  for (const user of users) {
    const url = `postgresql://${user}@127.0.0.1:5432/dueprocess`;
    if (await answers(url)) {
      await ensureDatabase(url);
      log({ msg: 'database: local PostgreSQL on 127.0.0.1:5432', user, database: 'dueprocess' });
      return { url, poolMax: config.DUEPROCESS_DB_POOL_MAX };
    }
  }
  return embedded('no PostgreSQL answered on 127.0.0.1:5432 and DATABASE_URL is unset');
}

async function embedded(why: string): Promise<Database> {
  const db = await startEmbeddedPostgres(dataDir('pglite'));
  process.env.DUEPROCESS_DB_POOL_MAX = '1'; // for the migration process: PGlite is one session
  log({ msg: `database: embedded PGlite in ${dataDir('pglite')} (${why})` });
  return { url: db.url, poolMax: 1, stop: db.stop, embedded: true };
}

async function main() {
  const config = loadConfig();
  const stops: Array<() => Promise<void>> = [];
  stopOnSignal(stops);

  let temporalAddress = config.TEMPORAL_ADDRESS;
  let uiUrl: string | null = null;
  if (!temporalAddress) {
    if (!(await portFree(config.TEMPORAL_PORT))) {
      throw new Error(
        `port ${config.TEMPORAL_PORT} is taken: set TEMPORAL_ADDRESS to use that Temporal server, or TEMPORAL_PORT for another port`,
      );
    }
    log({ msg: 'starting the Temporal dev server', port: config.TEMPORAL_PORT });
    const server = await startDevServer({
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: dataDir('temporal', 'dev.sqlite'),
      logFile: dataDir('temporal', 'server.log'),
    });
    stops.push(server.stop);
    temporalAddress = server.address;
    uiUrl = server.uiUrl;
  }

  const db = await chooseDatabase(config);
  if (db.stop) stops.push(db.stop);
  await migrate(db.url);
  // On PostgreSQL the application logs in as the runtime role and refuses to run with more
  // rights. PGlite cannot do that: it has one superuser session and ignores the login role, so the
  // runtime role is only SET on it, which the session could leave. Demo use only.
  let pool;
  if (db.embedded) {
    log({
      msg: `WARNING: embedded PGlite cannot enforce the runtime login role: the application runs as ${runtimeRoleName()} by SET ROLE in a superuser session, which it could leave. Use PostgreSQL for the enforced separation (README "No back door").`,
    });
    pool = createPool(db.url, db.poolMax, { setRole: runtimeRoleName() });
  } else {
    pool = runtimePool(db.url, db.poolMax);
    await assertRuntimeSession(pool);
  }
  stops.push(() => pool.end());
  const prisma = createPrisma(pool);
  await seedDemo(prisma);
  const demoPassword = await seedDemoPasswords(prisma);
  await prisma.$disconnect();
  log({ msg: 'database migrated; demo organ and users seeded' });

  const common = {
    databaseUrl: db.url,
    poolMax: db.poolMax,
    pool,
    temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
  };
  // The demo signs a checkpoint every 5 minutes unless told otherwise (a deployment: hourly).
  const worker = await runWorker({ ...common, checkpointSeconds: config.DUEPROCESS_CHECKPOINT_SECONDS ?? 300 });
  stops.push(worker.stop);
  const api = await runApi({ ...common, jwtSecret: jwtSecret(), port: config.PORT, host: config.HOST });
  stops.push(api.stop);

  process.stdout.write(
    [
      '',
      'DueProcess is running.',
      `  API             ${api.url}/api   (OpenAPI: ${api.url}/api/openapi.json)`,
      `  Temporal        ${temporalAddress}${uiUrl ? `   Web UI: ${uiUrl}` : ''}`,
      '  Demo tokens     npm run token   (local demo users, one per role)',
      `  Portal          ${api.url}/   (public; ?lang=en for English)`,
      `  Workspace       ${api.url}/staff   LOCAL DEMO ONLY: sign in as any demo user (e.g. official-zhang, expert-li)`,
      `                  with the demo password ${demoPassword}   (kept in ${dataDir('demo-password')})`,
      '  Stop            Ctrl-C',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
