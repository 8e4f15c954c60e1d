import request from 'supertest';
import { useApiStack } from '../support/api-driver';

// Offices, not persons (DOMAIN §3 inv. 7; issue 3 part 4): a handover or an institutional merger
// changes no obligation, deadline or decision; the audit trail names who held the office at each
// action.

const suite = useApiStack();

const unique = (p: string) => `${p}-${Date.now()}-${Math.floor(Math.random() * 1e5)}`;

it('carries a pending assignment over to the successor in the office, and names each holder in the audit trail', async () => {
  const id = unique('handover');
  // An assessor office of its own, so that handing it over cannot disturb other tests.
  const first = unique('assessor-qu');
  const firstToken = await suite.stack.addStaff({
    id: first,
    name: 'Qu Fei',
    organId: 'harbin-gov',
    roles: ['risk-assessor'],
  });
  const office = `harbin-gov/risk-assessor/${first}`;
  expect(
    (
      await suite.api.create({
        id,
        flags: { riskRelevant: true, nonDisclosable: true },
        nonDisclosableReason: 'Internal',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await suite.api.act(id, 'official-zhang', 'assign', {
        stage: 'risk-assessment',
        assignees: [{ officeId: office }],
      })
    ).status,
  ).toBe(200);
  const before = (await suite.api.get(id)).body.decision.assignments[0];
  expect(before).toMatchObject({ officeId: office, userId: first });

  const successor = unique('assessor-ma');
  await suite.stack.prisma.staffUser.create({ data: { id: successor, name: 'Ma Jun', organId: 'harbin-gov' } });
  const path = `/api/offices/${encodeURIComponent(office)}`;
  const refusedHandover = await request(suite.stack.app)
    .post(`${path}/handover`)
    .set(await suite.api.as('official-zhang'))
    .send({ toUserId: successor, reason: 'Transfer' });
  expect(refusedHandover.body.error.code).toBe('ROLE_REQUIRED');
  const handover = await request(suite.stack.app)
    .post(`${path}/handover`)
    .set(await suite.api.as('admin-zhou'))
    .send({ toUserId: successor, reason: 'Qu Fei transferred to the provincial bureau' });
  expect(handover.status).toBe(200);

  const predecessor = await request(suite.stack.app)
    .post(`/api/decisions/${id}/actions/file-risk-report`)
    .set('Authorization', `Bearer ${firstToken}`)
    .send(suite.api.body('file-risk-report', 1));
  expect(predecessor.body.error.code).toBe('ROLE_REQUIRED');
  const token = await suite.stack.addStaff({ id: successor, name: 'Ma Jun', organId: 'harbin-gov', roles: [] });
  const filed = await request(suite.stack.app)
    .post(`/api/decisions/${id}/actions/file-risk-report`)
    .set('Authorization', `Bearer ${token}`)
    .send(suite.api.body('file-risk-report', 1));
  expect(filed.status).toBe(200);
  const after = (await suite.api.get(id)).body.decision;
  expect(after.assignments[0]).toMatchObject({
    officeId: office,
    status: 'done',
    assignedAt: before.assignedAt,
    deadlineId: before.deadlineId,
  });
  const audit = (
    await request(suite.stack.app)
      .get(`/api/decisions/${id}/audit`)
      .set(await suite.api.as('supervisor-lin'))
  ).body.entries;
  const byAction = (a: string) =>
    audit.filter((e: any) => e.action === a).map((e: any) => [e.outcome, e.actorId, e.actorOfficeId]);
  expect(byAction('file-risk-report')).toEqual([
    ['refused', first, null],
    ['accepted', successor, office],
  ]);
  const holders = (
    await request(suite.stack.app)
      .get(path)
      .set(await suite.api.as('supervisor-lin'))
  ).body.holders;
  expect(holders.map((h: any) => h.userId)).toEqual([first, successor]);
});

it('lets the organ an organ was merged into carry on its decisions', async () => {
  const organ = unique('transport-bureau');
  const token = await suite.stack.addStaff({
    id: unique('official-tr'),
    name: 'Tang Rui',
    organId: organ,
    roles: ['drafting-official'],
  });
  const created = await request(suite.stack.app)
    .post('/api/decisions')
    .set('Authorization', `Bearer ${token}`)
    .send({
      id: unique('merged'),
      title: 'Taxi licences',
      summary: 's',
      templateId: 'test-fast',
      draft: { text: 'Article 1.', explanation: 'Why.' },
    });
  expect(created.status).toBe(201);
  const id = created.body.result.id;
  const before = await suite.api.act(id, 'official-zhang', 'predisclose', suite.api.body('predisclose', 1));
  expect(before.body.error.code).toBe('WRONG_ORGAN');
  const merged = await request(suite.stack.app)
    .post(`/api/organs/${organ}/merge`)
    .set(await suite.api.as('admin-zhou'))
    .send({
      into: 'harbin-gov',
      reason: 'Institutional reform 2026: transport functions move to the municipal government',
    });
  expect(merged.status).toBe(200);
  const after = await suite.api.act(id, 'official-zhang', 'predisclose', suite.api.body('predisclose', 1));
  expect(after.status).toBe(200);
  const directoryAudit = await suite.stack.prisma.auditEntry.findMany({
    where: { decisionId: 'directory', action: 'organ-merged' },
  });
  expect(directoryAudit.some((e) => (e.body as any).organId === organ)).toBe(true);
});
