import {
  notShorterThan,
  parseTemplate,
  stageApplies,
  templateSchema,
  templateViolations,
  TemplateError,
  type ProcedureTemplate,
} from '../../domain/template';
import { FLAGS, STAGE_KEYS, type Flag, type Flags, type StageKey } from '../../domain/stages';
import demoJson from '../../templates/demo.json';
import statutoryJson from '../../templates/statutory-default.json';
import testFastJson from '../fixtures/templates/test-fast.json';

// Procedure templates are data checked against DOMAIN §2–3 when loaded (domain/template.ts).
// Every refusal must name the rule it enforces, so each case below checks the message, not only
// that something was refused.

type Raw = Record<string, any>;

/** A deep copy of a shipped template, changed by `fn`. */
function patched(base: Raw, fn: (t: Raw) => void = () => {}): Raw {
  const t = structuredClone(base);
  fn(t);
  return t;
}

const statutoryWith = (fn: (t: Raw) => void) => patched(statutoryJson, fn);
const demoWith = (fn: (t: Raw) => void) => patched(demoJson, fn);

/** The violations `parseTemplate` reports; fails the test if the template is accepted. */
function violationsOf(raw: unknown): string[] {
  try {
    parseTemplate(raw, 'under-test.json');
  } catch (e) {
    if (e instanceof TemplateError) return e.violations;
    throw e;
  }
  throw new Error('expected the template to be refused');
}

function stageIndex(t: Raw, key: StageKey): number {
  return (t.stages as Array<{ key: string }>).findIndex((s) => s.key === key);
}

/** Moves stage `key` to position `to` (after removing it). */
function moveStage(t: Raw, key: StageKey, to: number): void {
  const [s] = t.stages.splice(stageIndex(t, key), 1);
  t.stages.splice(to, 0, s);
}

function setAppliesWhen(t: Raw, key: StageKey, appliesWhen: unknown): void {
  t.stages[stageIndex(t, key)].appliesWhen = appliesWhen;
}

const allFlags = (on: Partial<Flags> = {}): Flags => Object.fromEntries(FLAGS.map((f) => [f, on[f] ?? false])) as Flags;

describe('shipped templates load', () => {
  it.each([
    ['templates/statutory-default.json', statutoryJson, true],
    ['templates/demo.json', demoJson, false],
    ['tests/fixtures/templates/test-fast.json', testFastJson, false],
  ] as const)('%s', (_name, raw, statutory) => {
    const t = parseTemplate(raw);
    expect(t.statutory).toBe(statutory);
    expect(templateViolations(t)).toEqual([]);
    expect(t.stages.map((s) => s.key)).toEqual([...STAGE_KEYS]);
    expect(t.revisionInvalidates).toEqual(expect.arrayContaining(['legality-review', 'fairness-review']));
  });

  it('keeps the statutory periods of Decree 713 in the statutory default', () => {
    const t = parseTemplate(statutoryJson);
    expect(t.durations.commentWindow).toEqual({ days: 30 });
    expect(t.durations.legalityReview).toEqual({ workingDays: 7 });
    expect(t.durations.hearingMaterialsLead).toEqual({ days: 7 });
    expect(t.minExperts).toBeGreaterThanOrEqual(3);
  });

  it('fills in the default UTC offset (China Standard Time)', () => {
    const t = parseTemplate(demoWith((x) => delete x.utcOffsetMinutes));
    expect(t.utcOffsetMinutes).toBe(480);
  });

  it('accepts a non-statutory template with periods in seconds', () => {
    const t = parseTemplate(
      demoWith((x) => {
        x.durations.legalityReview = { seconds: 0.5 };
        x.durations.commentWindow = { seconds: 1 };
        x.minExperts = 1;
      }),
    );
    expect(t.statutory).toBe(false);
    expect(t.durations.legalityReview).toEqual({ seconds: 0.5 });
  });

  it('accepts a reordering within the invariants (risk before experts, fairness before legality)', () => {
    const raw = demoWith((t) => {
      moveStage(t, 'fairness-review', stageIndex(t, 'legality-review'));
      moveStage(t, 'risk-assessment', stageIndex(t, 'expert-demonstration'));
    });
    const t = parseTemplate(raw);
    expect(t.stages.map((s) => s.key)).toEqual([
      'public-participation',
      'risk-assessment',
      'expert-demonstration',
      'fairness-review',
      'legality-review',
      'collective-discussion',
      'publicity-and-hearing',
    ]);
  });

  it('accepts a flag-dependent stage made to apply always, and extra invalidated stages', () => {
    const t = parseTemplate(
      demoWith((x) => {
        setAppliesWhen(x, 'fairness-review', 'always');
        x.revisionInvalidates = [...STAGE_KEYS];
      }),
    );
    expect(stageApplies(t, 'fairness-review', allFlags())).toBe(true);
  });
});

describe('DOMAIN §2: every statutory stage exactly once', () => {
  it.each(STAGE_KEYS)('refuses a template without %s', (key) => {
    const v = violationsOf(demoWith((t) => t.stages.splice(stageIndex(t, key), 1)));
    expect(v).toContain(`DOMAIN §2: stage "${key}" must appear exactly once (found 0)`);
  });

  it.each(STAGE_KEYS)('refuses a template with %s twice', (key) => {
    const v = violationsOf(
      demoWith((t) => t.stages.splice(stageIndex(t, key), 0, structuredClone(t.stages[stageIndex(t, key)]))),
    );
    expect(v).toContain(`DOMAIN §2: stage "${key}" must appear exactly once (found 2)`);
  });

  it('refuses a template that repeats a stage in place of another', () => {
    const v = violationsOf(
      demoWith(
        (t) =>
          (t.stages[stageIndex(t, 'risk-assessment')] = {
            key: 'expert-demonstration',
            appliesWhen: { flag: 'specialised' },
          }),
      ),
    );
    expect(v).toEqual(
      expect.arrayContaining([
        'DOMAIN §2: stage "expert-demonstration" must appear exactly once (found 2)',
        'DOMAIN §2: stage "risk-assessment" must appear exactly once (found 0)',
      ]),
    );
  });
});

describe('DOMAIN §3 inv. 2: the order of legality review, discussion and publication', () => {
  it('refuses legality review after collective discussion (Decree 713 Art 25)', () => {
    const v = violationsOf(demoWith((t) => moveStage(t, 'legality-review', stageIndex(t, 'collective-discussion'))));
    expect(v).toContain('DOMAIN §3 inv. 2 / Decree 713 Art 25: legality review must come before collective discussion');
  });

  it('refuses collective discussion after publicity (Decree 713 Art 32)', () => {
    const v = violationsOf(demoWith((t) => moveStage(t, 'collective-discussion', t.stages.length - 1)));
    expect(v).toContain('DOMAIN §3 inv. 2 / Decree 713 Art 32: collective discussion must come before publication');
    expect(v).toContain(
      'DOMAIN §3 inv. 2: publicity and hearing (publication, then entry into force) must be the last stage',
    );
  });

  it.each(['public-participation', 'expert-demonstration', 'risk-assessment', 'fairness-review'] as const)(
    'refuses the decision-package stage %s after collective discussion (Decree 713 Art 29)',
    (key) => {
      const v = violationsOf(demoWith((t) => moveStage(t, key, stageIndex(t, 'collective-discussion'))));
      expect(v).toContain(
        `Decree 713 Art 29: stage "${key}" belongs to the decision package and must come before collective discussion`,
      );
      expect(v).not.toContain(
        'DOMAIN §3 inv. 2: publicity and hearing (publication, then entry into force) must be the last stage',
      );
    },
  );

  it('names legality review both as Art 25 and as part of the decision package when it follows the discussion', () => {
    const v = violationsOf(demoWith((t) => moveStage(t, 'legality-review', t.stages.length - 2)));
    expect(v).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Decree 713 Art 25'),
        'Decree 713 Art 29: stage "legality-review" belongs to the decision package and must come before collective discussion',
      ]),
    );
  });

  it.each(['public-participation', 'fairness-review', 'collective-discussion'] as const)(
    'refuses publicity that is not last (followed by %s)',
    (key) => {
      const v = violationsOf(demoWith((t) => moveStage(t, key, t.stages.length - 1)));
      expect(v).toContain(
        'DOMAIN §3 inv. 2: publicity and hearing (publication, then entry into force) must be the last stage',
      );
    },
  );

  it('refuses publicity placed first', () => {
    const v = violationsOf(demoWith((t) => moveStage(t, 'publicity-and-hearing', 0)));
    expect(v).toEqual(
      expect.arrayContaining([
        'DOMAIN §3 inv. 2 / Decree 713 Art 32: collective discussion must come before publication',
        'DOMAIN §3 inv. 2: publicity and hearing (publication, then entry into force) must be the last stage',
      ]),
    );
  });
});

describe('DOMAIN §2: what makes a stage applicable', () => {
  const alwaysStages = ['legality-review', 'collective-discussion', 'publicity-and-hearing'] as const;
  const forms = [{ flag: 'marketRelated' }, { unlessFlag: 'nonDisclosable' }, { flag: 'livelihood' }] as const;

  it.each(alwaysStages.flatMap((key) => forms.map((form) => [key, form] as const)))(
    'refuses %s made dependent on %j',
    (key, form) => {
      const v = violationsOf(demoWith((t) => setAppliesWhen(t, key, form)));
      expect(v).toEqual([`DOMAIN §2: stage "${key}" always applies and cannot depend on a flag`]);
    },
  );

  const wrongFlags: Array<[StageKey, Record<string, Flag>]> = [
    ['public-participation', { unlessFlag: 'livelihood' }],
    ['public-participation', { flag: 'nonDisclosable' }],
    ['expert-demonstration', { flag: 'riskRelevant' }],
    ['expert-demonstration', { unlessFlag: 'specialised' }],
    ['risk-assessment', { flag: 'specialised' }],
    ['risk-assessment', { flag: 'hearingRequired' }],
    ['fairness-review', { flag: 'livelihood' }],
    ['fairness-review', { unlessFlag: 'nonDisclosable' }],
  ];
  it.each(wrongFlags)('refuses %s depending on %j, another stage’s flag or the wrong form', (key, form) => {
    const v = violationsOf(demoWith((t) => setAppliesWhen(t, key, form)));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(new RegExp(`^DOMAIN §2: stage "${key}" may depend only on its own statutory flag`));
  });

  it('names the allowed flag in the refusal', () => {
    const [v] = violationsOf(demoWith((t) => setAppliesWhen(t, 'expert-demonstration', { flag: 'riskRelevant' })));
    expect(v).toContain('"flag":"specialised"');
  });

  it('refuses an unknown flag at the schema, with its path', () => {
    const v = violationsOf(demoWith((t) => setAppliesWhen(t, 'risk-assessment', { flag: 'urgent' })));
    expect(v).toEqual([expect.stringMatching(/^schema: stages\.2\.appliesWhen: /)]);
  });
});

describe('DOMAIN §3 inv. 3: a revision invalidates legality and fairness review', () => {
  it.each(['legality-review', 'fairness-review'] as const)('refuses revisionInvalidates without %s', (key) => {
    const v = violationsOf(
      demoWith((t) => (t.revisionInvalidates = t.revisionInvalidates.filter((k: string) => k !== key))),
    );
    expect(v).toEqual([`DOMAIN §3 inv. 3: a draft revision must invalidate "${key}"`]);
  });

  it('refuses an empty revisionInvalidates naming both stages', () => {
    const v = violationsOf(demoWith((t) => (t.revisionInvalidates = [])));
    expect(v).toEqual([
      'DOMAIN §3 inv. 3: a draft revision must invalidate "legality-review"',
      'DOMAIN §3 inv. 3: a draft revision must invalidate "fairness-review"',
    ]);
  });
});

describe('statutory templates keep the statutory periods', () => {
  const cases: Array<[string, (t: Raw) => void, string]> = [
    [
      'a comment window under 30 days',
      (t) => (t.durations.commentWindow = { days: 29 }),
      'Decree 713 Art 15 / Decree 722 Art 62: the comment window is at least 30 calendar days',
    ],
    [
      'a comment window in seconds, even 30 days’ worth',
      (t) => (t.durations.commentWindow = { seconds: 30 * 86_400 }),
      'Decree 713 Art 15 / Decree 722 Art 62: the comment window is at least 30 calendar days',
    ],
    [
      'a survey window in seconds',
      (t) => (t.durations.surveyWindow = { seconds: 30 * 86_400 }),
      'statutory template: the survey window is counted in calendar days',
    ],
    [
      'a legality review under 7 working days',
      (t) => (t.durations.legalityReview = { workingDays: 6 }),
      'Decree 713 Art 27: legality review lasts at least 7 working days',
    ],
    [
      'a legality review in calendar days',
      (t) => (t.durations.legalityReview = { days: 30 }),
      'Decree 713 Art 27: legality review lasts at least 7 working days',
    ],
    [
      'a legality review in seconds',
      (t) => (t.durations.legalityReview = { seconds: 10_000_000 }),
      'Decree 713 Art 27: legality review lasts at least 7 working days',
    ],
    [
      'a hearing lead under 7 days',
      (t) => (t.durations.hearingMaterialsLead = { days: 6 }),
      'Decree 713 Art 17: hearing materials reach participants at least 7 days before',
    ],
    [
      'a hearing lead in seconds',
      (t) => (t.durations.hearingMaterialsLead = { seconds: 7 * 86_400 }),
      'Decree 713 Art 17: hearing materials reach participants at least 7 days before',
    ],
    [
      'an objection window in seconds',
      (t) => (t.durations.objectionWindow = { seconds: 86_400 }),
      'statutory template: the objection window is counted in calendar days',
    ],
    ['fewer than 3 experts', (t) => (t.minExperts = 2), 'City rule [L]: at least 3 experts in a statutory template'],
    [
      'an assignment deadline in seconds',
      (t) => (t.stages[stageIndex(t, 'risk-assessment')].assignmentDeadline = { seconds: 300 }),
      'statutory template: the assignment deadline of "risk-assessment" cannot be in seconds',
    ],
  ];

  it.each(cases)('refuses %s', (_name, fn, message) => {
    expect(violationsOf(statutoryWith(fn))).toEqual([message]);
  });

  it.each(cases)('accepts %s in a non-statutory template', (_name, fn) => {
    expect(() =>
      parseTemplate(
        statutoryWith((t) => {
          fn(t);
          t.statutory = false;
        }),
      ),
    ).not.toThrow();
  });

  it('accepts the statutory minimums exactly and longer periods', () => {
    expect(() =>
      parseTemplate(
        statutoryWith((t) => {
          t.durations.commentWindow = { days: 45 };
          t.durations.legalityReview = { workingDays: 7 };
          t.durations.hearingMaterialsLead = { days: 7 };
          t.minExperts = 3;
          t.stages[stageIndex(t, 'legality-review')].assignmentDeadline = { days: 20 };
        }),
      ),
    ).not.toThrow();
  });

  it('refuses the demo template marked statutory, naming every broken rule', () => {
    const v = violationsOf(demoWith((t) => (t.statutory = true)));
    expect(v).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Decree 713 Art 15'),
        expect.stringContaining('survey window'),
        expect.stringContaining('Decree 713 Art 27'),
        expect.stringContaining('Decree 713 Art 17'),
        expect.stringContaining('objection window'),
        expect.stringContaining('at least 3 experts'),
        'statutory template: the assignment deadline of "expert-demonstration" cannot be in seconds',
        'statutory template: the assignment deadline of "risk-assessment" cannot be in seconds',
        'statutory template: the assignment deadline of "legality-review" cannot be in seconds',
        'statutory template: the assignment deadline of "fairness-review" cannot be in seconds',
      ]),
    );
    expect(v).toHaveLength(10);
  });
});

describe('schema errors name their path', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'an unknown top-level key',
      demoWith((t) => (t.shortcut = true)),
      /^schema: \(root\): Unrecognized key: "shortcut"$/,
    ],
    [
      'an unknown key in a stage',
      demoWith((t) => (t.stages[3].skippable = true)),
      /^schema: stages\.3: Unrecognized key: "skippable"$/,
    ],
    [
      'an unknown key in durations',
      demoWith((t) => (t.durations.graceWindow = { seconds: 1 })),
      /^schema: durations: Unrecognized key: "graceWindow"$/,
    ],
    ['a bad id', demoWith((t) => (t.id = 'Demo Template')), /^schema: id: /],
    ['an id of one character', demoWith((t) => (t.id = 'd')), /^schema: id: /],
    [
      'a negative duration in seconds',
      demoWith((t) => (t.durations.commentWindow = { seconds: -30 })),
      /^schema: durations\.commentWindow\.seconds: /,
    ],
    [
      'a negative duration in days',
      demoWith((t) => (t.durations.objectionWindow = { days: -1 })),
      /^schema: durations\.objectionWindow\.days: /,
    ],
    [
      'a zero duration',
      demoWith((t) => (t.durations.surveyWindow = { seconds: 0 })),
      /^schema: durations\.surveyWindow\.seconds: /,
    ],
    [
      'a fractional number of days',
      demoWith((t) => (t.durations.commentWindow = { days: 1.5 })),
      /^schema: durations\.commentWindow(\.days)?: /,
    ],
    [
      'working days for a window the workflow resolves synchronously',
      demoWith((t) => (t.durations.commentWindow = { workingDays: 30 })),
      /^schema: durations\.commentWindow/,
    ],
    [
      'a negative assignment deadline',
      demoWith((t) => (t.stages[1].assignmentDeadline = { seconds: -1 })),
      /^schema: stages\.1\.assignmentDeadline/,
    ],
    [
      'an unknown stage',
      demoWith((t) => t.stages.push({ key: 'mayor-approval', appliesWhen: 'always' })),
      /^schema: stages\.7\.key: /,
    ],
    ['no stages', demoWith((t) => (t.stages = [])), /^schema: stages: /],
    ['a version of zero', demoWith((t) => (t.version = 0)), /^schema: version: /],
    ['a quorum of 1', demoWith((t) => (t.discussionQuorum = 1)), /^schema: discussionQuorum: /],
    ['no expert minimum', demoWith((t) => (t.minExperts = 0)), /^schema: minExperts: /],
    [
      'an unknown stage to invalidate',
      demoWith((t) => t.revisionInvalidates.push('publication')),
      /^schema: revisionInvalidates\.3: /,
    ],
    ['a missing durations object', demoWith((t) => delete t.durations), /^schema: durations: /],
  ];

  it.each(cases)('reports %s', (_name, raw, pattern) => {
    const v = violationsOf(raw);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expect(v.some((x) => pattern.test(x))).toBe(true);
    expect(v.every((x) => x.startsWith('schema: '))).toBe(true);
  });

  it('checks the schema before the invariants', () => {
    const v = violationsOf(
      demoWith((t) => {
        t.extra = 1;
        t.revisionInvalidates = [];
      }),
    );
    expect(v).toEqual(['schema: (root): Unrecognized key: "extra"']);
  });

  it('names the template by its id, or by its source when it has none', () => {
    const err = (raw: unknown): TemplateError => {
      try {
        parseTemplate(raw, 'templates/broken.json');
      } catch (e) {
        if (e instanceof TemplateError) return e;
      }
      throw new Error('expected a TemplateError');
    };
    expect(err(demoWith((t) => (t.minExperts = 0))).templateId).toBe('demo');
    expect(err(demoWith((t) => (t.revisionInvalidates = []))).templateId).toBe('demo');
    expect(err(null).templateId).toBe('templates/broken.json');
    expect(err(null).violations).toEqual(['schema: (root): Invalid input: expected object, received null']);
    expect(err('demo').templateId).toBe('templates/broken.json');
    expect(err(demoWith((t) => (t.id = 42))).templateId).toBe('templates/broken.json');
    const e = err(demoWith((t) => (t.revisionInvalidates = [])));
    expect(e.name).toBe('TemplateError');
    expect(e.message).toContain('procedure template "demo" refused');
    for (const v of e.violations) expect(e.message).toContain(v);
  });

  it('reports every broken rule at once', () => {
    const v = violationsOf(
      statutoryWith((t) => {
        t.minExperts = 1;
        t.revisionInvalidates = ['legality-review'];
        setAppliesWhen(t, 'legality-review', { flag: 'specialised' });
      }),
    );
    expect(v).toHaveLength(3);
  });
});

describe('stageApplies', () => {
  const demo = parseTemplate(demoJson);

  it.each(['legality-review', 'collective-discussion', 'publicity-and-hearing'] as const)(
    'applies %s ("always") whatever the flags',
    (key) => {
      expect(stageApplies(demo, key, allFlags())).toBe(true);
      expect(stageApplies(demo, key, Object.fromEntries(FLAGS.map((f) => [f, true])) as Flags)).toBe(true);
    },
  );

  it.each([
    ['expert-demonstration', 'specialised'],
    ['risk-assessment', 'riskRelevant'],
    ['fairness-review', 'marketRelated'],
  ] as const)('applies %s ({ flag }) exactly when %s is set', (key, flag) => {
    expect(stageApplies(demo, key, allFlags({ [flag]: true }))).toBe(true);
    expect(stageApplies(demo, key, allFlags())).toBe(false);
    const others = Object.fromEntries(FLAGS.map((f) => [f, f !== flag])) as Flags;
    expect(stageApplies(demo, key, others)).toBe(false);
  });

  it('applies public participation ({ unlessFlag }) unless the matter is non-disclosable', () => {
    expect(stageApplies(demo, 'public-participation', allFlags())).toBe(true);
    expect(stageApplies(demo, 'public-participation', allFlags({ nonDisclosable: true }))).toBe(false);
    expect(
      stageApplies(
        demo,
        'public-participation',
        Object.fromEntries(FLAGS.map((f) => [f, f !== 'nonDisclosable'])) as Flags,
      ),
    ).toBe(true);
  });

  it('applies a flag-dependent stage the template makes "always"', () => {
    const t = parseTemplate(demoWith((x) => setAppliesWhen(x, 'public-participation', 'always')));
    expect(stageApplies(t, 'public-participation', allFlags({ nonDisclosable: true }))).toBe(true);
  });

  it('does not apply a stage the template lacks', () => {
    const partial: ProcedureTemplate = templateSchema.parse(
      demoWith((t) => t.stages.splice(stageIndex(t, 'risk-assessment'), 1)),
    );
    expect(templateViolations(partial)).toContain(
      'DOMAIN §2: stage "risk-assessment" must appear exactly once (found 0)',
    );
    expect(stageApplies(partial, 'risk-assessment', allFlags({ riskRelevant: true }))).toBe(false);
  });
});

describe('notShorterThan', () => {
  const T0 = Date.parse('2026-11-27T02:00:00Z');
  it('compares periods from the same instant', () => {
    expect(notShorterThan({ days: 30 }, { days: 30 }, T0, 480)).toBe(true);
    expect(notShorterThan({ days: 29 }, { days: 30 }, T0, 480)).toBe(false);
    expect(notShorterThan({ seconds: 31 }, { seconds: 30 }, T0, 480)).toBe(true);
    expect(notShorterThan({ seconds: 29 }, { seconds: 30 }, T0, 480)).toBe(false);
    expect(notShorterThan({ seconds: 31 * 86_400 }, { days: 30 }, T0, 480)).toBe(true);
  });
  it('cannot compare working days without the calendar', () => {
    expect(notShorterThan({ workingDays: 30 }, { days: 1 }, T0, 480)).toBe(false);
    expect(notShorterThan({ days: 60 }, { workingDays: 7 }, T0, 480)).toBe(false);
  });
});
