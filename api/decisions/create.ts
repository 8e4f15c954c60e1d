import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { checkCreation, type Actor, type DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { canonicalJson, sha256 } from '../../lib/audit-chain';
import type { decisionWorkflow } from '../../workflows';
import { decisionOpenedUpdate, TASK_QUEUE, workflowIdFor, type ActionResult } from '../../workflows/definitions';
import { fieldError, refusalFromTemporal } from '../errors';
import type { CreateDecisionBody } from './schemas';
import { draftHash, type DecisionDeps } from './service';

// Starting a decision: the workflow is started together with an update that completes once the
// decision is recorded (update-with-start), so the response reflects the read model. The
// creation key fingerprints the request: a retry with the same Idempotency-Key and the same
// body returns the same decision; the same key with another body, or another request for a
// taken id, is refused without writing anything.

function newDecisionId(actor: Actor, idempotencyKey: string | undefined): string {
  if (idempotencyKey) return 'd-' + sha256(`${actor.id}\n${idempotencyKey}`).slice(7, 23);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `d-${day}-${randomUUID().slice(0, 8)}`;
}

function refuseExisting(id: string, idempotencyKey: string | undefined): never {
  if (idempotencyKey) {
    throw new Refusal('IDEMPOTENCY_KEY_REUSED', `decision "${id}" exists and was not created by this request; an Idempotency-Key is reused only to retry the same request`, { id });
  }
  throw new Refusal('DECISION_ID_TAKEN', `a decision with the id "${id}" already exists`, { id });
}

export async function createDecision(deps: DecisionDeps, actor: Actor, body: CreateDecisionBody, idempotencyKey?: string): Promise<ActionResult & { id: string }> {
  const template = deps.templates.get(body.templateId);
  if (!template) throw fieldError('templateId', `unknown template; available: ${[...deps.templates.keys()].join(', ')}`);
  const id = body.id ?? newDecisionId(actor, idempotencyKey);
  const creationKey = idempotencyKey ? sha256(canonicalJson({ actor: actor.id, idempotencyKey, body })) : randomUUID();
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
  const existing = await deps.prisma.decision.findUnique({ where: { id }, select: { state: true } });
  if (existing && (existing.state as unknown as DecisionState).creationKey !== creationKey) refuseExisting(id, body.id ? undefined : idempotencyKey);
  if (!existing) {
    await deps.prisma.draftDocument.upsert({
      where: { decisionId_hash: { decisionId: id, hash } },
      create: { decisionId: id, hash, text: body.draft.text, explanation: body.draft.explanation, createdBy: actor.id },
      update: {},
    });
  }
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
    if (e instanceof WorkflowExecutionAlreadyStartedError) refuseExisting(id, body.id ? undefined : idempotencyKey);
    throw refusalFromTemporal(e) ?? e;
  }
}
