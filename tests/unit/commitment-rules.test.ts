import {
  checkSmePaymentTerm,
  dueOnDelivery,
  effectiveTerm,
  endOfPeriod,
  harmsOfModification,
  harmsOfTermination,
  type CommitmentState,
  type ObligationState,
} from '../../domain/commitment';
import { authoriseCounterparty, authoriseResponsible, authoriseRole } from '../../domain/commitment/rules';
import type { Actor } from '../../domain/procedure';
import { Refusal, type RefusalCode } from '../../domain/refusals';
import { demoActor } from '../../prisma/demo';

// The pure rules of commitments: Civil Code periods, the SME payment term of Decree 802 Art 9,
// who may act (offices, not persons; successor organs), and when a change harms the entity.

const DAY = 86_400_000;
// 2026-11-27 10:00 in Harbin (+08:00).
const T0 = Date.parse('2026-11-27T10:00:00+08:00');

function refused(fn: () => unknown, code: RefusalCode): Refusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof Refusal) {
      expect(e.code).toBe(code);
      return e;
    }
    throw e;
  }
  throw new Error(`expected ${code}`);
}

const obligation = (o: Partial<ObligationState>): ObligationState => ({
  id: 'o1',
  kind: 'payment',
  description: 'Buses',
  amountFen: 100_000,
  paymentTerm: null,
  dueAt: null,
  deliveredAt: null,
  fulfilledAt: null,
  cancelledAt: null,
  remindedFor: null,
  overdueFor: null,
  overdueSince: null,
  reference: null,
  status: 'open',
  ...o,
});

function commitment(obligations: ObligationState[], isSme = true): CommitmentState {
  return {
    id: 'c1',
    kind: 'contract',
    title: 'Bus purchase',
    organId: 'harbin-gov',
    responsibleOffice: {
      id: 'harbin-gov/drafting-office',
      role: 'drafting-official',
      organId: 'harbin-gov',
      title: 'Drafting office',
    },
    counterparty: { id: 'harbin-bus', name: 'Harbin Bus Company', isSme },
    decisionId: null,
    demo: false,
    periods: { complaintResponse: { days: 15 }, reminderBefore: { days: 7 } },
    status: 'active',
    closed: false,
    revision: 1,
    createdAt: T0,
    registeredBy: {
      id: 'official-zhang',
      name: 'Zhang Wei',
      role: 'drafting-official',
      organId: 'harbin-gov',
      officeId: 'harbin-gov/drafting-office',
    },
    creationKey: 'k',
    obligations,
    complaints: [],
    changes: [],
    terminatedAt: null,
  };
}

describe('periods (Civil Code Art 201)', () => {
  it('does not count the day of delivery and ends at local midnight after the last day', () => {
    expect(new Date(endOfPeriod(T0, { days: 30 })).toISOString()).toBe('2026-12-27T16:00:00.000Z'); // 2026-12-28 00:00 +08:00
    expect(new Date(endOfPeriod(Date.parse('2026-11-27T23:59:00+08:00'), { days: 1 })).toISOString()).toBe(
      '2026-11-28T16:00:00.000Z',
    );
  });
  it('counts seconds exactly for demo commitments', () => {
    expect(endOfPeriod(T0, { seconds: 3 })).toBe(T0 + 3000);
  });
});

describe('the payment term of an SME (Decree 802 Art 9)', () => {
  it('defaults to 30 days after delivery, also when a fixed date is agreed', () => {
    expect(effectiveTerm({ kind: 'payment', dueAt: null, paymentTerm: null }, true)).toEqual({ days: 30 });
    expect(effectiveTerm({ kind: 'payment', dueAt: T0 + 90 * DAY, paymentTerm: null }, true)).toEqual({ days: 30 });
  });
  it('keeps an agreed term and gives a large firm’s fixed-date payment none', () => {
    expect(effectiveTerm({ kind: 'payment', dueAt: null, paymentTerm: { days: 45 } }, true)).toEqual({ days: 45 });
    expect(effectiveTerm({ kind: 'payment', dueAt: T0, paymentTerm: null }, false)).toBeNull();
    expect(effectiveTerm({ kind: 'payment', dueAt: null, paymentTerm: null }, false)).toEqual({ days: 30 });
    expect(effectiveTerm({ kind: 'performance', dueAt: null, paymentTerm: null }, true)).toBeNull();
  });
  it.each([[30], [45], [60]])('accepts an agreed term of %i days', (days) => {
    expect(() => checkSmePaymentTerm({ id: 'o1', kind: 'payment', paymentTerm: { days } }, true)).not.toThrow();
  });
  it.each([[61], [90], [365]])('refuses an agreed term of %i days with the article', (days) => {
    const r = refused(
      () => checkSmePaymentTerm({ id: 'o1', kind: 'payment', paymentTerm: { days } }, true),
      'SME_PAYMENT_TERM_TOO_LONG',
    );
    expect(r.status).toBe(409);
    expect(r.legalBasis).toContain('Decree 802 Art 9');
    expect(r.details).toMatchObject({ obligationId: 'o1', maximumDays: 60 });
  });
  it('refuses a seconds term longer than 60 days too, and lets a large firm agree any term', () => {
    refused(
      () => checkSmePaymentTerm({ id: 'o1', kind: 'payment', paymentTerm: { seconds: 61 * 86_400 } }, true),
      'SME_PAYMENT_TERM_TOO_LONG',
    );
    expect(() => checkSmePaymentTerm({ id: 'o1', kind: 'payment', paymentTerm: { days: 120 } }, false)).not.toThrow();
  });
  it('sets the due date on delivery, never later than a fixed date', () => {
    expect(dueOnDelivery(obligation({ paymentTerm: { days: 30 } }), true, T0)).toBe(endOfPeriod(T0, { days: 30 }));
    expect(dueOnDelivery(obligation({ paymentTerm: { days: 30 }, dueAt: T0 + 5 * DAY }), true, T0)).toBe(T0 + 5 * DAY);
    expect(dueOnDelivery(obligation({ dueAt: T0 + 50 * DAY }), false, T0)).toBe(T0 + 50 * DAY);
  });
});

describe('who may act: offices, not persons', () => {
  const state = commitment([obligation({})]);
  const successorOfficial: Actor = {
    id: 'official-new',
    name: 'New',
    roles: ['drafting-official'],
    organId: 'harbin-new',
    offices: [{ id: 'harbin-new/drafting', role: 'drafting-official', organId: 'harbin-new' }],
    actsFor: ['harbin-new', 'harbin-gov'],
  };
  const otherOrgan: Actor = { ...successorOfficial, actsFor: ['harbin-new'] };

  it('lets the holder of the responsible office act', () => {
    expect(authoriseResponsible(demoActor('official-zhang'), state)).toMatchObject({
      officeId: 'harbin-gov/drafting-office',
      role: 'drafting-official',
    });
  });
  it('lets the same role of the organ that carries the commitment on after a merger act', () => {
    expect(authoriseResponsible(successorOfficial, state)).toMatchObject({
      officeId: 'harbin-new/drafting',
      organId: 'harbin-new',
    });
  });
  it('refuses the same role in an unrelated organ, and another office of the organ', () => {
    refused(() => authoriseResponsible(otherOrgan, state), 'NOT_RESPONSIBLE_OFFICE');
    refused(() => authoriseResponsible(demoActor('head-gao'), state), 'NOT_RESPONSIBLE_OFFICE');
  });
  it('requires the head of the organ for a change', () => {
    expect(authoriseRole(demoActor('head-gao'), 'head', 'harbin-gov')).toMatchObject({
      role: 'head',
      officeId: 'harbin-gov/head',
    });
    refused(() => authoriseRole(demoActor('official-zhang'), 'head', 'harbin-gov'), 'ROLE_REQUIRED');
    refused(
      () => authoriseRole({ ...demoActor('head-gao'), actsFor: ['harbin-justice'] }, 'head', 'harbin-gov'),
      'WRONG_ORGAN',
    );
  });
  it('lets only the counterparty complain', () => {
    expect(authoriseCounterparty(demoActor('entity-harbin-bus'), state)).toMatchObject({
      role: 'market-entity',
      organId: 'harbin-bus',
    });
    const other: Actor = {
      ...demoActor('entity-harbin-bus'),
      id: 'entity-other',
      organId: 'other-co',
      actsFor: ['other-co'],
    };
    const r = refused(() => authoriseCounterparty(other, state), 'NOT_COUNTERPARTY');
    expect(r.status).toBe(403);
    refused(() => authoriseCounterparty(demoActor('official-zhang'), state), 'ROLE_REQUIRED');
  });
});

describe('when a change harms the entity (Decree 722 Art 31; PEPL Arts 70, 73)', () => {
  const lawful = { categories: ['public-interest' as const], explanation: 'Road works' };
  const state = commitment([
    obligation({ id: 'pay', dueAt: T0 + 10 * DAY }),
    obligation({ id: 'land', kind: 'performance', amountFen: null }),
  ]);

  it('finds a cancelled, reduced or postponed obligation harmful', () => {
    const harms = harmsOfModification(
      state,
      [
        { obligationId: 'pay', amountFen: 50_000, dueAt: new Date(T0 + 20 * DAY).toISOString() },
        { obligationId: 'land', cancel: true },
      ],
      lawful,
      false,
    );
    expect(harms).toHaveLength(3);
  });
  it('finds an earlier date, a higher amount or a new description harmless', () => {
    expect(
      harmsOfModification(
        state,
        [
          {
            obligationId: 'pay',
            amountFen: 200_000,
            dueAt: new Date(T0 + DAY).toISOString(),
            description: 'More buses',
          },
        ],
        lawful,
        false,
      ),
    ).toEqual([]);
  });
  it('counts what the head declares, and nothing else when the entity itself breached', () => {
    expect(
      harmsOfModification(
        state,
        [{ obligationId: 'land', cancel: true }],
        { categories: ['counterparty-breach'], explanation: 'No buses' },
        false,
      ),
    ).toEqual([]);
    expect(harmsOfModification(state, [{ obligationId: 'pay', description: 'x' }], lawful, true)).toEqual([
      'declared by the head of the organ',
    ]);
  });
  it('finds a termination harmful for every obligation still owed', () => {
    expect(harmsOfTermination(state, lawful, false)).toHaveLength(2);
    expect(harmsOfTermination(state, { categories: ['counterparty-breach'], explanation: 'x' }, false)).toEqual([]);
  });
});
