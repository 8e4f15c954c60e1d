import request from 'supertest';
import {
  API_ACTIONS,
  apiActionBodySchemas,
  createDecisionBody,
  dispositionBody,
  draftRevisionBody,
  opinionBody,
  surveyAnswerBody,
} from '../../api/decisions/schemas';
import { ACTION_SPECS } from '../../domain/actions';
import { startStack, type Stack } from '../support/stack';
import { STACK_HOOK_MS } from '../support/wait';

// The published contract: GET /api/openapi.json is an OpenAPI 3.1 document with a path for every
// action the API accepts, each with an example body that the API's own schema accepts, so a
// client copying an example sends a valid request.

let stack: Stack;
let doc: any;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  const res = await request(stack.app).get('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  doc = res.body;
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const actionPath = (a: string) => `/api/decisions/{id}/actions/${a}`;
const jsonBody = (op: any) => op?.requestBody?.content?.['application/json'];

it('is an OpenAPI 3.1 document served without a token', () => {
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
});

it('has a POST path for every action in API_ACTIONS, and none for revise-draft (revisions go to /drafts)', () => {
  expect(API_ACTIONS.length).toBeGreaterThan(15);
  const documented = Object.keys(doc.paths)
    .filter((p) => p.startsWith('/api/decisions/{id}/actions/'))
    .map((p) => p.slice(actionPath('').length));
  expect(documented.sort()).toEqual([...API_ACTIONS].sort());
  expect(doc.paths[actionPath('revise-draft')]).toBeUndefined();
  expect(doc.paths['/api/decisions/{id}/drafts'].post).toBeDefined();
});

describe.each(API_ACTIONS.map((a) => [a]))('action %s', (action) => {
  it('documents a request body with a JSON schema and an example, the roles, the bearer security and the 409 refusal', () => {
    const op = doc.paths[actionPath(action)]?.post;
    expect(op).toBeDefined();
    expect(op.requestBody.required).toBe(true);
    expect(jsonBody(op).schema).toEqual(expect.objectContaining({ type: 'object' }));
    expect(jsonBody(op).example).toEqual(expect.any(Object));
    expect(op.security).toEqual([{ bearer: [] }]);
    for (const role of ACTION_SPECS[action].roles) expect(op.summary).toContain(role);
    expect(op.responses['409']).toBeDefined();
    expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['id', 'Idempotency-Key']));
  });

  it('has an example that validates against apiActionBodySchemas[action]', () => {
    const example = jsonBody(doc.paths[actionPath(action)].post).example;
    const parsed = apiActionBodySchemas[action].safeParse(example);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});

it('has examples for creation, revision, opinions, survey answers and dispositions that their schemas accept', () => {
  const cases: Array<[string, string, { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } }]> =
    [
      ['/api/decisions', 'post', createDecisionBody],
      ['/api/decisions/{id}/drafts', 'post', draftRevisionBody],
      ['/api/decisions/{id}/opinions', 'post', opinionBody],
      ['/api/decisions/{id}/survey-answers', 'post', surveyAnswerBody],
      ['/api/decisions/{id}/opinions/{receipt}/disposition', 'put', dispositionBody],
    ];
  for (const [path, method, schema] of cases) {
    const example = jsonBody(doc.paths[path]?.[method])?.example;
    expect({ path, example: example !== undefined }).toEqual({ path, example: true });
    expect({ path, issues: schema.safeParse(example).error?.issues ?? [] }).toEqual({ path, issues: [] });
  }
});

it('documents the list filters of GET /api/decisions with their allowed values', () => {
  const params = doc.paths['/api/decisions'].get.parameters;
  const byName = Object.fromEntries(params.map((p: any) => [p.name, p]));
  expect(Object.keys(byName).sort()).toEqual(['limit', 'offset', 'organ', 'stage', 'status']);
  expect(byName.status.in).toBe('query');
  expect(byName.status.schema.enum).toEqual(expect.arrayContaining(['in-procedure', 'withdrawn', 'in-force']));
  expect(byName.stage.schema.enum).toEqual(expect.arrayContaining(['public-participation', 'legality-review']));
});

it('describes the error envelope with the stable codes', () => {
  const error = doc.components.schemas.Error;
  expect(error.required).toEqual(['error']);
  expect(error.properties.error.required).toEqual(['code', 'message']);
  expect(error.properties.error.properties.code.examples).toEqual(
    expect.arrayContaining(['LEGALITY_REVIEW_REQUIRED', 'STALE_DRAFT_VERSION', 'WINDOW_CLOSED']),
  );
});
