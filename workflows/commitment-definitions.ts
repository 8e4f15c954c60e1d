import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  CommitmentCommand,
  CommitmentEvent,
  CommitmentState,
  CommitmentStatus,
  RegisterCommitmentInput,
} from '../domain/commitment';

// The contract between the API and the commitment workflow. Both sides import this module; it
// holds no logic. The commitment workflow runs on the same task queue as the decisions.

/** The workflow ID is the commitment's business key. */
export const commitmentWorkflowId = (commitmentId: string) => `commitment-${commitmentId}`;

/** The audit chain of a commitment, in the audit table's `decision_id` column. */
export const commitmentChainId = (commitmentId: string) => `commitment:${commitmentId}`;

export type CommitmentWorkflowInput = { register: RegisterCommitmentInput } | { resume: CommitmentState };

/** What an accepted action returns; the full state is read from the read model or the query. */
export interface CommitmentActionResult {
  eventId: string;
  revision: number;
  status: CommitmentStatus;
  effects: string[];
}

export interface RecordCommitmentEventInput {
  event: CommitmentEvent;
  /** The state after the event; the read model keeps the snapshot with the highest revision. */
  snapshot: CommitmentState;
}

/** The activities the commitment workflow calls; activities/commitments.ts implements them. */
export interface CommitmentActivities {
  recordCommitmentEvent(input: RecordCommitmentEventInput): Promise<void>;
}

export interface CommitmentOutcome {
  commitmentId: string;
  status: CommitmentStatus;
}

export const commitmentActionUpdate = defineUpdate<CommitmentActionResult, [CommitmentCommand]>('commitmentAction');
/** Sent with the workflow's start: completes once the registration is recorded in the read model. */
export const commitmentRegisteredUpdate = defineUpdate<CommitmentActionResult, [{ creationKey: string }]>(
  'commitmentRegistered',
);
export const commitmentStateQuery = defineQuery<CommitmentState>('commitmentState');
