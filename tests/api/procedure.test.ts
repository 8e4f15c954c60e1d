import request from 'supertest';
import { ApiDriver, sleep } from '../support/api-driver';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ApiDriver;
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
}, 60_000);
afterAll(() => stack?.stop());

const ALL = { specialised: true, riskRelevant: true, marketRelated: true, livelihood: true, hearingRequired: false, nonDisclosable: false };

it('takes a decision from creation to in force through HTTP alone', async () => {
  const created = await api.create({ id: `fares-${Date.now()}`, flags: ALL });
  expect(created.status).toBe(201);
  const id = created.body.result.id;
  expect(created.body.decision.currentStage).toBe('public-participation');

  let r = await api.act(id, 'official-zhang', 'predisclose', api.body('predisclose', 1));
  expect(r.status).toBe(200);
  r = await api.act(id, 'official-zhang', 'open-survey', api.body('open-survey', 1));
  expect(r.status).toBe(200);

  const op = await request(stack.app).post(`/api/decisions/${id}/opinions`).send({ text: 'Keep the student concession', paragraph: 2 });
  expect(op.status).toBe(201);
  const sv = await request(stack.app).post(`/api/decisions/${id}/survey-answers`).send({ answers: { support: 'yes' } });
  expect(sv.status).toBe(201);

  await api.waitFor(id, (d) => d.windows.every((w: any) => w.frozen));
  const early = await api.act(id, 'official-zhang', 'publish-feedback', api.body('publish-feedback', 1));
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('DISPOSITIONS_INCOMPLETE');
  const disp = await request(stack.app).put(`/api/decisions/${id}/opinions/${op.body.receipt}/disposition`).set(await api.as('official-zhang')).send({ disposition: 'adopted' });
  expect(disp.status).toBe(200);
  r = await api.act(id, 'official-zhang', 'publish-feedback', api.body('publish-feedback', 1));
  expect(r.status).toBe(200);
  expect(r.body.decision.currentStage).toBe('expert-demonstration');

  r = await api.act(id, 'official-zhang', 'assign', api.body('assign', 1));
  expect(r.status).toBe(200);
  for (const [u, name] of [['expert-li', 'Li Wei'], ['expert-zhao', 'Zhao Min'], ['expert-sun', 'Sun Hao']]) {
    r = await api.act(id, u, 'file-expert-opinion', api.body('file-expert-opinion', 1, { signature: { signedBy: name, signedAt: new Date().toISOString(), method: 'seal' } }));
    expect(r.status).toBe(200);
  }
  r = await api.act(id, 'official-zhang', 'assign', { stage: 'risk-assessment', assignees: [{ userId: 'assessor-qian' }] });
  expect(r.status).toBe(200);
  r = await api.act(id, 'assessor-qian', 'file-risk-report', api.body('file-risk-report', 1));
  expect(r.status).toBe(200);
  r = await api.act(id, 'official-zhang', 'submit-for-legality-review', api.body('submit-for-legality-review', 1));
  expect(r.status).toBe(200);
  await sleep(1100);
  r = await api.act(id, 'reviewer-wang', 'file-legality-review', api.body('file-legality-review', 1));
  expect(r.status).toBe(200);
  r = await api.act(id, 'official-zhang', 'assign', { stage: 'fairness-review', assignees: [{ userId: 'fairness-zhou' }] });
  r = await api.act(id, 'fairness-zhou', 'file-fairness-review', api.body('file-fairness-review', 1));
  expect(r.body.decision.currentStage).toBe('collective-discussion');
  r = await api.act(id, 'official-zhang', 'submit-for-discussion', api.body('submit-for-discussion', 1));
  r = await api.act(id, 'secretary-he', 'record-minutes', api.body('record-minutes', 1));
  r = await api.act(id, 'head-gao', 'decide', api.body('decide', 1));
  expect(r.body.decision.status).toBe('adopted');
  r = await api.act(id, 'official-zhang', 'announce', api.body('announce', 1));
  r = await api.act(id, 'head-gao', 'report-to-party-committee', api.body('report-to-party-committee', 1));
  await sleep(1100);
  r = await api.act(id, 'official-zhang', 'publish', api.body('publish', 1));
  expect(r.status).toBe(200);
  const final = await api.waitFor(id, (d) => d.status === 'in-force');
  expect(final.stages.every((s: any) => s.status === 'passed')).toBe(true);

  const audit = await request(stack.app).get(`/api/decisions/${id}/audit`).set(await api.as('supervisor-lin'));
  expect(audit.body.entries.length).toBeGreaterThan(20);
  const verify = await request(stack.app).get(`/api/decisions/${id}/audit/verify`).set(await api.as('supervisor-lin'));
  expect(verify.body).toMatchObject({ valid: true, firstBroken: null });
}, 90_000);
