import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { asFailure, recordingActivities } from './refusal';
import {
  applyCommitmentAction,
  checkCommitmentAction,
  createCommitment,
  dueTimers,
  fireTimer,
  nextTimerAt,
  type CommitmentEvent,
  type CommitmentState,
} from '../domain/commitment';
import { Refusal } from '../domain/refusals';
import {
  commitmentActionUpdate,
  commitmentRegisteredUpdate,
  commitmentStateQuery,
  type CommitmentActivities,
  type CommitmentActionResult,
  type CommitmentOutcome,
  type CommitmentWorkflowInput,
} from './commitment-definitions';

// One workflow per policy commitment or contract with a market entity (issue 3, part 5): the
// source of truth for what is owed, by when, and what was done about it. Every action is an update
// whose synchronous validator runs the pure rules, so a refused action never enters history.
// Accepted actions and timer events (reminders, breaches, unanswered complaints) are recorded in
// order by an idempotent activity; the handler answers once its event is in the read model.

const activities = recordingActivities<CommitmentActivities>();

function start(input: CommitmentWorkflowInput): { state: CommitmentState; registration: CommitmentEvent | null } {
  if ('resume' in input) return { state: input.resume, registration: null };
  try {
    const created = createCommitment(input.register, Date.now(), `register:${input.register.body.id}`);
    return { state: created.state, registration: created.event };
  } catch (e) {
    return asFailure(e); // the API checked the registration first: only a forged start ends here
  }
}

export async function commitmentWorkflow(input: CommitmentWorkflowInput): Promise<CommitmentOutcome> {
  const { state, registration } = start(input);

  // Records run one after another so the audit chain follows the order of events.
  let tail: Promise<void> = Promise.resolve();
  let recordedRevision = registration ? 0 : state.revision;
  const record = (ev: CommitmentEvent): Promise<void> => {
    const run = tail.then(async () => {
      await activities().recordCommitmentEvent({ event: ev, snapshot: state });
      recordedRevision = Math.max(recordedRevision, ev.revision);
    });
    tail = run;
    return run;
  };
  const result = (ev: { id: string; effects: string[] }): CommitmentActionResult => ({
    eventId: ev.id,
    revision: state.revision,
    status: state.status,
    effects: ev.effects,
  });

  setHandler(commitmentStateQuery, () => state);
  setHandler(
    commitmentActionUpdate,
    async (cmd) => {
      const now = Date.now();
      const ev = applyCommitmentAction(
        state,
        checkCommitmentAction(state, cmd, now),
        now,
        currentUpdateInfo()?.id ?? `update:${state.revision}`,
      );
      await record(ev);
      return result(ev);
    },
    {
      validator: (cmd) => {
        try {
          checkCommitmentAction(state, cmd, Date.now());
        } catch (e) {
          asFailure(e);
        }
      },
    },
  );
  setHandler(
    commitmentRegisteredUpdate,
    async () => {
      await condition(() => recordedRevision >= 1);
      return result({ id: `register:${state.id}`, effects: registration?.effects ?? [] });
    },
    {
      validator: ({ creationKey }) => {
        if (creationKey !== state.creationKey) {
          asFailure(
            new Refusal('COMMITMENT_ID_TAKEN', `a commitment with the id "${state.id}" already exists`, {
              id: state.id,
            }),
          );
        }
      },
    },
  );

  if (registration) await record(registration);

  while (!state.closed) {
    for (let t = dueTimers(state, Date.now())[0]; t; t = dueTimers(state, Date.now())[0]) {
      const ev = fireTimer(state, t, Date.now());
      if (ev) await record(ev);
    }
    if (state.closed) break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await tail;
      return continueAsNew<typeof commitmentWorkflow>({ resume: state });
    }
    const seen = state.revision;
    const changed = () => state.revision !== seen;
    const next = nextTimerAt(state);
    if (next === null) await condition(changed);
    else await condition(changed, Math.max(1, next - Date.now()));
  }

  await condition(allHandlersFinished);
  await tail;
  return { commitmentId: state.id, status: state.status };
}
