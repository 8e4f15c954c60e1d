import {
  applyCommitmentAction,
  checkCommitmentAction,
  createCommitment,
  dueTimers,
  endOfPeriod,
  fireTimer,
  pendingTimers,
  type CommitmentActionName,
  type CommitmentEvent,
  type CommitmentState,
  type RegistrationBody,
} from '../../domain/commitment';
import { Refusal, type RefusalCode } from '../../domain/refusals';
import { demoActor } from '../../prisma/demo';

// The commitment engine in pure code, driven with a controlled clock the way the workflow drives
// it: registration, actions through check + apply, and timers fired when due.

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-27T10:00:00+08:00');
const OFFICE = {
  id: 'harbin-gov/drafting-office',
  role: 'drafting-official' as const,
  organId: 'harbin-gov',
  title: 'Drafting office',
};

class CommitmentDriver {
  state: CommitmentState;
  events: CommitmentEvent[] = [];
  now = T0;
  private seq = 0;
  constructor(overrides: Partial<RegistrationBody> = {}) {
    const body: RegistrationBody & { id: string } = {
      id: 'bus-contract',
      kind: 'contract',
      title: 'Purchase of 20 buses',
      responsibleOfficeId: OFFICE.id,
      counterparty: { id: 'harbin-bus', name: 'Harbin Bus Company', isSme: true },
      obligations: [
        { id: 'pay', kind: 'payment', description: 'Price of the buses', amountFen: 500_000_000 },
        {
          id: 'depot',
          kind: 'performance',
          description: 'Hand over the depot site',
          dueAt: new Date(T0 + 20 * DAY).toISOString(),
        },
      ],
      ...overrides,
    };
    const created = createCommitment(
      { body, responsibleOffice: OFFICE, actor: demoActor('official-zhang'), creationKey: 'k' },
      this.now,
      'register',
    );
    this.state = created.state;
    this.events.push(created.event);
  }
  act(userId: string, action: CommitmentActionName, payload: unknown): CommitmentEvent {
    const checked = checkCommitmentAction(this.state, { action, actor: demoActor(userId), payload }, this.now);
    const ev = applyCommitmentAction(this.state, checked, this.now, `u${++this.seq}`);
    this.events.push(ev);
    return ev;
  }
  refused(userId: string, action: CommitmentActionName, payload: unknown, code: RefusalCode): Refusal {
    const before = JSON.stringify(this.state);
    try {
      this.act(userId, action, payload);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      expect(e.code).toBe(code);
      expect(JSON.stringify(this.state)).toBe(before); // a refusal changes nothing
      return e;
    }
    throw new Error(`expected ${code}`);
  }
  /** Moves the clock, firing every timer that falls due on the way, as the workflow does. */
  advance(ms: number): CommitmentEvent[] {
    const target = this.now + ms;
    const fired: CommitmentEvent[] = [];
    for (let t = pendingTimers(this.state)[0]; t && t.at <= target; t = pendingTimers(this.state)[0]) {
      this.now = Math.max(this.now, t.at);
      for (const d of dueTimers(this.state, this.now)) {
        const ev = fireTimer(this.state, d, this.now);
        if (ev) fired.push(ev);
      }
    }
    this.now = target;
    this.events.push(...fired);
    return fired;
  }
  obligation(id: string) {
    return this.state.obligations.find((o) => o.id === id)!;
  }
}

const lawful = (categories: string[] = ['public-interest']) => ({
  categories,
  explanation: 'The depot site is needed for a hospital.',
});

it('registers obligations: an SME payment awaits delivery, a dated performance is scheduled', () => {
  const d = new CommitmentDriver();
  expect(d.obligation('pay')).toMatchObject({ status: 'awaiting-delivery', paymentTerm: { days: 30 }, dueAt: null });
  expect(d.obligation('depot')).toMatchObject({ status: 'scheduled', dueAt: T0 + 20 * DAY });
  expect(d.events[0]).toMatchObject({
    type: 'registered',
    revision: 1,
    legalBasis: expect.stringContaining('Decree 802'),
  });
  expect(pendingTimers(d.state).map((t) => t.kind)).toEqual(['reminder', 'overdue']);
});

it('refuses an SME payment term beyond 60 days, and a registration by anyone but a drafting official', () => {
  const obligations = [{ id: 'pay', kind: 'payment' as const, description: 'x', amountFen: 1, paymentTermDays: 61 }];
  expect(() => new CommitmentDriver({ obligations })).toThrow(
    expect.objectContaining({ code: 'SME_PAYMENT_TERM_TOO_LONG' }),
  );
  expect(
    () => new CommitmentDriver({ obligations, counterparty: { id: 'big', name: 'Big', isSme: false } }),
  ).not.toThrow();
  const body = {
    id: 'x-1',
    kind: 'contract' as const,
    title: 't',
    responsibleOfficeId: OFFICE.id,
    counterparty: { id: 'a', name: 'A', isSme: true },
    obligations,
  };
  expect(() =>
    createCommitment({ body, responsibleOffice: OFFICE, actor: demoActor('head-gao'), creationKey: 'k' }, T0, 'r'),
  ).toThrow(expect.objectContaining({ code: 'ROLE_REQUIRED' }));
});

it('sets the due date of an SME payment from its delivery, reminds before it, and records the breach', () => {
  const d = new CommitmentDriver();
  d.refused('official-zhang', 'record-delivery', { obligationId: 'depot' }, 'OBLIGATION_KIND_MISMATCH');
  d.refused(
    'official-zhang',
    'record-delivery',
    { obligationId: 'pay', deliveredAt: new Date(T0 + DAY).toISOString() },
    'INVALID_INPUT',
  );
  d.refused('head-gao', 'record-delivery', { obligationId: 'pay' }, 'NOT_RESPONSIBLE_OFFICE');
  const ev = d.act('official-zhang', 'record-delivery', { obligationId: 'pay' });
  const due = endOfPeriod(T0, { days: 30 });
  expect(d.obligation('pay')).toMatchObject({ deliveredAt: T0, dueAt: due, status: 'scheduled' });
  expect(ev.effects[0]).toContain(new Date(due).toISOString());
  d.refused('official-zhang', 'record-delivery', { obligationId: 'pay' }, 'ALREADY_DELIVERED');

  const early = d.advance(due - 7 * DAY - T0);
  const reminder = early.find((e) => e.payload.timer === `reminder:pay:${due}`)!;
  expect(reminder.at).toBe(due - 7 * DAY);
  expect(reminder.notifications).toEqual([
    expect.objectContaining({ recipientRole: 'drafting-official', recipientId: OFFICE.id, kind: 'reminder' }),
  ]);
  const fired = [...early, ...d.advance(30 * DAY)];
  const payment = fired.find((e) => e.type === 'obligation-overdue' && e.payload.timer === `overdue:pay:${due}`)!;
  expect(payment.integrity).toEqual([
    expect.objectContaining({
      kind: 'payment-overdue',
      at: due,
      officeId: OFFICE.id,
      sourceRef: `commitment:bus-contract:overdue:pay:${due}`,
    }),
  ]);
  expect(payment.notifications.map((n) => n.recipientRole).sort()).toEqual(['drafting-official', 'head', 'supervisor']);
  const depot = fired.find((e) => e.type === 'obligation-overdue' && e.payload.timer !== payment.payload.timer)!;
  expect(depot.integrity[0]).toMatchObject({ kind: 'obligation-overdue', at: T0 + 20 * DAY });
  expect(d.obligation('pay').status).toBe('overdue');
  expect(pendingTimers(d.state)).toEqual([]);

  d.refused(
    'official-zhang',
    'record-payment',
    { obligationId: 'pay', amountFen: 1, reference: 'T-1' },
    'PAYMENT_AMOUNT_MISMATCH',
  );
  const paid = d.act('official-zhang', 'record-payment', {
    obligationId: 'pay',
    amountFen: 500_000_000,
    reference: 'T-1',
  });
  expect(paid.effects[0]).toContain('late');
  expect(d.obligation('pay')).toMatchObject({ status: 'fulfilled', overdueSince: due });
});

it('skips a reminder that would come after the due date', () => {
  const d = new CommitmentDriver({
    obligations: [{ id: 'late', kind: 'performance', description: 'x', dueAt: new Date(T0 - DAY).toISOString() }],
  });
  const fired = d.advance(1);
  expect(fired.map((e) => e.type)).toEqual(['obligation-overdue']);
});

it('gives a complaint a response deadline and records it when unanswered', () => {
  const d = new CommitmentDriver();
  d.refused('official-zhang', 'file-complaint', { text: 'Not paid' }, 'ROLE_REQUIRED');
  const ev = d.act('entity-harbin-bus', 'file-complaint', {
    text: 'The buses are delivered and not paid.',
    obligationId: 'pay',
  });
  const c = d.state.complaints[0];
  expect(c).toMatchObject({ id: 'C-1', responseDueAt: endOfPeriod(T0, { days: 15 }), status: 'open' });
  expect(ev.payload).toMatchObject({ complaintId: 'C-1' });
  const fired = d.advance(16 * DAY).filter((e) => e.type === 'complaint-unanswered');
  expect(fired[0].integrity[0]).toMatchObject({
    kind: 'complaint-unanswered',
    at: c.responseDueAt,
    sourceRef: 'commitment:bus-contract:complaint:C-1',
  });
  d.act('official-zhang', 'respond-to-complaint', { complaintId: 'C-1', response: 'Payment is scheduled.' });
  expect(d.state.complaints[0].status).toBe('answered');
  d.refused(
    'official-zhang',
    'respond-to-complaint',
    { complaintId: 'C-1', response: 'Again' },
    'COMPLAINT_ALREADY_ANSWERED',
  );
  d.refused('official-zhang', 'respond-to-complaint', { complaintId: 'C-9', response: 'x' }, 'COMPLAINT_NOT_FOUND');
});

it('refuses a termination whose only ground is a change of officials, with the article', () => {
  const d = new CommitmentDriver();
  const grounds = {
    categories: ['replacement-of-responsible-person'],
    explanation: 'The new mayor does not support the project.',
  };
  const r = d.refused(
    'head-gao',
    'terminate',
    { grounds, legalBasis: 'none', compensation: { amountFen: 1, reason: 'x' } },
    'FORBIDDEN_GROUND',
  );
  expect(r.legalBasis).toBe('Decree 722 Art 31; Private Economy Promotion Law Art 70');
  d.refused('official-zhang', 'terminate', { grounds: lawful(), legalBasis: 'x' }, 'ROLE_REQUIRED');
});

it('terminates on lawful grounds only with compensation, which is then owed as an obligation', () => {
  const d = new CommitmentDriver();
  const r = d.refused(
    'head-gao',
    'terminate',
    {
      grounds: lawful(['public-interest', 'institutional-reorganisation']),
      legalBasis: 'Land Administration Law Art 58',
    },
    'COMPENSATION_REQUIRED',
  );
  expect(r.details).toMatchObject({ harms: expect.arrayContaining([expect.stringContaining('"pay"')]) });
  const payableBy = new Date(T0 + 10 * DAY).toISOString();
  d.act('head-gao', 'terminate', {
    grounds: lawful(),
    legalBasis: 'Land Administration Law Art 58',
    compensation: { amountFen: 80_000_000, reason: 'Loss of the contract', payableBy },
  });
  expect(d.state).toMatchObject({ status: 'terminated', closed: false, terminatedAt: T0 });
  expect(d.obligation('pay').status).toBe('cancelled');
  expect(d.obligation('compensation-1')).toMatchObject({
    kind: 'payment',
    amountFen: 80_000_000,
    dueAt: Date.parse(payableBy),
    status: 'scheduled',
  });
  expect(d.state.changes[0]).toMatchObject({
    type: 'termination',
    compensation: { amountFen: 80_000_000, obligationId: 'compensation-1' },
  });
  d.refused(
    'head-gao',
    'terminate',
    { grounds: lawful(), legalBasis: 'x', compensation: { amountFen: 1, reason: 'x' } },
    'COMMITMENT_CLOSED',
  );
  d.act('official-zhang', 'record-payment', {
    obligationId: 'compensation-1',
    amountFen: 80_000_000,
    reference: 'T-2',
  });
  expect(d.state.closed).toBe(true);
  d.refused('entity-harbin-bus', 'file-complaint', { text: 'x' }, 'COMMITMENT_CLOSED');
});

it('modifies a due date with compensation; the new date gets its own timers', () => {
  const d = new CommitmentDriver();
  const later = new Date(T0 + 40 * DAY).toISOString();
  const change = {
    grounds: lawful(['change-in-law']),
    legalBasis: 'Provincial Regulation Art 12',
    changes: [{ obligationId: 'depot', dueAt: later }],
  };
  d.refused('head-gao', 'request-modification', change, 'COMPENSATION_REQUIRED');
  d.refused(
    'head-gao',
    'request-modification',
    { ...change, changes: [{ obligationId: 'nope', dueAt: later }] },
    'OBLIGATION_NOT_FOUND',
  );
  d.act('head-gao', 'request-modification', {
    ...change,
    compensation: { amountFen: 0, reason: 'Settled: the entity agreed the new date' },
  });
  expect(d.obligation('depot').dueAt).toBe(Date.parse(later));
  expect(pendingTimers(d.state).find((t) => t.kind === 'overdue' && t.ref === 'depot')!.at).toBe(Date.parse(later));
  expect(d.advance(21 * DAY).filter((e) => e.type === 'obligation-overdue')).toEqual([]);
});

it('closes when every obligation is performed and no complaint is open', () => {
  const d = new CommitmentDriver();
  d.act('official-zhang', 'record-payment', { obligationId: 'pay', amountFen: 500_000_000, reference: 'T-1' });
  d.act('entity-harbin-bus', 'file-complaint', { text: 'The depot is not handed over.' });
  d.act('official-zhang', 'record-fulfilment', { obligationId: 'depot', evidence: 'Handover protocol 7' });
  expect(d.state).toMatchObject({ status: 'fulfilled', closed: false });
  d.act('official-zhang', 'respond-to-complaint', { complaintId: 'C-1', response: 'Handed over.' });
  expect(d.state.closed).toBe(true);
  expect(d.events.map((e) => e.revision)).toEqual(d.events.map((_, i) => i + 1));
});
