import request from 'supertest';
import { exampleBodies } from '../../../domain/examples';
import type { ActionName } from '../../../domain/actions';
import type { Stack } from '../../support/stack';
import { sleep } from '../../support/api-driver';
import { newDecision, type Identity, type World } from './world';

// How an answer reads (allowed, 401, 403), and the decisions that put an assigned stage in front
// of its assignee. What the answer should be comes from docs/authority.md (authority-model.ts).

export type Expected = 401 | 403 | 'allow';

export function verdict(status: number): Expected | 'error' {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403) return status;
  return 'allow';
}

/** The assigned actions, and the role whose member the matrix assigns. */
export const ASSIGNED_ACTIONS: Partial<
  Record<ActionName, 'expert' | 'risk-assessor' | 'legality-reviewer' | 'fairness-reviewer'>
> = {
  'file-expert-opinion': 'expert',
  'file-risk-report': 'risk-assessor',
  'file-legality-review': 'legality-reviewer',
  'file-fairness-review': 'fairness-reviewer',
};

async function act(stack: Stack, who: Identity, id: string, action: string, body: unknown): Promise<void> {
  const res = await request(stack.app)
    .post(`/api/decisions/${id}/actions/${action}`)
    .set(who.headers)
    .send(body as object);
  if (res.status !== 200) throw new Error(`setup ${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

const ND = { nonDisclosable: true };
const reason = { nonDisclosableReason: 'Security matter (test)' };

/** A decision whose current stage is the action's, with the organ's member of the role assigned. */
export async function decisionAtStage(stack: Stack, w: World, action: ActionName): Promise<string> {
  const official = w.member['drafting-official'];
  const assignee = w.member[ASSIGNED_ACTIONS[action]!];
  const reviewer = { userId: w.member['legality-reviewer'].userId };
  const ex = exampleBodies();
  if (action === 'file-expert-opinion' || action === 'file-risk-report') {
    const expert = action === 'file-expert-opinion';
    const id = await newDecision(stack, w, {
      flags: { ...ND, [expert ? 'specialised' : 'riskRelevant']: true },
      ...reason,
    });
    await act(stack, official, id, 'assign', {
      stage: expert ? 'expert-demonstration' : 'risk-assessment',
      assignees: [{ userId: assignee.userId, ...(expert ? { dissentingView: true } : {}) }],
    });
    return id;
  }
  const id = await newDecision(stack, w, {
    flags: { ...ND, ...(action === 'file-fairness-review' ? { marketRelated: true } : {}) },
    ...reason,
  });
  await act(stack, official, id, 'submit-for-legality-review', { ...ex['submit-for-legality-review'], reviewer });
  if (action === 'file-legality-review') return id;
  // The fast template's minimum review time is one second.
  await sleep(1_300);
  await act(stack, w.member['legality-reviewer'], id, 'file-legality-review', ex['file-legality-review']);
  await act(stack, official, id, 'assign', { stage: 'fairness-review', assignees: [{ userId: assignee.userId }] });
  return id;
}
