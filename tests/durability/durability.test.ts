import { spawn, type ChildProcess } from 'node:child_process';
import request from 'supertest';
import { fromRoot } from '../../lib/paths';
import { ApiDriver, sleep } from '../support/api-driver';
import { discussion, fileExpertOpinions, legality, publicity } from '../support/scenarios';
import { startStack, type Stack } from '../support/stack';
import { SHORT_WINDOW, STACK_HOOK_MS, waitFor } from '../support/wait';
import { scopeOf } from '../../app/idempotency';

// The worker is killed with SIGKILL twice in one procedure: once while a public window closes
// (no worker runs its timer), once inside an activity after its transaction committed and
// before its notifications went out. Nothing may be lost and nothing done twice.

let stack: Stack;
let api: ApiDriver;
const output: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  api = new ApiDriver(stack);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

async function spawnWorker(notifyDelayMs: number): Promise<ChildProcess> {
  // Loaded in-process with tsx (not through its CLI, which would fork a child SIGKILL cannot reach).
  const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('tests', 'durability', 'worker-process.ts')], {
    env: {
      ...process.env,
      DUEPROCESS_TEST_TASK_QUEUE: stack.taskQueue,
      DUEPROCESS_TEST_NOTIFY_DELAY_MS: String(notifyDelayMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().split('\n').filter(Boolean);
      output.push(...lines);
      if (lines.includes('worker ready')) resolve();
    });
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

it('completes a procedure across two killed workers with nothing lost and nothing done twice', async () => {
  const id = `durable-${Date.now()}`;
  const a = await spawnWorker(0);
  expect((await api.create({ id, flags: { specialised: true } })).status).toBe(201);
  const disclosed = await api.act(
    id,
    'official-zhang',
    'predisclose',
    api.body('predisclose', 1, { commentWindow: SHORT_WINDOW }),
  );
  expect(disclosed.status).toBe(200);

  // 1. No worker while the comment window closes; public input still reaches PostgreSQL.
  await kill(a);
  const receipts: string[] = [];
  for (const text of ['Keep the student concession.', 'Publish the cost model.']) {
    const r = await request(stack.app).post(`/api/decisions/${id}/opinions`).send({ text });
    expect(r.status).toBe(201);
    receipts.push(r.body.receipt);
  }
  const closesAt = new Date((await api.get(id)).body.decision.windows[0].closesAt).getTime();
  await sleep(closesAt - Date.now() + 500); // the window closes on the clock while no worker runs
  // This worker takes 10 s to deliver each notification, so that in step 2 it is killed before it
  // delivers one however slowly the test notices the notifications were written.
  const b = await spawnWorker(10_000);
  const frozen = await api.waitFor(id, (d) => d.windows[0]?.frozen);
  expect(frozen.windows[0].frozen.count).toBe(2);
  for (const receipt of receipts) {
    await request(stack.app)
      .put(`/api/decisions/${id}/opinions/${receipt}/disposition`)
      .set(await api.as('official-zhang'))
      .send({ disposition: 'adopted' });
  }
  expect((await api.act(id, 'official-zhang', 'publish-feedback', api.body('publish-feedback', 1))).status).toBe(200);

  // 2. Killed inside the activity that records the assignment: its transaction has committed,
  //    its three notifications are written but not yet delivered.
  const pending = api.act(id, 'official-zhang', 'assign', api.body('assign', 1), { 'Idempotency-Key': `assign-${id}` });
  const rows = await waitFor(
    async () => {
      const n = await stack.prisma.notification.findMany({ where: { decisionId: id, kind: 'assigned' } });
      return n.length === 3 ? n : null;
    },
    { what: 'the three notifications of the assignment to be written', intervalMs: 100 },
  );
  expect(rows.map((n) => [n.id, n.deliveredAt])).toEqual(rows.map((n) => [n.id, null]));
  await kill(b);
  await spawnWorker(0);
  const assigned = await pending;
  expect(assigned.status).toBe(200);

  await fileExpertOpinions(api, id);
  await legality(api, id);
  await discussion(api, id);
  await publicity(api, id, false);

  const d = (await api.get(id)).body.decision;
  expect(d.status).toBe('in-force');
  const audit = await stack.prisma.auditEntry.findMany({ where: { decisionId: id } });
  const ids = audit.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(audit.filter((e) => e.action === 'assign' && e.outcome === 'accepted')).toHaveLength(1);
  expect(audit.filter((e) => e.action === 'window-frozen')).toHaveLength(1);
  expect(audit.filter((e) => e.action === 'predisclose')).toHaveLength(1);
  const notes = await stack.prisma.notification.findMany({
    where: {
      decisionId: id,
      eventId: scopeOf({ kind: 'staff', id: 'official-zhang' }, 'decision.act:assign', `assign-${id}`),
    },
  });
  expect(notes).toHaveLength(3);
  expect(notes.every((n) => n.deliveredAt !== null)).toBe(true);
  for (const n of notes) expect(output.filter((l) => l === `delivered ${n.id}`)).toHaveLength(1);
  const verify = await request(stack.app)
    .get(`/api/decisions/${id}/audit/verify`)
    .set(await api.as('supervisor-lin'));
  expect(verify.body.valid).toBe(true);
}, 360_000); // two worker processes started with tsx, and a whole procedure

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill(c);
});
