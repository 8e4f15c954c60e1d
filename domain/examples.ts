import type { ActionName } from './actions';

// One example request body per action, as a caller sends it to
// POST /api/decisions/{id}/actions/{action}. The OpenAPI document shows them and the tests drive
// whole procedures with them, so they are kept valid by the test suite. Fields the API fills in
// itself (an assignee's name and role, the disposition summary) are absent here.

export function exampleBodies(
  opts: { draftVersion?: number; now?: number } = {},
): Record<ActionName, Record<string, unknown>> {
  const draftVersion = opts.draftVersion ?? 1;
  const now = opts.now ?? Date.parse('2026-11-27T02:00:00Z');
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  return {
    predisclose: {
      explanation: 'Why the fares change, what it costs, and who is affected.',
      howToComment:
        'Comment on the whole draft or a numbered paragraph on the portal or by letter to the Transport Bureau.',
    },
    'open-survey': {
      questions: [
        {
          id: 'support',
          text: 'Do you support the new fare structure?',
          kind: 'single-choice',
          options: ['yes', 'no', 'unsure'],
        },
        { id: 'why', text: 'What should the bureau change?', kind: 'text' },
      ],
    },
    'close-window-early': {
      window: 'comment',
      reason: 'Flood emergency: the measure must take effect before the rainy season.',
    },
    'publish-feedback': {
      report: '212 opinions received; 37 adopted, 20 partly adopted, 155 not adopted, each with reasons.',
    },
    assign: {
      stage: 'expert-demonstration',
      assignees: [{ userId: 'expert-li', dissentingView: true }, { userId: 'expert-zhao' }, { userId: 'expert-sun' }],
    },
    'withdraw-assignment': {
      stage: 'expert-demonstration',
      userId: 'expert-sun',
      reason: 'Declared a direct interest: advises one of the bus operators.',
    },
    'file-expert-opinion': {
      draftVersion,
      opinion: 'The fare model is feasible; the concession for students should be kept.',
      conclusion: 'supports-with-changes',
      dissent: '',
      signature: { signedBy: 'Li Wei', signedAt: at(-60_000), method: 'e-signature' },
      interestDeclaration: {
        directInterest: false,
        statement: 'I hold no interest in the bus operators or their suppliers.',
      },
    },
    'file-risk-report': {
      draftVersion,
      riskPoints: ['Fare rise may provoke complaints from commuters in outer districts'],
      measures: ['Phase the rise over two years', 'Monthly pass capped at the current price'],
      contingencyPlan: 'Hotline staffed for the first month; fare review after six months.',
      rating: 'controllable',
    },
    'submit-for-legality-review': {
      draftVersion,
      legalBasis: 'Price Law Art 23; Provincial Urban Public Transport Regulations Art 18.',
      procedureExplanation: 'Pre-disclosed for 30 days, 212 opinions handled; experts and risk assessment done.',
      reviewer: { userId: 'reviewer-wang' },
    },
    'file-legality-review': {
      draftVersion,
      outcome: 'pass',
      opinion: 'Lawful: authority, content and procedure conform.',
    },
    'file-fairness-review': {
      draftVersion,
      conclusion: 'pass',
      findings:
        'No entry barriers, no selective preferences, no interference in pricing by operators (Decree 783 Arts 8–11).',
      businessesHeard: 'Three bus operators and the transport industry association, 2026-10-12.',
    },
    'submit-for-discussion': {
      draftVersion,
      packageSummary:
        'Draft v1 with the outcomes of public participation, experts, risk, legality and fair competition.',
    },
    'record-minutes': {
      draftVersion,
      meeting: {
        kind: 'executive',
        heldAt: at(-3_600_000),
        membersTotal: 5,
        attendees: [{ name: 'Chen Jing' }, { name: 'Liu Yang' }, { name: 'Zhou Lin' }, { name: 'Mayor Gao' }],
      },
      speeches: [
        { speaker: 'Chen Jing', isHead: false, position: 'adopt' },
        { speaker: 'Liu Yang', isHead: false, position: 'adopt' },
        { speaker: 'Zhou Lin', isHead: false, position: 'reject', summary: 'The rise is too fast for pensioners.' },
        { speaker: 'Mayor Gao', isHead: true, position: 'adopt' },
      ],
      dissent: 'Zhou Lin: the rise is too fast for pensioners.',
    },
    decide: { draftVersion, decision: 'adopt' },
    announce: {
      announcement: 'The adopted fare decision is announced; objections may be filed with the Transport Bureau.',
    },
    'schedule-hearing': {
      heldAt: at(8 * 86_400_000),
      place: 'City Hall, Room 301',
      selectionMethod: 'Public registration, then a lottery per group: commuters, operators, experts.',
      participants: [
        { name: 'Ma Li', represents: 'commuters' },
        { name: 'Hu Gang', represents: 'bus operators' },
      ],
      materialsSentAt: at(0),
    },
    'record-hearing': {
      record: 'Hearing held in public; 2 participants spoke; views recorded verbatim.',
      signatures: [
        { participant: 'Ma Li', signedAt: at(9 * 86_400_000) },
        { participant: 'Hu Gang', signedAt: at(9 * 86_400_000) },
      ],
    },
    'report-to-party-committee': {
      reportedAt: at(0),
      reference: 'Report No. 2026-117 to the municipal Party committee',
    },
    publish: {
      gazetteReference: 'Municipal Gazette 2026 No. 12',
      url: 'https://www.example.gov.cn/decisions/fares-2026',
    },
    withdraw: { reason: 'The provincial regulation this decision implements was repealed.' },
    'request-change': {
      type: 'minor-amendment',
      grounds: {
        categories: ['change-in-law'],
        explanation: 'The provincial regulation raised the student concession to 60%.',
      },
      evidence: [
        { description: 'Provincial Urban Public Transport Regulations, revised 2026', reference: 'HLJ Reg. 2026-14' },
      ],
      documentHash: 'sha256:' + 'cd'.repeat(32),
    },
    'revise-draft': {
      hash: 'sha256:' + 'ab'.repeat(32),
      changeNote: 'Student concession kept, as the experts advised.',
    },
  };
}
