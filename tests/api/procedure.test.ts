import request from 'supertest';
import { useApiStack } from '../support/api-driver';
import { ALL_FLAGS, fullProcedure, returnedAndRevised, withdrawn } from '../support/scenarios';

const suite = useApiStack();

const unique = (p: string) => `${p}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function auditOf(id: string) {
  const r = await request(suite.stack.app)
    .get(`/api/decisions/${id}/audit`)
    .set(await suite.api.as('supervisor-lin'));
  return r.body.entries as Array<{ outcome: string; action: string; eventId: string }>;
}

it('takes a decision with every flag from creation to in force through HTTP alone', async () => {
  const id = unique('all-flags');
  await fullProcedure(suite.api, id, ALL_FLAGS);
  const d = (await suite.api.get(id)).body.decision;
  expect(d.status).toBe('in-force');
  expect(d.stages.every((s: any) => s.status === 'passed')).toBe(true);
  expect(d.adoptedDraft).toEqual(d.draft);
  const audit = await auditOf(id);
  expect(new Set(audit.map((e) => e.eventId)).size).toBe(audit.length);
  const verify = await request(suite.stack.app)
    .get(`/api/decisions/${id}/audit/verify`)
    .set(await suite.api.as('supervisor-lin'));
  expect(verify.body).toMatchObject({ valid: true, firstBroken: null, entries: audit.length });
  const records = await suite.stack.prisma.stageRecord.findMany({ where: { decisionId: id, kind: 'legality-review' } });
  expect(records.map((r) => r.draftHash)).toEqual([d.adoptedDraft.hash]);
});

it('reviews the revised draft again after legality review returns it', async () => {
  const id = unique('returned');
  await returnedAndRevised(suite.api, id);
  const d = (await suite.api.get(id)).body.decision;
  expect(d.status).toBe('in-force');
  expect(d.draft.version).toBe(2);
  expect(d.invalidatedRecords.map((r: any) => r.kind)).toEqual(
    expect.arrayContaining(['legality-submission', 'legality-review']),
  );
  const reviews = await suite.stack.prisma.stageRecord.findMany({
    where: { decisionId: id, kind: 'legality-review' },
    orderBy: { at: 'asc' },
  });
  expect(reviews.map((r) => [r.draftVersion, (r.content as any).outcome])).toEqual([
    [1, 'return'],
    [2, 'pass'],
  ]);
});

it('closes the workflow of a withdrawn decision and refuses every later action', async () => {
  const id = unique('withdrawn');
  await withdrawn(suite.api, id);
  const handle = suite.stack.client.workflow.getHandle(`decision-${id}`);
  expect(await handle.result()).toEqual({ decisionId: id, status: 'withdrawn' });
  const r = await suite.api.act(id, 'official-zhang', 'predisclose', suite.api.body('predisclose', 1));
  expect(r.status).toBe(409);
  expect(r.body.error.code).toBe('DECISION_CLOSED');
  expect((await auditOf(id)).at(-1)).toMatchObject({ outcome: 'refused', action: 'predisclose' });
});
