import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  checkCreation,
  createDecision as createDecisionState,
  type Actor,
  type DecisionState,
  type StageRecord,
} from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { canonicalJson, sha256 } from '../../lib/audit-chain';
import { upsertDecisionRow } from '../../lib/read-model';
import type { decisionWorkflow } from '../../workflows';
import { decisionStateQuery, TASK_QUEUE, workflowIdFor, type ActionResult } from '../../workflows/definitions';
import { authorize } from '../../domain/authority';
import type { AppDeps } from '../deps';
import { fieldError, refusalFromTemporal } from '../errors';
import { claimKey } from '../idempotency';
import { parse } from '../input';
import { createDecisionBody } from './schemas';
import { draftHash } from './load';
import { storeDraft } from '../../lib/drafts';

// Starting a decision (`decision.create`: a drafting official; the decision belongs to the organ
// of that office). The Idempotency-Key is claimed for the actor: a retry with the same key and
// the same body returns the same decision; the same key with another body is refused with 422
// IDEMPOTENCY_KEY_REUSED, and another request for a taken id with 409, without writing anything.

function newDecisionId(actor: Actor, idempotencyKey: string | undefined): string {
  if (idempotencyKey) return 'd-' + sha256(`${actor.id}\n${idempotencyKey}`).slice(7, 23);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `d-${day}-${randomUUID().slice(0, 8)}`;
}

function refuseExisting(id: string, idempotencyKey: string | undefined): never {
  if (idempotencyKey) {
    throw new Refusal(
      'IDEMPOTENCY_KEY_REUSED',
      `decision "${id}" exists and was not created by this request; an Idempotency-Key is reused only to retry the same request`,
      { id },
    );
  }
  throw new Refusal('DECISION_ID_TAKEN', `a decision with the id "${id}" already exists`, { id });
}

export interface Created {
  result: ActionResult & { id: string };
  state: DecisionState;
  /** The records of the creation event, for the response (the read model has them a moment later). */
  records: StageRecord[];
}

function created(state: DecisionState, records: StageRecord[], effects: string[]): Created {
  const result = {
    id: state.id,
    eventId: `create:${state.id}`,
    revision: state.revision,
    status: state.status,
    currentStage: state.currentStage,
    draft: { ...state.draft },
    effects,
  };
  return { result, state, records };
}

/**
 * Starts the decision's workflow and answers at once, without waiting for the worker: the answer,
 * and a first read-model row (revision 0), are the state the workflow computes from the same input
 * (the procedure is a pure function); the workflow's first record replaces the row. The audit
 * chain and the stage records are written by the workflow only.
 */
export async function createDecision(
  actor: Actor,
  request: { body: unknown; idempotencyKey?: string },
  deps: AppDeps,
): Promise<Created> {
  const body = parse(createDecisionBody, request.body);
  const { idempotencyKey } = request;
  const template = deps.templates.get(body.templateId);
  if (!template)
    throw fieldError('templateId', `unknown template; available: ${[...deps.templates.keys()].join(', ')}`);
  await claimKey(deps, { kind: 'staff', id: actor.id }, 'decision.create', idempotencyKey, body);
  authorize(actor, 'decision.create');
  const organId = actor.offices.find((o) => o.role === 'drafting-official')?.organId ?? actor.organId;
  const id = body.id ?? newDecisionId(actor, idempotencyKey);
  const creationKey = idempotencyKey ? sha256(canonicalJson({ actor: actor.id, idempotencyKey, body })) : randomUUID();
  const hash = draftHash(body.draft.text, body.draft.explanation);
  const input = {
    id,
    title: body.title,
    summary: body.summary,
    organId,
    template,
    flags: body.flags,
    nonDisclosableReason: body.nonDisclosableReason ?? null,
    draftHash: hash,
    actor,
    creationKey,
  };
  checkCreation(input);
  const existing = await deps.prisma.decision.findUnique({ where: { id }, select: { state: true } });
  if (existing) {
    const state = existing.state as unknown as DecisionState;
    if (state.creationKey !== creationKey) refuseExisting(id, body.id ? undefined : idempotencyKey);
    return created(state, [], []);
  }
  await storeDraft(deps.prisma, {
    decisionId: id,
    hash,
    text: body.draft.text,
    explanation: body.draft.explanation,
    createdBy: actor.id,
  });
  const handle = deps.temporal.workflow.getHandle(workflowIdFor(id));
  try {
    await deps.temporal.workflow.start<typeof decisionWorkflow>('decisionWorkflow', {
      workflowId: workflowIdFor(id),
      taskQueue: deps.taskQueue ?? TASK_QUEUE,
      args: [{ create: input }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw refusalFromTemporal(e) ?? e;
    // A retry racing its own first attempt is the same decision; anything else is refused. The
    // text this request stored stays (drafts are append-only), unnamed by the existing decision.
    const running = await handle.query(decisionStateQuery).catch(() => null);
    if (running?.creationKey !== creationKey) refuseExisting(id, body.id ? undefined : idempotencyKey);
    return created(running!, [], []);
  }
  const preview = createDecisionState(input, Date.now(), `create:${id}`);
  await upsertDecisionRow(deps.prisma, preview.state, 0);
  return created(preview.state, preview.event.records, preview.event.effects);
}

/** Whether the actor may start a decision (`decision.create`): the staff form asks before it shows. */
export function authorizeCreation(actor: Actor): void {
  authorize(actor, 'decision.create');
}
