import { inForceAt } from '../../domain/procedure';
import { Refusal, type RefusalCode } from '../../domain/refusals';
import { Driver } from '../support/domain-driver';

// Change control of an adopted decision (Decree 713 Art 37; DOMAIN §4), on the pure engine.

const SEC = 1000;

function expectRefused(fn: () => unknown, code: RefusalCode): Refusal {
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

/** A decision with legality review, discussion and publicity only, brought into force. */
function inForce(): Driver {
  const d = new Driver(undefined, { nonDisclosable: true });
  d.act('official-zhang', 'submit-for-legality-review');
  d.advance(11 * SEC);
  d.act('reviewer-wang', 'file-legality-review');
  d.act('official-zhang', 'submit-for-discussion');
  d.act('secretary-he', 'record-minutes');
  d.act('head-gao', 'decide');
  d.act('official-zhang', 'announce');
  d.act('head-gao', 'report-to-party-committee');
  d.advance(11 * SEC);
  d.act('official-zhang', 'publish');
  d.advance(1);
  expect(d.state.status).toBe('in-force');
  return d;
}

const HASH2 = 'sha256:' + '22'.repeat(32);
const ground = (categories: string[]) => ({ categories, explanation: 'Why it must change.' });

function request(d: Driver, who: string, type: string, categories = ['change-in-law']) {
  d.act(who, 'request-change', { type, grounds: ground(categories), documentHash: HASH2 });
  return d.state.changes!.at(-1)!;
}

/** Runs a change procedure's discussion (and publicity when the type re-runs it). */
function discussAndPublish(d: Driver, id: string, publish: boolean) {
  const v = () => ({ draftVersion: d.state.changes!.find((c) => c.id === id)!.procedure.draft.version });
  d.act('official-zhang', 'submit-for-discussion', v(), id);
  d.act('secretary-he', 'record-minutes', v(), id);
  d.act('head-gao', 'decide', v(), id);
  if (!publish) return;
  d.act('official-zhang', 'announce', {}, id);
  d.act('head-gao', 'report-to-party-committee', {}, id);
  d.advance(11 * SEC);
  d.act('official-zhang', 'publish', {}, id);
  d.advance(1);
}

describe('change requests', () => {
  it('refuses a change before the decision is in force, and a direct revision after', () => {
    const d = new Driver(undefined, { nonDisclosable: true });
    expectRefused(() => request(d, 'official-zhang', 'minor-amendment'), 'NOT_IN_FORCE');
    const f = inForce();
    expectRefused(() => f.act('official-zhang', 'revise-draft'), 'CHANGE_CONTROL_REQUIRED');
  });

  it('refuses a change whose only ground is a change of officials (Decree 722 Art 31; PEPL Art 70)', () => {
    const d = inForce();
    const r = expectRefused(
      () => request(d, 'official-zhang', 'termination', ['replacement-of-responsible-person']),
      'FORBIDDEN_GROUND',
    );
    expect(r.legalBasis).toMatch(/Decree 722 Art 31.*Art 70/);
    expectRefused(
      () => request(d, 'official-zhang', 'termination', ['change-of-government-term', 'institutional-reorganisation']),
      'FORBIDDEN_GROUND',
    );
    expect(d.state.changes ?? []).toHaveLength(0);
    request(d, 'official-zhang', 'termination', ['replacement-of-responsible-person', 'public-interest']);
    expect(d.state.changes).toHaveLength(1);
  });

  it('runs only the stages its type re-runs, recording the others as not applicable with the rule', () => {
    const d = inForce();
    const c = request(d, 'official-zhang', 'minor-amendment');
    const byKey = Object.fromEntries(c.procedure.stages.map((s) => [s.key, s]));
    expect(byKey['legality-review'].status).toBe('active');
    expect(byKey['public-participation'].status).toBe('not-applicable');
    expect(byKey['public-participation'].notApplicable?.rule).toMatch(/Decree 713 Art 37.*minor-amendment/);
    expectRefused(() => request(d, 'official-zhang', 'termination'), 'CHANGE_IN_PROGRESS');
    expectRefused(
      () => d.act('official-zhang', 'submit-for-discussion', { draftVersion: 1 }, c.id),
      'LEGALITY_REVIEW_REQUIRED',
    );
    expectRefused(() => d.act('official-zhang', 'predisclose', {}, 'change-9'), 'CHANGE_NOT_FOUND');
  });

  it('puts an amended text in force only when its procedure completes, and answers which text was in force when', () => {
    const d = inForce();
    const before = d.now;
    const c = request(d, 'official-zhang', 'minor-amendment');
    d.act('official-zhang', 'submit-for-legality-review', {}, c.id);
    d.advance(11 * SEC);
    d.act('reviewer-wang', 'file-legality-review', {}, c.id);
    expect(d.state.draft.version).toBe(1);
    discussAndPublish(d, c.id, true);
    expect(d.state.changes![0].status).toBe('effective');
    expect(d.state.draft).toEqual({ version: 2, hash: HASH2 });
    expect(d.state.status).toBe('in-force');
    expect(inForceAt(d.state, before).version).toMatchObject({ version: 1, adoptedBy: 'main' });
    expect(inForceAt(d.state, d.now).version).toMatchObject({ version: 2, hash: HASH2, adoptedBy: c.id });
    expect(d.state.lifecycle!.versions[0].until).toBe(d.state.lifecycle!.versions[1].from);
  });

  it('leaves the text unchanged when collective discussion rejects the change', () => {
    const d = inForce();
    const c = request(d, 'official-zhang', 'minor-amendment');
    d.act('official-zhang', 'submit-for-legality-review', {}, c.id);
    d.advance(11 * SEC);
    d.act('reviewer-wang', 'file-legality-review', {}, c.id);
    d.act('official-zhang', 'submit-for-discussion', {}, c.id);
    d.act('secretary-he', 'record-minutes', {}, c.id);
    d.act('head-gao', 'decide', { decision: 'reject', reason: 'The amendment is premature.' }, c.id);
    expect(d.state.changes![0].status).toBe('rejected');
    expect(d.state.draft.version).toBe(1);
    expectRefused(() => d.act('official-zhang', 'announce', {}, c.id), 'DECISION_CLOSED');
  });
});

describe('urgent suspension and resumption', () => {
  it('is ordered by the head only, takes effect at once, and is ratified by collective discussion', () => {
    const d = inForce();
    expectRefused(() => request(d, 'official-zhang', 'urgent-suspension', ['emergency']), 'ROLE_REQUIRED');
    const c = request(d, 'head-gao', 'urgent-suspension', ['emergency']);
    expect(d.state.status).toBe('suspended');
    expect(inForceAt(d.state, d.now).status).toBe('suspended');
    discussAndPublish(d, c.id, false);
    expect(d.state.lifecycle!.suspensions[0]).toMatchObject({ ratified: true, until: null });
    expect(d.state.status).toBe('suspended');
    d.advance(120 * SEC);
    expect(d.events.filter((e) => e.type === 'suspension-unratified')).toHaveLength(0);
    const r = request(d, 'official-zhang', 'resumption', ['implementation-evaluation']);
    discussAndPublish(d, r.id, false);
    expect(d.state.status).toBe('in-force');
    expect(d.state.lifecycle!.suspensions[0].until).toBe(d.now);
  });

  it('escalates and creates an integrity record when not ratified in time', () => {
    const d = inForce();
    request(d, 'head-gao', 'urgent-suspension', ['emergency']);
    d.advance(61 * SEC);
    const overdue = d.events.filter((e) => e.type === 'suspension-unratified');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].integrity).toEqual([
      expect.objectContaining({
        kind: 'suspension-unratified',
        officeId: 'harbin-gov/head',
        legalBasis: 'Decree 713 Art 37',
      }),
    ]);
    expect(overdue[0].notifications.map((n) => n.recipientRole).sort()).toEqual(['head', 'supervisor']);
    d.advance(600 * SEC);
    expect(d.events.filter((e) => e.type === 'suspension-unratified')).toHaveLength(1);
  });

  it('lifts the suspension when collective discussion does not ratify it', () => {
    const d = inForce();
    const c = request(d, 'head-gao', 'urgent-suspension', ['emergency']);
    d.act('official-zhang', 'submit-for-discussion', {}, c.id);
    d.act(
      'secretary-he',
      'record-minutes',
      {
        speeches: [
          { speaker: 'A', isHead: false, position: 'reject' },
          { speaker: 'Gao Ming', isHead: true, position: 'reject' },
        ],
      },
      c.id,
    );
    d.act('head-gao', 'decide', { decision: 'reject' }, c.id);
    expect(d.state.status).toBe('in-force');
    expect(d.state.lifecycle!.suspensions[0]).toMatchObject({ ratified: false });
    expectRefused(() => request(d, 'official-zhang', 'resumption'), 'NOT_SUSPENDED');
  });
});

describe('termination', () => {
  it('re-runs the full procedure, then ends the decision; nothing can be changed afterwards', () => {
    const d = inForce();
    const c = request(d, 'official-zhang', 'termination', ['public-interest']);
    expect(c.procedure.currentStage).toBe('legality-review'); // participation: the decision is not disclosable
    d.act('official-zhang', 'submit-for-legality-review', {}, c.id);
    d.advance(11 * SEC);
    d.act('reviewer-wang', 'file-legality-review', {}, c.id);
    discussAndPublish(d, c.id, true);
    expect(d.state.status).toBe('terminated');
    expect(inForceAt(d.state, d.now).status).toBe('terminated');
    expectRefused(() => request(d, 'official-zhang', 'minor-amendment'), 'DECISION_CLOSED');
  });
});
