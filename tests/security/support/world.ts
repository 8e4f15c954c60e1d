import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ROLES, type Role } from '../../../domain/stages';
import { DEMO_USERS } from '../../../prisma/demo';
import type { Stack } from '../../support/stack';
import type { Need, Res } from './catalogue';

// The people and things the security suites act on: a dedicated organ with one person per role
// (the market entity in its own firm), the demo users, and factories for fresh decisions,
// commitments, integrity records, disputes and spare organs and offices.

export interface Identity {
  label: string;
  userId: string | null;
  roles: Role[];
  organId: string | null;
  /** Every office the person holds (the directory's view; what the model's conditions read). */
  offices: Array<{ role: Role; organId: string }>;
  headers: Record<string, string>;
}

export interface World {
  n: string;
  organ: string;
  firm: string;
  /** The dedicated organ's people, one per role. */
  member: Record<Role, Identity>;
  demo: Identity[];
  anonymous: Identity;
  /** Every identity of the matrix: no token, the dedicated organ's people, the demo users. */
  identities: Identity[];
  /** A person in the organ holding no role: receives handed-over offices. */
  sinkUserId: string;
  /** The office that registers and answers for the world's commitments. */
  responsibleOffice: string;
  /** A second government organ, with its own drafting official and head. */
  other: { organ: string; official: Identity; head: Identity };
  /** An expert of an expert panel (outside the organ): assigned on the shared decision only. */
  panelExpert: Identity;
  panel: string;
  /** A market entity that is not the counterparty of the world's commitments. */
  otherEntity: Identity;
  otherFirm: string;
  /** Everyone the world added to the directory (for the footprint). */
  userIds: string[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function buildWorld(stack: Stack): Promise<World> {
  const n = randomUUID().slice(0, 8);
  const organ = `secm-${n}`;
  const firm = `secm-${n}-firm`;
  const member = {} as Record<Role, Identity>;
  for (const role of ROLES) {
    const userId = `m-${role}-${n}`;
    const organId = role === 'market-entity' ? firm : organ;
    const token = await stack.addStaff({ id: userId, name: `Matrix ${role}`, organId, roles: [role] });
    member[role] = {
      label: `${role} (${organ})`,
      userId,
      roles: [role],
      organId,
      offices: [{ role, organId }],
      headers: bearer(token),
    };
  }
  const person = async (label: string, userId: string, organId: string, role: Role): Promise<Identity> => {
    const token = await stack.addStaff({ id: userId, name: `Matrix ${label}`, organId, roles: [role] });
    return { label, userId, roles: [role], organId, offices: [{ role, organId }], headers: bearer(token) };
  };
  const otherOrgan = `secm-${n}-other`;
  const panel = `secm-${n}-panel`;
  const otherFirm = `secm-${n}-firm2`;
  const other = {
    organ: otherOrgan,
    official: await person(
      `drafting-official (${otherOrgan})`,
      `m-other-official-${n}`,
      otherOrgan,
      'drafting-official',
    ),
    head: await person(`head (${otherOrgan})`, `m-other-head-${n}`, otherOrgan, 'head'),
  };
  const panelExpert = await person(
    `expert (${panel}, assigned on the shared decision)`,
    `m-panel-expert-${n}`,
    panel,
    'expert',
  );
  const otherEntity = await person(
    `market-entity (${otherFirm}, not the counterparty)`,
    `m-other-entity-${n}`,
    otherFirm,
    'market-entity',
  );
  const sinkUserId = `m-sink-${n}`;
  await stack.addStaff({ id: sinkUserId, name: 'Matrix successor', organId: organ, roles: [] });
  const demo = await Promise.all(
    DEMO_USERS.map(async (u) => ({
      label: `${u.id} (demo, ${u.organId})`,
      userId: u.id,
      roles: u.roles,
      organId: u.organId,
      offices: u.roles.map((role) => ({ role, organId: u.organId })),
      headers: bearer(await stack.token(u.id)),
    })),
  );
  const anonymous: Identity = { label: 'no sign-in', userId: null, roles: [], organId: null, offices: [], headers: {} };
  const extra = [other.official, other.head, panelExpert, otherEntity];
  return {
    n,
    organ,
    firm,
    member,
    demo,
    anonymous,
    identities: [anonymous, ...ROLES.map((r) => member[r]), ...extra, ...demo],
    sinkUserId,
    responsibleOffice: `${organ}/drafting-official/${member['drafting-official'].userId}`,
    other,
    panelExpert,
    panel,
    otherEntity,
    otherFirm,
    userIds: [...ROLES.map((r) => member[r].userId!), sinkUserId, ...extra.map((x) => x.userId!)],
  };
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const DRAFT = {
  text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay half.',
  explanation: 'Why the fares change.',
};

/** A decision of the dedicated organ, started by its drafting official on the fast test template. */
export async function newDecision(stack: Stack, w: World, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await request(stack.app)
    .post('/api/decisions')
    .set(w.member['drafting-official'].headers)
    .send({
      id: unique(`sec-${w.n}`),
      title: 'Security test decision',
      summary: 'For the security suites',
      templateId: 'test-fast',
      draft: DRAFT,
      ...extra,
    });
  if (res.status !== 201) throw new Error(`could not create a decision: ${res.status} ${JSON.stringify(res.body)}`);
  await stack.recorded(res.body.result.id);
  return res.body.result.id;
}

export const commitmentBody = (w: World) => ({
  id: unique(`sc-${w.n}`),
  kind: 'contract',
  title: 'Purchase of 20 electric buses',
  counterparty: { id: w.firm, name: 'Matrix bus maker', isSme: true },
  responsibleOfficeId: w.responsibleOffice,
  obligations: [
    { id: 'pay', kind: 'payment', description: 'Price of the buses', amountFen: 500_000_000 },
    {
      id: 'depot',
      kind: 'performance',
      description: 'Hand over the depot site',
      dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    },
  ],
});

export async function newCommitment(stack: Stack, w: World): Promise<string> {
  const body = commitmentBody(w);
  const res = await request(stack.app).post('/api/commitments').set(w.member['drafting-official'].headers).send(body);
  if (res.status !== 201) throw new Error(`could not register a commitment: ${res.status} ${JSON.stringify(res.body)}`);
  return body.id;
}

export const manualRecordExample = (w: World) => ({
  organId: w.organ,
  officeId: `${w.organ}/expert/${w.member.expert.userId}`,
  rule: 'An expert opinion was filed after its deadline',
  legalBasis: 'Decree 713 Art 19',
  evidence: { description: 'Filed late', references: ['ref-1'] },
});

/** An integrity record naming the organ's expert office (so its holder may dispute it). */
export async function newRecord(stack: Stack, w: World): Promise<string> {
  const res = await request(stack.app)
    .post('/api/integrity-records')
    .set(w.member.supervisor.headers)
    .send(manualRecordExample(w));
  if (res.status !== 201) throw new Error(`could not record: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.record.id;
}

export async function newDispute(stack: Stack, w: World): Promise<string> {
  const record = await newRecord(stack, w);
  const res = await request(stack.app)
    .post(`/api/integrity-records/${record}/disputes`)
    .set(w.member.supervisor.headers)
    .send({ grounds: 'The deadline was extended.' });
  if (res.status !== 201) throw new Error(`could not dispute: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.dispute.id;
}

/** An organ that may be merged into the dedicated organ. */
export async function newOrgan(stack: Stack, w: World): Promise<string> {
  const id = unique(`secm-${w.n}-spare`);
  await stack.prisma.organ.create({ data: { id, name: id } });
  return id;
}

/** A vacant office of the dedicated organ, to be handed over. */
export async function newOffice(stack: Stack, w: World): Promise<string> {
  const id = `${w.organ}/expert/${unique('spare')}`;
  await stack.prisma.office.create({ data: { id, organId: w.organ, role: 'expert', title: 'Spare expert seat' } });
  return id;
}

/** A decision pre-disclosed for two minutes, and an opinion on it: `{ decision, opinion }`. */
export async function newOpinion(stack: Stack, w: World): Promise<{ decision: string; opinion: string }> {
  const decision = await newDecision(stack, w);
  const pre = await request(stack.app)
    .post(`/api/decisions/${decision}/actions/predisclose`)
    .set(w.member['drafting-official'].headers)
    .send({ explanation: 'Why.', howToComment: 'On the portal.', commentWindow: { seconds: 120 } });
  if (pre.status !== 200) throw new Error(`could not pre-disclose: ${pre.status} ${JSON.stringify(pre.body)}`);
  const op = await request(stack.app)
    .post(`/api/decisions/${decision}/opinions`)
    .send({ text: 'Keep the student concession.', paragraph: 2 });
  if (op.status !== 201) throw new Error(`could not comment: ${op.status} ${JSON.stringify(op.body)}`);
  return { decision, opinion: op.body.receipt };
}

/** A decision of a livelihood matter with its comment window and an opinion survey open for two minutes. */
export async function newSurvey(stack: Stack, w: World): Promise<{ decision: string }> {
  const decision = await newDecision(stack, w, { flags: { livelihood: true } });
  const official = w.member['drafting-official'].headers;
  const pre = await request(stack.app)
    .post(`/api/decisions/${decision}/actions/predisclose`)
    .set(official)
    .send({ explanation: 'Why.', howToComment: 'On the portal.', commentWindow: { seconds: 120 } });
  const survey = await request(stack.app)
    .post(`/api/decisions/${decision}/actions/open-survey`)
    .set(official)
    .send({
      questions: [
        {
          id: 'support',
          text: 'Do you support the new fares?',
          kind: 'single-choice',
          options: ['yes', 'no', 'unsure'],
        },
        { id: 'modes', text: 'Which do you use?', kind: 'multiple-choice', options: ['bus', 'tram', 'metro'] },
        { id: 'why', text: 'What should change?', kind: 'text' },
      ],
      surveyWindow: { seconds: 120 },
    });
  if (pre.status !== 200 || survey.status !== 200)
    throw new Error(`could not open a survey: ${pre.status} ${survey.status} ${JSON.stringify(survey.body)}`);
  return { decision };
}

const FACTORIES: Record<Need, (s: Stack, w: World) => Promise<Res>> = {
  decision: async (s, w) => ({ decision: await newDecision(s, w) }),
  commitment: async (s, w) => ({ commitment: await newCommitment(s, w) }),
  record: async (s, w) => ({ record: await newRecord(s, w) }),
  dispute: async (s, w) => ({ dispute: await newDispute(s, w) }),
  organ: async (s, w) => ({ organ: await newOrgan(s, w) }),
  office: async (s, w) => ({ office: await newOffice(s, w) }),
  opinion: newOpinion,
  survey: newSurvey,
};

/** Creates what the needs name; `shared` reuses resources across calls that change nothing. */
export async function createResources(
  stack: Stack,
  w: World,
  needs: Need[],
  shared?: Partial<Record<Need, Res>>,
): Promise<Res> {
  const r: Res = {};
  for (const need of needs)
    Object.assign(r, shared ? (shared[need] ??= await FACTORIES[need](stack, w)) : await FACTORIES[need](stack, w));
  return r;
}
