import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { CreateDecisionInput } from '../../domain/procedure';
import { decisionStateQuery, performActionUpdate, workflowIdFor } from '../../workflows/definitions';
import type { decisionWorkflow } from '../../workflows';
import { actor, Driver, flags, withTemplate } from '../support/domain-driver';
import { sleep, STACK_HOOK_MS, waitFor } from '../support/wait';
import { startStack, type Stack } from '../support/stack';

// The decision workflow against a real Temporal dev server, without the HTTP layer.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

function input(template = withTemplate({}), on = {}): CreateDecisionInput {
  const id = `wf-${randomUUID().slice(0, 8)}`;
  return {
    id,
    title: 'Workflow test',
    summary: 's',
    organId: 'harbin-gov',
    template,
    flags: flags(on),
    nonDisclosableReason: (on as { nonDisclosable?: boolean }).nonDisclosable ? 'internal' : null,
    draftHash: 'sha256:' + '11'.repeat(32),
    actor: actor('official-zhang'),
    creationKey: id,
  };
}

async function start(i: CreateDecisionInput) {
  return stack.client.workflow.start<typeof decisionWorkflow>('decisionWorkflow', {
    workflowId: workflowIdFor(i.id),
    taskQueue: stack.taskQueue,
    args: [{ create: i }],
  });
}

/** Example payloads with what the API would fill in. */
const body = (action: Parameters<Driver['body']>[0], overrides = {}) => new Driver().body(action, overrides);

it('refuses an out-of-order action in the validator: the attempt never enters history', async () => {
  const h = await start(input(undefined, { nonDisclosable: true }));
  const refused = h.executeUpdate(performActionUpdate, {
    args: [{ action: 'submit-for-discussion', actor: actor('official-zhang'), payload: body('submit-for-discussion') }],
  });
  await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await refused.catch((e: WorkflowUpdateFailedError) =>
    expect((e.cause as { type?: string }).type).toBe('LEGALITY_REVIEW_REQUIRED'),
  );
  expect((await h.query(decisionStateQuery)).revision).toBe(1);
  await h.executeUpdate(performActionUpdate, {
    args: [
      {
        action: 'submit-for-legality-review',
        actor: actor('official-zhang'),
        payload: body('submit-for-legality-review'),
      },
    ],
  });
  const history = await h.fetchHistory();
  const accepted = history.events!.filter(
    (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  );
  expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)).toEqual([
    'performAction',
  ]);
  expect((await h.query(decisionStateQuery)).revision).toBe(2);
});

it('accepts exactly one of two reviewers concluding the same stage at the same moment', async () => {
  const h = await start(input(undefined, { nonDisclosable: true }));
  await h.executeUpdate(performActionUpdate, {
    args: [
      {
        action: 'submit-for-legality-review',
        actor: actor('official-zhang'),
        payload: body('submit-for-legality-review'),
      },
    ],
  });
  await sleep(10_500); // the demo template's minimum legality review (10 s) passes on the clock
  const attempts = await Promise.allSettled(
    ['pass', 'pass', 'return'].map((outcome) =>
      h.executeUpdate(performActionUpdate, {
        args: [
          {
            action: 'file-legality-review',
            actor: actor('reviewer-wang'),
            payload: body('file-legality-review', { outcome }),
          },
        ],
      }),
    ),
  );
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  const codes = attempts
    .filter((a): a is PromiseRejectedResult => a.status === 'rejected')
    .map((a) => (a.reason.cause as { type: string }).type);
  expect(codes).toHaveLength(2);
  const records = await stack.prisma.stageRecord.findMany({
    where: { decisionId: (await h.query(decisionStateQuery)).id, kind: 'legality-review' },
  });
  expect(records).toHaveLength(1);
});

it('escalates an overdue assignment once and records it, with notifications to the head and supervisor', async () => {
  const t = withTemplate({
    stages: withTemplate({}).stages.map((s) =>
      s.key === 'risk-assessment' ? { ...s, assignmentDeadline: { seconds: 1 } } : s,
    ),
  });
  const i = input(t, { riskRelevant: true, nonDisclosable: true });
  const h = await start(i);
  await h.executeUpdate(performActionUpdate, {
    args: [
      {
        action: 'assign',
        actor: actor('official-zhang'),
        payload: body('assign', { stage: 'risk-assessment', assignees: [{ userId: 'assessor-qian' }] }),
      },
    ],
  });
  const escalations = await waitFor(
    async () => {
      const found = await stack.prisma.stageRecord.findMany({ where: { decisionId: i.id, kind: 'escalation' } });
      return found.length ? found : null;
    },
    { what: `the escalation record of ${i.id}` },
  );
  expect(escalations).toHaveLength(1);
  const audit = await stack.prisma.auditEntry.findMany({ where: { decisionId: i.id, action: 'assignment-overdue' } });
  expect(audit).toHaveLength(1);
  // The notifications go out after the escalation is recorded.
  const overdue = () =>
    stack.notifier.sent
      .filter((n) => n.decisionId === i.id && n.kind === 'overdue')
      .map((n) => n.recipientRole)
      .sort();
  await waitFor(() => overdue().length >= 3, { what: 'the three overdue notifications', state: overdue });
  expect(overdue()).toEqual(['head', 'risk-assessor', 'supervisor']);
  const state = await h.query(decisionStateQuery);
  expect(state.assignments[0].escalatedAt).toBeGreaterThan(0);
});

it('resolves a working-day period on the holiday calendar through an activity', async () => {
  const i = input(withTemplate({ durations: { ...withTemplate({}).durations, legalityReview: { workingDays: 7 } } }), {
    nonDisclosable: true,
  });
  const h = await start(i);
  await h.executeUpdate(performActionUpdate, {
    args: [
      {
        action: 'submit-for-legality-review',
        actor: actor('official-zhang'),
        payload: body('submit-for-legality-review'),
      },
    ],
  });
  const at = await waitFor(
    async () => (await h.query(decisionStateQuery)).deadlines.find((d) => d.kind === 'legality-minimum')?.at ?? null,
    {
      what: 'the working-day legality minimum to be resolved',
      intervalMs: 100,
    },
  );
  // Seven working days cannot end sooner than nine calendar days after today (at least one weekend).
  expect(at - Date.now()).toBeGreaterThan(8 * 86_400_000);
  const refused = h.executeUpdate(performActionUpdate, {
    args: [{ action: 'file-legality-review', actor: actor('reviewer-wang'), payload: body('file-legality-review') }],
  });
  await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
});
