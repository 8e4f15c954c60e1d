import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { useApiStack, waitFor } from '../support/api-driver';

// Issue 3, done when: "A commitment survives the replacement of its responsible official and the
// merger of its organ, and an overdue payment produces an integrity record that appears in the
// feed." End to end over HTTP: registry, directory, integrity records, credit feed.

const suite = useApiStack();

it('keeps a commitment through a handover and a merger, and reports its overdue SME payment to the credit feed', async () => {
  const n = randomUUID().slice(0, 8);
  const organ = `bureau-${n}`;
  const [first, second] = [`official-a-${n}`, `official-b-${n}`];
  const firstToken = await suite.stack.addStaff({
    id: first,
    name: `Official A ${n}`,
    organId: organ,
    roles: ['drafting-official'],
  });
  await suite.stack.prisma.staffUser.create({ data: { id: second, name: `Official B ${n}`, organId: organ } });
  const office = `${organ}/drafting-official/${first}`;
  const since = new Date(Date.now() - 1000).toISOString();

  const id = `contract-${n}`;
  const registered = await request(suite.stack.app)
    .post('/api/commitments')
    .set('Authorization', `Bearer ${firstToken}`)
    .send({
      id,
      kind: 'contract',
      title: 'Purchase of 20 electric buses',
      counterparty: { id: 'harbin-bus', name: 'Harbin Bus Company', isSme: true },
      responsibleOfficeId: office,
      demo: true,
      periods: { reminderBefore: { seconds: 2 }, complaintResponse: { seconds: 60 } },
      obligations: [
        {
          id: 'pay',
          kind: 'payment',
          description: 'Price of the buses',
          amountFen: 500_000_000,
          paymentTermSeconds: 20,
        },
      ],
    });
  expect(registered.status).toBe(201);
  const delivered = await request(suite.stack.app)
    .post(`/api/commitments/${id}/actions/record-delivery`)
    .set('Authorization', `Bearer ${firstToken}`)
    .send({ obligationId: 'pay' });
  expect(delivered.status).toBe(200);

  // The official is replaced, and the organ is merged into the municipal government, before the
  // payment falls due (20 s after the delivery: time for two requests on a busy machine).
  const handover = await request(suite.stack.app)
    .post(`/api/offices/${encodeURIComponent(office)}/handover`)
    .set(await suite.api.as('admin-zhou'))
    .send({ toUserId: second, reason: 'Reassigned' });
  expect(handover.status).toBe(200);
  const merged = await request(suite.stack.app)
    .post(`/api/organs/${organ}/merge`)
    .set(await suite.api.as('admin-zhou'))
    .send({ into: 'harbin-gov', reason: 'Institutional reform' });
  expect(merged.status).toBe(200);

  const records = await waitFor(
    async () => {
      const found = await suite.stack.prisma.integrityRecord.findMany({
        where: { commitmentId: id, kind: 'payment-overdue' },
      });
      return found.length ? found : null;
    },
    { what: `the payment-overdue integrity record of ${id}` },
  );
  expect(records).toHaveLength(1);
  // Named: the office and the person holding it when the payment fell due; filed under the organ
  // that carries the merged one on.
  expect(records[0]).toMatchObject({ officeId: office, holderUserId: second, organId: 'harbin-gov' });
  expect(records[0].evidence).toMatchObject({ breachingOrgan: organ });
  const state = (
    await request(suite.stack.app)
      .get(`/api/commitments/${id}`)
      .set(await suite.api.as('supervisor-lin'))
  ).body;
  expect(JSON.stringify(state)).toContain(office);

  // The feed serves a record once it has settled (a few seconds after its creation).
  const supervisor = await suite.api.as('supervisor-lin');
  const items = await waitFor(
    async () => {
      const feed = await request(suite.stack.app).get('/api/credit-feed').query({ since }).set(supervisor);
      expect(feed.status).toBe(200);
      const served = feed.body.records as any[];
      return served.some((r) => r.id === records[0].id) ? served : null;
    },
    { what: `the credit feed to serve ${records[0].id}`, intervalMs: 500 },
  );
  expect(items.map((r) => r.id)).toContain(records[0].id);
  const csv = await request(suite.stack.app)
    .get('/api/credit-feed')
    .query({ since, format: 'csv' })
    .set(await suite.api.as('supervisor-lin'));
  expect(csv.headers['content-type']).toMatch(/text\/csv/);
  expect(csv.text).toContain(records[0].id);
  const year = new Date().getFullYear();
  const sme = await request(suite.stack.app)
    .get('/api/credit-feed/sme-overdue-payments')
    .query({ year })
    .set(await suite.api.as('supervisor-lin'));
  expect(JSON.stringify(sme.body)).toContain(id);
});
