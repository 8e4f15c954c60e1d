import { Refusal } from '../refusals';
import type { DecisionState } from './state';

// DOMAIN §3 invariants 1–3 restated over the whole state, independent of how the state was
// reached. The publish gate calls it as a last line of defence; the property-based test calls it
// on every state any sequence of actions can produce.

export function publicationViolations(state: DecisionState): string[] {
  const v: string[] = [];
  const adopted = state.adoptedDraft;
  if (!adopted) return ['no draft has been adopted at collective discussion'];
  if (adopted.hash !== state.draft.hash)
    v.push(`the current draft v${state.draft.version} is not the adopted v${adopted.version}`);
  for (const s of state.stages) {
    if (s.key === 'publicity-and-hearing') continue;
    if (s.status !== 'passed' && s.status !== 'not-applicable') v.push(`stage ${s.key} has not passed`);
  }
  const bound = new Set([...state.template.revisionInvalidates, 'legality-review', 'collective-discussion']);
  for (const s of state.stages) {
    if (!bound.has(s.key) || s.status !== 'passed') continue;
    if (s.passed?.draftHash !== adopted.hash) v.push(`stage ${s.key} passed on another draft than the adopted one`);
  }
  const discussion = state.stages.find((s) => s.key === 'collective-discussion');
  for (const r of state.records) {
    if (r.stage === 'collective-discussion' && r.round === discussion?.round && r.draftHash !== adopted.hash) {
      v.push(`the ${r.kind} of collective discussion examined another draft than the adopted one`);
    }
  }
  return v;
}

export function assertPublishable(state: DecisionState): void {
  const v = publicationViolations(state);
  if (!v.length) return;
  const code = v.some((x) => x.includes('legality-review'))
    ? 'LEGALITY_REVIEW_REQUIRED'
    : v.some((x) => x.includes('draft'))
      ? 'STALE_DRAFT_VERSION'
      : 'STAGE_NOT_REACHED';
  throw new Refusal(code, `the decision cannot be published: ${v.join('; ')}`, { violations: v });
}
