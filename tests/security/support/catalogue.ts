import type { z } from 'zod';
import { ACTION_SPECS, type ActionSpec } from '../../../domain/actions';
import {
  COMMITMENT_ACTIONS,
  commitmentActionSchemas,
  registrationSchema,
  type CommitmentActionName,
} from '../../../domain/commitment/schemas';
import { exampleBodies } from '../../../domain/examples';
import type { Role } from '../../../domain/stages';
import { STAFF_READERS } from '../../../api/auth';
import {
  apiActionBodySchemas,
  API_ACTIONS,
  changeRequestBody,
  createDecisionBody,
  dispositionBody,
  draftRevisionBody,
  inForceQuery,
  listDecisionsQuery,
  surveyAnswerBody,
} from '../../../api/decisions/schemas';
import {
  hearingRegistrationBody,
  moderationBody,
  publicOpinionBody,
  verificationBody,
} from '../../../api/public/schemas';
import { handoverBody, mergeBody, renameBody } from '../../../app/directory/schemas';
import {
  creditFeedQuery,
  disputeBody,
  eligibilityQuery,
  listRecordsQuery,
  manualRecordBody,
  resolveDisputeBody,
  smeOverdueQuery,
} from '../../../app/integrity/schemas';
import { listCommitmentsQuery } from '../../../app/commitments/schemas';
import { commitmentBody, DRAFT, manualRecordExample, type World } from './world';

// Every endpoint the API serves, with who may call it and a valid request. Who may call it comes
// from the code's own tables: the guard each router puts on the route (STAFF_READERS, a role
// list) and, for stage actions, ACTION_SPECS. Where the rule lives in a service rather than a
// table (offices, disputes, commitments), the rule is named here after that service.

/** A rule checked after authentication, by the gates or a service. */
export type Rule =
  | { type: 'action'; spec: ActionSpec }
  /** The head of the organ concerned, or a supervisor (api/directory/router.ts mayAdminister). */
  | { type: 'administer' }
  /** The person the record names, the head of its organ, or a supervisor (integrity/service.ts mayDispute). */
  | { type: 'dispute' }
  /** Staff, or the market entity party to the commitment (commitments/service.ts canRead). */
  | { type: 'commitment-read' }
  /** domain/commitment/actions.ts: authoriseResponsible, authoriseRole('head'), authoriseCounterparty. */
  | { type: 'commitment-action'; who: 'responsible' | 'head' | 'counterparty' }
  /** A drafting official of the deciding organ, or a supervisor (lib/moderation.ts mayModerate). */
  | { type: 'moderate' };

export interface Access {
  token: boolean;
  /** The roles the route's guard requires (requireStaff(auth, roles)); absent: any valid token. */
  roles?: readonly Role[];
  rule?: Rule;
}

/** The resources a request addresses; created for the run (or per request when `fresh`). */
export type Need = 'decision' | 'commitment' | 'record' | 'dispute' | 'organ' | 'office' | 'opinion' | 'survey';
export type ResourceKey = 'decision' | 'commitment' | 'record' | 'dispute' | 'organ' | 'office' | 'opinion';
export type Res = Partial<Record<ResourceKey, string>>;

export interface Endpoint {
  /** Method and Express path as served: what the completeness check compares. */
  route: string;
  /** The route, or for action routes the route with the action filled in. */
  label: string;
  access: Access;
  needs: Need[];
  /** An allowed request changes the resource for good: every request gets a fresh one. */
  fresh?: boolean;
  path(r: Res, w: World): string;
  body?: { schema: z.ZodType; example(r: Res, w: World): unknown };
  query?: { schema: z.ZodType; example(r: Res, w: World): Record<string, string> };
  /** The ACTION_SPECS entry when the endpoint performs a decision action. */
  action?: keyof typeof ACTION_SPECS;
}

const PUBLIC: Access = { token: false };
const staff: Access = { token: true, roles: STAFF_READERS };
const supervisor: Access = { token: true, roles: ['supervisor'] };
const official: Access = { token: true, roles: ['drafting-official'] };
const authenticated = (rule?: Rule): Access => ({ token: true, ...(rule ? { rule } : {}) });
const actionRule = (a: keyof typeof ACTION_SPECS): Rule => ({ type: 'action', spec: ACTION_SPECS[a] });
/** disposeOpinion (api/decisions/opinions.ts): the drafting official of the deciding organ. */
export const DISPOSITION_SPEC: ActionSpec = {
  stage: null,
  roles: ['drafting-official'],
  sameOrgan: true,
  assigned: false,
};
/** authoriseRegistration (domain/commitment/rules.ts): a drafting official of the responsible office's organ. */
const REGISTRATION_SPEC: ActionSpec = { stage: null, roles: ['drafting-official'], sameOrgan: true, assigned: false };

const examples = exampleBodies();
const lawful = { categories: ['public-interest'], explanation: 'The depot site is needed for a hospital.' };
const COMMITMENT_EXAMPLES: Record<
  CommitmentActionName,
  { who: 'responsible' | 'head' | 'counterparty'; body: Record<string, unknown> }
> = {
  'record-delivery': { who: 'responsible', body: { obligationId: 'pay' } },
  'record-payment': { who: 'responsible', body: { obligationId: 'pay', amountFen: 500_000_000, reference: 'PAY-1' } },
  'record-fulfilment': { who: 'responsible', body: { obligationId: 'depot', evidence: 'Handed over on site.' } },
  'request-modification': {
    who: 'head',
    body: {
      grounds: lawful,
      legalBasis: 'PEPL Art 70',
      changes: [{ obligationId: 'depot', description: 'Another site' }],
    },
  },
  terminate: {
    who: 'head',
    body: {
      grounds: lawful,
      legalBasis: 'PEPL Art 70',
      harmsEntity: true,
      compensation: { amountFen: 1_000, reason: 'Costs incurred' },
    },
  },
  'file-complaint': { who: 'counterparty', body: { text: 'The payment is late.' } },
  'respond-to-complaint': { who: 'responsible', body: { complaintId: 'C-1', response: 'Paid today.' } },
};

const d = (r: Res) => `/api/decisions/${r.decision}`;
const body = <S extends z.ZodType>(schema: S, example: (r: Res, w: World) => unknown) => ({ schema, example });
const query = <S extends z.ZodType>(schema: S, example: (r: Res, w: World) => Record<string, string>) => ({
  schema,
  example,
});
const e = (
  route: string,
  access: Access,
  needs: Need[],
  path: Endpoint['path'],
  more: Partial<Endpoint> = {},
): Endpoint => ({ route, label: route, access, needs, path, ...more });

const decisionActions: Endpoint[] = API_ACTIONS.map((a) => ({
  route: 'POST /api/decisions/:id/actions/:action',
  label: `POST /api/decisions/:id/actions/${a}`,
  access: authenticated(actionRule(a)),
  needs: ['decision'],
  fresh: true,
  action: a,
  path: (r) => `${d(r)}/actions/${a}`,
  body: body(apiActionBodySchemas[a], () => examples[a]),
}));

const commitmentActions: Endpoint[] = COMMITMENT_ACTIONS.map((a) => ({
  route: 'POST /api/commitments/:id/actions/:action',
  label: `POST /api/commitments/:id/actions/${a}`,
  access: authenticated({ type: 'commitment-action', who: COMMITMENT_EXAMPLES[a].who }),
  needs: ['commitment'],
  fresh: true,
  path: (r) => `/api/commitments/${r.commitment}/actions/${a}`,
  body: body(commitmentActionSchemas[a], () => COMMITMENT_EXAMPLES[a].body),
}));

export const ENDPOINTS: Endpoint[] = [
  e('GET /healthz', PUBLIC, [], () => '/healthz'),
  e('GET /api/openapi.json', PUBLIC, [], () => '/api/openapi.json'),
  e('GET /api/templates', PUBLIC, [], () => '/api/templates'),
  // Decisions (api/decisions/router.ts)
  e('POST /api/decisions', official, [], () => '/api/decisions', {
    body: body(createDecisionBody, () => ({
      title: 'A decision',
      summary: 'Why',
      templateId: 'test-fast',
      draft: DRAFT,
    })),
  }),
  e('GET /api/decisions', staff, [], () => '/api/decisions', {
    query: query(listDecisionsQuery, (_r, w) => ({ organ: w.organ, limit: '5' })),
  }),
  e('GET /api/decisions/:id', staff, ['decision'], d),
  ...decisionActions,
  e(
    'POST /api/decisions/:id/changes',
    authenticated(actionRule('request-change')),
    ['decision'],
    (r) => `${d(r)}/changes`,
    {
      action: 'request-change',
      body: body(changeRequestBody, () => ({ type: 'minor-amendment', grounds: lawful, document: DRAFT })),
    },
  ),
  e(
    'POST /api/decisions/:id/changes/:changeId/actions/:action',
    authenticated(),
    ['decision'],
    (r) => `${d(r)}/changes/change-9/actions/predisclose`,
    {
      body: body(apiActionBodySchemas.predisclose, () => examples.predisclose),
    },
  ),
  e(
    'POST /api/decisions/:id/changes/:changeId/drafts',
    authenticated(),
    ['decision'],
    (r) => `${d(r)}/changes/change-9/drafts`,
    {
      body: body(draftRevisionBody, () => ({ ...DRAFT, changeNote: 'Amended.' })),
    },
  ),
  e(
    'POST /api/decisions/:id/drafts',
    authenticated(actionRule('revise-draft')),
    ['decision'],
    (r) => `${d(r)}/drafts`,
    {
      action: 'revise-draft',
      fresh: true,
      body: body(draftRevisionBody, () => ({
        text: `Article 1. Revised ${Date.now()}.`,
        explanation: 'Revised.',
        changeNote: 'Tightened.',
      })),
    },
  ),
  e('GET /api/decisions/:id/drafts/:hash', staff, ['decision'], (r) => `${d(r)}/drafts/sha256:${'0'.repeat(64)}`),
  e('GET /api/decisions/:id/opinions', staff, ['decision'], (r) => `${d(r)}/opinions`),
  e(
    'PUT /api/decisions/:id/opinions/:receipt/disposition',
    authenticated({ type: 'action', spec: DISPOSITION_SPEC }),
    ['decision'],
    (r) => `${d(r)}/opinions/OP-AAAAA-AAAAA/disposition`,
    {
      body: body(dispositionBody, () => ({ disposition: 'adopted' })),
    },
  ),
  e('GET /api/decisions/:id/audit', staff, ['decision'], (r) => `${d(r)}/audit`),
  e('GET /api/decisions/:id/audit/verify', staff, ['decision'], (r) => `${d(r)}/audit/verify`),
  // Public input (api/public/router.ts): no token
  e('GET /api/public/decisions/:id', PUBLIC, ['decision'], (r) => `/api/public/decisions/${r.decision}`),
  e(
    'GET /api/public/decisions/:id/in-force',
    PUBLIC,
    ['decision'],
    (r) => `/api/public/decisions/${r.decision}/in-force`,
    { query: query(inForceQuery, () => ({ at: new Date().toISOString() })) },
  ),
  e('POST /api/decisions/:id/opinions', PUBLIC, ['opinion'], (r) => `${d(r)}/opinions`, {
    body: body(publicOpinionBody, () => ({
      text: 'Keep the student concession.',
      paragraph: 1,
      name: 'A commuter',
      contact: 'commuter@example.org',
    })),
  }),
  e('POST /api/decisions/:id/survey-answers', PUBLIC, ['survey'], (r) => `${d(r)}/survey-answers`, {
    body: body(surveyAnswerBody, () => ({ answers: { support: 'yes' } })),
  }),
  // The portal's JSON endpoints (api/public/portal.ts)
  e('POST /api/decisions/:id/verifications', PUBLIC, ['opinion'], (r) => `${d(r)}/verifications`, {
    body: body(verificationBody, () => ({ channel: 'email', destination: 'commuter@example.org' })),
  }),
  e('POST /api/decisions/:id/hearing-registrations', PUBLIC, ['opinion'], (r) => `${d(r)}/hearing-registrations`, {
    body: body(hearingRegistrationBody, () => ({
      name: 'A commuter',
      contact: 'commuter@example.org',
      represents: 'Commuters of the outer districts',
    })),
  }),
  e('GET /api/public/receipts/:receipt', PUBLIC, ['opinion'], (r) => `/api/public/receipts/${r.opinion}`),
  e(
    'GET /api/public/decisions/:id/opinions',
    PUBLIC,
    ['opinion'],
    (r) => `/api/public/decisions/${r.decision}/opinions`,
  ),
  e(
    'GET /api/public/decisions/:id/survey-results',
    PUBLIC,
    ['opinion'],
    (r) => `/api/public/decisions/${r.decision}/survey-results`,
  ),
  e(
    'POST /api/decisions/:id/opinions/:receipt/moderation',
    authenticated({ type: 'moderate' }),
    ['opinion'],
    (r) => `${d(r)}/opinions/${r.opinion}/moderation`,
    {
      fresh: true,
      body: body(moderationBody, () => ({ action: 'hide', reason: 'Insults a named person.' })),
    },
  ),
  // Directory (api/directory/router.ts): staff guard, then the head of the organ or a supervisor
  e('GET /api/offices/:id', staff, [], (_r, w) => `/api/offices/${encodeURIComponent(w.responsibleOffice)}`),
  e(
    'POST /api/offices/:id/handover',
    { ...staff, rule: { type: 'administer' } },
    ['office'],
    (r) => `/api/offices/${encodeURIComponent(r.office!)}/handover`,
    {
      fresh: true,
      body: body(handoverBody, (_r, w) => ({ toUserId: w.sinkUserId, reason: 'Rotation of posts.' })),
    },
  ),
  e(
    'POST /api/organs/:id/merge',
    { ...staff, rule: { type: 'administer' } },
    ['organ'],
    (r) => `/api/organs/${r.organ}/merge`,
    {
      fresh: true,
      body: body(mergeBody, (_r, w) => ({ into: w.organ, reason: 'Institutional reform.' })),
    },
  ),
  e(
    'POST /api/organs/:id/rename',
    { ...staff, rule: { type: 'administer' } },
    [],
    (_r, w) => `/api/organs/${w.organ}/rename`,
    {
      body: body(renameBody, (_r, w) => ({ name: `Matrix organ ${w.n}`, reason: 'Same name.' })),
    },
  ),
  // Integrity (api/integrity/router.ts)
  e('GET /api/integrity-records', staff, [], () => '/api/integrity-records', {
    query: query(listRecordsQuery, (_r, w) => ({ organ: w.organ })),
  }),
  e('GET /api/integrity-records/:id', staff, ['record'], (r) => `/api/integrity-records/${r.record}`),
  e('POST /api/integrity-records', supervisor, [], () => '/api/integrity-records', {
    body: body(manualRecordBody, (_r, w) => manualRecordExample(w)),
  }),
  e(
    'POST /api/integrity-records/:id/disputes',
    authenticated({ type: 'dispute' }),
    ['record'],
    (r) => `/api/integrity-records/${r.record}/disputes`,
    {
      body: body(disputeBody, () => ({ grounds: 'The deadline was extended.' })),
    },
  ),
  e(
    'POST /api/integrity-disputes/:id/resolve',
    supervisor,
    ['dispute'],
    (r) => `/api/integrity-disputes/${r.dispute}/resolve`,
    {
      body: body(resolveDisputeBody, () => ({ resolution: 'rejected', reason: 'The record stands.' })),
    },
  ),
  e('GET /api/eligibility', staff, [], () => '/api/eligibility', {
    query: query(eligibilityQuery, (_r, w) => ({ organ: w.organ })),
  }),
  e('GET /api/credit-feed', supervisor, [], () => '/api/credit-feed', {
    query: query(creditFeedQuery, () => ({ limit: '5' })),
  }),
  e('GET /api/credit-feed/sme-overdue-payments', supervisor, [], () => '/api/credit-feed/sme-overdue-payments', {
    query: query(smeOverdueQuery, () => ({ year: '2026' })),
  }),
  // Commitments (api/commitments/router.ts)
  e(
    'POST /api/commitments',
    { ...official, rule: { type: 'action', spec: REGISTRATION_SPEC } },
    [],
    () => '/api/commitments',
    { body: body(registrationSchema, (_r, w) => commitmentBody(w)) },
  ),
  e('GET /api/commitments', authenticated(), [], () => '/api/commitments', {
    query: query(listCommitmentsQuery, (_r, w) => ({ organ: w.organ })),
  }),
  e(
    'GET /api/commitments/:id',
    authenticated({ type: 'commitment-read' }),
    ['commitment'],
    (r) => `/api/commitments/${r.commitment}`,
  ),
  e(
    'GET /api/commitments/:id/complaints',
    authenticated({ type: 'commitment-read' }),
    ['commitment'],
    (r) => `/api/commitments/${r.commitment}/complaints`,
  ),
  ...commitmentActions,
  e('GET /api/commitments/:id/audit', staff, ['commitment'], (r) => `/api/commitments/${r.commitment}/audit`),
  e(
    'GET /api/commitments/:id/audit/verify',
    staff,
    ['commitment'],
    (r) => `/api/commitments/${r.commitment}/audit/verify`,
  ),
];

export const METHOD = (ep: Endpoint) => ep.route.split(' ')[0];
