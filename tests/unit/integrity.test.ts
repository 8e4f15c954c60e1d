import { decodeCursor, encodeCursor, yuan } from '../../app/integrity/feed';
import { demoActor } from '../../prisma/demo';
import { breachKindOf, breachOf } from '../../domain/integrity';
import { attemptedOffice, eligibilityWindow, eligibilityYears, withdrawnIds } from '../../lib/integrity';

// The pure parts of integrity records: which refusals are breaches and the office they name,
// corrections in force, the eligibility window and its setting, amounts in yuan, feed cursors.

describe('records from refusals (DOMAIN §5 [D])', () => {
  it('maps out-of-order and forbidden-ground refusals to their kinds, and nothing else', () => {
    expect(breachKindOf('STAGE_NOT_REACHED')).toBe('out-of-order-attempt');
    expect(breachKindOf('LEGALITY_REVIEW_REQUIRED')).toBe('out-of-order-attempt');
    expect(breachKindOf('FORBIDDEN_GROUND')).toBe('forbidden-ground');
    for (const code of ['ROLE_REQUIRED', 'WRONG_ORGAN', 'STALE_DRAFT_VERSION', 'toString', '__proto__'])
      expect(breachKindOf(code)).toBeNull();
  });

  it('attributes a breach only to an actor accountable in the decision (docs/authority.md)', () => {
    const scope = { organLineage: ['harbin-gov'], assignedOffices: ['expert-pool/li-wei'] };
    expect(breachOf(demoActor('official-zhang'), scope, 'STAGE_NOT_REACHED')).toBe('out-of-order-attempt');
    expect(breachOf(demoActor('expert-li'), scope, 'STAGE_NOT_REACHED')).toBe('out-of-order-attempt');
    expect(breachOf(demoActor('reviewer-wang'), scope, 'STAGE_NOT_REACHED')).toBeNull();
    expect(breachOf(demoActor('official-zhang'), scope, 'ROLE_REQUIRED')).toBeNull();
  });

  it('names the office in which the actor holds a role the action needs, preferring the decision organ', () => {
    const actor = {
      ...demoActor('head-gao'),
      roles: ['head' as const, 'drafting-official' as const],
      offices: [
        { id: 'other/drafting', role: 'drafting-official' as const, organId: 'other' },
        { id: 'harbin-gov/head', role: 'head' as const, organId: 'harbin-gov' },
        { id: 'harbin-gov/drafting', role: 'drafting-official' as const, organId: 'harbin-gov' },
      ],
    };
    expect(attemptedOffice(actor, 'publish', 'harbin-gov')).toBe('harbin-gov/drafting');
    expect(attemptedOffice(actor, 'publish', 'elsewhere')).toBe('other/drafting');
    expect(attemptedOffice(actor, 'decide', 'harbin-gov')).toBe('harbin-gov/head');
    expect(attemptedOffice(actor, 'request-change', 'harbin-gov')).toBe('harbin-gov/head');
    expect(attemptedOffice({ ...actor, offices: [] }, 'publish', 'harbin-gov')).toBeNull();
  });
});

describe('corrections in force', () => {
  it('withdraws a corrected record, unless its correction is itself corrected', () => {
    expect([...withdrawnIds([])]).toEqual([]);
    expect([...withdrawnIds([{ id: 'C1', correctsId: 'R1' }])]).toEqual(['R1']);
    const chain = withdrawnIds([
      { id: 'C1', correctsId: 'R1' },
      { id: 'C2', correctsId: 'C1' },
      { id: 'C3', correctsId: 'R2' },
      { id: 'C4', correctsId: 'R2' },
      { id: 'C5', correctsId: 'C3' },
    ]);
    expect([...chain].sort()).toEqual(['C1', 'C3', 'R2']);
  });
});

describe('the eligibility window', () => {
  it('defaults to 3 years, reads DUEPROCESS_ELIGIBILITY_YEARS, and refuses a bad value', () => {
    expect(eligibilityYears({})).toBe(3);
    expect(eligibilityYears({ DUEPROCESS_ELIGIBILITY_YEARS: '5' })).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'three', '51'])
      expect(() => eligibilityYears({ DUEPROCESS_ELIGIBILITY_YEARS: bad })).toThrow(/DUEPROCESS_ELIGIBILITY_YEARS/);
  });

  it('reaches back whole calendar years', () => {
    const at = new Date('2026-11-27T10:00:00.000Z');
    expect(eligibilityWindow(at, 3)).toEqual({ from: new Date('2023-11-27T10:00:00.000Z'), to: at, years: 3 });
    expect(eligibilityWindow(new Date('2028-02-29T00:00:00.000Z'), 1).from.toISOString()).toBe(
      '2027-03-01T00:00:00.000Z',
    );
  });
});

describe('the feed', () => {
  it('writes fen as yuan with two decimals', () => {
    expect([123456n, 5n, 100n, 0n, -250n].map(yuan)).toEqual(['1234.56', '0.05', '1.00', '0.00', '-2.50']);
    expect(yuan(null)).toBeNull();
  });

  it('round-trips its cursor and refuses one it did not write', () => {
    const p = { createdAt: new Date('2026-11-27T10:00:00.123Z'), id: 'IR-ABC' };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    for (const bad of [
      '',
      'bm9wZQ',
      Buffer.from('["x","y"]').toString('base64url'),
      Buffer.from('[1]').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });
});
