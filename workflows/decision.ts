import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { asFailure, recordingActivities } from './refusal';
import type { Activities } from '../activities';
import {
  checkCommand,
  createDecision,
  fireDue,
  firstDue,
  nextDeadlineAcross,
  performCommand,
  resolveAcross,
  unresolvedAcross,
  TERMINAL_STATUSES,
  totalRevision,
  type DecisionState,
  type ProcedureEvent,
} from '../domain/procedure';
import { Refusal } from '../domain/refusals';
import {
  decisionOpenedUpdate,
  decisionStateQuery,
  performActionUpdate,
  type ActionResult,
  type DecisionOutcome,
  type DecisionWorkflowInput,
} from './definitions';

// One workflow per major decision: the source of truth for where its procedure stands. Every
// action is an update whose validator runs all the gates of the pure engine, so a refused action
// never enters history. Accepted actions and timer events are recorded, in order, by idempotent
// activities; the handler answers only once its event is in the read model.

const activities = recordingActivities<Activities>();

/** The state as the read model stores it: stage records travel in their events, not in snapshots. */
function withoutRecords(p: DecisionState): DecisionState {
  return {
    ...p,
    records: [],
    invalidatedRecords: [],
    ...(p.changes ? { changes: p.changes.map((c) => ({ ...c, procedure: withoutRecords(c.procedure) })) } : {}),
  };
}

export async function decisionWorkflow(input: DecisionWorkflowInput): Promise<DecisionOutcome> {
  let creation: ProcedureEvent | null = null;
  let state: DecisionState;
  if ('resume' in input) {
    state = input.resume;
  } else {
    const created = createDecision(input.create, Date.now(), `create:${input.create.id}`);
    state = created.state;
    creation = created.event;
  }

  // Records run one after another so the audit chain follows the order of events.
  let tail: Promise<void> = Promise.resolve();
  let recordedRevision = creation ? 0 : state.revision;
  const record = (ev: ProcedureEvent): Promise<void> => {
    const run = tail.then(async () => {
      // Stage records travel once, in their event; the snapshot leaves them out to keep history small.
      await activities().recordEvent({ event: ev, snapshot: withoutRecords(state) });
      recordedRevision = Math.max(recordedRevision, ev.revision);
    });
    tail = run;
    return run;
  };
  const result = (ev: { id: string; effects: string[]; payload?: Record<string, unknown> }): ActionResult => ({
    ...(typeof ev.payload?.changeId === 'string' ? { changeId: ev.payload.changeId } : {}),
    eventId: ev.id,
    revision: state.revision,
    status: state.status,
    currentStage: state.currentStage,
    draft: { ...state.draft },
    effects: ev.effects,
  });

  setHandler(decisionStateQuery, () => state);
  setHandler(
    performActionUpdate,
    async (cmd) => {
      const now = Date.now();
      const events = performCommand(
        state,
        cmd,
        checkCommand(state, cmd, now),
        now,
        currentUpdateInfo()?.id ?? `update:${state.revision}`,
      );
      for (const ev of events) await record(ev);
      return result({ id: events[0].id, payload: events[0].payload, effects: events.flatMap((e) => e.effects) });
    },
    {
      validator: (cmd) => {
        try {
          checkCommand(state, cmd, Date.now());
        } catch (e) {
          asFailure(e);
        }
      },
    },
  );
  setHandler(
    decisionOpenedUpdate,
    async () => {
      await condition(() => recordedRevision >= 1);
      return result({ id: `create:${state.id}`, effects: [] });
    },
    {
      validator: ({ creationKey }) => {
        if (creationKey !== state.creationKey) {
          asFailure(
            new Refusal('DECISION_ID_TAKEN', `a decision with the id "${state.id}" already exists`, { id: state.id }),
          );
        }
      },
    },
  );

  if (creation) await record(creation);

  // A counter that moves whenever any procedure changes: the decision's, or a change's.
  const progress = () => totalRevision(state);
  while (!TERMINAL_STATUSES.includes(state.status)) {
    for (const { procedure, deadline } of unresolvedAcross(state)) {
      if (!deadline.duration || !('workingDays' in deadline.duration)) continue;
      const at = await activities().resolveWorkingDays({
        from: deadline.from,
        workingDays: deadline.duration.workingDays,
      });
      await record(resolveAcross(procedure, deadline, at, Date.now()));
    }
    for (let work = firstDue(state, Date.now()); work; work = firstDue(state, Date.now())) {
      let frozen: { count: number; digest: string } | undefined;
      if (work.window) {
        await tail; // the window's row must be in the read model before it is frozen
        frozen = await activities().freezePublicInput({ windowId: work.window.id });
      }
      for (const ev of fireDue(state, work, Date.now(), frozen)) await record(ev);
    }
    if (TERMINAL_STATUSES.includes(state.status)) break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await tail;
      return continueAsNew<typeof decisionWorkflow>({ resume: state });
    }
    const seen = progress();
    const changed = () => progress() !== seen;
    const next = nextDeadlineAcross(state);
    if (next === null) await condition(changed);
    else await condition(changed, Math.max(1, next - Date.now()));
  }

  await condition(allHandlersFinished);
  await tail;
  return { decisionId: state.id, status: state.status };
}
