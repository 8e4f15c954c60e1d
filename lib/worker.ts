import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { createCommitmentActivities } from '../activities/commitments';
import type { WorkingCalendar } from '../domain/calendar';
import { TASK_QUEUE } from '../workflows/definitions';
import type { PrismaClient } from './db';
import type { Notifier } from './notifier';

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

export async function createDecisionWorker(o: DecisionWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue ?? TASK_QUEUE,
    activities: activitiesFor({ prisma: o.prisma, notifier: o.notifier, calendar: o.calendar }),
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    ...(o.identity ? { identity: o.identity } : {}),
    ...o.tuning,
  });
}
