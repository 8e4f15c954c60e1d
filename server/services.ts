import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { authKey } from '../api/auth';
import { createApp } from './app';
import { loadWorkingCalendar } from '../lib/calendar';
import type pg from 'pg';
import { assertRuntimeSession, createPrisma, runtimePool } from '../lib/db';
import { log } from '../lib/log';
import { logNotifier } from '../lib/notifier';
import { loadTemplates } from '../lib/templates';
import { createDecisionWorker } from './worker';
import { checkpointKey, startCheckpoints, type CheckpointKey } from '../lib/checkpoints';
import { loadConfig } from '../lib/config';

// The two long-running parts of DueProcess, the worker and the API. bin/worker.ts and bin/api.ts
// run one each (a deployment scales them apart); the start command runs both in one process.

/** The process's log (pino through lib/log.ts); re-exported for the commands that import it from here. */
export { log } from '../lib/log';

interface Common {
  databaseUrl: string;
  poolMax: number;
  /** A pool to share (the start command shares one between worker and API); not closed on stop. */
  pool?: pg.Pool;
  temporalAddress: string;
  namespace: string;
}

async function database(o: Common) {
  const pool = o.pool ?? runtimePool(o.databaseUrl, o.poolMax);
  // A shared pool was checked by whoever made it (the start command, which knows PGlite's limits).
  if (!o.pool) await assertRuntimeSession(pool);
  const prisma = createPrisma(pool);
  return {
    prisma,
    release: async () => {
      await prisma.$disconnect();
      if (!o.pool) await pool.end();
    },
  };
}

export interface Running {
  stop(): Promise<void>;
}

/** The checkpoint key, saying in the log when it is the generated local-only one. */
export function loadCheckpointKey(): CheckpointKey {
  const key = checkpointKey();
  if (key.generatedFile)
    log({
      msg: `audit checkpoints: signing with a generated LOCAL DEVELOPMENT key in ${key.generatedFile}; a deployment sets DUEPROCESS_CHECKPOINT_KEY`,
      keyId: key.keyId,
    });
  return key;
}

export async function runWorker(
  o: Common & { checkpointSeconds?: number },
): Promise<Running & { worker: Worker; done: Promise<void> }> {
  const { prisma, release } = await database(o);
  const checkpoints = startCheckpoints(
    prisma,
    loadCheckpointKey(),
    o.checkpointSeconds ?? loadConfig().DUEPROCESS_CHECKPOINT_SECONDS ?? 3600,
    log,
  );
  loadWorkingCalendar(); // fail at boot, not at the first legality review, if the calendar is broken
  const connection = await NativeConnection.connect({ address: o.temporalAddress });
  // A prebuilt bundle (DUEPROCESS_WORKFLOW_BUNDLE) spares a restarted worker the bundling step.
  const bundle = process.env.DUEPROCESS_WORKFLOW_BUNDLE;
  const worker = await createDecisionWorker({
    connection,
    namespace: o.namespace,
    prisma,
    notifier: logNotifier,
    calendar: () => loadWorkingCalendar(),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : {}),
  });
  const done = worker.run().finally(async () => {
    checkpoints.stop();
    await connection.close();
    await release();
  });
  log({ msg: 'worker running', temporal: o.temporalAddress, namespace: o.namespace });
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

export async function runApi(
  o: Common & { jwtSecret: string; port: number; host: string },
): Promise<Running & { server: Server; url: string }> {
  const { prisma, release } = await database(o);
  const connection = await Connection.connect({ address: o.temporalAddress });
  const temporal = new Client({ connection, namespace: o.namespace });
  const app = createApp({
    prisma,
    temporal,
    templates: loadTemplates(),
    authKey: authKey(o.jwtSecret),
    log,
    checkpointKey: checkpointKey(),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(o.port, o.host, () => resolve(s));
  });
  const url = `http://${o.host}:${(server.address() as { port: number }).port}`;
  log({ msg: 'api listening', url });
  return {
    server,
    url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await release();
    },
  };
}

/** Stops everything on Ctrl-C or SIGTERM, once, in reverse order of starting. */
export function stopOnSignal(parts: Array<() => Promise<void>>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ msg: 'stopping', signal });
    for (const p of [...parts].reverse()) {
      try {
        await p();
      } catch (e) {
        log({ msg: 'error while stopping', error: String(e) });
      }
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
