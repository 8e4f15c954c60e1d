import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { endOfPeriod } from '../../domain/commitment';
import { handOver } from '../../lib/directory';
import { startStack, type Stack } from '../support/stack';
import { STACK_HOOK_MS } from '../support/wait';

// The commitments registry over HTTP, on the real app, Temporal and PostgreSQL: registration,
// reading rights of staff and market entities, refusals with their legal basis recorded in the
// commitment's audit chain, lawful termination, complaints, and a handover of the responsible office.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function directory() {
  const n = randomUUID().slice(0, 8);
  const organ = `corg-${n}`;
  const ids = { a: `ca-${n}`, b: `cb-${n}`, head: `chead-${n}`, entity: `cent-${n}`, other: `cother-${n}` };
  const t = {
    a: await stack.addStaff({ id: ids.a, name: 'Official A', organId: organ, roles: ['drafting-official'] }),
    b: await stack.addStaff({ id: ids.b, name: 'Official B', organId: organ, roles: [] }),
    head: await stack.addStaff({ id: ids.head, name: 'Head', organId: organ, roles: ['head'] }),
    entity: await stack.addStaff({
      id: ids.entity,
      name: 'Bus maker',
      organId: `cfirm-${n}`,
      roles: ['market-entity'],
    }),
    other: await stack.addStaff({
      id: ids.other,
      name: 'Other firm',
      organId: `cother-firm-${n}`,
      roles: ['market-entity'],
    }),
    supervisor: await stack.token('supervisor-lin'),
  };
  return { n, organ, firm: `cfirm-${n}`, ids, t, office: `${organ}/drafting-official/${ids.a}` };
}
type Dir = Awaited<ReturnType<typeof directory>>;

const registration = (dir: Dir, overrides: Record<string, unknown> = {}) => ({
  id: `ct-${dir.n}-${randomUUID().slice(0, 4)}`,
  kind: 'contract',
  title: 'Purchase of 20 electric buses',
  counterparty: { id: dir.firm, name: 'Bus maker', isSme: true },
  responsibleOfficeId: dir.office,
  obligations: [
    { id: 'pay', kind: 'payment', description: 'Price of the buses', amountFen: 500_000_000 },
    {
      id: 'depot',
      kind: 'performance',
      description: 'Hand over the depot site',
      dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    },
  ],
  ...overrides,
});

const register = (dir: Dir, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  request(stack.app).post('/api/commitments').set(auth(dir.t.a)).set(headers).send(body);
const act = (token: string, id: string, action: string, body: unknown) =>
  request(stack.app)
    .post(`/api/commitments/${id}/actions/${action}`)
    .set(auth(token))
    .send(body as object);
const audit = async (dir: Dir, id: string) =>
  (await request(stack.app).get(`/api/commitments/${id}/audit`).set(auth(dir.t.supervisor))).body.entries as any[];
const lawful = { categories: ['public-interest'], explanation: 'The depot site is needed for a hospital.' };

it('registers a contract; staff and the counterparty read it, another market entity may not', async () => {
  const dir = await directory();
  const body = registration(dir);
  const r = await register(dir, body);
  expect(r.status).toBe(201);
  expect(r.headers.location).toBe(`/api/commitments/${body.id}`);
  expect(r.body.commitment).toMatchObject({
    id: body.id,
    status: 'active',
    organId: dir.organ,
    responsibleOffice: { id: dir.office },
    registeredBy: { id: dir.ids.a },
  });
  expect(r.body.commitment.obligations.map((o: any) => [o.id, o.status, o.paymentTerm])).toEqual([
    ['pay', 'awaiting-delivery', { days: 30 }],
    ['depot', 'scheduled', null],
  ]);
  expect(r.body.commitment.creationKey).toBeUndefined();

  expect((await request(stack.app).get(`/api/commitments/${body.id}`).set(auth(dir.t.supervisor))).status).toBe(200);
  expect(
    (await request(stack.app).get(`/api/commitments/${body.id}`).set(auth(dir.t.entity))).body.commitment.title,
  ).toBe(body.title);
  const foreign = await request(stack.app).get(`/api/commitments/${body.id}`).set(auth(dir.t.other));
  expect(foreign.status).toBe(403);
  expect(foreign.body.error.code).toBe('NOT_COUNTERPARTY'); // supervisor | member@organ | counterparty: the closest is counterparty
  expect((await request(stack.app).get(`/api/commitments/${body.id}/audit`).set(auth(dir.t.entity))).status).toBe(403);
  // An official of another organ reads neither the commitment, nor its complaints or audit, nor finds it in the list.
  const zhang = auth(await stack.token('official-zhang'));
  for (const path of [
    `/api/commitments/${body.id}`,
    `/api/commitments/${body.id}/complaints`,
    `/api/commitments/${body.id}/audit`,
  ]) {
    expect((await request(stack.app).get(path).set(zhang)).status).toBe(403);
  }
  expect((await request(stack.app).get(`/api/commitments?organ=${dir.organ}`).set(zhang)).body.total).toBe(0);
  expect((await request(stack.app).get(`/api/commitments?organ=${dir.organ}`).set(auth(dir.t.head))).body.total).toBe(
    1,
  );
  expect(
    (await request(stack.app).get(`/api/commitments?counterparty=${dir.firm}`).set(auth(dir.t.other))).body.total,
  ).toBe(0);

  const own = await request(stack.app).get('/api/commitments').set(auth(dir.t.entity));
  expect(own.body.commitments.map((c: any) => c.id)).toEqual([body.id]);
  expect((await request(stack.app).get('/api/commitments').set(auth(dir.t.other))).body.total).toBe(0);
  const filtered = await request(stack.app)
    .get(`/api/commitments?organ=${dir.organ}&counterparty=${dir.firm}&status=active`)
    .set(auth(dir.t.supervisor));
  expect(filtered.body).toMatchObject({
    total: 1,
    commitments: [{ id: body.id, counterparty: { id: dir.firm, isSme: true } }],
  });
  expect(
    (await request(stack.app).get(`/api/commitments?organ=${dir.organ}&status=terminated`).set(auth(dir.t.supervisor)))
      .body.total,
  ).toBe(0);
});

it('refuses an SME payment term beyond 60 days with Decree 802 Art 9, and records the attempt', async () => {
  const dir = await directory();
  const body = registration(dir, {
    obligations: [{ id: 'pay', kind: 'payment', description: 'Price', amountFen: 100, paymentTermDays: 90 }],
  });
  const r = await register(dir, body);
  expect(r.status).toBe(409);
  expect(r.body.error).toMatchObject({
    code: 'SME_PAYMENT_TERM_TOO_LONG',
    legalBasis: expect.stringContaining('Decree 802 Art 9'),
    details: { obligationId: 'pay', maximumDays: 60 },
  });
  expect(await audit(dir, body.id)).toEqual([
    expect.objectContaining({
      outcome: 'refused',
      action: 'register',
      code: 'SME_PAYMENT_TERM_TOO_LONG',
      actorId: dir.ids.a,
    }),
  ]);
  expect((await request(stack.app).get(`/api/commitments/${body.id}`).set(auth(dir.t.supervisor))).status).toBe(404);
  const ok = await register(dir, {
    ...body,
    obligations: [{ id: 'pay', kind: 'payment', description: 'Price', amountFen: 100, paymentTermDays: 60 }],
  });
  expect(ok.status).toBe(201);
});

it('rejects unknown fields, and seconds-scale periods without the demo flag', async () => {
  const dir = await directory();
  const unknown = await register(dir, { ...registration(dir), mayor: 'new' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details.issues).toEqual([{ path: 'mayor', message: 'unknown field' }]);
  const seconds = await register(dir, registration(dir, { periods: { complaintResponse: { seconds: 5 } } }));
  expect(seconds.status).toBe(400);
  expect(seconds.body.error.details.issues[0].path).toBe('periods.complaintResponse');
  const office = await register(dir, registration(dir, { responsibleOfficeId: 'nowhere/office' }));
  expect(office.body.error.details.issues[0].path).toBe('responsibleOfficeId');
  expect((await request(stack.app).post('/api/commitments').set(auth(dir.t.head)).send(registration(dir))).status).toBe(
    403,
  );
});

it('records a delivery and answers with the payment’s due date; a retried registration is applied once', async () => {
  const dir = await directory();
  const body = registration(dir);
  const key = { 'Idempotency-Key': `reg-${dir.n}` };
  expect((await register(dir, body, key)).status).toBe(201);
  expect((await register(dir, body, key)).status).toBe(201);
  const reused = await register(dir, { ...body, title: 'Another' }, key);
  expect({ status: reused.status, code: reused.body.error.code }).toEqual({
    status: 422,
    code: 'IDEMPOTENCY_KEY_REUSED',
  });
  const deliveredAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString();
  const due = new Date(endOfPeriod(Date.parse(deliveredAt), { days: 30 })).toISOString();
  expect(
    (
      await act(dir.t.a, body.id, 'record-delivery', {
        obligationId: 'pay',
        deliveredAt: new Date(Date.now() + 60_000).toISOString(),
      })
    ).body.error.code,
  ).toBe('INVALID_INPUT');
  const r = await act(dir.t.a, body.id, 'record-delivery', { obligationId: 'pay', deliveredAt });
  expect(r.status).toBe(200);
  const pay = r.body.commitment.obligations.find((o: any) => o.id === 'pay');
  expect(pay).toMatchObject({ status: 'scheduled', deliveredAt, dueAt: due });
  expect(due.endsWith('T16:00:00.000Z')).toBe(true); // local midnight in Harbin (Civil Code Art 201)
  expect(r.body.result.effects[0]).toContain(due);
  expect((await audit(dir, body.id)).map((e) => [e.action, e.code])).toEqual([
    ['registered', null],
    ['record-delivery', null],
  ]);
});

it('refuses a termination whose only ground is the replacement of the responsible person: 409, recorded with the article', async () => {
  const dir = await directory();
  const body = registration(dir);
  await register(dir, body);
  const r = await act(dir.t.head, body.id, 'terminate', {
    grounds: {
      categories: ['replacement-of-responsible-person'],
      explanation: 'The new mayor does not support the project.',
    },
    legalBasis: 'none',
    compensation: { amountFen: 1, reason: 'x' },
  });
  expect(r.status).toBe(409);
  expect(r.body.error).toMatchObject({
    code: 'FORBIDDEN_GROUND',
    legalBasis: 'Decree 722 Art 31; Private Economy Promotion Law Art 70',
  });
  expect((await audit(dir, body.id)).at(-1)).toMatchObject({
    outcome: 'refused',
    action: 'terminate',
    code: 'FORBIDDEN_GROUND',
    actorId: dir.ids.head,
    legalBasis: expect.stringContaining('Decree 722 Art 31'),
  });
  const records = await stack.prisma.integrityRecord.findMany({
    where: { commitmentId: body.id, kind: 'forbidden-ground' },
  });
  expect(records).toEqual([expect.objectContaining({ organId: dir.organ, holderUserId: dir.ids.head })]);
  const still = await request(stack.app).get(`/api/commitments/${body.id}`).set(auth(dir.t.supervisor));
  expect(still.body.commitment.status).toBe('active');
});

it('terminates on lawful grounds only with a compensation record, owed as an obligation', async () => {
  const dir = await directory();
  const body = registration(dir);
  await register(dir, body);
  const bare = await act(dir.t.head, body.id, 'terminate', {
    grounds: lawful,
    legalBasis: 'Land Administration Law Art 58',
  });
  expect(bare.status).toBe(409);
  expect(bare.body.error).toMatchObject({
    code: 'COMPENSATION_REQUIRED',
    legalBasis: expect.stringContaining('Private Economy Promotion Law Arts 70, 73'),
  });
  expect(
    (
      await act(dir.t.a, body.id, 'terminate', {
        grounds: lawful,
        legalBasis: 'x',
        compensation: { amountFen: 1, reason: 'x' },
      })
    ).body.error.code,
  ).toBe('ROLE_REQUIRED'); // head@organ: an official who is no head lacks the role
  const r = await act(dir.t.head, body.id, 'terminate', {
    grounds: lawful,
    legalBasis: 'Land Administration Law Art 58',
    compensation: {
      amountFen: 80_000_000,
      reason: 'Loss of the contract and the buses built',
      payableBy: new Date(Date.now() + 60 * 86_400_000).toISOString(),
    },
  });
  expect(r.status).toBe(200);
  expect(r.body.commitment).toMatchObject({
    status: 'terminated',
    changes: [{ type: 'termination', compensation: { amountFen: 80_000_000, obligationId: 'compensation-1' } }],
  });
  expect(r.body.commitment.obligations.map((o: any) => [o.id, o.status])).toEqual([
    ['pay', 'cancelled'],
    ['depot', 'cancelled'],
    ['compensation-1', 'scheduled'],
  ]);
  const listed = await request(stack.app)
    .get(`/api/commitments?organ=${dir.organ}&status=terminated`)
    .set(auth(dir.t.supervisor));
  expect(listed.body.total).toBe(1);
  expect(
    stack.notifier.sent.some(
      (n) =>
        n.decisionId === `commitment:${body.id}` && n.kind === 'commitment-termination' && n.recipientId === dir.firm,
    ),
  ).toBe(true);
  const verify = await request(stack.app).get(`/api/commitments/${body.id}/audit/verify`).set(auth(dir.t.supervisor));
  expect(verify.body).toMatchObject({ valid: true, entries: 4 });
});

it('takes a complaint from the counterparty with a response deadline; another entity and staff are refused, and recorded', async () => {
  const dir = await directory();
  const body = registration(dir);
  await register(dir, body);
  const r = await act(dir.t.entity, body.id, 'file-complaint', {
    text: 'The buses were delivered; nothing is paid.',
    obligationId: 'pay',
  });
  expect(r.status).toBe(200);
  const complaint = r.body.commitment.complaints[0];
  expect(complaint).toMatchObject({
    id: 'C-1',
    status: 'open',
    filedBy: { id: dir.ids.entity, role: 'market-entity' },
  });
  expect(Date.parse(complaint.responseDueAt)).toBe(endOfPeriod(Date.parse(complaint.filedAt), { days: 15 }));
  const other = await act(dir.t.other, body.id, 'file-complaint', { text: 'Me too.' });
  expect(other.status).toBe(403);
  expect(other.body.error.code).toBe('NOT_COUNTERPARTY');
  expect((await act(dir.t.a, body.id, 'file-complaint', { text: 'x' })).body.error.code).toBe('NOT_COUNTERPARTY');
  const refused = (await audit(dir, body.id)).filter((e) => e.outcome === 'refused');
  expect(refused.map((e) => [e.actorId, e.code])).toEqual([
    [dir.ids.other, 'NOT_COUNTERPARTY'],
    [dir.ids.a, 'NOT_COUNTERPARTY'],
  ]);
  expect(refused.every((e) => /^refused:file-complaint:r:/.test(e.eventId))).toBe(true);
  const followed = await request(stack.app).get(`/api/commitments/${body.id}/complaints`).set(auth(dir.t.entity));
  expect(followed.body.complaints).toEqual([
    expect.objectContaining({ id: 'C-1', status: 'open', responseDueAt: complaint.responseDueAt }),
  ]);
  expect((await request(stack.app).get(`/api/commitments/${body.id}/complaints`).set(auth(dir.t.other))).status).toBe(
    403,
  );
});

it('survives the replacement of the responsible official: the successor answers, the predecessor is refused, nothing owed changes', async () => {
  const dir = await directory();
  const body = registration(dir);
  const before = (await register(dir, body)).body.commitment;
  await act(dir.t.entity, body.id, 'file-complaint', { text: 'When is the depot handed over?' });
  await handOver(stack.prisma, dir.office, dir.ids.b);
  const refused = await act(dir.t.a, body.id, 'respond-to-complaint', { complaintId: 'C-1', response: 'Soon.' });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('NOT_RESPONSIBLE_OFFICE');
  const r = await act(dir.t.b, body.id, 'respond-to-complaint', {
    complaintId: 'C-1',
    response: 'On the agreed date.',
  });
  expect(r.status).toBe(200);
  expect(r.body.commitment.complaints[0]).toMatchObject({
    status: 'answered',
    respondedBy: { id: dir.ids.b, officeId: dir.office },
  });
  expect(r.body.commitment.obligations).toEqual(before.obligations);
  expect(r.body.commitment.responsibleOffice).toEqual(before.responsibleOffice);
  expect((await audit(dir, body.id)).at(-1)).toMatchObject({
    action: 'respond-to-complaint',
    actorId: dir.ids.b,
    actorOfficeId: dir.office,
  });
});

it('lists a merged organ’s commitments under the organ that carries them on', async () => {
  const dir = await directory();
  const body = registration(dir);
  await register(dir, body);
  const successor = `${dir.organ}-new`;
  await stack.prisma.organ.create({ data: { id: successor, name: 'Merged bureau' } });
  await stack.prisma.organ.update({
    where: { id: dir.organ },
    data: { successorId: successor, succeededAt: new Date() },
  });
  const listed = await request(stack.app).get(`/api/commitments?organ=${successor}`).set(auth(dir.t.supervisor));
  expect(listed.body.commitments.map((c: any) => c.id)).toEqual([body.id]);
});
