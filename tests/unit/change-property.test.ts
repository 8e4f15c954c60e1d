import fc from 'fast-check';
import { FORBIDDEN_GROUNDS, LAWFUL_GROUNDS } from '../../domain/grounds';
import { inForceAt, type DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { CHANGE_TYPES } from '../../domain/template';
import { Driver } from '../support/domain-driver';

// Property-based: whatever sequence of change requests, change-procedure actions and clock moves
// follows a decision's entry into force, the lifecycle stays coherent (Decree 713 Art 37;
// DOMAIN §4): the text changes only when an amendment's procedure completes, versions in force
// follow each other without gap or overlap, a suspension is open exactly while the decision is
// suspended, one change runs at a time, and a forbidden ground never opens a change.

const SEC = 1000;

function inForce(): Driver {
  const d = new Driver(undefined, { nonDisclosable: true });
  for (const [who, action, advance] of [
    ['official-zhang', 'submit-for-legality-review', 11],
    ['reviewer-wang', 'file-legality-review', 0],
    ['official-zhang', 'submit-for-discussion', 0],
    ['secretary-he', 'record-minutes', 0],
    ['head-gao', 'decide', 0],
    ['official-zhang', 'announce', 0],
    ['head-gao', 'report-to-party-committee', 11],
    ['official-zhang', 'publish', 0],
  ] as const) {
    d.act(who, action);
    d.advance(advance * SEC);
  }
  d.advance(1);
  return d;
}

/** Who does what next in the change procedure, so that runs get somewhere. */
const NEXT: Record<string, [string, string]> = {
  'legality-review': ['official-zhang', 'submit-for-legality-review'],
  'collective-discussion': ['official-zhang', 'submit-for-discussion'],
  'publicity-and-hearing': ['official-zhang', 'announce'],
};
const FOLLOW: Record<string, [string, string]> = {
  'submit-for-legality-review': ['reviewer-wang', 'file-legality-review'],
  'submit-for-discussion': ['secretary-he', 'record-minutes'],
  'record-minutes': ['head-gao', 'decide'],
  announce: ['head-gao', 'report-to-party-committee'],
  'report-to-party-committee': ['official-zhang', 'publish'],
};

// Weighted towards progress so that change procedures get to their end in many runs.
const step = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      type: fc.constantFrom(...CHANGE_TYPES),
      who: fc.constantFrom('official-zhang', 'head-gao'),
      grounds: fc.subarray([...LAWFUL_GROUNDS, ...FORBIDDEN_GROUNDS], { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('progress' as const),
      decision: fc.constantFrom('adopt', 'adopt', 'adopt', 'reject'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 0, max: 70 }) }),
  },
);

function check(
  before: { draft: string; status: string },
  s: DecisionState,
  effectiveAmendments: number,
  now: number,
): void {
  const l = s.lifecycle!;
  for (let i = 1; i < l.versions.length; i++) expect(l.versions[i - 1].until).toBe(l.versions[i].from);
  const open = l.versions.filter((v) => v.until === null);
  if (s.status === 'terminated') {
    expect(open).toHaveLength(0);
    expect(l.terminatedAt).not.toBeNull();
  } else {
    expect(open).toHaveLength(1);
    expect(open[0].hash).toBe(s.draft.hash);
  }
  expect(l.versions.length).toBe(1 + effectiveAmendments);
  const suspended = l.suspensions.filter((x) => x.until === null);
  expect(suspended.length).toBe(s.status === 'suspended' ? 1 : 0);
  expect((s.changes ?? []).filter((c) => c.status === 'in-procedure').length).toBeLessThanOrEqual(1);
  for (const c of s.changes ?? [])
    expect(c.grounds.categories.some((g) => (LAWFUL_GROUNDS as readonly string[]).includes(g))).toBe(true);
  const answer = inForceAt(s, now);
  expect(answer.status).toBe(
    s.status === 'terminated' ? 'terminated' : s.status === 'suspended' ? 'suspended' : 'in-force',
  );
  if (before.status === 'terminated') expect(s.status).toBe('terminated');
}

it('keeps the lifecycle of a decision in force coherent under any sequence of changes', () => {
  let amendmentsApplied = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: 30, maxLength: 60 }), (steps) => {
      const d = inForce();
      let hashN = 0;
      const tryAct = (fn: () => unknown) => {
        try {
          fn();
        } catch (e) {
          if (!(e instanceof Refusal)) throw e;
        }
      };
      for (const st of steps) {
        const before = { draft: d.state.draft.hash, status: d.state.status };
        const active = (d.state.changes ?? []).find((c) => c.status === 'in-procedure');
        if (st.kind === 'request') {
          const hash = 'sha256:' + (++hashN).toString(16).padStart(64, '0');
          tryAct(() =>
            d.act(st.who, 'request-change', {
              type: st.type,
              grounds: { categories: st.grounds, explanation: 'Because.' },
              documentHash: hash,
            }),
          );
        } else if (st.kind === 'progress' && active) {
          const p = active.procedure;
          const last = p.records.filter((r) => r.stage === p.currentStage).at(-1)?.kind;
          const byRecord: Record<string, string> = {
            'legality-submission': 'submit-for-legality-review',
            'discussion-package': 'submit-for-discussion',
            minutes: 'record-minutes',
            announcement: 'announce',
            'party-committee-report': 'report-to-party-committee',
          };
          const [who, action] = (last && byRecord[last] && FOLLOW[byRecord[last]]) ||
            NEXT[p.currentStage ?? ''] || ['official-zhang', 'announce'];
          const overrides = action === 'decide' ? { decision: st.decision, reason: 'Considered.' } : {};
          tryAct(() => d.act(who, action as never, overrides, active.id));
        } else if (st.kind === 'advance') {
          d.advance(st.seconds * SEC);
        }
        const effective = (d.state.changes ?? []).filter(
          (c) => c.status === 'effective' && c.type.endsWith('amendment'),
        ).length;
        if (d.state.draft.hash !== before.draft) expect(effective).toBeGreaterThan(0);
        check(before, d.state, effective, d.now);
      }
      amendmentsApplied += (d.state.changes ?? []).filter((c) => c.status === 'effective').length;
    }),
    { numRuns: 300 },
  );
  // The generator must actually complete changes, or the property says little.
  expect(amendmentsApplied).toBeGreaterThan(50);
});
