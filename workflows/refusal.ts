import {
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { Refusal } from '../domain/refusals';

// What both workflows share: how a refusal leaves an update validator, and how their recording
// activities are retried.

/** A refusal crosses to the client as an ApplicationFailure typed with its stable code. */
export function asFailure(e: unknown): never {
  if (e instanceof Refusal) {
    throw ApplicationFailure.create({
      type: e.code,
      message: e.message,
      nonRetryable: true,
      details: [{ status: e.status, legalBasis: e.legalBasis ?? null, details: e.details ?? null }],
    });
  }
  throw e;
}

export const RECORDING: ActivityOptions = {
  // Short enough that a killed worker's activity is retried soon; a record takes milliseconds.
  startToCloseTimeout: '15 seconds',
  // The record must not be lost: keep retrying through a database outage, backing off to a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Recording runs as a local activity: a few milliseconds of SQL executed by the worker that runs
 * the workflow task, without a round trip through the server, so an action is answered in one
 * workflow task. A crash re-runs it with the task; it is idempotent. Past the local threshold,
 * retries are durable timers.
 */
export const LOCAL_RECORDING: LocalActivityOptions = {
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Workflows started before recording became local keep recording with regular activities. */
export const LOCAL_RECORDING_PATCH = 'local-recording-v1';

/**
 * The recording activities of a workflow: local for workflows started since LOCAL_RECORDING_PATCH,
 * regular ones before (the choice is made, and marked in history, at the first call).
 */
export function recordingActivities<A extends object>(): () => ActivityInterfaceFor<A> {
  const remote = proxyActivities<A>(RECORDING);
  const local = proxyLocalActivities<A>(LOCAL_RECORDING);
  return () => (patched(LOCAL_RECORDING_PATCH) ? local : remote);
}
