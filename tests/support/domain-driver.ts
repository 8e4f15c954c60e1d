import { exampleBodies } from '../../domain/examples';
import type { ActionName } from '../../domain/actions';
import {
  checkCommand,
  createDecision,
  fireDue,
  firstDue,
  performCommand,
  resolveAcross,
  unresolvedAcross,
  type Actor,
  type DecisionState,
  type ProcedureEvent,
} from '../../domain/procedure';
import { parseTemplate, type ProcedureTemplate, type TemplateInput } from '../../domain/template';
import { FLAGS, type Flags } from '../../domain/stages';
import { DEMO_USERS, demoActor, demoUser } from '../../prisma/demo';
import demoTemplate from '../../templates/demo.json';
import statutoryTemplate from '../../templates/statutory-default.json';

// Drives the pure procedure with a controlled clock, the way the workflow does, for unit and
// property tests. Assignee roles and disposition summaries are filled in as the API would.

export const demo = (): ProcedureTemplate => parseTemplate(demoTemplate);
export const statutory = (): ProcedureTemplate => parseTemplate(statutoryTemplate);
export const withTemplate = (patch: Partial<TemplateInput>): ProcedureTemplate =>
  parseTemplate({ ...demoTemplate, ...patch });

export const actor = (id: string): Actor => demoActor(id);

export function flags(on: Partial<Flags> = {}): Flags {
  return Object.fromEntries(FLAGS.map((f) => [f, on[f] ?? false])) as Flags;
}

export const T0 = Date.parse('2026-11-27T02:00:00Z');

export class Driver {
  state: DecisionState;
  now: number;
  events: ProcedureEvent[] = [];
  private seq = 0;
  /** Submissions received by each window, keyed by window id; frozen when the window closes. */
  publicInput = new Map<string, number>();

  constructor(template: ProcedureTemplate = demo(), on: Partial<Flags> = {}, now = T0) {
    this.now = now;
    const { state, event } = createDecision(
      {
        id: 'fares-2026',
        title: 'Bus fare reform',
        summary: 'Fares by distance',
        organId: 'harbin-gov',
        template,
        flags: flags(on),
        nonDisclosableReason: on.nonDisclosable ? 'state secret' : null,
        draftHash: 'sha256:' + '11'.repeat(32),
        actor: actor('official-zhang'),
        creationKey: 'k',
      },
      now,
      'create',
    );
    this.state = state;
    this.events.push(event);
  }

  body(
    action: ActionName,
    overrides: Record<string, unknown> = {},
    target: DecisionState = this.state,
  ): Record<string, unknown> {
    const base = exampleBodies({ draftVersion: target.draft.version, now: this.now })[action];
    const b: Record<string, unknown> = { ...base, ...overrides };
    if (action === 'assign') {
      b.assignees = (b.assignees as Array<{ userId: string }>).map((a) => {
        const u = demoUser(a.userId);
        return { ...a, officeId: u.officeId, name: u.name, role: u.roles[0] };
      });
    }
    if (action === 'submit-for-legality-review') {
      const r = b.reviewer as { userId: string };
      const u = DEMO_USERS.find((x) => x.id === r.userId);
      b.reviewer = { ...r, officeId: u?.officeId ?? r.userId, name: u?.name ?? r.userId, role: u?.roles[0] };
    }
    if (action === 'withdraw-assignment' && 'userId' in b) {
      b.officeId = demoUser(b.userId as string).officeId;
      delete b.userId;
    }
    if (action === 'publish-feedback' && !('dispositions' in overrides)) {
      const w = [...target.windows].reverse().find((x) => x.kind === 'comment' && x.frozen);
      b.dispositions = {
        digest: w?.frozen?.digest ?? '',
        total: w?.frozen?.count ?? 0,
        disposed: w?.frozen?.count ?? 0,
      };
    }
    return b;
  }

  /** Checks and applies, like the workflow's validator and handler; throws the Refusal if refused. */
  act(actorId: string, action: ActionName, overrides: Record<string, unknown> = {}, changeId?: string): ProcedureEvent {
    const target = (changeId && this.state.changes?.find((c) => c.id === changeId)?.procedure) || this.state;
    const cmd = {
      action,
      actor: actor(actorId),
      payload: this.body(action, overrides, target),
      ...(changeId ? { changeId } : {}),
    };
    const events = performCommand(this.state, cmd, checkCommand(this.state, cmd, this.now), this.now, `u${++this.seq}`);
    this.events.push(...events);
    this.settle();
    return events[0];
  }

  /** Moves the clock and fires what falls due, as the workflow's timer loop does. */
  advance(ms: number): void {
    this.now += ms;
    this.settle();
  }

  settle(): void {
    for (const { procedure, deadline } of unresolvedAcross(this.state)) {
      // Working days are resolved by an activity in production; here every working day is 1 day.
      const days = deadline.duration && 'workingDays' in deadline.duration ? deadline.duration.workingDays : 0;
      this.events.push(resolveAcross(procedure, deadline, deadline.from + days * 86_400_000, this.now));
    }
    for (let work = firstDue(this.state, this.now); work; work = firstDue(this.state, this.now)) {
      const frozen = work.window
        ? { count: this.publicInput.get(work.window.id) ?? 0, digest: `digest-of-${work.window.id}` }
        : undefined;
      this.events.push(...fireDue(this.state, work, this.now, frozen));
    }
  }
}
