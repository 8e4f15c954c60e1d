import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { checkRegistration, type CommitmentActionName, type CommitmentState, type RegisterCommitmentInput, type RegistrationBody } from '../../domain/commitment';
import type { Actor } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { Role } from '../../domain/stages';
import { appendAudit, canonicalJson, refusalEntry, sha256 } from '../../lib/audit-chain';
import { recordIntegrity } from '../../lib/integrity';
import type { commitmentWorkflow } from '../../workflows';
import { TASK_QUEUE } from '../../workflows/definitions';
import {
  commitmentActionUpdate,
  commitmentChainId,
  commitmentRegisteredUpdate,
  commitmentWorkflowId,
  type CommitmentActionResult,
} from '../../workflows/commitment-definitions';
import { fieldError, refusalFromTemporal } from '../errors';
import type { DecisionDeps } from '../decisions/service';

// What the commitment endpoints do besides validating: load a commitment from the read model,
// register one (update-with-start, so the answer comes once it is recorded), send an action to its
// workflow, and append every refused attempt (403, 409) to its audit chain before answering.

export type CommitmentDeps = DecisionDeps;

export async function loadCommitment(deps: CommitmentDeps, id: string) {
  const row = await deps.prisma.commitment.findUnique({ where: { id } });
  if (!row) throw new Refusal('COMMITMENT_NOT_FOUND', `commitment ${id} not found`);
  return { row, state: row.state as unknown as CommitmentState };
}

/**
 * Appends a refused attempt to the commitment's chain. An attempt to change or end a commitment on
 * a forbidden ground is itself a breach: it also becomes an integrity record (DOMAIN §5), naming
 * the office it was attempted from.
 */
async function recordRefusal(deps: CommitmentDeps, id: string, organId: string | null, actor: Actor, action: string, r: Refusal, idempotencyKey?: string): Promise<void> {
  const eventId = `refused:${action}:${idempotencyKey ?? randomUUID()}`;
  const at = new Date();
  await deps.prisma.$transaction(async (tx) => {
    const { duplicate } = await appendAudit(tx, refusalEntry(commitmentChainId(id), eventId, action, actor, r, null, at));
    if (duplicate || r.code !== 'FORBIDDEN_GROUND' || !organId) return;
    await recordIntegrity(tx, {
      kind: 'forbidden-ground',
      sourceRef: `audit:${commitmentChainId(id)}:${eventId}`,
      organId,
      officeId: (actor.offices.find((o) => o.role === 'head') ?? actor.offices[0])?.id ?? null,
      at,
      rule: 'a commitment to a market entity was sought to be changed or ended on the ground of a change of officials or organisation (refused and recorded)',
      legalBasis: r.legalBasis ?? 'Decree 722 Art 31; Private Economy Promotion Law Art 70',
      evidence: { commitmentId: id, action, code: r.code, message: r.message, details: r.details ?? null, actorId: actor.id, auditEventId: eventId },
      commitmentId: id,
    });
  });
}

/** Runs an attempt on a commitment; a refusal by a rule (403 or 409) is recorded, then answered. */
async function audited<T>(deps: CommitmentDeps, id: string, organId: string | null, actor: Actor, action: string, idempotencyKey: string | undefined, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    const refusal = e instanceof Refusal ? e : refusalFromTemporal(e);
    if (refusal && (refusal.status === 403 || refusal.status === 409)) await recordRefusal(deps, id, organId, actor, action, refusal, idempotencyKey);
    throw refusal ?? e;
  }
}

function newCommitmentId(actor: Actor, idempotencyKey: string | undefined): string {
  if (idempotencyKey) return 'c-' + sha256(`${actor.id}\n${idempotencyKey}`).slice(7, 23);
  return `c-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;
}

function refuseExisting(id: string, idempotencyKey: string | undefined): never {
  if (idempotencyKey) throw new Refusal('IDEMPOTENCY_KEY_REUSED', `commitment "${id}" exists and was not registered by this request`, { id });
  throw new Refusal('COMMITMENT_ID_TAKEN', `a commitment with the id "${id}" already exists`, { id });
}

async function registrationInput(deps: CommitmentDeps, actor: Actor, body: RegistrationBody, idempotencyKey?: string): Promise<RegisterCommitmentInput> {
  const office = await deps.prisma.office.findUnique({ where: { id: body.responsibleOfficeId } });
  if (!office) throw fieldError('responsibleOfficeId', `no office "${body.responsibleOfficeId}"`);
  if (body.decisionId && !(await deps.prisma.decision.findUnique({ where: { id: body.decisionId }, select: { id: true } }))) {
    throw fieldError('decisionId', `no decision "${body.decisionId}"`);
  }
  const id = body.id ?? newCommitmentId(actor, idempotencyKey);
  return {
    body: { ...body, id },
    responsibleOffice: { id: office.id, role: office.role as Role, organId: office.organId, title: office.title },
    actor,
    creationKey: idempotencyKey ? sha256(canonicalJson({ actor: actor.id, idempotencyKey, body })) : randomUUID(),
  };
}

export async function registerCommitment(deps: CommitmentDeps, actor: Actor, body: RegistrationBody, idempotencyKey?: string): Promise<CommitmentActionResult & { id: string }> {
  const input = await registrationInput(deps, actor, body, idempotencyKey);
  const id = input.body.id;
  const keyForRefusal = body.id ? undefined : idempotencyKey;
  return audited(deps, id, null, actor, 'register', idempotencyKey, async () => {
    checkRegistration(input);
    const existing = await deps.prisma.commitment.findUnique({ where: { id }, select: { state: true } });
    if (existing && (existing.state as unknown as CommitmentState).creationKey !== input.creationKey) refuseExisting(id, keyForRefusal);
    try {
      const result = await deps.temporal.workflow.executeUpdateWithStart(commitmentRegisteredUpdate, {
        args: [{ creationKey: input.creationKey }],
        updateId: `register:${input.creationKey}`,
        startWorkflowOperation: new WithStartWorkflowOperation<typeof commitmentWorkflow>('commitmentWorkflow', {
          workflowId: commitmentWorkflowId(id),
          taskQueue: deps.taskQueue ?? TASK_QUEUE,
          args: [{ register: input }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      });
      return { ...result, id };
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) refuseExisting(id, keyForRefusal);
      throw refusalFromTemporal(e) ?? e;
    }
  });
}

export async function performCommitmentAction(deps: CommitmentDeps, actor: Actor, id: string, action: CommitmentActionName, payload: Record<string, unknown>, idempotencyKey?: string): Promise<CommitmentActionResult> {
  const { state } = await loadCommitment(deps, id);
  return audited(deps, id, state.organId, actor, action, idempotencyKey, async () => {
    const closed = () => new Refusal('COMMITMENT_CLOSED', `the commitment is ${state.status} and closed; its record stays as it is`, { status: state.status });
    if (state.closed) throw closed();
    try {
      return await deps.temporal.workflow.getHandle(commitmentWorkflowId(id)).executeUpdate(commitmentActionUpdate, {
        args: [{ action, actor, payload }],
        updateId: `${action}:${idempotencyKey ?? randomUUID()}`,
      });
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw closed(); // closed between the read and the update
      throw e;
    }
  });
}

/** Staff read every commitment; a market entity reads the ones it is party to. */
export function canRead(actor: Actor, counterpartyId: string, staffRoles: readonly Role[]): boolean {
  return actor.roles.some((r) => staffRoles.includes(r)) || actor.organId === counterpartyId || (actor.actsFor ?? []).includes(counterpartyId);
}
