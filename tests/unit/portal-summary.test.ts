import { publicStageSummaries, summarizeRecord } from '../../web/portal/public-summary';
import { escapeHtml, html } from '../../web/html';

// The public summary of a procedure's stages keeps what was decided and why, and none of the
// personal data the stage records carry (names, user ids, contacts, signatures).

const at = '2026-11-27T02:00:00.000Z';
const record = (stage: string, kind: string, content: Record<string, unknown>, round = 1) => ({
  stage,
  round,
  kind,
  at,
  draftVersion: 1,
  procedureId: 'main',
  content,
});

const stages = [
  {
    key: 'public-participation',
    status: 'passed',
    round: 1,
    passed: { at: Date.parse(at), draftVersion: 1, draftHash: 'h', eventId: 'e' },
  },
  { key: 'expert-demonstration', status: 'passed', round: 1 },
  {
    key: 'risk-assessment',
    status: 'not-applicable',
    round: 1,
    notApplicable: {
      rule: 'Decree 713 Art 22: risk assessment applies where …',
      legalBasis: 'Decree 713 Arts 22–24',
      determinedBy: {
        id: 'official-zhang',
        name: 'Zhang Wei',
        role: 'drafting-official',
        organId: 'harbin-gov',
        officeId: null,
      },
      at: 0,
    },
  },
  { key: 'collective-discussion', status: 'passed', round: 2 },
  { key: 'publicity-and-hearing', status: 'active', round: 1 },
] as any;

const records = [
  record('expert-demonstration', 'assignment', {
    assignees: [
      { officeId: 'expert-pool/li-wei', userId: 'expert-li', name: 'Li Wei', dissentingView: true },
      { userId: 'expert-zhao', name: 'Zhao Min' },
    ],
  }),
  record('expert-demonstration', 'expert-opinion', {
    opinion: 'Feasible.',
    conclusion: 'supports',
    dissent: '',
    signature: { signedBy: 'Li Wei', signedAt: at, method: 'seal' },
    interestDeclaration: { directInterest: false, statement: 'I, Li Wei, hold no shares.' },
  }),
  record(
    'collective-discussion',
    'minutes',
    {
      meeting: {
        kind: 'executive',
        heldAt: at,
        membersTotal: 5,
        attendees: [{ name: 'Chen Jing' }, { name: 'Mayor Gao' }],
      },
      speeches: [
        { speaker: 'Chen Jing', isHead: false, position: 'adopt' },
        { speaker: 'Zhou Lin', isHead: false, position: 'reject' },
        { speaker: 'Mayor Gao', isHead: true, position: 'adopt' },
      ],
      dissent: 'Zhou Lin: too fast.',
    },
    2,
  ),
  record('collective-discussion', 'minutes', { meeting: { kind: 'plenary' }, speeches: [], dissent: '' }, 1),
  record('publicity-and-hearing', 'hearing-notice', {
    heldAt: at,
    place: 'City Hall',
    selectionMethod: 'Lottery',
    participants: [{ name: 'Ma Li', represents: 'commuters' }],
    materialsSentAt: at,
  }),
  record('publicity-and-hearing', 'hearing-record', {
    record: 'Held in public.',
    signatures: [{ participant: 'Ma Li', signedAt: at }],
  }),
  record('publicity-and-hearing', 'escalation', {
    assignment: 'a',
    officeId: 'o',
    userId: 'reviewer-wang',
    name: 'Wang Fang',
    dueAt: at,
  }),
  record('public-participation', 'stage-passed', { draftVersion: 1 }),
];

describe('public stage summaries', () => {
  const summaries = publicStageSummaries({ stages }, records);
  const json = JSON.stringify(summaries);

  it('leaves out the names, ids and declarations of the people who acted', () => {
    for (const personal of [
      'Li Wei',
      'Zhao Min',
      'expert-li',
      'Chen Jing',
      'Zhou Lin',
      'Mayor Gao',
      'Zhang Wei',
      'official-zhang',
      'Wang Fang',
      'reviewer-wang',
      'hold no shares',
    ]) {
      expect(json).not.toContain(personal);
    }
  });

  it('keeps the hearing participants, whose list the law requires to be published', () => {
    const hearing = summaries.find((s) => s.key === 'publicity-and-hearing')!;
    expect(hearing.items[0].facts).toContainEqual({
      label: 'participants',
      value: { t: 'people', v: [{ name: 'Ma Li', represents: 'commuters' }] },
    });
    expect(hearing.items[1].facts).toContainEqual({ label: 'signatures', value: { t: 'count', v: 1 } });
  });

  it('shows each stage in order with its status, the rule of a stage that does not apply, and only the current round', () => {
    expect(summaries.map((s) => [s.key, s.status])).toEqual(stages.map((s: any) => [s.key, s.status]));
    expect(summaries[2].notApplicableRule).toMatch(/^Decree 713 Art 22/);
    const discussion = summaries.find((s) => s.key === 'collective-discussion')!;
    expect(discussion.items).toHaveLength(1);
    expect(discussion.items[0].facts).toEqual(
      expect.arrayContaining([
        { label: 'attendance', value: { t: 'text', v: '2 / 5' } },
        {
          label: 'positions',
          value: {
            t: 'tally',
            v: [
              { key: 'adopt', n: 1 },
              { key: 'reject', n: 1 },
              { key: 'abstain', n: 0 },
            ],
          },
        },
        { label: 'dissentRecorded', value: { t: 'flag', v: true } },
      ]),
    );
  });

  it('summarises an expert opinion by its conclusion, text, means of signing and interest declaration', () => {
    expect(summarizeRecord(records[1])!.facts).toEqual([
      { label: 'conclusion', value: { t: 'enum', v: 'supports' } },
      { label: 'opinion', value: { t: 'text', v: 'Feasible.' } },
      { label: 'signedBy', value: { t: 'enum', v: 'seal' } },
      { label: 'noDirectInterest', value: { t: 'flag', v: true } },
    ]);
    expect(summarizeRecord(records[records.length - 1])).toBeNull();
  });
});

describe('the html template', () => {
  it('escapes every interpolated value, nested arrays included, and keeps markup built by itself', () => {
    const evil = `<script>"x" & 'y'</script>`;
    expect(html`<p title="${evil}">${[evil, html`<b>${evil}</b>`]}</p>`.value).toBe(
      `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}<b>${escapeHtml(evil)}</b></p>`,
    );
    expect(escapeHtml(evil)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
  });
});
