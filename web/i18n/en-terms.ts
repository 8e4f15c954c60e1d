// English names of the domain's terms: stages, statuses, record kinds, actions, refusals, fields.

export const enTerms = {
  stages: {
    'public-participation': 'Public participation',
    'expert-demonstration': 'Expert demonstration',
    'risk-assessment': 'Risk assessment',
    'legality-review': 'Legality review',
    'fairness-review': 'Fair-competition review',
    'collective-discussion': 'Collective discussion',
    'publicity-and-hearing': 'Publicity and hearing',
  },
  statuses: {
    'in-procedure': 'In procedure', 'returned-for-revision': 'Returned for revision', rejected: 'Rejected', withdrawn: 'Withdrawn', adopted: 'Adopted',
    announced: 'Announced', published: 'Published', 'in-force': 'In force', suspended: 'Suspended', terminated: 'Terminated',
  },
  stageStatuses: { pending: 'Not yet reached', active: 'Under way', passed: 'Passed', 'not-applicable': 'Not applicable' },
  assignmentStatuses: { open: 'Open', done: 'Done', withdrawn: 'Released' },
  publicDates: {
    'comment-closes': 'Comments close', 'survey-closes': 'Survey closes', hearing: 'Hearing', 'objections-close': 'Objections close', 'enters-into-force': 'Enters into force',
  },
  inForceStatuses: { 'not-in-force': 'Not yet in force', 'in-force': 'In force', suspended: 'Suspended', terminated: 'Terminated' },
  changeTypes: { 'urgent-suspension': 'Urgent suspension', resumption: 'Resumption', 'minor-amendment': 'Minor amendment', 'major-amendment': 'Major amendment', termination: 'Termination' },
  changeStatuses: { 'in-procedure': 'In procedure', effective: 'Effective', rejected: 'Rejected', withdrawn: 'Withdrawn' },
  dispositions: { adopted: 'Adopted', 'partly-adopted': 'Partly adopted', 'not-adopted': 'Not adopted', pending: 'Awaiting handling' },
  channels: { email: 'E-mail address', phone: 'Mobile phone number' },
  roles: {
    'drafting-official': 'Drafting official', expert: 'Expert', 'risk-assessor': 'Risk assessor', 'legality-reviewer': 'Legality reviewer', 'fairness-reviewer': 'Fair-competition reviewer',
    'meeting-secretary': 'Meeting secretary', head: 'Head of the organ', supervisor: 'Supervisor', 'directory-administrator': 'Directory administrator', 'market-entity': 'Market entity',
  },
  flagLabels: {
    specialised: 'Specialised or technical matter (expert demonstration)', riskRelevant: 'May harm stability, security, environment or finance (risk assessment)',
    marketRelated: 'Touches market entities (fair-competition review)', livelihood: 'Major livelihood matter (opinion survey)', hearingRequired: 'A hearing is required by law', nonDisclosable: 'Lawfully not disclosable',
  },
  recordKinds: {
    'not-applicable': 'Not applicable', predisclosure: 'Draft pre-disclosed', 'survey-opened': 'Survey opened', 'window-closed-early': 'Window closed early', 'comment-window-frozen': 'Comment window closed',
    'survey-window-frozen': 'Survey closed', 'feedback-report': 'Feedback report', assignment: 'Assignment', 'assignment-withdrawn': 'Assignment released', 'expert-opinion': 'Expert opinion',
    'risk-report': 'Risk assessment report', 'legality-submission': 'Submitted for legality review', 'legality-review': 'Legality review opinion', 'fairness-review': 'Fair-competition review',
    'discussion-package': 'Decision package submitted', minutes: 'Minutes of the meeting', decision: 'Decision of the head', announcement: 'Announcement', 'hearing-notice': 'Hearing notice',
    'hearing-record': 'Hearing record', 'party-committee-report': 'Report to the Party committee', publication: 'Publication', withdrawal: 'Withdrawal', escalation: 'Deadline missed, escalated',
  },
  facts: {
    rule: 'Rule', legalBasis: 'Legal basis', opensAt: 'Opens', closesAt: 'Closes', urgencyReason: 'Urgency reason', howToComment: 'How to comment', questions: 'Questions', window: 'Window', reason: 'Reason',
    opinionsReceived: 'Opinions received', answersReceived: 'Answers received', digest: 'Digest of the closed set', report: 'Report', opinionsDisposed: 'Opinions handled', assigned: 'Persons assigned',
    dissentingSlot: 'Includes a dissenting view', dissentSlotReason: 'Why no dissenting view', conclusion: 'Conclusion', opinion: 'Opinion', dissent: 'Dissent', signedBy: 'Signed by',
    noDirectInterest: 'Declared no direct interest', rating: 'Rating', riskPoints: 'Risk points', measures: 'Measures', contingencyPlan: 'Contingency plan', priorAssessment: 'Earlier assessment used',
    procedureExplanation: 'How the procedure was followed', outcome: 'Outcome', legalRiskStatement: 'Legal-risk statement', findings: 'Findings', exceptionPurpose: 'Exception: purpose',
    exceptionUntil: 'Exception: until', packageSummary: 'Decision package', meetingKind: 'Meeting', heldAt: 'Held at', attendance: 'Attendance / members', positions: 'Members’ positions',
    dissentRecorded: 'Dissent recorded', decision: 'Decision', announcement: 'Announcement', objectionsUntil: 'Objections until', place: 'Place', selectionMethod: 'Participant selection method',
    participants: 'Participants', record: 'Record', signatures: 'Signatures', reportedAt: 'Reported on', reference: 'Reference', gazetteReference: 'Gazette', url: 'Web address', effectiveAt: 'Enters into force', dueAt: 'Was due',
  },
  enums: {
    abstain: 'Abstain', adopt: 'Adopt', reject: 'Reject', comment: 'Comment window', survey: 'Survey', controllable: 'Controllable', uncontrollable: 'Uncontrollable', days: 'Calendar days', seconds: 'Seconds (demo only)',
    'e-signature': 'Electronic signature', signature: 'Handwritten signature', seal: 'Seal', exception: 'Exception (Decree 783 Art 12)', pass: 'Pass', fail: 'Fail', 'exploratory-reform': 'Exploratory reform',
    return: 'Return for revision', unlawful: 'Unlawful', executive: 'Executive meeting', plenary: 'Plenary meeting', 'multiple-choice': 'Several choices', 'single-choice': 'One choice', text: 'Free text',
    opposes: 'Opposes', supports: 'Supports', 'supports-with-changes': 'Supports with changes', 'expert-demonstration': 'Expert demonstration', 'risk-assessment': 'Risk assessment', 'fairness-review': 'Fair-competition review',
  },
  integrityKinds: {
    'out-of-order-attempt': 'Out-of-order attempt', 'forbidden-ground': 'Forbidden ground', 'suspension-unratified': 'Suspension not ratified', 'obligation-overdue': 'Obligation overdue',
    'payment-overdue': 'Payment to an SME overdue', 'complaint-unanswered': 'Complaint unanswered', manual: 'Recorded by a supervisor', correction: 'Correction',
  },
};
