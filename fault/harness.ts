import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { authKey, issueToken } from '../api/auth';
import { bundleWorkflows } from '../bin/bundle-workflows';
import { dropDatabase, ensureDatabase, migrate, withDatabase } from '../lib/database';
import { createPool, createPrisma, type PrismaClient } from '../lib/db';
import { fromRoot } from '../lib/paths';
import { freePort, startDevServer, stopChild, type DevServer } from '../lib/temporal-dev';
import { seedDemo } from '../prisma/seed';

// The real parts, run as separate processes so faults can hit them: a Temporal dev server
// (file-backed when a scenario restarts it), a fresh PostgreSQL database, workers and APIs
// started from bin/worker.ts and bin/api.ts, and a client that retries like a real one.

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = fromRoot('.data', 'fault');

export interface Env {
  dbUrl: string;
  prisma: PrismaClient;
  temporal: DevServer;
  temporalPort: number;
  bundle: string;
  secret: string;
  logs: string;
  stop(): Promise<void>;
  restartTemporal(): Promise<void>;
  worker(): Promise<Proc>;
  api(port?: number): Promise<Proc & { url: string; port: number }>;
  token(userId: string): Promise<string>;
}

export interface Proc {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const bundles = new Map<string, Promise<string>>();

export interface EnvOptions {
  /** Keep Temporal's state in a SQLite file, so the server can be restarted. */
  fileBacked?: boolean;
  /** The workflows module to bundle (default: the application's). */
  workflows?: string;
  /** Extra environment for the worker and API processes. */
  childEnv?: NodeJS.ProcessEnv;
}

export async function environment(name: string, opts: EnvOptions = {}): Promise<Env> {
  fs.mkdirSync(dir, { recursive: true });
  const logs = path.join(dir, `${name}.log`);
  fs.writeFileSync(logs, '');
  const base =
    process.env.DUEPROCESS_TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
  const dbUrl = withDatabase(base, `dueprocess_fault_${name.replace(/\W/g, '_')}_${process.pid}`);
  await dropDatabase(dbUrl);
  await ensureDatabase(dbUrl);
  await migrate(dbUrl);
  const pool = createPool(dbUrl, 4, process.env.DUEPROCESS_DB_ROLE ?? 'dueprocess_runtime', 'fault-harness');
  const prisma = createPrisma(pool);
  await seedDemo(prisma);
  const workflows = opts.workflows ?? fromRoot('workflows');
  if (!bundles.has(workflows))
    bundles.set(
      workflows,
      bundleWorkflows(
        path.join(dir, `bundle-${createHash('sha256').update(workflows).digest('hex').slice(0, 8)}.js`),
        workflows,
      ),
    );
  const bundle = await bundles.get(workflows)!;
  const temporalPort = await freePort();
  const dbFile = opts.fileBacked ? path.join(dir, `${name}-temporal.sqlite`) : undefined;
  if (dbFile) fs.rmSync(dbFile, { force: true });
  const startTemporal = () => startDevServer({ port: temporalPort, dbFile, logFile: logs });
  const secret = randomUUID() + randomUUID();
  const procs: Proc[] = [];
  const childEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: dbUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    DUEPROCESS_WORKFLOW_BUNDLE: bundle,
    DUEPROCESS_JWT_SECRET: secret,
    DUEPROCESS_TEMPLATES_DIR: [fromRoot('templates'), fromRoot('tests', 'fixtures', 'templates')].join(path.delimiter),
    DUEPROCESS_DB_POOL_MAX: '8',
    // The load comes from one address standing for many citizens: per-client limits would
    // throttle the scenario, not protect anything.
    DUEPROCESS_RATE_LIMIT: 'off',
    DUEPROCESS_PUBLIC_RATE_LIMIT: 'off',
    DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL: 'off',
    ...opts.childEnv,
  });
  const launch = async (script: string, extra: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> => {
    const out = fs.openSync(logs, 'a');
    // DUEPROCESS_PROFILE_DIR: a CPU profile of each process, written when it stops (for BENCHMARKS.md).
    const profile = process.env.DUEPROCESS_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DUEPROCESS_PROFILE_DIR}`]
      : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', fromRoot('bin', script)], {
      env: { ...childEnv(), ...extra },
      stdio: ['ignore', 'pipe', out],
    });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.once('exit', (code) => reject(new Error(`${script} exited (${code}); see ${logs}`)));
      child.stdout!.on('data', (b: Buffer) => {
        fs.appendFileSync(logs, b);
        seen += b.toString();
        if (ready.test(seen)) resolve();
      });
    });
    child.removeAllListeners('exit');
    const proc: Proc = {
      child,
      kill: (signal = 'SIGKILL') => stopChild(child, signal === 'SIGKILL' ? 0 : 10_000, signal),
    };
    procs.push(proc);
    return proc;
  };
  const env: Env = {
    dbUrl,
    prisma,
    temporal: await startTemporal(),
    temporalPort,
    bundle,
    secret,
    logs,
    async restartTemporal() {
      await env.temporal.stop();
      env.temporal = await startTemporal();
    },
    worker: () => launch('worker.ts', {}, /worker running/),
    async api(port?: number) {
      const p = port ?? (await freePort());
      const proc = await launch('api.ts', { PORT: String(p) }, /api listening/);
      return { ...proc, port: p, url: `http://127.0.0.1:${p}` };
    },
    async token(userId: string) {
      // What the person may do comes from the directory; the token only names them.
      return issueToken(authKey(secret), { sub: userId, name: userId });
    },
    async stop() {
      for (const p of procs) await p.kill('SIGTERM').catch(() => undefined);
      await env.temporal.stop();
      await prisma.$disconnect();
      await pool.end();
      if (!process.env.DUEPROCESS_KEEP_FAULT_DB) await dropDatabase(dbUrl);
    },
  };
  return env;
}

/** A client that retries on network errors, 5xx and 429 (after Retry-After) with the same Idempotency-Key, as a real one would. */
export async function send(
  url: string,
  init: { method?: string; token?: string; body?: unknown; key?: string },
  tries = 60,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.key) headers['Idempotency-Key'] = init.key;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: init.method ?? 'POST',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(30_000),
      });
      const body = await res.json().catch(() => null);
      if (res.status === 429 && attempt < tries) {
        await sleep(Math.min(10_000, 1000 * Number(res.headers.get('retry-after') ?? 1)));
        continue;
      }
      if (res.status < 500 || attempt >= tries) return { status: res.status, body };
    } catch (e) {
      if (attempt >= tries) throw e;
    }
    await sleep(Math.min(2_000, 100 * attempt));
  }
}

export interface Result {
  scenario: string;
  attempted: number;
  accepted: number;
  lost: number;
  duplicated: number;
  notes: string;
  seconds: number;
}
