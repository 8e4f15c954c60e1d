import { resolvePlainDuration, type Duration } from '../duration';
import { STAGE_LEGAL_BASIS, type Role, type StageKey } from '../stages';
import type {
  ActorRecord,
  Deadline,
  DeadlineKind,
  DecisionState,
  ProcedureEvent,
  PublicWindow,
  StageRecord,
  StageState,
} from './state';

// Small operations on the state shared by the stage handlers. Pure and synchronous.

export function stageOf(state: DecisionState, key: StageKey): StageState {
  const s = state.stages.find((x) => x.key === key);
  if (!s) throw new Error(`template has no stage ${key}`);
  return s;
}

export function stageOrder(state: DecisionState): StageKey[] {
  return state.stages.map((s) => s.key);
}

/** Recomputes which stage is active: the first, in template order, neither passed nor inapplicable. */
export function refreshStages(state: DecisionState): void {
  let current: StageKey | null = null;
  for (const s of state.stages) {
    if (s.status === 'passed' || s.status === 'not-applicable') continue;
    if (current === null) {
      current = s.key;
      s.status = 'active';
    } else {
      s.status = 'pending';
    }
  }
  state.currentStage = current;
}

/** Builds the event an action or timer produces; handlers add its effects and records. */
export class EventBuilder {
  readonly event: ProcedureEvent;
  constructor(state: DecisionState, init: Pick<ProcedureEvent, 'id' | 'type' | 'at' | 'actor' | 'stage' | 'payload'>) {
    this.event = {
      ...init,
      ...(state.procedureId ? { procedureId: state.procedureId } : {}),
      revision: state.revision,
      draftVersion: state.draft.version,
      draftHash: state.draft.hash,
      legalBasis: init.stage ? STAGE_LEGAL_BASIS[init.stage] : null,
      effects: [],
      records: [],
      windows: [],
      notifications: [],
    };
  }
  effect(text: string): this {
    this.event.effects.push(text);
    return this;
  }
  notify(recipientRole: Role, kind: string, message: string, recipientId?: string): this {
    this.event.notifications.push({ recipientRole, kind, message, ...(recipientId ? { recipientId } : {}) });
    return this;
  }
  window(w: PublicWindow): this {
    this.event.windows.push({ ...w });
    return this;
  }
}

export function addRecord(
  state: DecisionState,
  ev: EventBuilder,
  stage: StageKey,
  kind: string,
  actor: ActorRecord | null,
  content: Record<string, unknown>,
): StageRecord {
  const record: StageRecord = {
    id: `${ev.event.id}:${ev.event.records.length}:${kind}`,
    ...(state.procedureId ? { procedureId: state.procedureId } : {}),
    stage,
    round: stageOf(state, stage).round,
    kind,
    at: ev.event.at,
    actor,
    draftVersion: state.draft.version,
    draftHash: state.draft.hash,
    content,
  };
  state.records.push(record);
  ev.event.records.push(record);
  return record;
}

export function recordsOf(state: DecisionState, stage: StageKey, kind?: string): StageRecord[] {
  const round = stageOf(state, stage).round;
  return state.records.filter((r) => r.stage === stage && r.round === round && (!kind || r.kind === kind));
}

export function passStage(state: DecisionState, key: StageKey, ev: EventBuilder): void {
  const s = stageOf(state, key);
  s.status = 'passed';
  s.passed = { at: ev.event.at, draftVersion: state.draft.version, draftHash: state.draft.hash, eventId: ev.event.id };
  addRecord(state, ev, key, 'stage-passed', null, { draftVersion: state.draft.version });
  ev.effect(`stage ${key} passed on draft v${state.draft.version}`);
  refreshStages(state);
  if (state.currentStage) ev.effect(`stage ${state.currentStage} is now active`);
}

export function addDeadline(
  state: DecisionState,
  id: string,
  kind: DeadlineKind,
  from: number,
  duration: Duration,
  extra: Partial<Deadline> = {},
): Deadline {
  const d: Deadline = {
    id,
    kind,
    from,
    duration,
    at: resolvePlainDuration(from, duration, state.template.utcOffsetMinutes),
    ...extra,
  };
  state.deadlines = state.deadlines.filter((x) => x.id !== id);
  state.deadlines.push(d);
  return d;
}

export function deadlineById(state: DecisionState, id: string | null | undefined): Deadline | undefined {
  return id ? state.deadlines.find((d) => d.id === id) : undefined;
}

export function cancelDeadline(state: DecisionState, id: string | null | undefined): void {
  const d = deadlineById(state, id);
  if (d && d.firedAt === undefined) d.cancelled = true;
}

/** The current round's window of a kind, if opened. */
export function windowOf(state: DecisionState, kind: 'comment' | 'survey'): PublicWindow | undefined {
  const round = stageOf(state, 'public-participation').round;
  return state.windows.find((w) => w.kind === kind && w.round === round);
}

export function openAssignments(state: DecisionState, stage: StageKey) {
  const round = stageOf(state, stage).round;
  return state.assignments.filter((a) => a.stage === stage && a.round === round && a.status !== 'withdrawn');
}

/** Prefix for ids a change procedure must not share with the decision's own (windows, timer events). */
export function procedurePrefix(state: DecisionState): string {
  return state.procedureId && state.procedureId !== 'main' ? `${state.procedureId}:` : '';
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
