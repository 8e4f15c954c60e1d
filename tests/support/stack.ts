import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import { authKey, issueToken, type AuthKey } from '../../api/auth';
import { createApp } from '../../server/app';
import { createPool, createPrisma, type PrismaClient } from '../../lib/db';
import { loadWorkingCalendar } from '../../lib/calendar';
import type { Notifier, OutboundNotification } from '../../lib/notifier';
import { loadTemplates } from '../../lib/templates';
import { createDecisionWorker } from '../../server/worker';
import { demoUser } from '../../prisma/demo';
import type { Role } from '../../domain/stages';
import { seedDemo } from '../../prisma/seed';
import { fromRoot } from '../../lib/paths';
import { waitFor } from './wait';

// The real stack for integration tests: PostgreSQL and Temporal from the global setup, a worker
// on a task queue of this test file's own, and the real Express app. Only the outbound notifier
// is replaced, by one that remembers what it was asked to send.

let runtimeInstalled = false;

export class RecordingNotifier implements Notifier {
  sent: OutboundNotification[] = [];
  async deliver(n: OutboundNotification): Promise<void> {
    this.sent.push(n);
  }
}

export interface Stack {
  prisma: PrismaClient;
  client: Client;
  connection: NativeConnection;
  taskQueue: string;
  notifier: RecordingNotifier;
  app: Express;
  key: AuthKey;
  worker: Worker | null;
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  token(userId: string): Promise<string>;
  /** A creation answers before the workflow records it: waits until the decision's first record is in. */
  recorded(decisionId: string): Promise<void>;
  /** Puts a person in the staff directory, holding one office per role, and returns a token. */
  addStaff(u: { id: string; name: string; organId: string; roles: Role[] }): Promise<string>;
  stop(): Promise<void>;
}

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests through jest (global setup)`);
  return v;
}

export async function startStack(opts: { worker?: boolean; templatesDirs?: string[] } = {}): Promise<Stack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const pool = createPool(env('DUEPROCESS_TEST_DB'), 8);
  const prisma = createPrisma(pool);
  await seedDemo(prisma);
  const address = env('DUEPROCESS_TEST_TEMPORAL');
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const taskQueue = `test-${randomUUID()}`;
  const notifier = new RecordingNotifier();
  const key = authKey(randomUUID() + randomUUID());
  const templates = loadTemplates(
    opts.templatesDirs ?? [fromRoot('templates'), fromRoot('tests', 'fixtures', 'templates')],
  );
  const app = createApp({ prisma, temporal: client, templates, authKey: key, taskQueue, log: () => undefined });

  let running: Promise<void> | null = null;
  const stack: Stack = {
    prisma,
    client,
    connection,
    taskQueue,
    notifier,
    app,
    key,
    worker: null,
    async startWorker() {
      const worker = await createDecisionWorker({
        connection,
        namespace: 'default',
        taskQueue,
        prisma,
        notifier,
        calendar: () => loadWorkingCalendar(),
        workflowBundle: { codePath: env('DUEPROCESS_TEST_BUNDLE') },
      });
      stack.worker = worker;
      running = worker.run();
      return worker;
    },
    async stopWorker() {
      if (stack.worker && stack.worker.getState() === 'RUNNING') stack.worker.shutdown();
      await running;
      stack.worker = null;
    },
    async token(userId: string) {
      const u = demoUser(userId);
      return issueToken(key, { sub: u.id, name: u.name, roles: u.roles, organ: u.organId });
    },
    async recorded(decisionId: string) {
      await waitFor(
        async () => {
          const row = await prisma.decision.findUnique({ where: { id: decisionId }, select: { revision: true } });
          return !!row && row.revision >= 1;
        },
        { what: `decision ${decisionId} to be recorded`, intervalMs: 25 },
      );
    },
    async addStaff(u) {
      // Race-safe: test files run in parallel and may add the same organ.
      await prisma.organ.createMany({ skipDuplicates: true, data: [{ id: u.organId, name: u.organId }] });
      await prisma.staffUser.createMany({
        skipDuplicates: true,
        data: [{ id: u.id, name: u.name, organId: u.organId }],
      });
      for (const role of u.roles) {
        const officeId = `${u.organId}/${role}/${u.id}`;
        await prisma.office.createMany({
          skipDuplicates: true,
          data: [{ id: officeId, organId: u.organId, role, title: `${role} (${u.name})` }],
        });
        await prisma.officeTerm.createMany({
          skipDuplicates: true,
          data: [{ id: `test:${officeId}`, officeId, userId: u.id, startsAt: new Date(0) }],
        });
      }
      return issueToken(key, { sub: u.id, name: u.name });
    },
    async stop() {
      await stack.stopWorker();
      await client.connection.close();
      await connection.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
  if (opts.worker !== false) await stack.startWorker();
  return stack;
}
