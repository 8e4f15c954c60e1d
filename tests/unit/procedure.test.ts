import { Refusal, type RefusalCode } from '../../domain/refusals';
import { publicationViolations } from '../../domain/procedure';
import type { ActionName } from '../../domain/actions';
import { Driver, statutory, withTemplate } from '../support/domain-driver';

const SEC = 1000;
const DAY = 86_400_000;

function refusal(fn: () => unknown): Refusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

function expectRefused(fn: () => unknown, code: RefusalCode): Refusal {
  const r = refusal(fn);
  expect(r.code).toBe(code);
  return r;
}

/** Walks a decision with every flag to the start of collective discussion. */
function throughReviews(d: Driver): void {
  d.act('official-zhang', 'predisclose');
  d.act('official-zhang', 'open-survey');
  d.advance(31 * SEC);
  d.act('official-zhang', 'publish-feedback');
  d.act('official-zhang', 'assign');
  for (const [id, name] of [
    ['expert-li', 'Li Wei'],
    ['expert-zhao', 'Zhao Min'],
    ['expert-sun', 'Sun Hao'],
  ]) {
    d.act(id, 'file-expert-opinion', {
      signature: { signedBy: name, signedAt: new Date(d.now).toISOString(), method: 'seal' },
    });
  }
  d.act('official-zhang', 'assign', {
    stage: 'risk-assessment',
    assignees: [{ userId: 'assessor-qian', name: 'Qian Rui' }],
  });
  d.act('assessor-qian', 'file-risk-report');
  d.act('official-zhang', 'submit-for-legality-review');
  d.advance(11 * SEC);
  d.act('reviewer-wang', 'file-legality-review');
  d.act('official-zhang', 'assign', {
    stage: 'fairness-review',
    assignees: [{ userId: 'fairness-zhou', name: 'Zhou Ping' }],
  });
  d.act('fairness-zhou', 'file-fairness-review');
}

function throughAdoption(d: Driver): void {
  throughReviews(d);
  d.act('official-zhang', 'submit-for-discussion');
  d.act('secretary-he', 'record-minutes');
  d.act('head-gao', 'decide');
}

const ALL = { specialised: true, riskRelevant: true, marketRelated: true, livelihood: true, hearingRequired: true };

describe('a full procedure', () => {
  it('goes from creation to in force when every stage passes in order', () => {
    const d = new Driver(undefined, ALL);
    throughAdoption(d);
    expect(d.state.status).toBe('adopted');
    d.act('official-zhang', 'announce');
    d.act('official-zhang', 'schedule-hearing', {
      heldAt: new Date(d.now + 6 * SEC).toISOString(),
      materialsSentAt: new Date(d.now).toISOString(),
    });
    d.act('head-gao', 'report-to-party-committee');
    d.advance(11 * SEC);
    d.act('official-zhang', 'record-hearing', {
      signatures: [
        { participant: 'Ma Li', signedAt: new Date(d.now).toISOString() },
        { participant: 'Hu Gang', signedAt: new Date(d.now).toISOString() },
      ],
    });
    d.act('official-zhang', 'publish', { effectiveAt: new Date(d.now + 5 * SEC).toISOString() });
    expect(d.state.status).toBe('published');
    d.advance(6 * SEC);
    expect(d.state.status).toBe('in-force');
    expect(publicationViolations(d.state)).toEqual([]);
    expect(d.state.stages.every((s) => s.status === 'passed')).toBe(true);
  });

  it('records each flag-dependent stage it skips as not applicable, with the rule and the official', () => {
    const d = new Driver();
    const na = d.state.stages.filter((s) => s.status === 'not-applicable');
    expect(na.map((s) => s.key)).toEqual(['expert-demonstration', 'risk-assessment', 'fairness-review']);
    expect(na[0].notApplicable?.rule).toContain('Decree 713 Art 19');
    expect(na[0].notApplicable?.determinedBy.id).toBe('official-zhang');
    expect(d.events[0].records.filter((r) => r.kind === 'not-applicable')).toHaveLength(3);
  });

  it('records public participation as not applicable for a non-disclosable matter', () => {
    const d = new Driver(undefined, { nonDisclosable: true });
    expect(d.state.currentStage).toBe('legality-review');
    expect(d.state.stages[0].notApplicable?.rule).toContain('state secret');
  });
});

describe('stage order (DOMAIN §3 inv. 1, Decree 713 Art 25)', () => {
  it('rejects collective discussion before legality review', () => {
    const d = new Driver();
    const r = expectRefused(() => d.act('official-zhang', 'submit-for-discussion'), 'LEGALITY_REVIEW_REQUIRED');
    expect(r.legalBasis).toContain('Art 25');
    expect(r.status).toBe(409);
  });

  it('rejects publication before discussion', () => {
    const d = new Driver();
    expectRefused(() => d.act('official-zhang', 'publish'), 'LEGALITY_REVIEW_REQUIRED');
  });

  it('rejects a legality submission while public participation is open', () => {
    const d = new Driver();
    const r = expectRefused(() => d.act('official-zhang', 'submit-for-legality-review'), 'STAGE_NOT_REACHED');
    expect(r.details).toMatchObject({ currentStage: 'public-participation' });
    expect(r.legalBasis).toContain('Arts 14–18');
  });

  it('refuses an action on a stage that does not apply', () => {
    const d = new Driver();
    expectRefused(() => d.act('official-zhang', 'assign'), 'STAGE_NOT_APPLICABLE');
  });

  it('refuses acting twice on a passed stage', () => {
    const d = new Driver();
    d.act('official-zhang', 'predisclose');
    d.advance(31 * SEC);
    d.act('official-zhang', 'publish-feedback');
    expectRefused(() => d.act('official-zhang', 'predisclose'), 'STAGE_ALREADY_PASSED');
  });
});

describe('roles and assignment', () => {
  const cases: Array<[string, ActionName, RefusalCode]> = [
    ['expert-li', 'predisclose', 'ROLE_REQUIRED'],
    ['head-gao', 'predisclose', 'ROLE_REQUIRED'],
    ['reviewer-wang', 'withdraw', 'ROLE_REQUIRED'],
    ['supervisor-lin', 'announce', 'ROLE_REQUIRED'],
  ];
  it.each(cases)('%s cannot %s (%s, 403)', (who, action, code) => {
    const d = new Driver();
    expect(expectRefused(() => d.act(who, action), code).status).toBe(403);
  });

  it('refuses an official of another organ', () => {
    const d = new Driver();
    const stranger = { ...d.body('predisclose') };
    const r = refusal(() => {
      const { checkAction } = jest.requireActual('../../domain/procedure');
      const office = { id: 'other/drafting-office', role: 'drafting-official' as const, organId: 'other' };
      checkAction(
        d.state,
        {
          action: 'predisclose',
          actor: {
            id: 'x',
            name: 'X',
            roles: ['drafting-official'],
            organId: 'other',
            offices: [office],
            actsFor: ['other'],
          },
          payload: stranger,
        },
        d.now,
      );
    });
    expect(r.code).toBe('WRONG_ORGAN');
  });

  it('refuses an expert who is not assigned', () => {
    const d = new Driver(undefined, { specialised: true });
    d.act('official-zhang', 'predisclose');
    d.advance(31 * SEC);
    d.act('official-zhang', 'publish-feedback');
    d.act('official-zhang', 'assign', {
      assignees: [{ userId: 'expert-li', name: 'Li Wei', dissentingView: true }],
      dissentSlotReason: undefined,
    });
    expect(d.state.assignments).toHaveLength(1);
    expectRefused(
      () =>
        d.act('expert-zhao', 'file-expert-opinion', {
          signature: { signedBy: 'Zhao Min', signedAt: new Date(d.now).toISOString(), method: 'seal' },
        }),
      'NOT_ASSIGNED',
    );
  });
});

describe('expert demonstration (Decree 713 Arts 19–20)', () => {
  function atExperts(): Driver {
    const d = new Driver(statutory(), { specialised: true, nonDisclosable: true });
    return d;
  }
  it('needs the template minimum of experts', () => {
    const d = atExperts();
    const r = expectRefused(
      () =>
        d.act('official-zhang', 'assign', {
          assignees: [{ userId: 'expert-li', name: 'Li Wei', dissentingView: true }],
        }),
      'EXPERTS_INSUFFICIENT',
    );
    expect(r.details).toMatchObject({ required: 3, assigned: 1 });
  });
  it('needs a dissenting-view slot or a recorded reason', () => {
    const d = atExperts();
    const assignees = [
      { userId: 'expert-li', name: 'Li Wei' },
      { userId: 'expert-zhao', name: 'Zhao Min' },
      { userId: 'expert-sun', name: 'Sun Hao' },
    ];
    expectRefused(() => d.act('official-zhang', 'assign', { assignees }), 'DISSENT_SLOT_REQUIRED');
    d.act('official-zhang', 'assign', {
      assignees,
      dissentSlotReason: 'No expert with a dissenting record exists in the provincial pool.',
    });
    expect(d.state.assignments).toHaveLength(3);
  });
  it('bars an expert with a direct interest and requires the expert’s own signature', () => {
    const d = atExperts();
    d.act('official-zhang', 'assign');
    const signed = { signature: { signedBy: 'Li Wei', signedAt: new Date(d.now).toISOString(), method: 'seal' } };
    expectRefused(
      () =>
        d.act('expert-li', 'file-expert-opinion', {
          ...signed,
          interestDeclaration: { directInterest: true, statement: 'I advise an operator.' },
        }),
      'EXPERT_INTEREST_CONFLICT',
    );
    expectRefused(
      () => d.act('expert-li', 'file-expert-opinion', { signature: { ...signed.signature, signedBy: 'Someone Else' } }),
      'SIGNATURE_REQUIRED',
    );
    d.act('expert-li', 'file-expert-opinion', { ...signed, dissent: 'Fares should not rise at all.' });
    expectRefused(() => d.act('expert-li', 'file-expert-opinion', signed), 'ALREADY_FILED');
    expect(d.state.stages[1].status).toBe('active');
  });
  it('replaces an expert who declares a direct interest: released with a reason, then another assigned', () => {
    const d = atExperts();
    d.act('official-zhang', 'assign');
    const sign = (name: string) => ({
      signature: { signedBy: name, signedAt: new Date(d.now).toISOString(), method: 'seal' },
    });
    d.act('expert-li', 'file-expert-opinion', sign('Li Wei'));
    d.act('expert-zhao', 'file-expert-opinion', sign('Zhao Min'));
    expectRefused(
      () =>
        d.act('expert-sun', 'file-expert-opinion', {
          ...sign('Sun Hao'),
          interestDeclaration: { directInterest: true, statement: 'I advise an operator.' },
        }),
      'EXPERT_INTEREST_CONFLICT',
    );
    expectRefused(() => d.act('official-zhang', 'withdraw-assignment', { userId: 'expert-li' }), 'ALREADY_FILED');
    d.act('official-zhang', 'withdraw-assignment');
    expect(d.state.stages[1].status).toBe('active');
    expectRefused(() => d.act('expert-sun', 'file-expert-opinion', sign('Sun Hao')), 'NOT_ASSIGNED');
    d.act('official-zhang', 'assign', { assignees: [{ userId: 'expert-wu' }] });
    d.act('expert-wu', 'file-expert-opinion', sign('Wu Lei'));
    expect(d.state.stages[1].status).toBe('passed');
    expect(d.state.records.find((r) => r.kind === 'assignment-withdrawn')?.content).toMatchObject({
      userId: 'expert-sun',
    });
  });

  it('rejects an assignee who does not hold the expert role', () => {
    const d = atExperts();
    d.body('assign');
    const r = refusal(() =>
      d.act('official-zhang', 'assign', {
        assignees: [
          { userId: 'reviewer-wang', name: 'Wang Fang' },
          { userId: 'expert-li', name: 'Li Wei', dissentingView: true },
          { userId: 'expert-zhao', name: 'Zhao Min' },
        ],
      }),
    );
    expect(r.code).toBe('ASSIGNEE_ROLE_MISMATCH');
  });
});

describe('public participation (Decree 713 Art 15)', () => {
  it('refuses the feedback report while the comment window is open', () => {
    const d = new Driver();
    d.act('official-zhang', 'predisclose');
    const r = expectRefused(() => d.act('official-zhang', 'publish-feedback'), 'WINDOW_STILL_OPEN');
    expect(r.legalBasis).toContain('Art 15');
  });
  it('refuses a window shorter than the template without an urgency reason', () => {
    const d = new Driver(statutory());
    expectRefused(
      () => d.act('official-zhang', 'predisclose', { commentWindow: { days: 10 } }),
      'COMMENT_WINDOW_TOO_SHORT',
    );
    d.act('official-zhang', 'predisclose', { commentWindow: { days: 10 }, urgencyReason: 'Flood season' });
    expect(d.state.windows[0].urgencyReason).toBe('Flood season');
  });
  it('closes a window early only when an urgency reason was published at opening (inv. 4)', () => {
    const d = new Driver();
    d.act('official-zhang', 'predisclose');
    expectRefused(() => d.act('official-zhang', 'close-window-early'), 'URGENCY_REASON_REQUIRED');
    const u = new Driver();
    u.act('official-zhang', 'predisclose', { urgencyReason: 'Flood season' });
    u.act('official-zhang', 'close-window-early');
    expect(u.state.windows[0].frozen).toBeDefined();
  });
  it('requires a disposition for every frozen opinion', () => {
    const d = new Driver();
    d.act('official-zhang', 'predisclose');
    d.publicInput.set(d.state.windows[0].id, 5);
    d.advance(31 * SEC);
    expect(d.state.windows[0].frozen?.count).toBe(5);
    expectRefused(
      () =>
        d.act('official-zhang', 'publish-feedback', {
          dispositions: { digest: 'digest-of-fares-2026:comment:1', total: 5, disposed: 4 },
        }),
      'DISPOSITIONS_INCOMPLETE',
    );
    expectRefused(
      () => d.act('official-zhang', 'publish-feedback', { dispositions: { digest: 'other', total: 5, disposed: 5 } }),
      'DISPOSITIONS_INCOMPLETE',
    );
    d.act('official-zhang', 'publish-feedback');
    expect(d.state.currentStage).toBe('legality-review');
  });
  it('requires the opinion survey for a livelihood decision', () => {
    const d = new Driver(undefined, { livelihood: true });
    d.act('official-zhang', 'predisclose');
    d.advance(31 * SEC);
    expectRefused(() => d.act('official-zhang', 'publish-feedback'), 'SURVEY_REQUIRED');
    expectRefused(() => new Driver().act('official-zhang', 'open-survey'), 'SURVEY_NOT_APPLICABLE');
  });
});

describe('legality review (Decree 713 Arts 25–28)', () => {
  function atLegality(template = withTemplate({})): Driver {
    const d = new Driver(template, { nonDisclosable: true });
    d.act('official-zhang', 'submit-for-legality-review');
    return d;
  }
  it('refuses a conclusion before the minimum review period', () => {
    const d = atLegality();
    const r = expectRefused(() => d.act('reviewer-wang', 'file-legality-review'), 'LEGALITY_REVIEW_TOO_SHORT');
    expect(r.legalBasis).toContain('Art 27');
    d.advance(10 * SEC);
    d.act('reviewer-wang', 'file-legality-review');
  });
  it('counts working days in a statutory template', () => {
    const d = atLegality(statutory());
    d.advance(6 * DAY);
    expectRefused(() => d.act('reviewer-wang', 'file-legality-review'), 'LEGALITY_REVIEW_TOO_SHORT');
    d.advance(1 * DAY);
    d.act('reviewer-wang', 'file-legality-review');
  });
  it('needs a legal-risk statement for exploratory reform', () => {
    const d = atLegality();
    d.advance(10 * SEC);
    expectRefused(
      () => d.act('reviewer-wang', 'file-legality-review', { outcome: 'exploratory-reform' }),
      'LEGAL_RISK_STATEMENT_REQUIRED',
    );
    d.act('reviewer-wang', 'file-legality-review', {
      outcome: 'exploratory-reform',
      legalRiskStatement: 'No higher-level rule yet; pilot for two years.',
    });
    expect(d.state.currentStage).toBe('collective-discussion');
  });
  it('returns an unlawful draft for revision, then reviews the revision again', () => {
    const d = atLegality();
    d.advance(10 * SEC);
    d.act('reviewer-wang', 'file-legality-review', { outcome: 'unlawful' });
    expect(d.state.status).toBe('returned-for-revision');
    expectRefused(() => d.act('official-zhang', 'submit-for-discussion'), 'LEGALITY_REVIEW_REQUIRED');
    expectRefused(() => d.act('reviewer-wang', 'file-legality-review', { draftVersion: 1 }), 'REVISION_REQUIRED');
    d.act('official-zhang', 'revise-draft');
    expect(d.state.status).toBe('in-procedure');
    expect(d.state.draft.version).toBe(2);
    expect(d.state.invalidatedRecords.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['legality-submission', 'legality-review']),
    );
    expectRefused(() => d.act('reviewer-wang', 'file-legality-review'), 'NOT_ASSIGNED');
  });
});

describe('draft versions (DOMAIN §3 inv. 3)', () => {
  it('refuses a review of an older draft version', () => {
    const d = new Driver(undefined, { nonDisclosable: true });
    d.act('official-zhang', 'submit-for-legality-review');
    d.act('official-zhang', 'revise-draft');
    const r = expectRefused(
      () => d.act('official-zhang', 'submit-for-legality-review', { draftVersion: 1 }),
      'STALE_DRAFT_VERSION',
    );
    expect(r.details).toMatchObject({ given: 1, current: 2 });
  });

  it('re-opens legality and fairness review when the draft is revised before discussion', () => {
    const d = new Driver(undefined, ALL);
    throughReviews(d);
    expect(d.state.currentStage).toBe('collective-discussion');
    d.act('official-zhang', 'revise-draft');
    expect(d.state.currentStage).toBe('risk-assessment');
    expect(d.state.stages.find((s) => s.key === 'expert-demonstration')?.status).toBe('passed');
    expect(d.state.stages.find((s) => s.key === 'legality-review')?.status).toBe('pending');
    expect(
      d.state.assignments
        .filter((a) => a.status === 'open')
        .map((a) => a.userId)
        .sort(),
    ).toEqual(['assessor-qian', 'fairness-zhou']);
  });

  it('refuses a revision while the public can still comment on the published draft', () => {
    const d = new Driver();
    d.act('official-zhang', 'predisclose');
    expectRefused(() => d.act('official-zhang', 'revise-draft'), 'PUBLIC_WINDOW_OPEN');
  });

  it('refuses an unchanged draft and any revision after adoption', () => {
    const d = new Driver(undefined, ALL);
    expectRefused(() => d.act('official-zhang', 'revise-draft', { hash: d.state.draft.hash }), 'DRAFT_UNCHANGED');
    throughAdoption(d);
    expectRefused(() => d.act('official-zhang', 'revise-draft'), 'CHANGE_CONTROL_REQUIRED');
    expectRefused(() => d.act('official-zhang', 'withdraw'), 'CHANGE_CONTROL_REQUIRED');
  });
});

describe('risk and fairness outcomes', () => {
  it('sends an uncontrollable risk back for revision and reassessment (Art 24)', () => {
    const d = new Driver(undefined, { riskRelevant: true, nonDisclosable: true });
    d.act('official-zhang', 'assign', {
      stage: 'risk-assessment',
      assignees: [{ userId: 'assessor-qian', name: 'Qian Rui' }],
    });
    d.act('assessor-qian', 'file-risk-report', { rating: 'uncontrollable' });
    expect(d.state.returned?.stage).toBe('risk-assessment');
    d.act('official-zhang', 'revise-draft');
    expect(d.state.currentStage).toBe('risk-assessment');
    d.act('assessor-qian', 'file-risk-report', { draftVersion: 2 });
    expect(d.state.currentStage).toBe('legality-review');
  });
  it('needs a documented exception and blocks issuance on failure (Decree 783 Arts 12, 18)', () => {
    const d = new Driver(undefined, { marketRelated: true, nonDisclosable: true });
    d.act('official-zhang', 'submit-for-legality-review');
    d.advance(10 * SEC);
    d.act('reviewer-wang', 'file-legality-review');
    d.act('official-zhang', 'assign', {
      stage: 'fairness-review',
      assignees: [{ userId: 'fairness-zhou', name: 'Zhou Ping' }],
    });
    expectRefused(
      () => d.act('fairness-zhou', 'file-fairness-review', { conclusion: 'exception' }),
      'FAIRNESS_EXCEPTION_INCOMPLETE',
    );
    d.act('fairness-zhou', 'file-fairness-review', { conclusion: 'fail' });
    expect(d.state.status).toBe('returned-for-revision');
    d.act('official-zhang', 'revise-draft');
    expect(d.state.currentStage).toBe('legality-review');
  });
});

describe('collective discussion (Decree 713 Arts 29–30)', () => {
  function atDiscussion(): Driver {
    const d = new Driver(undefined, ALL);
    throughReviews(d);
    d.act('official-zhang', 'submit-for-discussion');
    return d;
  }
  it('puts the outcomes of stages 1–5 in the decision package', () => {
    const d = atDiscussion();
    const pkg = d.state.records.find((r) => r.kind === 'discussion-package');
    expect((pkg?.content.stages as unknown[]).length).toBe(5);
  });
  it('requires a quorum and the head speaking last', () => {
    const d = atDiscussion();
    const base = d.body('record-minutes') as {
      meeting: Record<string, unknown>;
      speeches: Array<Record<string, unknown>>;
    };
    expectRefused(
      () => d.act('secretary-he', 'record-minutes', { meeting: { ...base.meeting, membersTotal: 9 } }),
      'QUORUM_NOT_MET',
    );
    expectRefused(
      () => d.act('secretary-he', 'record-minutes', { speeches: [...base.speeches].reverse() }),
      'HEAD_MUST_SPEAK_LAST',
    );
  });
  it('requires the dissent field, which may be empty', () => {
    const d = atDiscussion();
    expectRefused(() => d.act('secretary-he', 'record-minutes', { dissent: undefined }), 'INVALID_INPUT');
    d.act('secretary-he', 'record-minutes', { dissent: '' });
  });
  it('requires the head’s reason when the decision differs from the majority', () => {
    const d = atDiscussion();
    d.act('secretary-he', 'record-minutes');
    expectRefused(() => d.act('head-gao', 'decide', { decision: 'reject' }), 'DIFFERENCE_REASON_REQUIRED');
    d.act('head-gao', 'decide', { decision: 'reject', reason: 'The provincial budget cannot carry it this year.' });
    expect(d.state.status).toBe('rejected');
    expectRefused(() => d.act('official-zhang', 'announce'), 'DECISION_CLOSED');
  });
  it('refuses the head’s decision before the minutes', () => {
    const d = atDiscussion();
    expectRefused(() => d.act('head-gao', 'decide'), 'MINUTES_REQUIRED');
  });
});

describe('publicity and hearing (Decree 713 Arts 16–17, 31–32)', () => {
  function adopted(on = ALL): Driver {
    const d = new Driver(undefined, on);
    throughAdoption(d);
    return d;
  }
  it('refuses publication before the announcement, the objection window, the hearing and the Party report', () => {
    const d = adopted();
    expectRefused(() => d.act('official-zhang', 'publish'), 'NOT_ANNOUNCED');
    d.act('official-zhang', 'announce');
    expectRefused(() => d.act('official-zhang', 'publish'), 'OBJECTION_WINDOW_OPEN');
    d.advance(11 * SEC);
    expectRefused(() => d.act('official-zhang', 'publish'), 'HEARING_REQUIRED');
  });
  it('requires hearing materials the template lead time ahead and every participant’s signature', () => {
    const d = adopted();
    d.act('official-zhang', 'announce');
    expectRefused(
      () =>
        d.act('official-zhang', 'schedule-hearing', {
          heldAt: new Date(d.now + 3 * SEC).toISOString(),
          materialsSentAt: new Date(d.now).toISOString(),
        }),
      'HEARING_NOTICE_TOO_SHORT',
    );
    d.act('official-zhang', 'schedule-hearing', {
      heldAt: new Date(d.now + 6 * SEC).toISOString(),
      materialsSentAt: new Date(d.now).toISOString(),
    });
    expectRefused(() => d.act('official-zhang', 'record-hearing'), 'HEARING_NOT_HELD_YET');
    d.advance(7 * SEC);
    expectRefused(
      () =>
        d.act('official-zhang', 'record-hearing', {
          signatures: [{ participant: 'Ma Li', signedAt: new Date(d.now).toISOString() }],
        }),
      'HEARING_RECORD_UNSIGNED',
    );
  });
  it('refuses publication without the Party committee report, and an entry into force before publication', () => {
    const d = adopted({ ...ALL, hearingRequired: false });
    d.act('official-zhang', 'announce');
    d.advance(11 * SEC);
    expectRefused(() => d.act('official-zhang', 'publish'), 'PARTY_COMMITTEE_REPORT_REQUIRED');
    d.act('head-gao', 'report-to-party-committee');
    expectRefused(
      () => d.act('official-zhang', 'publish', { effectiveAt: new Date(d.now - 1000).toISOString() }),
      'EFFECTIVE_BEFORE_PUBLICATION',
    );
    d.act('official-zhang', 'publish');
    d.advance(1);
    expect(d.state.status).toBe('in-force');
  });
});

describe('deadlines', () => {
  it('escalates an overdue assignment once, to the head and the supervisor', () => {
    const d = new Driver(
      withTemplate({
        stages: withTemplate({}).stages.map((s) =>
          s.key === 'risk-assessment' ? { ...s, assignmentDeadline: { seconds: 5 } } : s,
        ),
      }),
      { riskRelevant: true, nonDisclosable: true },
    );
    d.act('official-zhang', 'assign', {
      stage: 'risk-assessment',
      assignees: [{ userId: 'assessor-qian', name: 'Qian Rui' }],
    });
    d.advance(6 * SEC);
    const escalations = d.events.filter((e) => e.type === 'assignment-overdue');
    expect(escalations).toHaveLength(1);
    expect(escalations[0].notifications.map((n) => n.recipientRole).sort()).toEqual([
      'head',
      'risk-assessor',
      'supervisor',
    ]);
    d.advance(60 * SEC);
    expect(d.events.filter((e) => e.type === 'assignment-overdue')).toHaveLength(1);
  });
  it('does not escalate an assignment completed in time', () => {
    const d = new Driver(withTemplate({}), { riskRelevant: true, nonDisclosable: true });
    d.act('official-zhang', 'assign', {
      stage: 'risk-assessment',
      assignees: [{ userId: 'assessor-qian', name: 'Qian Rui' }],
    });
    d.act('assessor-qian', 'file-risk-report');
    d.advance(600 * SEC);
    expect(d.events.filter((e) => e.type === 'assignment-overdue')).toHaveLength(0);
  });
  it('closes the decision on withdrawal with a reason', () => {
    const d = new Driver();
    d.act('head-gao', 'withdraw');
    expect(d.state.status).toBe('withdrawn');
    expectRefused(() => d.act('official-zhang', 'predisclose'), 'DECISION_CLOSED');
  });
});
