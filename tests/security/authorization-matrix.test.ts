import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { API_ACTIONS } from '../../api/decisions/schemas';
import { exampleBodies } from '../../domain/examples';
import { DEMO_USERS } from '../../prisma/demo';
import { startStack, type Stack } from '../support/stack';
import { canonicalRoute, loadAuthorityModel, modelEntryFor, ruleFor, type Rule } from './support/authority-model';
import { ENDPOINTS, METHOD, type Endpoint, type Need, type Res } from './support/catalogue';
import { footprint, type Footprint } from './support/footprint';
import { ASSIGNED_ACTIONS, decisionAtStage, verdict } from './support/matrix';
import { expectedAnswer, type Expected, type Holder, type ModelScope } from './support/model-evaluator';
import { listRoutes, routeKey } from './support/routes';
import { givePasswordsFast, signIn, type Session } from './support/sessions';
import {
  commitmentBody,
  createResources,
  DRAFT,
  newDecision,
  newOffice,
  unique,
  buildWorld,
  type Identity,
  type World,
} from './support/world';

// The authorization matrix (issue 9): every identity — no sign-in, one person per role in a
// dedicated organ, a second organ's official and head, an expert of a panel assigned on one
// decision only, a market entity that is not the counterparty, and the demo users — against every
// API route and every staff page. The expected answer comes from docs/authority.md (parsed by
// support/authority-model.ts) and the test's own evaluator of its conditions over what the test
// knows of its world (support/model-evaluator.ts); nothing is read from the code under test.
// 401 without sign-in (a page: a redirect to the sign-in form) where the rule is not `anyone`;
// 403 where the rule denies; anything but 401/403, and never a 5xx, where it allows; a denied
// request writes nothing but the refusal the audit chain records. Denied requests go first, so an
// allowed one cannot mask them.

process.env.DUEPROCESS_PUBLIC_RATE_LIMIT ??= 'off';
process.env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL ??= 'off';

const MODEL = loadAuthorityModel();
const ROLES = MODEL.roles;

/**
 * Routes the app serves that docs/authority.md does not name. Each fails its own test below until
 * the document names it (the matrix cannot know who may call them); a new one fails the coverage test.
 */
const KNOWN_GAPS: string[] = [];

const BIG = 120_000;

let stack: Stack;
let w: World;
const sessions = new Map<string, Session>();
const signInFailures: string[] = [];
/** What the test did to each decision: who it assigned (any stage), and to the stage in front. */
const assignments = new Map<string, { assigned: string[]; stage: string[] }>();
const shared: Partial<Record<Need, Res>> = {};

beforeAll(async () => {
  stack = await startStack();
  w = await buildWorld(stack);
  const people = w.identities.filter((i) => i.userId).map((i) => i.userId!);
  await givePasswordsFast(stack, people);
  for (const who of w.identities) {
    if (!who.userId) continue;
    const s = await signIn(stack, who.userId);
    if ('session' in s) sessions.set(who.label, s.session);
    else signInFailures.push(`${who.label}: sign-in answered ${s.status}`);
  }
  // The shared decision that reads address: specialised and not disclosable, so its expert stage is
  // in front, with the panel's expert (of no office of the organ) assigned to it.
  const decision = await newDecision(stack, w, {
    flags: { nonDisclosable: true, specialised: true },
    nonDisclosableReason: 'Security matter (test)',
  });
  const assign = await request(stack.app)
    .post(`/api/decisions/${decision}/actions/assign`)
    .set(w.member['drafting-official'].headers)
    .send({ stage: 'expert-demonstration', assignees: [{ userId: w.panelExpert.userId, dissentingView: true }] });
  if (assign.status !== 200)
    throw new Error(`could not assign the panel expert: ${assign.status} ${JSON.stringify(assign.body)}`);
  assignments.set(decision, { assigned: [w.panelExpert.userId!], stage: [] });
  shared.decision = { decision };
}, 600_000);
afterAll(() => stack?.stop(), 180_000);

const holder = (who: Identity): Holder => ({ userId: who.userId, offices: who.offices });

/** What the world knows of the resources a request addresses. */
function scopeOf(needs: Need[], r: Res): ModelScope {
  const s: ModelScope = {};
  if (r.decision) {
    const a = assignments.get(r.decision);
    Object.assign(s, { organLineage: [w.organ], assigned: a?.assigned ?? [], stageAssigned: a?.stage ?? [] });
  }
  if (r.commitment)
    Object.assign(s, {
      organLineage: [w.organ],
      counterpartyOrgan: w.firm,
      responsibleUserId: w.member['drafting-official'].userId!,
    });
  if (r.record || r.dispute) s.named = { userId: w.member.expert.userId!, organLineage: [w.organ] };
  if (r.office) Object.assign(s, { organLineage: [w.organ], targetUserId: w.sinkUserId });
  if (r.organ) s.organLineage = [r.organ];
  if (!needs.length && !s.organLineage) s.organLineage = [w.organ]; // rename addresses the world's organ
  return s;
}

interface Outcome {
  kind: 'api' | 'page';
  route: string;
  operation: string;
  identity: string;
  expected: Expected;
  status: number;
  code?: string;
  wrote?: string;
  /** A page's form errors, when it answered 400 or 422. */
  note?: string;
}
const results: Outcome[] = [];
const mismatches: Outcome[] = [];

const describeOutcome = (o: Outcome) =>
  `${o.identity} on ${o.route} (${o.operation}): expected ${o.expected}, got ${o.status}${o.code ? ` ${o.code}` : ''}${o.note ? ` (${o.note})` : ''}${o.wrote ? `; a denied request wrote ${o.wrote}` : ''}`;

function diff(a: Footprint, b: Footprint): string | undefined {
  const changed = Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
  return changed.length ? changed.map((k) => `${k}: ${a[k]} → ${b[k]}`).join(', ') : undefined;
}

/** Requests a route as every identity, denied first; returns the mismatches of this route. */
async function matrix(o: {
  kind: 'api' | 'page';
  route: string;
  rule: Rule;
  operation: string;
  scope: ModelScope;
  identities?: Identity[];
  send(who: Identity): Promise<request.Response>;
}): Promise<string[]> {
  const plan = (o.identities ?? w.identities).map((who) => ({
    who,
    want: expectedAnswer(o.rule, holder(who), o.scope, ROLES),
  }));
  plan.sort((a, b) => Number(a.want === 'allow') - Number(b.want === 'allow'));
  const mine: string[] = [];
  // Denied requests run back to back, so one footprint after a request is the next one's before.
  let before: Footprint | null = plan[0]?.want === 'allow' ? null : await settledFootprint();
  for (const { who, want } of plan) {
    if (want === 'allow') before = null;
    const res = await o.send(who);
    const after = before ? await footprint(stack, w) : null;
    const wrote = before && after ? diff(before, after) : undefined;
    before = after;
    const got = o.kind === 'page' ? pageVerdict(res) : verdict(res.status);
    const code = res.body?.error?.code ?? (o.kind === 'page' && res.status >= 400 ? refusalCode(res.text) : undefined);
    const note = o.kind === 'page' && (res.status === 400 || res.status === 422) ? formErrors(res.text) : undefined;
    const outcome: Outcome = {
      kind: o.kind,
      route: o.route,
      operation: o.operation,
      identity: who.label,
      expected: want,
      status: res.status,
      ...(code ? { code } : {}),
      ...(wrote ? { wrote } : {}),
      ...(note ? { note } : {}),
    };
    results.push(outcome);
    const apiErrorMalformed =
      o.kind === 'api' &&
      res.status >= 400 &&
      !(typeof res.body?.error?.code === 'string' && typeof res.body?.error?.message === 'string');
    // A creation is answered before its workflow records it: let it land before the next batch.
    const created = want === 'allow' && o.operation === 'decision.create' ? createdDecision(res) : undefined;
    if (created) await stack.recorded(decodeURIComponent(created)).catch(() => undefined);
    if (got !== want || wrote || apiErrorMalformed) {
      mismatches.push(outcome);
      mine.push(describeOutcome(outcome) + (apiErrorMalformed ? ' (error body lacks code and message)' : ''));
    }
  }
  return mine;
}

/** A page answers an unauthenticated request by sending the browser to the sign-in form. */
function pageVerdict(res: request.Response): Expected | 'error' {
  if (res.status >= 300 && res.status < 400 && String(res.headers.location ?? '').startsWith('/staff/login'))
    return 401;
  return verdict(res.status);
}
const formErrors = (html: string | undefined) => {
  const summary = html ? /class="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] : undefined;
  return summary
    ? [...summary.matchAll(/<li>(?:<a[^>]*>)?([^<]{1,200})/g)]
        .map((m) => m[1].trim())
        .slice(0, 3)
        .join(' / ') || undefined
    : undefined;
};

/** The decision an allowed creation made (API answer or the page's redirect), to wait until it is recorded. */
const createdDecision = (res: request.Response): string | undefined =>
  res.body?.result?.id ??
  (res.status === 303
    ? /^\/staff\/decisions\/([^/?#]+)(?:\?.*)?$/.exec(String(res.headers.location ?? ''))?.[1]
    : undefined);

/**
 * The footprint once the writes of earlier, allowed requests have all landed (a workflow records a
 * created decision shortly after its creation is answered): two equal readings in a row.
 */
async function settledFootprint(): Promise<Footprint> {
  let last = await footprint(stack, w);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const next = await footprint(stack, w);
    if (!diff(last, next)) return next;
    last = next;
  }
  return last;
}
const refusalCode = (html: string | undefined) => (html ? /<code>([A-Z_]+)<\/code>/.exec(html)?.[1] : undefined);

// ---------------------------------------------------------------------------------------------
// Coverage: every route the app serves is named in the model.

describe('coverage of docs/authority.md', () => {
  const served = () => listRoutes(stack.app).map((r) => ({ key: routeKey(r), method: r.method, path: r.path }));
  it('names every API route the app serves', () => {
    const missing = served()
      .filter((r) => r.path.startsWith('/api/') || r.path === '/healthz')
      .filter((r) => !modelEntryFor(MODEL, r.method, r.path) && !KNOWN_GAPS.includes(r.key))
      .map((r) => r.key);
    expect(missing).toEqual([]);
  });
  it('names every staff page (GET pages and POST forms) under /staff', () => {
    const missing = served()
      .filter((r) => r.path.startsWith('/staff'))
      .filter((r) => !modelEntryFor(MODEL, r.method, r.path) && !KNOWN_GAPS.includes(r.key))
      .map((r) => r.key);
    expect(missing).toEqual([]);
  });
  it('names every public page', () => {
    const missing = served()
      .filter((r) => !r.path.startsWith('/api/') && !r.path.startsWith('/staff') && r.path !== '/healthz')
      .filter((r) => !modelEntryFor(MODEL, r.method, r.path) && !KNOWN_GAPS.includes(r.key))
      .map((r) => r.key);
    expect(missing).toEqual([]);
  });
  it('names only routes the app serves', () => {
    const keys = served().map((r) => canonicalRoute(r.method, r.path));
    const unserved = [...MODEL.routes.values()].filter(
      ({ route }) =>
        !keys.some((k) => (route.key.endsWith('/*') ? k.startsWith(route.key.slice(0, -1)) : k === route.key)),
    );
    expect(unserved.map(({ route, operation }) => `${route.method} ${route.path} (${operation.name})`)).toEqual([]);
  });
  // Routes served but not yet named in the model: each fails until the document names it.
  (KNOWN_GAPS.length ? it.each(KNOWN_GAPS) : it.skip.each(['(none)']))(
    'known gap: %s is named in docs/authority.md',
    (gap) => {
      const [method, path] = gap.split(' ');
      expect({ route: gap, named: Boolean(modelEntryFor(MODEL, method, path)) }).toEqual({ route: gap, named: true });
    },
  );
  it('signs every person in to the workspace', () => {
    expect(signInFailures).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The API.

const apiEndpoints = ENDPOINTS.filter((ep) => !KNOWN_GAPS.includes(ep.route));

/** The action of an action route: the stage action or commitment action the endpoint performs. */
function actionOf(ep: Endpoint): string | undefined {
  if (!ep.route.endsWith('/:action')) return undefined;
  if (ep.action) return ep.action;
  if (ep.label !== ep.route) return ep.label.split('/').pop();
  return 'predisclose'; // the change-procedure action route: the catalogue sends a pre-disclosure
}

const officeIdOf = (who: Identity, role: string): string | undefined => {
  if (!who.offices.some((o) => o.role === role)) return undefined;
  const demo = DEMO_USERS.find((u) => u.id === who.userId);
  return demo ? demo.officeId : `${who.organId}/${role}/${who.userId}`;
};

async function resourcesFor(needs: Need[], fresh: boolean | undefined, action?: string): Promise<Res> {
  const r = await createResources(stack, w, needs, fresh ? undefined : shared);
  if (action && action in ASSIGNED_ACTIONS) {
    const role = ASSIGNED_ACTIONS[action as keyof typeof ASSIGNED_ACTIONS]!;
    r.decision = await decisionAtStage(stack, w, action as keyof typeof ASSIGNED_ACTIONS);
    const legality = action === 'file-fairness-review' ? [w.member['legality-reviewer'].userId!] : [];
    assignments.set(r.decision, { assigned: [w.member[role].userId!, ...legality], stage: [w.member[role].userId!] });
  }
  return r;
}

describe.each(apiEndpoints.map((ep) => [ep.label, ep] as const))('API %s', (_label, ep) => {
  it(
    'answers every identity as docs/authority.md says',
    async () => {
      const method = METHOD(ep);
      const expressPath = ep.route.slice(method.length + 1);
      const action = actionOf(ep);
      const { rule, operation } = ruleFor(MODEL, method, expressPath, { action });
      const r = await resourcesFor(
        ep.needs,
        ep.fresh,
        action && action in ASSIGNED_ACTIONS && ep.route.includes('/decisions/') ? action : undefined,
      );
      const mine = await matrix({
        kind: 'api',
        route: ep.label,
        rule,
        operation,
        scope: scopeOf(ep.needs, r),
        send: (who) => {
          const req = request(stack.app)
            [method.toLowerCase() as 'get' | 'post' | 'put'](ep.path(r, w))
            .set(who.headers);
          if (ep.query) req.query(ep.query.example(r, w));
          let body = ep.body?.example(r, w) as Record<string, unknown> | undefined;
          // A registration names a responsible office of the registering official's own organ.
          if (ep.route === 'POST /api/commitments')
            body = {
              ...commitmentBody(w),
              responsibleOfficeId: officeIdOf(who, 'drafting-official') ?? w.responsibleOffice,
            };
          return body ? req.send(body) : req;
        },
      });
      expect(mine).toEqual([]);
    },
    BIG,
  );
});

// ---------------------------------------------------------------------------------------------
// The staff pages: signed in with a session cookie, forms with the session's CSRF token.

interface Page {
  route: string;
  label: string;
  needs: Need[];
  fresh?: boolean;
  action?: string;
  path(r: Res): string;
  form?(r: Res): Record<string, string>;
}

/** A JSON body as the workspace's generated forms post it: `a.b`, `rows.0.field`. */
function flatten(v: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object')) out[prefix] = v.join('\n');
    else v.forEach((x, i) => flatten(x, `${prefix}.${i}`, out));
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof v === 'boolean') {
    if (v) out[prefix] = 'on';
  } else if (v !== undefined && v !== null) {
    out[prefix] = String(v);
  }
  return out;
}

const sd = (r: Res) => `/staff/decisions/${encodeURIComponent(r.decision!)}`;
const examples = exampleBodies();

const PAGES: Page[] = [
  { route: 'GET /staff', label: 'GET /staff', needs: [], path: () => '/staff' },
  { route: 'GET /staff/dashboard', label: 'GET /staff/dashboard', needs: [], path: () => '/staff/dashboard' },
  {
    route: 'GET /staff/decisions/new',
    label: 'GET /staff/decisions/new',
    needs: [],
    path: () => '/staff/decisions/new',
  },
  {
    route: 'POST /staff/decisions/new',
    label: 'POST /staff/decisions/new',
    needs: [],
    path: () => '/staff/decisions/new',
    form: () => ({
      title: 'A decision by form',
      summary: 'Why',
      templateId: 'test-fast',
      'draft.text': DRAFT.text,
      'draft.explanation': DRAFT.explanation,
    }),
  },
  { route: 'GET /staff/decisions/:id', label: 'GET /staff/decisions/:id', needs: ['decision'], path: sd },
  {
    route: 'GET /staff/decisions/:id/revise',
    label: 'GET /staff/decisions/:id/revise',
    needs: ['decision'],
    path: (r) => `${sd(r)}/revise`,
  },
  {
    route: 'POST /staff/decisions/:id/revise',
    label: 'POST /staff/decisions/:id/revise',
    needs: ['decision'],
    fresh: true,
    path: (r) => `${sd(r)}/revise`,
    form: () => ({
      text: `Article 1. Revised by form ${unique('r')}.`,
      explanation: 'Revised.',
      changeNote: 'Tightened.',
    }),
  },
  {
    route: 'GET /staff/decisions/:id/actions/:action',
    label: 'GET /staff/decisions/:id/actions/predisclose',
    needs: ['decision'],
    path: (r) => `${sd(r)}/actions/predisclose`,
  },
  ...API_ACTIONS.map((a): Page => ({
    route: 'POST /staff/decisions/:id/actions/:action',
    label: `POST /staff/decisions/:id/actions/${a}`,
    needs: ['decision'],
    fresh: true,
    action: a,
    path: (r) => `${sd(r)}/actions/${a}`,
    form: () => ({ draftVersion: '1', ...flatten(examples[a]) }),
  })),
  {
    route: 'GET /staff/decisions/:id/opinions',
    label: 'GET /staff/decisions/:id/opinions',
    needs: ['opinion'],
    path: (r) => `${sd(r)}/opinions`,
  },
  {
    route: 'POST /staff/decisions/:id/opinions/:receipt/disposition',
    label: 'POST /staff/decisions/:id/opinions/:receipt/disposition',
    needs: ['opinion'],
    fresh: true,
    path: (r) => `${sd(r)}/opinions/${r.opinion}/disposition`,
    form: () => ({ disposition: 'adopted' }),
  },
  {
    route: 'POST /staff/decisions/:id/opinions/:receipt/moderation',
    label: 'POST /staff/decisions/:id/opinions/:receipt/moderation',
    needs: ['opinion'],
    fresh: true,
    path: (r) => `${sd(r)}/opinions/${r.opinion}/moderation`,
    form: () => ({ action: 'hide', reason: 'Insults a named person.' }),
  },
  { route: 'GET /staff/moderation', label: 'GET /staff/moderation', needs: [], path: () => '/staff/moderation' },
  { route: 'GET /staff/integrity', label: 'GET /staff/integrity', needs: [], path: () => '/staff/integrity' },
  {
    route: 'GET /staff/integrity/:id',
    label: 'GET /staff/integrity/:id',
    needs: ['record'],
    path: (r) => `/staff/integrity/${encodeURIComponent(r.record!)}`,
  },
  { route: 'GET /staff/login', label: 'GET /staff/login', needs: [], path: () => '/staff/login' },
];

function sendPage(p: Page, r: Res, who: Identity): Promise<request.Response> {
  const s = sessions.get(who.label);
  const method = p.route.split(' ')[0];
  const req = method === 'POST' ? request(stack.app).post(p.path(r)) : request(stack.app).get(p.path(r));
  if (s) req.set('Cookie', s.cookie);
  req.redirects(0);
  return method === 'POST' ? req.type('form').send({ ...(p.form?.(r) ?? {}), _csrf: s?.csrf ?? '' }) : req;
}

it('the page catalogue names every staff page the app serves but the session ones (tested apart)', () => {
  const served = listRoutes(stack.app)
    .filter((r) => r.path.startsWith('/staff'))
    .map(routeKey);
  const catalogued = new Set([...PAGES.map((p) => p.route), 'POST /staff/login', 'POST /staff/logout']);
  expect(served.filter((r) => !catalogued.has(r)).sort()).toEqual([]);
});

describe.each(PAGES.map((p) => [p.label, p] as const))('page %s', (_label, p) => {
  it(
    'answers every identity as docs/authority.md says',
    async () => {
      const [method, path] = p.route.split(' ');
      const { rule, operation } = ruleFor(MODEL, method, path, {
        action: p.action,
        label: p.route === 'GET /staff/login' ? 'sign-in' : undefined,
      });
      const r = await resourcesFor(p.needs, p.fresh, p.action && p.action in ASSIGNED_ACTIONS ? p.action : undefined);
      const mine = await matrix({
        kind: 'page',
        route: p.label,
        rule,
        operation,
        scope: scopeOf(p.needs, r),
        send: (who) => sendPage(p, r, who),
      });
      expect(mine).toEqual([]);
    },
    BIG,
  );
});

it(
  'signs in (anyone) and out (signed-in) as docs/authority.md says',
  async () => {
    const signInRule = ruleFor(MODEL, 'POST', '/staff/login', { label: 'sign-in' });
    const signOutRule = ruleFor(MODEL, 'POST', '/staff/logout', { label: 'sign-out' });
    const mine: string[] = [];
    const record = (
      who: Identity,
      route: string,
      operation: string,
      want: Expected,
      got: Expected | 'error',
      status: number,
    ) => {
      const o: Outcome = { kind: 'page', route, operation, identity: who.label, expected: want, status };
      results.push(o);
      if (got !== want) {
        mismatches.push(o);
        mine.push(describeOutcome(o));
      }
    };
    for (const who of w.identities) {
      const signOutWant = expectedAnswer(signOutRule.rule, holder(who), {}, ROLES);
      if (!who.userId) {
        // A sign-out without a session is sent to the sign-in form (the page form of 401). A
        // sign-in without credentials is a failed sign-in (401 by design), not a refusal of authority.
        const res = await request(stack.app).post('/staff/logout').type('form').send({}).redirects(0);
        record(who, 'POST /staff/logout', signOutRule.operation, signOutWant, pageVerdict(res), res.status);
        continue;
      }
      const s = await signIn(stack, who.userId);
      const status = 'session' in s ? 303 : s.status;
      record(
        who,
        'POST /staff/login',
        signInRule.operation,
        expectedAnswer(signInRule.rule, holder(who), {}, ROLES),
        'session' in s ? 'allow' : verdict(status),
        status,
      );
      if (!('session' in s)) continue;
      const out = await request(stack.app)
        .post('/staff/logout')
        .set('Cookie', s.session.cookie)
        .type('form')
        .send({ _csrf: s.session.csrf })
        .redirects(0);
      // Signed out when the session no longer opens a page (sign-out, like no session, ends on the sign-in form).
      const after = await request(stack.app).get('/staff/integrity').set('Cookie', s.session.cookie).redirects(0);
      const got =
        out.status >= 500 || out.status === 401 || out.status === 403
          ? verdict(out.status)
          : pageVerdict(after) === 401
            ? 'allow'
            : 401;
      record(who, 'POST /staff/logout', signOutRule.operation, signOutWant, got, out.status);
    }
    expect(mine).toEqual([]);
  },
  BIG,
);

// ---------------------------------------------------------------------------------------------
// What the model says beyond single answers.

describe('scope by organ', () => {
  it(
    "keeps a decision out of another organ's list and in the supervisor's",
    async () => {
      const id = shared.decision!.decision!;
      const list = (who: Identity) =>
        request(stack.app).get('/api/decisions').query({ organ: w.organ, limit: '100' }).set(who.headers);
      const ids = async (who: Identity) => {
        const res = await list(who);
        return {
          who: who.label,
          status: res.status,
          contains: ((res.body?.decisions ?? []) as Array<{ id: string }>).some((d) => d.id === id),
        };
      };
      const supervisors = w.identities.filter((i) => i.roles.includes('supervisor'));
      const outsiders = [
        w.other.official,
        w.other.head,
        ...w.demo.filter((d) => d.roles.includes('drafting-official') || d.roles.includes('head')),
      ];
      const got = await Promise.all(
        [...supervisors, w.member['drafting-official'], w.panelExpert, ...outsiders].map(ids),
      );
      expect(got).toEqual([
        ...supervisors.map((s) => ({ who: s.label, status: 200, contains: true })),
        { who: w.member['drafting-official'].label, status: 200, contains: true },
        { who: w.panelExpert.label, status: 200, contains: true },
        ...outsiders.map((s) => ({ who: s.label, status: 200, contains: false })),
      ]);
      // The workspace's lists do not show it to the other organ either.
      for (const path of ['/staff', '/staff/dashboard']) {
        const s = sessions.get(w.other.official.label)!;
        const page = await request(stack.app).get(path).set('Cookie', s.cookie);
        expect({ path, status: page.status, shows: page.text.includes(id) }).toEqual({
          path,
          status: 200,
          shows: false,
        });
      }
    },
    BIG,
  );

  it(
    "refuses a market entity every staff page of a decision, and another organ's official its detail pages",
    async () => {
      const id = shared.decision!.decision!;
      const pages = [
        `/staff/decisions/${id}`,
        `/staff/decisions/${id}/revise`,
        `/staff/decisions/${id}/actions/predisclose`,
        `/staff/decisions/${id}/opinions`,
      ];
      const apis = [
        `/api/decisions/${id}`,
        `/api/decisions/${id}/opinions`,
        `/api/decisions/${id}/audit`,
        `/api/decisions/${id}/audit/verify`,
      ];
      const refused = [
        w.member['market-entity'],
        w.otherEntity,
        ...w.demo.filter((d) => d.roles.includes('market-entity')),
        w.other.official,
        w.other.head,
      ];
      const got: string[] = [];
      for (const who of refused) {
        for (const path of pages) {
          const res = await request(stack.app)
            .get(path)
            .set('Cookie', sessions.get(who.label)?.cookie ?? '')
            .redirects(0);
          if (res.status !== 403) got.push(`${who.label} GET ${path}: ${res.status}`);
        }
        for (const path of apis) {
          const res = await request(stack.app).get(path).set(who.headers);
          if (res.status !== 403) got.push(`${who.label} GET ${path}: ${res.status}`);
        }
      }
      expect(got).toEqual([]);
    },
    BIG,
  );
});

describe('assigned@stage', () => {
  // "The application checks the actor's authority for the action before the procedure's gates
  // run": a holder of the role who is not assigned is refused whatever stage is in front.
  it.each(Object.entries(ASSIGNED_ACTIONS))(
    '%s refuses every unassigned %s, at its stage or not',
    async (action, role) => {
      const atStage = await decisionAtStage(stack, w, action as keyof typeof ASSIGNED_ACTIONS);
      const assignee = w.member[role!].userId!;
      const notAtStage = await newDecision(stack, w);
      const got: string[] = [];
      const sharedDecision = shared.decision!.decision!;
      for (const decision of [atStage, notAtStage, sharedDecision]) {
        // Who the test assigned to this action's stage on the decision.
        const toStage =
          decision === atStage
            ? [assignee]
            : decision === sharedDecision && action === 'file-expert-opinion'
              ? [w.panelExpert.userId!]
              : [];
        const unassigned = w.identities.filter((i) => i.roles.includes(role!) && !toStage.includes(i.userId!));
        for (const who of unassigned) {
          const before = await footprint(stack, w);
          const res = await request(stack.app)
            .post(`/api/decisions/${decision}/actions/${action}`)
            .set(who.headers)
            .send(exampleBodies()[action as keyof typeof ASSIGNED_ACTIONS]);
          const wrote = diff(before, await footprint(stack, w));
          if (res.status !== 403 || wrote)
            got.push(
              `${who.label} on ${decision === atStage ? 'the decision at its stage' : decision === notAtStage ? 'a draft decision' : 'the shared decision'}: ${res.status} ${res.body?.error?.code ?? ''}${wrote ? ` wrote ${wrote}` : ''}`,
            );
        }
      }
      expect(got).toEqual([]);
    },
    BIG,
  );
});

it(
  'refuses a directory administrator a handover to themselves (not-self)',
  async () => {
    const office = await newOffice(stack, w);
    const admin = w.member['directory-administrator'];
    const before = await footprint(stack, w);
    const res = await request(stack.app)
      .post(`/api/offices/${encodeURIComponent(office)}/handover`)
      .set(admin.headers)
      .send({ toUserId: admin.userId, reason: 'Rotation of posts.' });
    expect({ status: res.status, wrote: diff(before, await footprint(stack, w)) }).toEqual({
      status: 403,
      wrote: undefined,
    });
  },
  BIG,
);

afterAll(() => {
  if (!results.length || !w) return;
  const allowed = results.filter((x) => x.expected === 'allow').length;
  process.stdout.write(
    `authorization matrix: ${w.identities.length} identities × ${apiEndpoints.length} API endpoints and ${PAGES.length + 2} pages = ${results.length} requests; ` +
      `${allowed} allowed, ${results.length - allowed} denied by docs/authority.md; ${mismatches.length} answered otherwise\n`,
  );
  if (process.env.AUTHZ_MATRIX_REPORT)
    writeFileSync(process.env.AUTHZ_MATRIX_REPORT, JSON.stringify({ mismatches, signInFailures }, null, 2));
});
