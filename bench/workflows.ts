import { condition, setHandler, sleep } from '@temporalio/workflow';
import { noopUpdate, pingQuery } from './definitions';

// Baselines for the benchmarks: what Temporal costs with no DueProcess logic at all.
export { decisionWorkflow, commitmentWorkflow } from '../workflows';

/** Started and finished at once: the raw cost of a workflow start. */
export async function emptyWorkflow(): Promise<void> {}

/** Answers an update without doing anything: the raw cost of an update round trip. */
export async function noopUpdateWorkflow(): Promise<void> {
  let done = false;
  setHandler(noopUpdate, (n) => {
    if (n < 0) done = true;
    return n;
  });
  await condition(() => done);
}

/** Open with a running timer and a query: the raw cost of an open workflow on the worker. */
export async function timerWorkflow(hours: number): Promise<void> {
  setHandler(pingQuery, () => hours);
  await sleep(`${hours} hours`);
}
