import request from 'supertest';
import { ROLES } from '../../domain/stages';
import { startStack, type Stack } from '../support/stack';
import { ENDPOINTS, METHOD, type Endpoint, type Need, type Res } from './support/catalogue';
import { footprint } from './support/footprint';
import { ASSIGNED_ACTIONS, decisionAtStage, expected, verdict, type Context, type Expected } from './support/matrix';
import { listRoutes, routeKey } from './support/routes';
import { buildWorld, createResources, type Identity, type World } from './support/world';
import { STACK_HOOK_MS } from '../support/wait';

// The authorization matrix (issue 5): every identity — no token, one person per role of
// DOMAIN §6 in a dedicated organ, and the demo users — against every endpoint and every action.
// The expected answer is computed from the access rules (ACTION_SPECS, the routers' guards);
// the actual one must agree: 401 without a token, 403 when denied, anything but 401/403 (and
// never a 5xx) when allowed; a denied request writes nothing (its audited refusal excepted).
// Denied requests go first, so an allowed one cannot mask them.

process.env.DUEPROCESS_PUBLIC_RATE_LIMIT ??= 'off';
process.env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL ??= 'off';

let stack: Stack;
let w: World;
beforeAll(async () => {
  stack = await startStack();
  w = await buildWorld(stack);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

/** Resources shared by endpoints that change nothing when allowed; `fresh` ones get their own. */
const shared: Partial<Record<Need, Res>> = {};
async function resources(ep: Endpoint): Promise<Res> {
  const r = await createResources(stack, w, ep.needs, ep.fresh ? undefined : shared);
  if (ep.action && ASSIGNED_ACTIONS[ep.action]) r.decision = await decisionAtStage(stack, w, ep.action);
  return r;
}

function contextFor(ep: Endpoint): Context {
  const assignedRole = ep.action ? ASSIGNED_ACTIONS[ep.action] : undefined;
  return {
    organ: w.organ,
    firm: w.firm,
    responsibleUserId: w.member['drafting-official'].userId!,
    recordHolder: w.member.expert.userId!,
    ...(assignedRole ? { assigned: [w.member[assignedRole].userId!] } : {}),
  };
}

async function send(ep: Endpoint, r: Res, who: Identity): Promise<request.Response> {
  const method = METHOD(ep).toLowerCase() as 'get' | 'post' | 'put';
  const req = request(stack.app)[method](ep.path(r, w)).set(who.headers);
  if (ep.query) req.query(ep.query.example(r, w));
  return ep.body ? req.send(ep.body.example(r, w) as object) : req;
}

const results: Array<{ endpoint: string; identity: string; expected: Expected; status: number; code?: string }> = [];

// The portal's pages (web/) sign staff in with sessions, not bearer tokens: they are outside this matrix.
it('covers every API route the app serves', () => {
  const served = new Set(listRoutes(stack.app).filter((r) => r.path.startsWith('/api/') || r.path === '/healthz').map(routeKey));
  const catalogued = new Set(ENDPOINTS.map((e) => e.route));
  expect([...served].filter((r) => !catalogued.has(r)).sort()).toEqual([]);
  expect([...catalogued].filter((r) => !served.has(r)).sort()).toEqual([]);
});

describe.each(ENDPOINTS.map((ep) => [ep.label, ep] as const))('%s', (_label, ep) => {
  it('answers every identity as its access rule says', async () => {
    const r = await resources(ep);
    const ctx = contextFor(ep);
    const plan = w.identities.map((who) => ({ who, want: expected(ep, who, ctx) }));
    // Denied first: an allowed request may change the resource (a withdrawal closes a decision).
    plan.sort((a, b) => Number(a.want === 'allow') - Number(b.want === 'allow'));
    const mismatches: string[] = [];
    for (const { who, want } of plan) {
      const before = want === 'allow' ? null : await footprint(stack, w);
      const res = await send(ep, r, who);
      // A denied request writes nothing but the refusal the audit chain records by design.
      if (before) expect({ who: who.label, footprint: await footprint(stack, w) }).toEqual({ who: who.label, footprint: before });
      results.push({ endpoint: ep.label, identity: who.label, expected: want, status: res.status, code: res.body?.error?.code });
      const got = verdict(res.status);
      if (got !== want) mismatches.push(`${who.label}: expected ${want}, got ${res.status} ${res.body?.error?.code ?? ''} ${res.body?.error?.message ?? ''}`.trim());
      if (res.status >= 400) expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
    }
    expect(mismatches).toEqual([]);
  });
});

afterAll(() => {
  if (!results.length) return;
  const allowed = results.filter((x) => x.expected === 'allow').length;
  const roles = ROLES.length;
  process.stdout.write(
    `authorization matrix: ${w.identities.length} identities (no token, ${roles} roles in ${w.organ}, ${w.demo.length} demo users) × ` +
      `${ENDPOINTS.length} endpoints and actions = ${results.length} requests; ${allowed} allowed, ${results.length - allowed} denied\n`,
  );
});
