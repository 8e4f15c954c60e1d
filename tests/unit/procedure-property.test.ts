import fc from 'fast-check';
import { ACTION_NAMES, type ActionName } from '../../domain/actions';
import { publicationViolations, type DecisionState, type StageRecord } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { FLAGS, STAGE_KEYS, type Flags, type StageKey } from '../../domain/stages';
import { parseTemplate, stageApplies, type ProcedureTemplate } from '../../domain/template';
import { DEMO_USERS } from '../../prisma/demo';
import testFastJson from '../fixtures/templates/test-fast.json';
import { Driver, demo, withTemplate } from '../support/domain-driver';

// Property-based tests of DOMAIN §3 invariants 1–3 on the pure procedure engine. Random flag sets
// and random sequences of steps (actions by any demo user with perturbed example bodies, draft
// revisions, clock advances) are played through the test Driver; refusals are expected and
// skipped, and the invariants are checked after every step. A "guided" step plays the action the
// current stage needs, by the right user, so that a good share of runs reaches publication: the
// share is counted and asserted, so the properties cannot hold vacuously.

const SEC = 1000;
const PUBLISHED = new Set<DecisionState['status']>(['published', 'in-force']);

// ---------------------------------------------------------------------------------------------
// Templates: the demo one (periods of seconds) and variants within the statutory invariants.

const demoStages = demo().stages;
const stagesInOrder = (order: StageKey[]) => order.map((k) => demoStages.find((s) => s.key === k)!);

const TEMPLATES: Array<[string, ProcedureTemplate]> = [
  ['demo', demo()],
  ['test-fast', parseTemplate(testFastJson)],
  // Every stage before publication is bound to the draft: a revision re-runs them all.
  ['invalidate-all', withTemplate({ revisionInvalidates: STAGE_KEYS.filter((k) => k !== 'publicity-and-hearing') })],
  // Legality review early, fairness before it; experts and risk after it (all before discussion).
  [
    'reordered',
    withTemplate({
      stages: stagesInOrder([
        'public-participation',
        'fairness-review',
        'legality-review',
        'risk-assessment',
        'expert-demonstration',
        'collective-discussion',
        'publicity-and-hearing',
      ]),
      revisionInvalidates: ['legality-review', 'fairness-review', 'expert-demonstration'],
    }),
  ],
  // Three experts needed; public participation even for non-disclosable matters.
  [
    'strict',
    withTemplate({
      minExperts: 3,
      stages: demoStages.map((s) => (s.key === 'public-participation' ? { ...s, appliesWhen: 'always' as const } : s)),
    }),
  ],
];

// ---------------------------------------------------------------------------------------------
// Steps.

type Step =
  /** The action the current stage needs, by the right user; `roll` (0–99) picks its outcome. */
  | { kind: 'guided'; roll: number }
  /** Any action by any demo user, with the example body perturbed. */
  | { kind: 'act'; user: number; action: number; dv: -1 | 0 | 1; pick: number; extra: boolean }
  | { kind: 'revise'; hash: string }
  | { kind: 'advance'; seconds: number };

const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => 'sha256:' + Buffer.from(b).toString('hex'));

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('guided' as const), roll: fc.integer({ min: 0, max: 99 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      user: fc.nat({ max: DEMO_USERS.length - 1 }),
      action: fc.nat({ max: ACTION_NAMES.length - 1 }),
      dv: fc.constantFrom(-1 as const, 0 as const, 1 as const),
      pick: fc.nat({ max: 11 }),
      extra: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revise' as const), hash: hashArb }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 0, max: 40 }) }),
  },
);

const flagsArb: fc.Arbitrary<Flags> = fc.record(
  Object.fromEntries(FLAGS.map((f) => [f, fc.boolean()])) as Record<keyof Flags, fc.Arbitrary<boolean>>,
);

interface Scenario {
  /** Index into TEMPLATES. */
  template: number;
  flags: Flags;
  steps: Step[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  template: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: TEMPLATES.length - 1 }) },
  ),
  flags: flagsArb,
  steps: fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }),
});

// ---------------------------------------------------------------------------------------------
// Turning a step into a move on the current state.

type Move = { actor: string; action: ActionName; overrides: Record<string, unknown> } | { advanceMs: number };

const nameOf = (id: string) => DEMO_USERS.find((u) => u.id === id)!.name;
const stageState = (s: DecisionState, k: StageKey) => s.stages.find((x) => x.key === k)!;
const roundRecords = (s: DecisionState, k: StageKey, kind: string): StageRecord[] =>
  s.records.filter((r) => r.stage === k && r.round === stageState(s, k).round && r.kind === kind);
const roundAssignments = (s: DecisionState, k: StageKey) =>
  s.assignments.filter((a) => a.stage === k && a.round === stageState(s, k).round && a.status !== 'withdrawn');
const roundWindow = (s: DecisionState, kind: 'comment' | 'survey') =>
  s.windows.find((w) => w.kind === kind && w.round === stageState(s, 'public-participation').round);

const ASSIGNEES: Record<
  'expert-demonstration' | 'risk-assessment' | 'fairness-review',
  Array<Record<string, unknown>>
> = {
  'expert-demonstration': [
    { userId: 'expert-li', dissentingView: true },
    { userId: 'expert-zhao' },
    { userId: 'expert-sun' },
  ],
  'risk-assessment': [{ userId: 'assessor-qian' }],
  'fairness-review': [{ userId: 'fairness-zhou' }],
};
const assign = (stage: keyof typeof ASSIGNEES): Move => ({
  actor: 'official-zhang',
  action: 'assign',
  overrides: { stage, assignees: ASSIGNEES[stage] },
});
const official = (action: ActionName, overrides: Record<string, unknown> = {}): Move => ({
  actor: 'official-zhang',
  action,
  overrides,
});

const LEGAL_RISK = { legalRiskStatement: 'No higher-level rule yet; a two-year pilot.' };
const FAIRNESS_EXCEPTION = {
  exception: {
    purpose: 'Safety of night buses',
    noLessRestrictiveAlternative: 'No other operator serves the routes.',
    timeLimit: '2028-12-31',
  },
};

/** A revision whose hash is unique within the run (revisions strictly increase). */
const guidedHash = (s: DecisionState) => 'sha256:' + s.revision.toString(16).padStart(64, 'e');

/** The move the current stage needs; `roll` (0–99) occasionally picks a refusing or returning outcome. */
function guidedMove(d: Driver, roll: number): Move {
  const s = d.state;
  if (s.status === 'returned-for-revision' || roll === 99) return official('revise-draft', { hash: guidedHash(s) });
  const now = d.now;
  switch (s.currentStage) {
    case 'public-participation': {
      const comment = roundWindow(s, 'comment');
      if (!comment)
        return official(
          'predisclose',
          roll < 10 ? { commentWindow: { seconds: 5 }, urgencyReason: 'Flood season' } : {},
        );
      if (s.flags.livelihood && !roundWindow(s, 'survey')) return official('open-survey');
      const open = [comment, roundWindow(s, 'survey')].find((w) => w && !w.frozen);
      if (open)
        return open.urgencyReason && !open.closedEarly && roll < 50
          ? official('close-window-early', { window: open.kind })
          : { advanceMs: 31 * SEC };
      return official('publish-feedback');
    }
    case 'expert-demonstration': {
      const mine = roundAssignments(s, 'expert-demonstration').find((a) => a.status === 'open');
      if (!mine) return assign('expert-demonstration');
      const conclusion = (['supports', 'supports-with-changes', 'opposes'] as const)[roll % 3];
      return {
        actor: mine.userId,
        action: 'file-expert-opinion',
        overrides: {
          conclusion,
          signature: { signedBy: nameOf(mine.userId), signedAt: new Date(now).toISOString(), method: 'seal' },
        },
      };
    }
    case 'risk-assessment': {
      const mine = roundAssignments(s, 'risk-assessment').find((a) => a.status === 'open');
      if (!mine) return assign('risk-assessment');
      return {
        actor: mine.userId,
        action: 'file-risk-report',
        overrides: { rating: roll < 8 ? 'uncontrollable' : 'controllable' },
      };
    }
    case 'legality-review': {
      if (!roundRecords(s, 'legality-review', 'legality-submission').length)
        return official('submit-for-legality-review');
      const min = s.deadlines.find((x) => x.id === `legality-minimum:${stageState(s, 'legality-review').round}`);
      if (!min || min.at === null || now < min.at) return { advanceMs: 11 * SEC };
      const outcome = roll < 5 ? 'unlawful' : roll < 10 ? 'return' : roll < 25 ? 'exploratory-reform' : 'pass';
      return {
        actor: 'reviewer-wang',
        action: 'file-legality-review',
        overrides: { outcome, ...(outcome === 'exploratory-reform' ? LEGAL_RISK : {}) },
      };
    }
    case 'fairness-review': {
      const mine = roundAssignments(s, 'fairness-review').find((a) => a.status === 'open');
      if (!mine) return assign('fairness-review');
      const conclusion = roll < 8 ? 'fail' : roll < 20 ? 'exception' : 'pass';
      return {
        actor: mine.userId,
        action: 'file-fairness-review',
        overrides: { conclusion, ...(conclusion === 'exception' ? FAIRNESS_EXCEPTION : {}) },
      };
    }
    case 'collective-discussion': {
      if (!roundRecords(s, 'collective-discussion', 'discussion-package').length)
        return official('submit-for-discussion');
      if (!roundRecords(s, 'collective-discussion', 'minutes').length)
        return { actor: 'secretary-he', action: 'record-minutes', overrides: {} };
      return {
        actor: 'head-gao',
        action: 'decide',
        overrides: roll < 3 ? { decision: 'reject', reason: 'Not this year.' } : {},
      };
    }
    case 'publicity-and-hearing': {
      if (s.status === 'adopted') return official('announce');
      const notice = roundRecords(s, 'publicity-and-hearing', 'hearing-notice')[0];
      if (s.flags.hearingRequired && !notice) {
        return official('schedule-hearing', {
          heldAt: new Date(now + 6 * SEC).toISOString(),
          materialsSentAt: new Date(now).toISOString(),
        });
      }
      if (!roundRecords(s, 'publicity-and-hearing', 'party-committee-report').length)
        return { actor: 'head-gao', action: 'report-to-party-committee', overrides: {} };
      const objection = s.deadlines.find((x) => x.kind === 'objection-window');
      if (!objection || objection.at === null || now < objection.at) return { advanceMs: 11 * SEC };
      if (s.flags.hearingRequired && !roundRecords(s, 'publicity-and-hearing', 'hearing-record').length) {
        if (now < Date.parse(notice.content.heldAt as string)) return { advanceMs: 7 * SEC };
        return official('record-hearing');
      }
      return official('publish', roll < 30 ? { effectiveAt: new Date(now + 5 * SEC).toISOString() } : {});
    }
    default:
      return { advanceMs: SEC };
  }
}

const ENUMS: Record<string, readonly string[]> = {
  outcome: ['pass', 'exploratory-reform', 'return', 'unlawful'],
  rating: ['controllable', 'uncontrollable'],
  decision: ['adopt', 'reject'],
};
const CONCLUSIONS: Partial<Record<ActionName, readonly string[]>> = {
  'file-expert-opinion': ['supports', 'supports-with-changes', 'opposes'],
  'file-fairness-review': ['pass', 'exception', 'fail'],
};
const ASSIGNABLE = ['expert-demonstration', 'risk-assessment', 'fairness-review'] as const;

/** Any action by any user, with the example body perturbed: draft version, enum values, extras. */
function randomMove(d: Driver, step: Extract<Step, { kind: 'act' }>): Move {
  const actor = DEMO_USERS[step.user].id;
  const action = ACTION_NAMES[step.action];
  const base = d.body(action);
  const o: Record<string, unknown> = {};
  if ('draftVersion' in base) o.draftVersion = d.state.draft.version + step.dv;
  for (const [field, values] of Object.entries(ENUMS)) if (field in base) o[field] = values[step.pick % values.length];
  const conclusions = CONCLUSIONS[action];
  if (conclusions) o.conclusion = conclusions[step.pick % conclusions.length];
  if (step.extra) {
    if (o.outcome === 'exploratory-reform') Object.assign(o, LEGAL_RISK);
    if (action === 'file-fairness-review' && o.conclusion === 'exception') Object.assign(o, FAIRNESS_EXCEPTION);
    if (action === 'decide') o.reason = 'The head’s own reasons.';
    if (action === 'file-expert-opinion')
      o.signature = { signedBy: nameOf(actor), signedAt: new Date(d.now).toISOString(), method: 'seal' };
    if (action === 'assign')
      Object.assign(o, { stage: ASSIGNABLE[step.pick % 3], assignees: ASSIGNEES[ASSIGNABLE[step.pick % 3]] });
    if (action === 'schedule-hearing')
      Object.assign(o, {
        heldAt: new Date(d.now + 6 * SEC).toISOString(),
        materialsSentAt: new Date(d.now).toISOString(),
      });
  }
  return { actor, action, overrides: o };
}

function moveFor(d: Driver, step: Step): Move {
  switch (step.kind) {
    case 'guided':
      return guidedMove(d, step.roll);
    case 'act':
      return randomMove(d, step);
    case 'revise':
      return official('revise-draft', { hash: step.hash });
    case 'advance':
      return { advanceMs: step.seconds * SEC };
  }
}

// ---------------------------------------------------------------------------------------------
// The invariants checked after every step.

function fail(msg: string, d: Driver): never {
  throw new Error(
    `${msg}\n  status ${d.state.status}, stages ${d.state.stages.map((s) => `${s.key}:${s.status}`).join(', ')}`,
  );
}

/** DOMAIN §3 invariants 1–3 on the state after a step, given the state before it. */
function checkStep(before: DecisionState, d: Driver): void {
  const s = d.state;
  const t = s.template;
  if (s.revision < before.revision) fail(`revision decreased from ${before.revision} to ${s.revision}`, d);

  // The current stage is the first, in template order, neither passed nor not applicable.
  const open = s.stages.filter((x) => x.status !== 'passed' && x.status !== 'not-applicable');
  if (s.currentStage !== (open[0]?.key ?? null))
    fail(`current stage ${s.currentStage}, expected ${open[0]?.key ?? null}`, d);
  if (open[0] && open[0].status !== 'active') fail(`the current stage ${open[0].key} is ${open[0].status}`, d);
  if (open.slice(1).some((x) => x.status !== 'pending')) fail('a stage after the current one is not pending', d);

  // Inv. 1: a stage becomes passed only when every stage ahead of it has passed (or does not apply).
  s.stages.forEach((x, i) => {
    const was = before.stages.find((b) => b.key === x.key)!;
    if (x.status !== 'passed' || was.status === 'passed') return;
    const ahead = s.stages.slice(0, i).filter((y) => y.status === 'pending' || y.status === 'active');
    if (ahead.length) fail(`stage ${x.key} passed while ${ahead.map((y) => y.key).join(', ')} had not`, d);
  });

  // Not applicable is decided once, at creation, from the flags.
  for (const x of s.stages) {
    if ((x.status === 'not-applicable') === stageApplies(t, x.key, s.flags))
      fail(`stage ${x.key} applicability does not follow the flags`, d);
  }

  // Inv. 3: a stage bound to the draft is passed only on the current draft (a revision re-opens it).
  for (const k of t.revisionInvalidates) {
    const x = stageState(s, k);
    if (x.status === 'passed' && x.passed?.draftHash !== s.draft.hash)
      fail(`stage ${k} stays passed on ${x.passed?.draftHash} after a revision to ${s.draft.hash}`, d);
  }
  // The record is append-only: a revision moves records to invalidatedRecords, never edits or drops
  // them (inv. 5, 6). Keyed by id and stage because the creation records share an id (see below).
  const key = (r: StageRecord) => `${r.id}|${r.stage}`;
  const kept = new Map([...s.records, ...s.invalidatedRecords].map((r) => [key(r), JSON.stringify(r)]));
  for (const r of [...before.records, ...before.invalidatedRecords]) {
    if (kept.get(key(r)) !== JSON.stringify(r)) fail(`record ${r.id} (${r.kind}) was changed or removed`, d);
  }
  // Inv. 4: a window closed early had its urgency reason published when it opened.
  for (const w of s.windows)
    if (w.closedEarly && !w.urgencyReason) fail(`window ${w.id} closed early without an urgency reason`, d);
  // Open work belongs to the current round of a stage that has not passed.
  for (const a of s.assignments) {
    const x = stageState(s, a.stage);
    if (a.status === 'open' && (a.round !== x.round || x.status === 'passed'))
      fail(`assignment ${a.id} is open in round ${x.round} of a ${x.status} stage`, d);
  }
  if (s.status === 'returned-for-revision' && !s.returned) fail('returned for revision without saying where', d);
  if (s.returned && s.status !== 'returned-for-revision' && s.status !== 'withdrawn')
    fail(`status ${s.status} while returned at ${s.returned.stage}`, d);

  if (PUBLISHED.has(s.status)) {
    // Inv. 2 and 3 at publication.
    const adopted = s.adoptedDraft;
    if (!adopted) fail('published without an adopted draft', d);
    const v = publicationViolations(s);
    if (v.length) fail(`published with violations: ${v.join('; ')}`, d);
    for (const x of s.stages)
      if (stageApplies(t, x.key, s.flags) && x.status !== 'passed') fail(`published while ${x.key} is ${x.status}`, d);
    if (stageState(s, 'legality-review').passed?.draftHash !== adopted.hash)
      fail('legality review did not pass on the adopted draft', d);
    if (stageState(s, 'collective-discussion').passed?.draftHash !== adopted.hash)
      fail('collective discussion did not pass on the adopted draft', d);
    for (const k of t.revisionInvalidates) {
      const x = stageState(s, k);
      if (x.status === 'passed' && x.passed?.draftHash !== adopted.hash)
        fail(`stage ${k} passed on ${x.passed?.draftHash}, not the adopted ${adopted.hash}`, d);
    }
    if (s.draft.hash !== adopted.hash) fail('the draft changed after adoption', d);
    for (const kind of ['discussion-package', 'minutes', 'decision']) {
      for (const r of roundRecords(s, 'collective-discussion', kind))
        if (r.draftHash !== adopted.hash)
          fail(`the ${kind} examined ${r.draftHash}, not the adopted ${adopted.hash}`, d);
    }
  }
  if (PUBLISHED.has(before.status) && !PUBLISHED.has(s.status))
    fail(`a published decision went back to ${s.status}`, d);
}

/** Second property: publication needs a passing legality review record on the adopted draft. */
function checkLegalityRecord(d: Driver): void {
  const s = d.state;
  if (!PUBLISHED.has(s.status)) return;
  const hash = s.adoptedDraft?.hash;
  const ok = s.records.some(
    (r) =>
      r.stage === 'legality-review' &&
      r.kind === 'legality-review' &&
      r.round === stageState(s, 'legality-review').round &&
      (r.content.outcome === 'pass' || r.content.outcome === 'exploratory-reform') &&
      r.draftHash === hash,
  );
  if (!ok) fail(`published without a passing legality review record on the adopted draft ${hash}`, d);
  const event = d.events.find(
    (e) =>
      e.type === 'file-legality-review' &&
      e.draftHash === hash &&
      ['pass', 'exploratory-reform'].includes(e.payload.outcome as string),
  );
  if (!event) fail('no accepted legality review event on the adopted draft', d);
}

interface RunStats {
  runs: number;
  published: number;
  inForce: number;
  accepted: number;
  refused: number;
  revisions: number;
  /** Runs that reached publication, by template. */
  publishedBy: number[];
}
const newStats = (): RunStats => ({
  runs: 0,
  published: 0,
  inForce: 0,
  accepted: 0,
  refused: 0,
  revisions: 0,
  publishedBy: TEMPLATES.map(() => 0),
});

/** Plays a scenario, checking after every step; returns the final driver. */
function play(sc: Scenario, stats: RunStats, after: (before: DecisionState, d: Driver) => void): Driver {
  const d = new Driver(TEMPLATES[sc.template][1], sc.flags);
  let reached = false;
  for (const step of sc.steps) {
    const snapshot = JSON.stringify(d.state);
    const before = JSON.parse(snapshot) as DecisionState;
    const eventsBefore = d.events.length;
    const move = moveFor(d, step);
    if ('advanceMs' in move) {
      d.advance(move.advanceMs);
    } else {
      try {
        d.act(move.actor, move.action, move.overrides);
        stats.accepted += 1;
        if (move.action === 'revise-draft') stats.revisions += 1;
        if (d.state.revision <= before.revision) fail(`accepted ${move.action} did not advance the revision`, d);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        stats.refused += 1;
        // A refusal never mutates: the state is exactly what it was, and no event was recorded.
        if (JSON.stringify(d.state) !== snapshot)
          expect({ refused: move.action, code: e.code, state: d.state }).toEqual({
            refused: move.action,
            code: e.code,
            state: before,
          });
        if (d.events.length !== eventsBefore) fail(`refused ${move.action} (${e.code}) recorded an event`, d);
      }
    }
    after(before, d);
    reached ||= PUBLISHED.has(d.state.status);
  }
  stats.runs += 1;
  if (reached) stats.published += 1;
  if (reached) stats.publishedBy[sc.template] += 1;
  if (d.state.status === 'in-force') stats.inForce += 1;
  return d;
}

const NUM_RUNS = 500;

describe('the procedure engine under random sequences (DOMAIN §3 inv. 1–3)', () => {
  it('holds the order, draft-binding and publication invariants after every step, and refusals never mutate', () => {
    const stats = newStats();
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        play(sc, stats, checkStep);
      }),
      { numRuns: NUM_RUNS },
    );
    // Publication is reached in a good share of runs (measured: 158–195 of 500 runs, 32–39 %, in
    // five runs; 1926 of 5000 in a long run), with every template, so the publication invariants
    // are really exercised; refusals and revisions happen too (about 38 % of the actions tried are
    // refused, and about 1.3 revisions are accepted per run).
    expect(stats.runs).toBe(NUM_RUNS);
    expect(stats.published).toBeGreaterThan(NUM_RUNS * 0.25);
    for (const n of stats.publishedBy) expect(n).toBeGreaterThan(0);
    expect(stats.inForce).toBeGreaterThan(NUM_RUNS * 0.1);
    expect(stats.refused).toBeGreaterThan(stats.runs);
    expect(stats.revisions).toBeGreaterThan(stats.runs / 2);
  });

  it('never publishes without a passing legality review record on the adopted draft hash', () => {
    const stats = newStats();
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        play(sc, stats, (_before, d) => checkLegalityRecord(d));
      }),
      { numRuns: NUM_RUNS },
    );
    expect(stats.published).toBeGreaterThan(NUM_RUNS * 0.25);
  });

  it.each(TEMPLATES.map(([name], i) => [name, i] as const))('reaches publication with the %s template', (_name, i) => {
    const stats = newStats();
    fc.assert(
      fc.property(
        flagsArb,
        fc.array(fc.integer({ min: 25, max: 98 }), { minLength: 60, maxLength: 60 }),
        (flags, rolls) => {
          play({ template: i, flags, steps: rolls.map((roll) => ({ kind: 'guided', roll })) }, stats, (before, d) => {
            checkStep(before, d);
            checkLegalityRecord(d);
          });
        },
      ),
      { numRuns: 40 },
    );
    // With only passing outcomes and 60 guided steps every run gets to publication.
    expect(stats.published).toBe(stats.runs);
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: defects these properties found, kept as ordinary tests.

describe('regressions found by the properties', () => {
  /** Minutes recorded on draft v1, then v1 revised to v2, which passes legality review again. */
  function discussedThenRevised(): Driver {
    const d = new Driver(demo(), { nonDisclosable: true });
    d.act('official-zhang', 'submit-for-legality-review');
    d.advance(11 * SEC);
    d.act('reviewer-wang', 'file-legality-review');
    d.act('official-zhang', 'submit-for-discussion');
    d.act('secretary-he', 'record-minutes');
    d.act('official-zhang', 'revise-draft', { hash: 'sha256:' + 'cd'.repeat(32) });
    d.act('official-zhang', 'submit-for-legality-review');
    d.advance(11 * SEC);
    d.act('reviewer-wang', 'file-legality-review');
    return d;
  }

  it('(setup) a draft revised after its discussion was minuted is back at collective discussion on v2', () => {
    const d = discussedThenRevised();
    expect(d.state.currentStage).toBe('collective-discussion');
    expect(d.state.draft.version).toBe(2);
    expect(stageState(d.state, 'legality-review').passed?.draftVersion).toBe(2);
  });

  // A revision used to leave the v1 package and minutes in the discussion round, and `decide`
  // adopted v2 on them. Now the revision re-opens collective discussion (DOMAIN §3 inv. 3).
  it('the head adopts only the draft the decision package and minutes examined (DOMAIN §3 inv. 3)', () => {
    const d = discussedThenRevised();
    expect(() => d.act('head-gao', 'decide')).toThrow(Refusal);
    expect(d.state.adoptedDraft).toBeNull();
    d.act('official-zhang', 'submit-for-discussion');
    d.act('secretary-he', 'record-minutes');
    d.act('head-gao', 'decide');
    const adopted = d.state.adoptedDraft!;
    expect(adopted.version).toBe(2);
    const discussed = roundRecords(d.state, 'collective-discussion', 'discussion-package').concat(
      roundRecords(d.state, 'collective-discussion', 'minutes'),
    );
    expect(discussed).toHaveLength(2);
    for (const r of discussed) expect(`${r.kind} on ${r.draftHash}`).toBe(`${r.kind} on ${adopted.hash}`);
  });

  it('(setup) a decision without flags records three stages as not applicable at creation', () => {
    const d = new Driver();
    expect(d.events[0].records.filter((r) => r.kind === 'not-applicable').map((r) => r.stage)).toEqual([
      'expert-demonstration',
      'risk-assessment',
      'fairness-review',
    ]);
  });

  // Records of one event used to share the id `${eventId}:${kind}`, and the read model, which
  // stores them with skipDuplicates, kept only the first not-applicable record (DOMAIN §2).
  it('gives every stage record of an event its own id', () => {
    const d = new Driver();
    const ids = d.events[0].records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
