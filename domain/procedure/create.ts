import { z } from 'zod';
import { stageApplies, type ProcedureTemplate } from '../template';
import { FLAGS, FLAG_RULES, STAGE_LEGAL_BASIS, type Flag, type Flags, type StageKey } from '../stages';
import { Refusal } from '../refusals';
import { actorRecord } from './gates';
import { EventBuilder, addRecord, refreshStages } from './model';
import type { Actor, ActorRecord, DecisionState, ProcedureEvent } from './state';

// Starting a decision: the flags decide which stages apply, and every inapplicable stage is
// recorded with the rule that made it so and the official who determined it (DOMAIN §2).

export const decisionIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,79}$/, 'lowercase letters, digits and dashes, 3–80 characters');

export const flagsSchema = z
  .object(
    Object.fromEntries(FLAGS.map((f) => [f, z.boolean().default(false)])) as Record<Flag, z.ZodDefault<z.ZodBoolean>>,
  )
  .strict();

export interface CreateDecisionInput {
  id: string;
  title: string;
  summary: string;
  organId: string;
  template: ProcedureTemplate;
  flags: Flags;
  nonDisclosableReason: string | null;
  draftHash: string;
  actor: Actor;
  creationKey: string;
}

const FLAG_OF: Partial<Record<StageKey, Flag>> = {
  'public-participation': 'nonDisclosable',
  'expert-demonstration': 'specialised',
  'risk-assessment': 'riskRelevant',
  'fairness-review': 'marketRelated',
};

export function creatorRecord(actor: Actor): ActorRecord {
  if (!actor.roles.includes('drafting-official')) {
    throw new Refusal('ROLE_REQUIRED', 'only a drafting official of the undertaking unit starts a decision', {
      requiredRoles: ['drafting-official'],
    });
  }
  return actorRecord(actor, 'drafting-official', actor.organId);
}

/** Checks what the workflow cannot refuse later: the creator, and a reason for non-disclosure. */
export function checkCreation(input: CreateDecisionInput): ActorRecord {
  const by = creatorRecord(input.actor);
  if (input.flags.nonDisclosable && !input.nonDisclosableReason) {
    throw new Refusal('INVALID_INPUT', 'a non-disclosable matter needs the recorded reason (Decree 713 Art 14)', {
      issues: [{ path: 'nonDisclosableReason', message: 'required when flags.nonDisclosable is true' }],
    });
  }
  return by;
}

/** How a change procedure differs from a decision's own: its id, its proposer, the stages it re-runs. */
export interface ProcedureOptions {
  procedureId: string;
  by: ActorRecord;
  runs: StageKey[];
  rule: string;
}

export function createDecision(
  input: CreateDecisionInput,
  now: number,
  eventId: string,
  change?: ProcedureOptions,
): { state: DecisionState; event: ProcedureEvent } {
  const by = change ? change.by : checkCreation(input);
  const state: DecisionState = {
    id: input.id,
    ...(change ? { procedureId: change.procedureId } : {}),
    title: input.title,
    summary: input.summary,
    organId: input.organId,
    createdAt: now,
    createdBy: by,
    creationKey: input.creationKey,
    template: input.template,
    flags: input.flags,
    nonDisclosableReason: input.nonDisclosableReason,
    status: 'in-procedure',
    revision: 1,
    draft: { version: 1, hash: input.draftHash },
    drafts: [{ version: 1, hash: input.draftHash, at: now, by }],
    stages: input.template.stages.map((s) => ({ key: s.key, status: 'pending', round: 1 })),
    currentStage: null,
    returned: null,
    windows: [],
    assignments: [],
    deadlines: [],
    records: [],
    invalidatedRecords: [],
    withdrawn: null,
    publishedAt: null,
    inForceAt: null,
    adoptedDraft: null,
  };
  const ev = new EventBuilder(state, {
    id: eventId,
    type: 'decision-started',
    at: now,
    actor: by,
    stage: null,
    payload: {
      title: input.title,
      templateId: input.template.id,
      templateVersion: input.template.version,
      flags: input.flags,
    },
  });
  ev.effect(`draft v1 ${input.draftHash}`);
  for (const s of state.stages) {
    const rerun = !change || change.runs.includes(s.key);
    if (rerun && stageApplies(input.template, s.key, input.flags)) continue;
    const flag = FLAG_OF[s.key];
    const rule = !rerun
      ? change!.rule
      : flag
        ? `${FLAG_RULES[flag]}; flag "${flag}" is ${input.flags[flag]}` +
          (flag === 'nonDisclosable' && input.nonDisclosableReason ? `; reason: ${input.nonDisclosableReason}` : '')
        : 'template';
    s.status = 'not-applicable';
    s.notApplicable = { rule, legalBasis: STAGE_LEGAL_BASIS[s.key], determinedBy: by, at: now };
    addRecord(state, ev, s.key, 'not-applicable', by, { rule, legalBasis: STAGE_LEGAL_BASIS[s.key] });
    ev.effect(`stage ${s.key} not applicable: ${rule}`);
  }
  refreshStages(state);
  ev.effect(`stage ${state.currentStage} is now active`);
  return { state, event: ev.event };
}
