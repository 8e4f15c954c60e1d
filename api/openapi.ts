import { z } from 'zod';
import { ACTION_SPECS } from '../domain/actions';
import { exampleBodies } from '../domain/examples';
import { REFUSALS } from '../domain/refusals';
import { commitmentActionSchemas, COMMITMENT_ACTIONS, registrationSchema } from '../domain/commitment/schemas';
import { disputeBody, manualRecordBody, resolveDisputeBody } from '../app/integrity/schemas';
import {
  apiActionBodySchemas,
  API_ACTIONS,
  changeRequestBody,
  createDecisionBody,
  dispositionBody,
  draftRevisionBody,
  listDecisionsQuery,
  opinionBody,
  surveyAnswerBody,
} from './decisions/schemas';

// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, with an
// example body for every action. Served at GET /api/openapi.json.

const jsonSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine code', examples: Object.keys(REFUSALS) },
        message: { type: 'string' },
        legalBasis: { type: 'string', description: 'The article the refused gate enforces' },
        details: {},
      },
    },
  },
};

const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (schema: z.ZodType, example?: unknown) => ({
  required: true,
  content: { 'application/json': { schema: jsonSchema(schema), ...(example ? { example } : {}) } },
});
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The decision’s business key',
};
const idempotency = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,200}$' },
  description: 'A retried request with the same key is applied once.',
};
const staff = [{ bearer: [] }];
const standardErrors = {
  400: err('Invalid input, with field paths'),
  401: err('No or invalid token'),
  403: err('Missing role, organ or assignment'),
  404: err('Not found'),
};

const get = (operationId: string, summary: string, parameters: unknown[] = [], secured = true) => ({
  get: {
    operationId,
    summary,
    ...(secured ? { security: staff } : {}),
    parameters,
    responses: { 200: ok(summary), ...standardErrors },
  },
});
const post = (
  operationId: string,
  summary: string,
  schema: z.ZodType,
  parameters: unknown[] = [],
  example?: unknown,
) => ({
  post: {
    operationId,
    summary,
    security: staff,
    parameters: [...parameters, idempotency],
    requestBody: body(schema, example),
    responses: { 200: ok('Done'), ...standardErrors, 409: err('Refused: stable code and legal basis') },
  },
});
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const query = (...names: string[]) =>
  names.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));

/** Change control, the directory, integrity records and the commitments registry (issue 3). */
function afterAdoptionPaths() {
  const changeId = pathParam('changeId');
  const commitmentActions = Object.fromEntries(
    COMMITMENT_ACTIONS.map((a) => [
      `/api/commitments/{id}/actions/${a}`,
      post(`commitment-${a}`, `${a} on a commitment`, commitmentActionSchemas[a], [idParam]),
    ]),
  );
  return {
    '/api/decisions/{id}/changes': post(
      'requestChange',
      'Open a typed change request of a decision in force (Decree 713 Art 37)',
      changeRequestBody,
      [idParam],
      {
        type: 'minor-amendment',
        grounds: {
          categories: ['change-in-law'],
          explanation: 'The provincial regulation raised the student concession.',
        },
        evidence: [{ description: 'Provincial regulation, revised 2026', reference: 'HLJ Reg. 2026-14' }],
        document: {
          text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay 40%.',
          explanation: 'Amended as the province requires.',
        },
      },
    ),
    '/api/decisions/{id}/changes/{changeId}/actions/{action}': {
      post: {
        operationId: 'changeAction',
        summary:
          'A stage action on a change procedure; the same actions and bodies as /api/decisions/{id}/actions/{action}',
        security: staff,
        parameters: [idParam, changeId, pathParam('action'), idempotency],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { 200: ok('Accepted'), ...standardErrors, 409: err('Refused by a gate') },
      },
    },
    '/api/decisions/{id}/changes/{changeId}/drafts': post(
      'reviseChangeDraft',
      'Revise the document of a change procedure',
      draftRevisionBody,
      [idParam, changeId],
    ),
    '/api/public/decisions/{id}/in-force': get(
      'inForce',
      'Which text was in force at `at` (ISO 8601), with the procedure that adopted it',
      [idParam, ...query('at')],
      false,
    ),
    '/api/offices/{id}': get('office', 'An office and every person who held it, with dates', [idParam]),
    '/api/offices/{id}/handover': post(
      'handOver',
      'Hand an office over to another person (head of the organ or supervisor)',
      z.object({ toUserId: z.string(), reason: z.string(), at: z.string().optional() }),
      [idParam],
    ),
    '/api/organs/{id}/merge': post(
      'mergeOrgan',
      'Merge an organ into another (institutional reform)',
      z.object({ into: z.string(), reason: z.string() }),
      [idParam],
    ),
    '/api/organs/{id}/rename': post(
      'renameOrgan',
      'Rename an organ',
      z.object({ name: z.string(), reason: z.string() }),
      [idParam],
    ),
    '/api/integrity-records': {
      ...get(
        'listIntegrityRecords',
        'Integrity records with their corrections and disputes',
        query('organ', 'holder', 'kind', 'since', 'limit', 'offset'),
      ),
      ...post('recordIntegrity', 'Record an integrity record by hand (supervisor)', manualRecordBody),
    },
    '/api/integrity-records/{id}': get('integrityRecord', 'One integrity record', [idParam]),
    '/api/integrity-records/{id}/disputes': post(
      'disputeIntegrityRecord',
      'Dispute a record (the person named, the head of the organ, or a supervisor)',
      disputeBody,
      [idParam],
    ),
    '/api/integrity-disputes/{id}/resolve': post(
      'resolveDispute',
      'Resolve a dispute; upheld creates a correction (supervisor)',
      resolveDisputeBody,
      [idParam],
    ),
    '/api/eligibility': get(
      'eligibility',
      'May this official or organ be put forward for selection or commendation?',
      query('official', 'organ', 'at'),
    ),
    '/api/credit-feed': get(
      'creditFeed',
      'The credit-platform feed, incremental by since/cursor; JSON or CSV (docs/credit-feed.md)',
      query('since', 'cursor', 'limit', 'format'),
    ),
    '/api/credit-feed/sme-overdue-payments': get(
      'smeOverduePayments',
      'The annual list of overdue payments to SMEs (Decree 802 Art 18)',
      query('year', 'format'),
    ),
    '/api/commitments': {
      ...post(
        'registerCommitment',
        'Register a policy commitment or contract with a market entity',
        registrationSchema,
      ),
      ...get(
        'listCommitments',
        'Commitments, by organ, counterparty and status',
        query('organ', 'counterparty', 'status', 'limit', 'offset'),
      ),
    },
    '/api/commitments/{id}': get('commitment', 'A commitment: obligations, complaints, changes', [idParam]),
    '/api/commitments/{id}/complaints': get('commitmentComplaints', 'Complaints with their deadlines and answers', [
      idParam,
    ]),
    '/api/commitments/{id}/audit': get('commitmentAudit', 'The audit chain commitment:<id>', [idParam]),
    '/api/commitments/{id}/audit/verify': get('verifyCommitmentAudit', 'Recompute the commitment’s audit chain', [
      idParam,
    ]),
    ...commitmentActions,
  };
}

export function openApiDocument() {
  const examples = exampleBodies();
  const actionPaths = Object.fromEntries(
    API_ACTIONS.map((a) => [
      `/api/decisions/{id}/actions/${a}`,
      {
        post: {
          operationId: `action-${a}`,
          tags: ['actions'],
          summary: `${a} (${ACTION_SPECS[a].roles.join(' or ')})`,
          security: staff,
          parameters: [idParam, idempotency],
          requestBody: body(apiActionBodySchemas[a], examples[a]),
          responses: {
            200: ok('Accepted: the action result and the decision'),
            ...standardErrors,
            409: err('Refused by a gate: stable code and legal basis'),
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'DueProcess API',
      version: '0.1.0',
      description:
        'Major administrative decisions under Decree 713: every action passes the statutory gates, and every refusal names its legal basis.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (HS256)' } },
      schemas: { Error: errorSchema },
    },
    paths: {
      '/api/decisions': {
        post: {
          operationId: 'createDecision',
          summary: 'Start a decision (drafting official)',
          security: staff,
          parameters: [idempotency],
          requestBody: body(createDecisionBody, {
            id: 'bus-fares-2026',
            title: 'Reform of urban bus fares',
            summary: 'Distance-based fares with student and pensioner concessions.',
            templateId: 'demo',
            flags: {
              specialised: true,
              riskRelevant: true,
              marketRelated: true,
              livelihood: false,
              hearingRequired: false,
              nonDisclosable: false,
            },
            draft: {
              text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students and pensioners pay half.',
              explanation: 'Why the fares change.',
            },
          }),
          responses: { 201: ok('Started'), ...standardErrors, 409: err('The id is taken') },
        },
        get: {
          operationId: 'listDecisions',
          summary: 'List decisions, filtered by stage and status',
          security: staff,
          parameters: Object.entries(
            (jsonSchema(listDecisionsQuery) as { properties: Record<string, unknown> }).properties,
          ).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
          responses: { 200: ok('A page of decisions'), ...standardErrors },
        },
      },
      '/api/decisions/{id}': {
        get: {
          operationId: 'getDecision',
          summary: 'The full state of a decision',
          security: staff,
          parameters: [idParam],
          responses: { 200: ok('The decision'), ...standardErrors },
        },
      },
      ...actionPaths,
      '/api/decisions/{id}/drafts': {
        post: {
          operationId: 'reviseDraft',
          summary: 'Upload a draft revision (re-opens the stages the template lists)',
          security: staff,
          parameters: [idParam, idempotency],
          requestBody: body(draftRevisionBody, {
            text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students, pensioners and the disabled pay half.',
            explanation: 'Why the fares change.',
            changeNote: 'Concession extended, as the experts advised.',
          }),
          responses: {
            201: ok('The new draft version'),
            ...standardErrors,
            409: err('Refused: stale, unchanged, under public comment, or adopted'),
          },
        },
      },
      '/api/decisions/{id}/opinions': {
        post: {
          operationId: 'submitOpinion',
          summary: 'Submit a public opinion (no token) while the comment window is open',
          parameters: [idParam, idempotency],
          requestBody: body(opinionBody, { text: 'Keep the monthly pass price.', paragraph: 2, name: 'A commuter' }),
          responses: {
            201: ok('Received: the receipt number'),
            200: ok('Already received with this Idempotency-Key'),
            400: err('Invalid input'),
            404: err('No such decision'),
            409: err('WINDOW_CLOSED: nothing stored'),
          },
        },
        get: {
          operationId: 'listOpinions',
          summary: 'Opinions with their dispositions (staff)',
          security: staff,
          parameters: [idParam],
          responses: { 200: ok('Opinions'), ...standardErrors },
        },
      },
      '/api/decisions/{id}/opinions/{receipt}/disposition': {
        put: {
          operationId: 'disposeOpinion',
          summary: 'Record how an opinion was handled (drafting official)',
          security: staff,
          parameters: [idParam, { name: 'receipt', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(dispositionBody, {
            disposition: 'partly-adopted',
            reason: 'Concession kept; the price freeze is outside the bureau’s power.',
          }),
          responses: {
            200: ok('Recorded'),
            ...standardErrors,
            409: err('Window still open, or the feedback report is published'),
          },
        },
      },
      '/api/decisions/{id}/survey-answers': {
        post: {
          operationId: 'answerSurvey',
          summary: 'Answer the opinion survey (no token) while it is open',
          parameters: [idParam, idempotency],
          requestBody: body(surveyAnswerBody, { answers: { support: 'yes', why: 'Fairer for short trips.' } }),
          responses: {
            201: ok('Received'),
            400: err('Invalid input'),
            404: err('No such decision'),
            409: err('WINDOW_CLOSED'),
          },
        },
      },
      '/api/public/decisions/{id}': {
        get: {
          operationId: 'readPublicDecision',
          summary:
            'A pre-disclosed decision as the public sees it (no token): numbered paragraphs, explanation, windows, and its audit chain links (auditChain: head and {seq, hash, prevHash} of each entry)',
          parameters: [idParam],
          responses: { 200: ok('The public view'), 404: err('No such decision, or not yet disclosed') },
        },
      },
      '/api/public/checkpoints/latest': {
        get: {
          operationId: 'latestCheckpoint',
          summary: 'The latest signed checkpoint of every audit chain head (Ed25519); save it to check records later',
          responses: { 200: ok('Signed checkpoint'), 404: err('No checkpoint yet') },
        },
      },
      '/api/public/checkpoints/key': {
        get: {
          operationId: 'checkpointKey',
          summary: 'The public key checkpoints are signed with (JSON, or PEM with Accept: application/x-pem-file)',
          responses: { 200: ok('Public key') },
        },
      },
      '/api/decisions/{id}/audit': {
        get: {
          operationId: 'auditTrail',
          summary: 'The audit chain: accepted actions, refused attempts, timer events',
          security: staff,
          parameters: [idParam],
          responses: { 200: ok('Entries in order'), ...standardErrors },
        },
      },
      '/api/decisions/{id}/audit/verify': {
        get: {
          operationId: 'verifyAudit',
          summary:
            'Recompute the chain and check every record it names by hash (stage records, drafts, dispositions) and the latest checkpoint; report the first problem',
          security: staff,
          parameters: [idParam],
          responses: { 200: ok('Chain report'), ...standardErrors },
        },
      },
      '/api/templates': {
        get: {
          operationId: 'listTemplates',
          summary: 'The procedure templates in use',
          responses: { 200: ok('Templates') },
        },
      },
      ...afterAdoptionPaths(),
    },
  };
}
