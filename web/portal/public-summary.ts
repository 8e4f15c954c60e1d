import type { DecisionState, StageStatus } from '../../domain/procedure';
import type { StageKey } from '../../domain/stages';

// The public summary of each stage, derived from its stage records by a pure function. It keeps
// what the procedure decided and why, and leaves out personal data: no actor ids, no names of the
// officials, experts or reviewers who acted, no signatures, no contacts. The one list of names
// it keeps is the hearing participants, which Decree 713 Art 16 requires to be published.

export type FactValue =
  | { t: 'text'; v: string }
  | { t: 'date'; v: string }
  | { t: 'count'; v: number }
  | { t: 'flag'; v: boolean }
  | { t: 'enum'; v: string }
  | { t: 'list'; v: string[] }
  | { t: 'tally'; v: Array<{ key: string; n: number }> }
  | { t: 'people'; v: Array<{ name: string; represents: string }> };

export interface Fact {
  label: string;
  value: FactValue;
}

export interface SummaryItem {
  kind: string;
  at: string;
  draftVersion: number;
  facts: Fact[];
}

export interface StageSummary {
  key: StageKey;
  status: StageStatus;
  round: number;
  notApplicableRule: string | null;
  passedAt: string | null;
  passedOnDraft: number | null;
  items: SummaryItem[];
}

export interface RecordLike {
  stage: string;
  round: number;
  kind: string;
  at: Date | string;
  draftVersion: number;
  procedureId?: string;
  content: unknown;
}

type C = Record<string, unknown>;
const text = (label: string, v: unknown): Fact[] =>
  typeof v === 'string' && v.trim() ? [{ label, value: { t: 'text', v } }] : [];
const date = (label: string, v: unknown): Fact[] =>
  typeof v === 'string' && v ? [{ label, value: { t: 'date', v } }] : [];
const en = (label: string, v: unknown): Fact[] => (typeof v === 'string' ? [{ label, value: { t: 'enum', v } }] : []);
const count = (label: string, v: number): Fact[] => [{ label, value: { t: 'count', v } }];
const flag = (label: string, v: boolean): Fact[] => [{ label, value: { t: 'flag', v } }];
const list = (label: string, v: unknown): Fact[] =>
  Array.isArray(v) && v.length ? [{ label, value: { t: 'list', v: v.map(String) } }] : [];

function tally(speeches: Array<{ position: string; isHead: boolean }>): Fact[] {
  const members = speeches.filter((s) => !s.isHead);
  return [
    {
      label: 'positions',
      value: {
        t: 'tally',
        v: ['adopt', 'reject', 'abstain'].map((key) => ({ key, n: members.filter((s) => s.position === key).length })),
      },
    },
  ];
}

const FACTS: Record<string, (c: C) => Fact[]> = {
  'not-applicable': (c) => [...text('rule', c.rule), ...text('legalBasis', c.legalBasis)],
  predisclosure: (c) => [
    ...date('opensAt', c.opensAt),
    ...date('closesAt', c.closesAt),
    ...text('urgencyReason', c.urgencyReason),
    ...text('howToComment', c.howToComment),
  ],
  'survey-opened': (c) => [
    ...count('questions', Array.isArray(c.questions) ? c.questions.length : 0),
    ...date('closesAt', c.closesAt),
  ],
  'window-closed-early': (c) => [...en('window', c.window), ...text('reason', c.reason)],
  'comment-window-frozen': (c) => [...count('opinionsReceived', Number(c.count ?? 0)), ...text('digest', c.digest)],
  'survey-window-frozen': (c) => [...count('answersReceived', Number(c.count ?? 0)), ...text('digest', c.digest)],
  'feedback-report': (c) => {
    const d = (c.dispositions ?? {}) as { total?: number; disposed?: number };
    return [...text('report', c.report), ...count('opinionsDisposed', d.disposed ?? 0)];
  },
  assignment: (c) => {
    const people = (c.assignees ?? []) as Array<{ dissentingView?: boolean }>;
    return [
      ...count('assigned', people.length),
      ...flag(
        'dissentingSlot',
        people.some((p) => p.dissentingView),
      ),
      ...text('dissentSlotReason', c.dissentSlotReason),
    ];
  },
  'assignment-withdrawn': (c) => text('reason', c.reason),
  'expert-opinion': (c) => {
    const decl = (c.interestDeclaration ?? {}) as { directInterest?: boolean };
    const sig = (c.signature ?? {}) as { method?: string };
    return [
      ...en('conclusion', c.conclusion),
      ...text('opinion', c.opinion),
      ...text('dissent', c.dissent),
      ...en('signedBy', sig.method),
      ...flag('noDirectInterest', decl.directInterest === false),
    ];
  },
  'risk-report': (c) => [
    ...en('rating', c.rating),
    ...list('riskPoints', c.riskPoints),
    ...list('measures', c.measures),
    ...text('contingencyPlan', c.contingencyPlan),
    ...text('priorAssessment', c.priorAssessmentReference),
  ],
  'legality-submission': (c) => [
    ...text('legalBasis', c.legalBasis),
    ...text('procedureExplanation', c.procedureExplanation),
  ],
  'legality-review': (c) => [
    ...en('outcome', c.outcome),
    ...text('opinion', c.opinion),
    ...text('legalRiskStatement', c.legalRiskStatement),
  ],
  'fairness-review': (c) => {
    const ex = (c.exception ?? null) as { purpose?: string; timeLimit?: string } | null;
    return [
      ...en('conclusion', c.conclusion),
      ...text('findings', c.findings),
      ...text('exceptionPurpose', ex?.purpose),
      ...date('exceptionUntil', ex?.timeLimit),
    ];
  },
  'discussion-package': (c) => text('packageSummary', c.packageSummary),
  minutes: (c) => {
    const m = (c.meeting ?? {}) as { kind?: string; heldAt?: string; membersTotal?: number; attendees?: unknown[] };
    const speeches = (c.speeches ?? []) as Array<{ position: string; isHead: boolean }>;
    return [
      ...en('meetingKind', m.kind),
      ...date('heldAt', m.heldAt),
      ...text('attendance', `${m.attendees?.length ?? 0} / ${m.membersTotal ?? 0}`),
      ...tally(speeches),
      ...flag('dissentRecorded', typeof c.dissent === 'string' && c.dissent.trim().length > 0),
    ];
  },
  decision: (c) => [...en('decision', c.decision), ...text('reason', c.reason)],
  announcement: (c) => [...text('announcement', c.announcement), ...date('objectionsUntil', c.objectionsUntil)],
  'hearing-notice': (c) => {
    const people = (c.participants ?? []) as Array<{ name: string; represents: string }>;
    return [
      ...date('heldAt', c.heldAt),
      ...text('place', c.place),
      ...text('selectionMethod', c.selectionMethod),
      {
        label: 'participants',
        value: { t: 'people', v: people.map((p) => ({ name: p.name, represents: p.represents })) },
      },
    ];
  },
  'hearing-record': (c) => [
    ...text('record', c.record),
    ...count('signatures', Array.isArray(c.signatures) ? c.signatures.length : 0),
  ],
  'party-committee-report': (c) => [...date('reportedAt', c.reportedAt), ...text('reference', c.reference)],
  publication: (c) => [
    ...text('gazetteReference', c.gazetteReference),
    ...text('url', c.url),
    ...date('effectiveAt', c.effectiveAt),
  ],
  withdrawal: (c) => text('reason', c.reason),
  escalation: (c) => date('dueAt', c.dueAt),
};

/** The kinds of record that never appear publicly: bookkeeping, or nothing the public can use. */
const SILENT = new Set(['stage-passed', 'change-request']);

export function summarizeRecord(r: RecordLike): SummaryItem | null {
  if (SILENT.has(r.kind)) return null;
  const facts = FACTS[r.kind]?.((r.content ?? {}) as C) ?? [];
  return {
    kind: r.kind,
    at: typeof r.at === 'string' ? r.at : r.at.toISOString(),
    draftVersion: r.draftVersion,
    facts,
  };
}

/** Every stage of the procedure, in template order, with the public items of its current round. */
export function publicStageSummaries(
  state: Pick<DecisionState, 'stages'>,
  records: RecordLike[],
  procedureId = 'main',
): StageSummary[] {
  return state.stages.map((s) => ({
    key: s.key,
    status: s.status,
    round: s.round,
    notApplicableRule: s.notApplicable?.rule ?? null,
    passedAt: s.passed ? new Date(s.passed.at).toISOString() : null,
    passedOnDraft: s.passed?.draftVersion ?? null,
    items: records
      .filter((r) => r.stage === s.key && r.round === s.round && (r.procedureId ?? 'main') === procedureId)
      .map(summarizeRecord)
      .filter((x): x is SummaryItem => x !== null),
  }));
}
