import * as v8 from 'node:v8';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { createCommitmentActivities } from '../activities/commitments';
import type { WorkingCalendar } from '../domain/calendar';
import { loadConfig } from '../lib/config';
import { TASK_QUEUE } from '../workflows/definitions';
import type { PrismaClient } from '../lib/db';
import type { Notifier } from '../lib/notifier';

// Wires the decision workflow and its activities to a task queue. Used by the worker process and
// by the tests, which pass a prebuilt workflow bundle and their own notifier.

export interface DecisionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  prisma: PrismaClient;
  notifier: Notifier;
  calendar: () => WorkingCalendar;
  taskQueue?: string;
  workflowBundle?: { codePath: string };
  identity?: string;
  tuning?: Partial<WorkerOptions>;
}

/** Every workflow's activities, registered on one worker. */
function activitiesFor(deps: ActivityDeps) {
  return { ...createActivities(deps), ...createCommitmentActivities(deps) };
}

/**
 * Memory and recovery, from the configuration (measured in BENCHMARKS.md). Every cached workflow
 * holds its own copy of the bundle's modules (about 2.5 MB, most of it the zod schemas the gates
 * validate with), in the SDK's workflow threads, whose V8 heap by default grows past 1.5 GiB
 * before it collects what evicted workflows left. So the cache is bounded (the SDK would size it
 * at about 2,000 from the heap limit) and the workflow threads get a heap limit: V8 flags set
 * before a worker thread starts apply to it, and the SDK offers no resource-limit option. An
 * evicted workflow is replayed from its history when it next runs. A shorter sticky timeout lets
 * another worker take over a dead worker's cached workflows after 3 s instead of 10 s.
 */
export function workerTuning(env: NodeJS.ProcessEnv = process.env): Partial<WorkerOptions> {
  const c = loadConfig(env);
  if (c.DUEPROCESS_WORKFLOW_HEAP_MB > 0) v8.setFlagsFromString(`--max-old-space-size=${c.DUEPROCESS_WORKFLOW_HEAP_MB}`);
  return {
    maxCachedWorkflows: c.DUEPROCESS_WORKER_CACHE,
    stickyQueueScheduleToStartTimeout: c.DUEPROCESS_STICKY_TIMEOUT_MS,
  };
}

export async function createDecisionWorker(o: DecisionWorkerOptions): Promise<Worker> {
  return Worker.create({
    ...workerTuning(),
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue ?? TASK_QUEUE,
    activities: activitiesFor({ prisma: o.prisma, notifier: o.notifier, calendar: o.calendar }),
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    ...(o.identity ? { identity: o.identity } : {}),
    ...o.tuning,
  });
}
