import { z } from 'zod';
import { durationSchema, plainDurationSchema, resolvePlainDuration, type Duration } from './duration';
import { FLAGS, STAGE_KEYS, type Flag, type StageKey } from './stages';

// A procedure template is data: the stages in order, what makes each applicable, the periods, the
// minimum number of experts and what a draft revision invalidates. Every template is checked
// against the invariants of DOMAIN §3 when it is loaded; a template that breaks one is refused.

const appliesWhenSchema = z.union([
  z.literal('always'),
  z.object({ flag: z.enum(FLAGS) }).strict(),
  z.object({ unlessFlag: z.enum(FLAGS) }).strict(),
]);
export type AppliesWhen = z.infer<typeof appliesWhenSchema>;

const stageTemplateSchema = z
  .object({
    key: z.enum(STAGE_KEYS),
    appliesWhen: appliesWhenSchema,
    /** How long an assignee has to act before the assignment escalates. */
    assignmentDeadline: durationSchema.optional(),
  })
  .strict();

export const CHANGE_TYPES = [
  'urgent-suspension',
  'resumption',
  'minor-amendment',
  'major-amendment',
  'termination',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const changeRuleSchema = z
  .object({
    /** The stages this type of change runs again; 'all' is the full procedure. */
    stages: z.union([z.literal('all'), z.array(z.enum(STAGE_KEYS)).min(1)]),
    /** For an urgent suspension: collective discussion must ratify it within this period. */
    ratifyWithin: plainDurationSchema.optional(),
  })
  .strict();

/** DOMAIN §4 [D]: what each kind of change re-runs before anything changes (Decree 713 Art 37). */
export const DEFAULT_CHANGE_CONTROL = {
  'urgent-suspension': { stages: ['collective-discussion'], ratifyWithin: { days: 15 } },
  resumption: { stages: ['collective-discussion'] },
  'minor-amendment': { stages: ['legality-review', 'collective-discussion', 'publicity-and-hearing'] },
  'major-amendment': { stages: 'all' },
  termination: { stages: 'all' },
} satisfies Record<ChangeType, z.input<typeof changeRuleSchema>>;

export const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    version: z.number().int().positive(),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** False marks a template whose periods are not the statutory ones (demos and tests). */
    statutory: z.boolean(),
    /** The organ's local time (China Standard Time, no daylight saving) for day-based periods. */
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
    stages: z.array(stageTemplateSchema).min(1),
    durations: z
      .object({
        commentWindow: plainDurationSchema,
        surveyWindow: plainDurationSchema,
        legalityReview: durationSchema,
        hearingMaterialsLead: plainDurationSchema,
        objectionWindow: plainDurationSchema,
      })
      .strict(),
    minExperts: z.number().int().min(1).max(50),
    /** Attendance must exceed this share of the members for the meeting to be quorate. */
    discussionQuorum: z.number().gt(0).lt(1),
    revisionInvalidates: z.array(z.enum(STAGE_KEYS)),
    /** Whether a commenter must confirm a code sent to an e-mail address or phone before commenting. */
    publicVerification: z.enum(['none', 'email', 'phone']).default('none'),
    changeControl: z
      .object(
        Object.fromEntries(CHANGE_TYPES.map((t) => [t, changeRuleSchema])) as Record<
          ChangeType,
          typeof changeRuleSchema
        >,
      )
      .strict()
      .default(DEFAULT_CHANGE_CONTROL as never),
  })
  .strict();

export type ProcedureTemplate = z.infer<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;

/** The only flag each flag-dependent stage may depend on. */
const STAGE_FLAG: Partial<Record<StageKey, { flag?: Flag; unlessFlag?: Flag }>> = {
  'public-participation': { unlessFlag: 'nonDisclosable' },
  'expert-demonstration': { flag: 'specialised' },
  'risk-assessment': { flag: 'riskRelevant' },
  'fairness-review': { flag: 'marketRelated' },
};

const ALWAYS_APPLY: StageKey[] = ['legality-review', 'collective-discussion', 'publicity-and-hearing'];
const DECISION_PACKAGE: StageKey[] = [
  'public-participation',
  'expert-demonstration',
  'risk-assessment',
  'legality-review',
  'fairness-review',
];

/** True when a plain duration is counted in calendar days and lasts at least `days`. */
function atLeastDays(d: Duration, days: number): boolean {
  return 'days' in d && d.days >= days;
}

/** Returns every broken invariant, each naming its rule; an empty list means the template is sound. */
export function templateViolations(t: ProcedureTemplate): string[] {
  const v: string[] = [];
  const order = t.stages.map((s) => s.key);
  for (const key of STAGE_KEYS) {
    const n = order.filter((k) => k === key).length;
    if (n !== 1) v.push(`DOMAIN §2: stage "${key}" must appear exactly once (found ${n})`);
  }
  const pos = (k: StageKey) => order.indexOf(k);
  if (pos('legality-review') > pos('collective-discussion')) {
    v.push('DOMAIN §3 inv. 2 / Decree 713 Art 25: legality review must come before collective discussion');
  }
  if (pos('collective-discussion') > pos('publicity-and-hearing')) {
    v.push('DOMAIN §3 inv. 2 / Decree 713 Art 32: collective discussion must come before publication');
  }
  for (const k of DECISION_PACKAGE) {
    if (pos(k) > pos('collective-discussion')) {
      v.push(
        `Decree 713 Art 29: stage "${k}" belongs to the decision package and must come before collective discussion`,
      );
    }
  }
  if (order[order.length - 1] !== 'publicity-and-hearing') {
    v.push('DOMAIN §3 inv. 2: publicity and hearing (publication, then entry into force) must be the last stage');
  }
  for (const s of t.stages) {
    if (s.appliesWhen === 'always') continue;
    if (ALWAYS_APPLY.includes(s.key)) {
      v.push(`DOMAIN §2: stage "${s.key}" always applies and cannot depend on a flag`);
      continue;
    }
    const allowed = STAGE_FLAG[s.key];
    const ok =
      ('flag' in s.appliesWhen && allowed?.flag === s.appliesWhen.flag) ||
      ('unlessFlag' in s.appliesWhen && allowed?.unlessFlag === s.appliesWhen.unlessFlag);
    if (!ok)
      v.push(`DOMAIN §2: stage "${s.key}" may depend only on its own statutory flag (${JSON.stringify(allowed)})`);
  }
  for (const k of ['legality-review', 'fairness-review'] as const) {
    if (!t.revisionInvalidates.includes(k)) {
      v.push(`DOMAIN §3 inv. 3: a draft revision must invalidate "${k}"`);
    }
  }
  v.push(...changeControlViolations(t));
  if (t.statutory) {
    const d = t.durations;
    if (!atLeastDays(d.commentWindow, 30))
      v.push('Decree 713 Art 15 / Decree 722 Art 62: the comment window is at least 30 calendar days');
    if (!atLeastDays(d.surveyWindow, 1)) v.push('statutory template: the survey window is counted in calendar days');
    if (!('workingDays' in d.legalityReview && d.legalityReview.workingDays >= 7)) {
      v.push('Decree 713 Art 27: legality review lasts at least 7 working days');
    }
    if (!atLeastDays(d.hearingMaterialsLead, 7))
      v.push('Decree 713 Art 17: hearing materials reach participants at least 7 days before');
    if (!atLeastDays(d.objectionWindow, 1))
      v.push('statutory template: the objection window is counted in calendar days');
    if (t.minExperts < 3) v.push('City rule [L]: at least 3 experts in a statutory template');
    for (const s of t.stages) {
      if (s.assignmentDeadline && 'seconds' in s.assignmentDeadline) {
        v.push(`statutory template: the assignment deadline of "${s.key}" cannot be in seconds`);
      }
    }
  }
  return v;
}

/** The stages a change of the given type runs, in template order. */
export function changeStages(t: ProcedureTemplate, type: ChangeType): StageKey[] {
  const rule = (t.changeControl ?? DEFAULT_CHANGE_CONTROL)[type];
  const order = t.stages.map((s) => s.key);
  return rule.stages === 'all' ? order : order.filter((k) => (rule.stages as StageKey[]).includes(k));
}

export function changeRule(t: ProcedureTemplate, type: ChangeType) {
  return (t.changeControl ?? DEFAULT_CHANGE_CONTROL)[type];
}

function changeControlViolations(t: ProcedureTemplate): string[] {
  const v: string[] = [];
  for (const type of CHANGE_TYPES) {
    const stages = changeStages(t, type);
    if (!stages.includes('collective-discussion'))
      v.push(`Decree 713 Art 37: a ${type} is decided by collective discussion of the organ`);
  }
  for (const type of ['minor-amendment', 'major-amendment', 'termination'] as const) {
    const stages = changeStages(t, type);
    if (!stages.includes('legality-review')) v.push(`Decree 713 Arts 25, 37: a ${type} passes legality review again`);
    if (!stages.includes('publicity-and-hearing'))
      v.push(`Decree 713 Arts 32, 37: a ${type} is published before it takes effect`);
  }
  if (!changeRule(t, 'urgent-suspension').ratifyWithin)
    v.push('DOMAIN §4: an urgent suspension has a ratification deadline');
  if (t.statutory) {
    for (const type of ['major-amendment', 'termination'] as const) {
      if (changeStages(t, type).length !== t.stages.length)
        v.push(`DOMAIN §4: a ${type} re-runs the full procedure in a statutory template`);
    }
  }
  return v;
}

export class TemplateError extends Error {
  constructor(
    readonly templateId: string,
    readonly violations: string[],
  ) {
    super(`procedure template "${templateId}" refused:\n  - ${violations.join('\n  - ')}`);
    this.name = 'TemplateError';
  }
}

/** Parses and checks a template; throws TemplateError naming every broken rule. */
export function parseTemplate(raw: unknown, source = 'template'): ProcedureTemplate {
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown })?.id;
    throw new TemplateError(
      typeof id === 'string' ? id : source,
      parsed.error.issues.map((i) => `schema: ${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const violations = templateViolations(parsed.data);
  if (violations.length) throw new TemplateError(parsed.data.id, violations);
  return parsed.data;
}

export function stageApplies(t: ProcedureTemplate, key: StageKey, flags: Record<Flag, boolean>): boolean {
  const s = t.stages.find((x) => x.key === key);
  if (!s) return false;
  if (s.appliesWhen === 'always') return true;
  if ('flag' in s.appliesWhen) return flags[s.appliesWhen.flag];
  return !flags[s.appliesWhen.unlessFlag];
}

/** True when `candidate` ends no earlier than the template's period would, from the same instant. */
export function notShorterThan(candidate: Duration, required: Duration, fromMs: number, offset: number): boolean {
  const a = resolvePlainDuration(fromMs, candidate, offset);
  const b = resolvePlainDuration(fromMs, required, offset);
  if (a === null || b === null) return false;
  return a >= b;
}
