import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  endOfPeriod,
  type CommitmentActionName,
  type RegisterCommitmentInput,
  type RegistrationBody,
} from '../../domain/commitment';
import { handOver, resolveActor } from '../../lib/directory';
import type { commitmentWorkflow } from '../../workflows';
import {
  commitmentActionUpdate,
  commitmentChainId,
  commitmentRegisteredUpdate,
  commitmentStateQuery,
  commitmentWorkflowId,
} from '../../workflows/commitment-definitions';
import { startStack, type Stack } from '../support/stack';
import { sleep, STACK_HOOK_MS, waitFor } from '../support/wait';

// The commitment workflow against a real Temporal dev server and PostgreSQL, without the HTTP
// layer: durable timers with seconds-scale periods (a demo commitment), integrity records naming
// the office holder at the moment of the breach, and offices that outlive their holders and organs.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const DAY = 86_400_000;

/** A fresh organ with a responsible office (held by A), a head, and a market entity of its own. */
async function directory() {
  const n = randomUUID().slice(0, 8);
  const organ = `organ-${n}`;
  const people = { a: `a-${n}`, b: `b-${n}`, head: `head-${n}`, entity: `entity-${n}` };
  await stack.addStaff({ id: people.a, name: `Official A ${n}`, organId: organ, roles: ['drafting-official'] });
  await stack.addStaff({ id: people.b, name: `Official B ${n}`, organId: organ, roles: [] });
  await stack.addStaff({ id: people.head, name: `Head ${n}`, organId: organ, roles: ['head'] });
  await stack.addStaff({ id: people.entity, name: `Entity ${n}`, organId: `firm-${n}`, roles: ['market-entity'] });
  const office = {
    id: `${organ}/drafting-official/${people.a}`,
    role: 'drafting-official' as const,
    organId: organ,
    title: 'Payments office',
  };
  return { n, organ, firm: `firm-${n}`, people, office };
}
type Directory = Awaited<ReturnType<typeof directory>>;

async function register(dir: Directory, body: Partial<RegistrationBody> = {}) {
  const id = `cw-${dir.n}-${randomUUID().slice(0, 4)}`;
  const input: RegisterCommitmentInput = {
    body: {
      id,
      kind: 'contract',
      title: 'Purchase of buses',
      responsibleOfficeId: dir.office.id,
      counterparty: { id: dir.firm, name: 'Bus maker', isSme: true },
      obligations: [{ id: 'pay', kind: 'payment', description: 'Price', amountFen: 1_000_000 }],
      demo: true,
      periods: { reminderBefore: { seconds: 2 }, complaintResponse: { seconds: 2 } },
      ...body,
    },
    responsibleOffice: dir.office,
    actor: (await resolveActor(stack.prisma, dir.people.a))!,
    creationKey: id,
  };
  const handle = await stack.client.workflow.start<typeof commitmentWorkflow>('commitmentWorkflow', {
    workflowId: commitmentWorkflowId(id),
    taskQueue: stack.taskQueue,
    args: [{ register: input }],
  });
  await handle.executeUpdate(commitmentRegisteredUpdate, { args: [{ creationKey: id }] });
  const act = async (userId: string, action: CommitmentActionName, payload: unknown) =>
    handle.executeUpdate(commitmentActionUpdate, {
      args: [{ action, actor: (await resolveActor(stack.prisma, userId))!, payload }],
    });
  return { id, handle, act };
}

const integrity = (commitmentId: string, kind: string) =>
  stack.prisma.integrityRecord.findMany({ where: { commitmentId, kind }, orderBy: { createdAt: 'asc' } });

/** The commitment's first integrity record of `kind`, once its timer has fired in the workflow. */
async function firstRecord(commitmentId: string, kind: string) {
  const records = await waitFor(
    async () => {
      const found = await integrity(commitmentId, kind);
      return found.length ? found : null;
    },
    { what: `a ${kind} integrity record of ${commitmentId}` },
  );
  return records[0];
}

it('records a delivery and sets the SME payment’s due date at the end of its 30th day, in order in the audit chain', async () => {
  const dir = await directory();
  const c = await register(dir, { demo: false, periods: undefined });
  const result = await c.act(dir.people.a, 'record-delivery', { obligationId: 'pay' });
  const state = await c.handle.query(commitmentStateQuery);
  const pay = state.obligations[0];
  expect(pay.dueAt).toBe(endOfPeriod(pay.deliveredAt!, { days: 30 }));
  expect(pay.dueAt! - pay.deliveredAt!).toBeGreaterThan(30 * DAY);
  expect(pay.dueAt! - pay.deliveredAt!).toBeLessThanOrEqual(31 * DAY);
  expect(result).toMatchObject({ revision: 2, status: 'active' });
  const row = await stack.prisma.obligation.findUniqueOrThrow({ where: { id: `${c.id}:pay` } });
  expect(row).toMatchObject({ status: 'scheduled', dueAt: new Date(pay.dueAt!), amountFen: BigInt(1_000_000) });
  const audit = await stack.prisma.auditEntry.findMany({
    where: { decisionId: commitmentChainId(c.id) },
    orderBy: { seq: 'asc' },
  });
  expect(audit.map((e) => [e.action, e.outcome, e.actorOfficeId])).toEqual([
    ['registered', 'accepted', dir.office.id],
    ['record-delivery', 'accepted', dir.office.id],
  ]);
});

it('refuses an action in the validator: the attempt never enters history', async () => {
  const dir = await directory();
  const c = await register(dir);
  const refused = c.act(dir.people.a, 'record-payment', { obligationId: 'pay', amountFen: 5, reference: 'T-1' });
  await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await refused.catch((e: WorkflowUpdateFailedError) =>
    expect((e.cause as { type?: string }).type).toBe('PAYMENT_AMOUNT_MISMATCH'),
  );
  const history = await c.handle.fetchHistory();
  const accepted = history.events!.filter(
    (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  );
  expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)).toEqual([
    'commitmentRegistered',
  ]);
  expect((await c.handle.query(commitmentStateQuery)).revision).toBe(1);
});

it('reminds the responsible office before the due date, then escalates the overdue SME payment into an integrity record naming the holder', async () => {
  const dir = await directory();
  const c = await register(dir, {
    obligations: [{ id: 'pay', kind: 'payment', description: 'Price', amountFen: 1_000_000, paymentTermSeconds: 4 }],
  });
  await c.act(dir.people.a, 'record-delivery', { obligationId: 'pay' });
  const reminder = await waitFor(
    () => stack.notifier.sent.find((n) => n.decisionId === commitmentChainId(c.id) && n.kind === 'reminder'),
    { what: 'the reminder' },
  );
  expect(reminder).toMatchObject({ recipientRole: 'drafting-official', recipientId: dir.office.id });
  const record = await firstRecord(c.id, 'payment-overdue');
  const due = (await c.handle.query(commitmentStateQuery)).obligations[0].dueAt!;
  expect(record).toMatchObject({
    organId: dir.organ,
    officeId: dir.office.id,
    holderUserId: dir.people.a,
    legalBasis: expect.stringContaining('Decree 802'),
  });
  expect((record.evidence as any).at).toBe(new Date(due).toISOString());
  // The notifications go out after the integrity record is written.
  const escalated = () =>
    stack.notifier.sent
      .filter((n) => n.decisionId === commitmentChainId(c.id) && n.kind === 'overdue')
      .map((n) => n.recipientRole)
      .sort();
  await waitFor(() => escalated().length >= 3, { what: 'the three overdue notifications', state: escalated });
  expect(escalated()).toEqual(['drafting-official', 'head', 'supervisor']);
  const actions = (
    await stack.prisma.auditEntry.findMany({ where: { decisionId: commitmentChainId(c.id) }, orderBy: { seq: 'asc' } })
  ).map((e) => e.action);
  expect(actions).toEqual(['registered', 'record-delivery', 'obligation-reminder', 'obligation-overdue']);
  expect(await stack.prisma.obligation.findUniqueOrThrow({ where: { id: `${c.id}:pay` } })).toMatchObject({
    status: 'overdue',
    overdueSince: new Date(due),
  });
});

it('names the holder at the due moment even when the breach is noticed after a handover; a later breach names the successor', async () => {
  const dir = await directory();
  const siteDue = Date.now() + 20_000;
  const c = await register(dir, {
    obligations: [
      { id: 'pay', kind: 'payment', description: 'Price', amountFen: 1_000_000, paymentTermSeconds: 2 },
      { id: 'site', kind: 'performance', description: 'Hand over the site', dueAt: new Date(siteDue).toISOString() },
    ],
  });
  await c.act(dir.people.a, 'record-delivery', { obligationId: 'pay' });
  const before = await c.handle.query(commitmentStateQuery);
  await stack.stopWorker(); // the payment falls due while no worker runs
  await sleep(before.obligations.find((o) => o.id === 'pay')!.dueAt! - Date.now() + 500);
  await handOver(stack.prisma, dir.office.id, dir.people.b);
  // The premise of the second half: the site falls due after the handover. The 20 s are a
  // budget for five steps that take about three seconds on an idle machine.
  if (Date.now() >= siteDue)
    throw new Error(
      `the handover came ${Date.now() - siteDue} ms after the site's due date: the test's premise did not hold`,
    );
  await stack.startWorker();
  const payment = await firstRecord(c.id, 'payment-overdue');
  expect(payment.holderUserId).toBe(dir.people.a);
  const site = await firstRecord(c.id, 'obligation-overdue');
  expect(site).toMatchObject({
    holderUserId: dir.people.b,
    officeId: dir.office.id,
    legalBasis: expect.stringContaining('Decree 722 Art 31'),
  });
  const after = await c.handle.query(commitmentStateQuery);
  expect(after.obligations.map((o) => o.dueAt)).toEqual(before.obligations.map((o) => o.dueAt));
});

it('records an unanswered complaint after its response deadline; a late answer closes it', async () => {
  const dir = await directory();
  const c = await register(dir);
  const filed = await c.act(dir.people.entity, 'file-complaint', {
    text: 'Delivered a month ago, not paid.',
    obligationId: 'pay',
  });
  expect(filed.effects[0]).toMatch(/C-1 filed; the organ answers by/);
  const record = await firstRecord(c.id, 'complaint-unanswered');
  expect(record).toMatchObject({ officeId: dir.office.id, holderUserId: dir.people.a, organId: dir.organ });
  await c.act(dir.people.a, 'respond-to-complaint', { complaintId: 'C-1', response: 'Paid today.' });
  const row = await stack.prisma.complaint.findUniqueOrThrow({ where: { id: `${c.id}:C-1` } });
  expect(row).toMatchObject({ status: 'answered', response: 'Paid today.', filedBy: dir.people.entity });
  expect(row.respondedAt!.getTime()).toBeGreaterThan(row.responseDueAt.getTime());
});

it('carries on after a merger: the successor organ’s officials act, and deadlines and obligations do not change', async () => {
  const dir = await directory();
  const c = await register(dir, {
    obligations: [
      { id: 'pay', kind: 'payment', description: 'Price', amountFen: 1_000_000, paymentTermSeconds: 3 },
      {
        id: 'site',
        kind: 'performance',
        description: 'Hand over the site',
        dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    ],
  });
  const before = await c.handle.query(commitmentStateQuery);
  const successor = `${dir.organ}-merged`;
  await stack.addStaff({
    id: `new-${dir.n}`,
    name: 'Successor official',
    organId: successor,
    roles: ['drafting-official'],
  });
  await stack.addStaff({ id: `newhead-${dir.n}`, name: 'Successor head', organId: successor, roles: ['head'] });
  await stack.prisma.organ.update({
    where: { id: dir.organ },
    data: { successorId: successor, succeededAt: new Date() },
  });
  await c.act(`new-${dir.n}`, 'record-delivery', { obligationId: 'pay' });
  const record = await firstRecord(c.id, 'payment-overdue');
  // The breach is the old organ's and its office holder's; the organ that carries it on answers for it.
  expect(record).toMatchObject({ organId: successor, officeId: dir.office.id, holderUserId: dir.people.a });
  expect((record.evidence as any).breachingOrgan).toBe(dir.organ);
  await c.act(`new-${dir.n}`, 'record-payment', { obligationId: 'pay', amountFen: 1_000_000, reference: 'T-9' });
  const after = await c.handle.query(commitmentStateQuery);
  expect(after.obligations.find((o) => o.id === 'site')!.dueAt).toBe(
    before.obligations.find((o) => o.id === 'site')!.dueAt,
  );
  expect(after.organId).toBe(dir.organ);
  await c.act(`newhead-${dir.n}`, 'terminate', {
    grounds: { categories: ['mutual-agreement'], explanation: 'The parties agree.' },
    legalBasis: 'Civil Code Art 562',
    compensation: { amountFen: 0, reason: 'Settled by agreement' },
  });
  expect(await c.handle.result()).toEqual({ commitmentId: c.id, status: 'terminated' });
});
