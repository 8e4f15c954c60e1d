import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CreateDecisionInput, DecisionState, DecisionStatus, ActionCommand } from '../domain/procedure';
import type { StageKey } from '../domain/stages';

// The contract between the API and the decision workflow. Both sides import this module; it
// holds no logic.

export const TASK_QUEUE = 'dueprocess-decisions';

/** The workflow ID is the decision's business key. */
export const workflowIdFor = (decisionId: string) => `decision-${decisionId}`;

export type DecisionWorkflowInput = { create: CreateDecisionInput } | { resume: DecisionState };

/** What an accepted action returns; the full state is read from the read model or the query. */
export interface ActionResult {
  eventId: string;
  revision: number;
  status: DecisionStatus;
  currentStage: StageKey | null;
  draft: { version: number; hash: string };
  effects: string[];
  /** Set by a change request: the id of the change procedure it opened. */
  changeId?: string;
}

export interface DecisionOutcome {
  decisionId: string;
  status: DecisionStatus;
}

export const performActionUpdate = defineUpdate<ActionResult, [ActionCommand]>('performAction');
/** Sent with the workflow's start: completes once the new decision is recorded in the read model. */
export const decisionOpenedUpdate = defineUpdate<ActionResult, [{ creationKey: string }]>('decisionOpened');
export const decisionStateQuery = defineQuery<DecisionState>('decisionState');
