import { defineQuery, defineUpdate } from '@temporalio/workflow';

// Messages of the baseline workflows in bench/workflows.ts, importable outside the sandbox.
export const noopUpdate = defineUpdate<number, [number]>('noop');
export const pingQuery = defineQuery<number>('ping');
