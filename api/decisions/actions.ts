import { randomUUID } from 'node:crypto';
import { ASSIGNEE_ROLE, type ActionName } from '../../domain/actions';
import { checkCommand, targetOf, TERMINAL_STATUSES, type Actor, type DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { Role, StageKey } from '../../domain/stages';
import { holderAt, resolveActor } from '../../lib/directory';
import { dispositionSummary } from '../../lib/public-input';
import { performActionUpdate, workflowIdFor, type ActionResult } from '../../workflows/definitions';
import { fieldError } from '../errors';
import { auditedAttempt, draftHash, loadDecision, type DecisionDeps } from './service';
import { storeDraft } from '../../lib/drafts';

// Stage actions and draft revisions: fill in what the API knows, then send the action to the
// decision's workflow as an update keyed by the Idempotency-Key. The workflow's validator is the
// authority; every refusal is recorded in the audit chain.

type OfficeChoice = { userId?: string; officeId?: string };

/**
 * The office an assignment goes to, with its holder now: named directly, or as the office in
 * which a person holds the stage's role.
 */
async function resolveOffice(deps: DecisionDeps, choice: OfficeChoice, stage: StageKey, path: string) {
  const wanted = ASSIGNEE_ROLE[stage];
  if (choice.officeId) {
    const office = await deps.prisma.office.findUnique({ where: { id: choice.officeId } });
    if (!office) throw fieldError(`${path}.officeId`, `no office "${choice.officeId}"`);
    const holder = await holderAt(deps.prisma, office.id, new Date());
    return { officeId: office.id, userId: holder?.userId ?? 'vacant', name: holder?.name ?? office.title, role: office.role as Role };
  }
  const actor = choice.userId ? await resolveActor(deps.prisma, choice.userId) : null;
  if (!actor) throw fieldError(`${path}.userId`, `no active staff user "${choice.userId}"`);
  const office = actor.offices.find((o) => o.role === wanted) ?? actor.offices[0];
  if (!office) throw fieldError(`${path}.userId`, `"${choice.userId}" holds no office`);
  return { officeId: office.id, userId: actor.id, name: actor.name, role: office.role };
}

/** Fills what the caller cannot be trusted to supply. */
async function completePayload(deps: DecisionDeps, state: DecisionState, action: ActionName, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (action === 'assign') {
    const stage = body.stage as StageKey;
    const people = body.assignees as Array<OfficeChoice & { dissentingView?: boolean }>;
    const assignees = await Promise.all(
      people.map(async (p, i) => ({ ...(await resolveOffice(deps, p, stage, `assignees.${i}`)), ...(p.dissentingView !== undefined ? { dissentingView: p.dissentingView } : {}) })),
    );
    return { ...body, assignees };
  }
  if (action === 'withdraw-assignment') {
    const { userId, officeId, ...rest } = body as OfficeChoice & Record<string, unknown>;
    return { ...rest, officeId: (await resolveOffice(deps, { userId, officeId }, body.stage as StageKey, '')).officeId };
  }
  if (action === 'submit-for-legality-review') {
    return { ...body, reviewer: await resolveOffice(deps, body.reviewer as OfficeChoice, 'legality-review', 'reviewer') };
  }
  if (action === 'publish-feedback') {
    const round = state.stages.find((s) => s.key === 'public-participation')?.round ?? 1;
    const w = state.windows.find((x) => x.kind === 'comment' && x.round === round);
    return { ...body, dispositions: w ? await dispositionSummary(deps.prisma, w.id) : { digest: '', total: 0, disposed: 0 } };
  }
  return body;
}

async function sendAction(deps: DecisionDeps, state: DecisionState, actor: Actor, action: ActionName, payload: Record<string, unknown>, idempotencyKey?: string, changeId?: string): Promise<ActionResult> {
  if (TERMINAL_STATUSES.includes(state.status)) {
    throw new Refusal('DECISION_CLOSED', `the decision is ${state.status}; its record is closed`, { status: state.status });
  }
  return deps.temporal.workflow.getHandle(workflowIdFor(state.id)).executeUpdate(performActionUpdate, {
    args: [{ action, actor, payload, ...(changeId ? { changeId } : {}) }],
    updateId: `${changeId ? `${changeId}:` : ''}${action}:${idempotencyKey ?? randomUUID()}`,
  });
}

/** The procedure addressed: the decision's own, or the procedure of one of its change requests. */
const procedureOf = (state: DecisionState, changeId?: string) => (changeId ? targetOf(state, { changeId }) : state);

export async function performAction(deps: DecisionDeps, actor: Actor, id: string, action: ActionName, body: Record<string, unknown>, idempotencyKey?: string, changeId?: string): Promise<ActionResult> {
  const { state } = await loadDecision(deps, id);
  return auditedAttempt(deps, state, actor, action, idempotencyKey, async () =>
    sendAction(deps, state, actor, action, await completePayload(deps, procedureOf(state, changeId), action, body), idempotencyKey, changeId),
  );
}

/**
 * Stores a document under its hash, then sends the action that refers to it. The gates are checked
 * against the read model first, with the same engine the workflow runs, so a refused upload
 * stores nothing.
 */
async function withDocument(
  deps: DecisionDeps,
  actor: Actor,
  id: string,
  doc: { text: string; explanation: string },
  action: 'revise-draft' | 'request-change',
  payloadFor: (hash: string) => Record<string, unknown>,
  idempotencyKey?: string,
  changeId?: string,
): Promise<ActionResult> {
  const { state } = await loadDecision(deps, id);
  const hash = draftHash(doc.text, doc.explanation);
  const payload = payloadFor(hash);
  return auditedAttempt(deps, state, actor, action, idempotencyKey, async () => {
    const known = procedureOf(state, changeId).drafts.some((d) => d.hash === hash);
    if (!known) checkCommand(state, { action, actor, payload, ...(changeId ? { changeId } : {}) }, Date.now());
    await storeDraft(deps.prisma, { decisionId: id, hash, text: doc.text, explanation: doc.explanation, createdBy: actor.id });
    return sendAction(deps, state, actor, action, payload, idempotencyKey, changeId);
  });
}

export function reviseDraft(deps: DecisionDeps, actor: Actor, id: string, body: { text: string; explanation: string; changeNote: string }, idempotencyKey?: string, changeId?: string): Promise<ActionResult> {
  return withDocument(deps, actor, id, body, 'revise-draft', (hash) => ({ hash, changeNote: body.changeNote }), idempotencyKey, changeId);
}

/** Opens a typed change request (Decree 713 Art 37); its document is the amended text or the order. */
export function requestChange(deps: DecisionDeps, actor: Actor, id: string, body: { type: string; grounds: unknown; evidence?: unknown[]; document: { text: string; explanation: string } }, idempotencyKey?: string): Promise<ActionResult> {
  return withDocument(deps, actor, id, body.document, 'request-change', (hash) => ({ type: body.type, grounds: body.grounds, evidence: body.evidence ?? [], documentHash: hash }), idempotencyKey);
}
