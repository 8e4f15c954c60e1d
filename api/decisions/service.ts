import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ActionName } from '../../domain/actions';
import { ASSIGNEE_ROLE } from '../../domain/actions';
import { checkCreation, TERMINAL_STATUSES, type Actor, type DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { StageKey } from '../../domain/stages';
import { appendAudit, canonicalJson, sha256 } from '../../lib/audit-chain';
import type { PrismaClient } from '../../lib/db';
import { dispositionSummary } from '../../lib/public-input';
import type { TemplateRegistry } from '../../lib/templates';
import type { decisionWorkflow } from '../../workflows';
import { decisionOpenedUpdate, performActionUpdate, TASK_QUEUE, workflowIdFor, type ActionResult } from '../../workflows/definitions';
import { ApiError, fieldError, notFound, refusalFromTemporal } from '../errors';
import type { CreateDecisionBody } from './schemas';

// What the decision endpoints do, between validation and the response: start the workflow,
// fill in what the API knows (assignees from the staff directory, the disposition summary),
// send the action as an update keyed by the Idempotency-Key, and record every refused attempt
// in the audit chain.

export interface DecisionDeps {
  prisma: PrismaClient;
  temporal: Client;
  templates: TemplateRegistry;
  taskQueue?: string;
}

export const draftHash = (text: string, explanation: string) => sha256(canonicalJson({ text, explanation }));

export async function loadDecision(deps: DecisionDeps, id: string) {
  const row = await deps.prisma.decision.findUnique({ where: { id } });
  if (!row) throw notFound(`decision ${id}`);
  return row;
}

function newDecisionId(actor: Actor, idempotencyKey: string | undefined): string {
  if (idempotencyKey) return 'd-' + sha256(`${actor.id}\n${idempotencyKey}`).slice(7, 23);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `d-${day}-${randomUUID().slice(0, 8)}`;
}

export async function createDecision(deps: DecisionDeps, actor: Actor, body: CreateDecisionBody, idempotencyKey?: string): Promise<ActionResult & { id: string }> {
  const template = deps.templates.get(body.templateId);
  if (!template) throw fieldError('templateId', `unknown template; available: ${[...deps.templates.keys()].join(', ')}`);
  const id = body.id ?? newDecisionId(actor, idempotencyKey);
  const creationKey = idempotencyKey ?? randomUUID();
  const hash = draftHash(body.draft.text, body.draft.explanation);
  const input = {
    id,
    title: body.title,
    summary: body.summary,
    organId: actor.organId,
    template,
    flags: body.flags,
    nonDisclosableReason: body.nonDisclosableReason ?? null,
    draftHash: hash,
    actor,
    creationKey,
  };
  checkCreation(input);
  await deps.prisma.draftDocument.upsert({
    where: { decisionId_hash: { decisionId: id, hash } },
    create: { decisionId: id, hash, text: body.draft.text, explanation: body.draft.explanation, createdBy: actor.id },
    update: {},
  });
  try {
    const result = await deps.temporal.workflow.executeUpdateWithStart(decisionOpenedUpdate, {
      args: [{ creationKey }],
      updateId: `open:${creationKey}`,
      startWorkflowOperation: new WithStartWorkflowOperation<typeof decisionWorkflow>('decisionWorkflow', {
        workflowId: workflowIdFor(id),
        taskQueue: deps.taskQueue ?? TASK_QUEUE,
        args: [{ create: input }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    });
    return { ...result, id };
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) {
      throw new Refusal('DECISION_ID_TAKEN', `a decision with the id "${id}" already exists`, { id });
    }
    throw refusalFromTemporal(e) ?? e;
  }
}

/** Fills what the caller cannot be trusted to supply. */
async function completePayload(deps: DecisionDeps, state: DecisionState, action: ActionName, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const directory = async (userId: string, stage: StageKey, path: string) => {
    const user = await deps.prisma.staffUser.findUnique({ where: { id: userId } });
    if (!user || !user.active) throw fieldError(path, `no active staff user "${userId}"`);
    const wanted = ASSIGNEE_ROLE[stage];
    return { userId, name: user.name, role: wanted && user.roles.includes(wanted) ? wanted : user.roles[0] };
  };
  if (action === 'assign') {
    const stage = body.stage as StageKey;
    const people = body.assignees as Array<{ userId: string; dissentingView?: boolean }>;
    const assignees = await Promise.all(people.map(async (p, i) => ({ ...(await directory(p.userId, stage, `assignees.${i}.userId`)), ...(p.dissentingView !== undefined ? { dissentingView: p.dissentingView } : {}) })));
    return { ...body, assignees };
  }
  if (action === 'submit-for-legality-review') {
    return { ...body, reviewer: await directory((body.reviewer as { userId: string }).userId, 'legality-review', 'reviewer.userId') };
  }
  if (action === 'publish-feedback') {
    const round = state.stages.find((s) => s.key === 'public-participation')?.round ?? 1;
    const w = state.windows.find((x) => x.kind === 'comment' && x.round === round);
    return { ...body, dispositions: w ? await dispositionSummary(deps.prisma, w.id) : { digest: '', total: 0, disposed: 0 } };
  }
  return body;
}

export async function recordRefusal(deps: DecisionDeps, state: DecisionState, actor: Actor, action: string, r: Refusal, idempotencyKey?: string): Promise<void> {
  await deps.prisma.$transaction((tx) =>
    appendAudit(tx, {
      decisionId: state.id,
      eventId: `refused:${action}:${idempotencyKey ?? randomUUID()}`,
      outcome: 'refused',
      action,
      actorId: actor.id,
      actorName: actor.name,
      actorRole: actor.roles.join(','),
      at: new Date(),
      draftVersion: state.draft.version,
      draftHash: state.draft.hash,
      code: r.code,
      legalBasis: r.legalBasis ?? null,
      body: { message: r.message, details: r.details ?? null },
    }),
  );
}

/** Sends an action to the decision's workflow; a gate refusal is recorded, then rethrown. */
export async function performAction(deps: DecisionDeps, actor: Actor, id: string, action: ActionName, body: Record<string, unknown>, idempotencyKey?: string): Promise<ActionResult> {
  const row = await loadDecision(deps, id);
  const state = row.state as unknown as DecisionState;
  try {
    if (TERMINAL_STATUSES.includes(state.status)) {
      throw new Refusal('DECISION_CLOSED', `the decision is ${state.status}; its record is closed`, { status: state.status });
    }
    const payload = await completePayload(deps, state, action, body);
    return await deps.temporal.workflow.getHandle(workflowIdFor(id)).executeUpdate(performActionUpdate, {
      args: [{ action, actor, payload }],
      updateId: `${action}:${idempotencyKey ?? randomUUID()}`,
    });
  } catch (e) {
    const refusal = e instanceof Refusal ? e : refusalFromTemporal(e);
    if (refusal && refusal.status !== 400) await recordRefusal(deps, state, actor, action, refusal, idempotencyKey);
    throw refusal ?? e;
  }
}

export async function reviseDraft(deps: DecisionDeps, actor: Actor, id: string, body: { text: string; explanation: string; changeNote: string }, idempotencyKey?: string): Promise<ActionResult> {
  await loadDecision(deps, id);
  const hash = draftHash(body.text, body.explanation);
  await deps.prisma.draftDocument.upsert({
    where: { decisionId_hash: { decisionId: id, hash } },
    create: { decisionId: id, hash, text: body.text, explanation: body.explanation, createdBy: actor.id },
    update: {},
  });
  return performAction(deps, actor, id, 'revise-draft', { hash, changeNote: body.changeNote }, idempotencyKey);
}

/** Records how an opinion was handled (Decree 713 Arts 18, 29(2)), in the audit chain too. */
export async function disposeOpinion(deps: DecisionDeps, actor: Actor, id: string, receipt: string, body: { disposition: string; reason?: string }) {
  const state = (await loadDecision(deps, id)).state as unknown as DecisionState;
  if (actor.organId !== state.organId) throw new ApiError(403, 'WRONG_ORGAN', 'only the deciding organ disposes of opinions', undefined, 'Decree 713 Art 18');
  const opinion = await deps.prisma.opinion.findFirst({ where: { id: receipt, decisionId: id } });
  if (!opinion) throw notFound('opinion');
  const w = state.windows.find((x) => x.id === opinion.windowId);
  const stage = state.stages.find((s) => s.key === 'public-participation');
  if (!w?.frozen) throw new ApiError(409, 'WINDOW_STILL_OPEN', 'opinions are disposed of after the window has closed', undefined, 'Decree 713 Art 15');
  if (stage?.status === 'passed' || w.round !== stage?.round) {
    throw new ApiError(409, 'STAGE_ALREADY_PASSED', 'the feedback report is published; dispositions are final', undefined, 'Decree 713 Art 29(2)');
  }
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.opinion.update({
      where: { id: opinion.id },
      data: { disposition: body.disposition, dispositionReason: body.reason ?? null, disposedBy: actor.id, disposedAt: new Date() },
      omit: { contact: true, clientKey: true },
    });
    await appendAudit(tx, {
      decisionId: id,
      eventId: `disposition:${opinion.id}:${randomUUID()}`,
      outcome: 'accepted',
      action: 'dispose-opinion',
      actorId: actor.id,
      actorName: actor.name,
      actorRole: 'drafting-official',
      at: new Date(),
      draftVersion: state.draft.version,
      draftHash: state.draft.hash,
      code: null,
      legalBasis: 'Decree 713 Arts 18, 29(2)',
      body: { opinion: opinion.id, disposition: body.disposition, reason: body.reason ?? null },
    });
    return updated;
  });
}
