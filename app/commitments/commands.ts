import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { authorize, type Scope } from '../../domain/authority';
import {
  checkRegistration,
  type CommitmentActionName,
  type CommitmentState,
  type RegisterCommitmentInput,
  type RegistrationBody,
} from '../../domain/commitment';
import type { Actor } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { Role } from '../../domain/stages';
import { appendAudit, canonicalJson, refusalEntry, sha256 } from '../../lib/audit-chain';
import { organLineage } from '../../lib/directory';
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
import type { AppDeps } from '../deps';
import { fieldError, refusalFromTemporal } from '../errors';
import { claimKey } from '../idempotency';

// The commands of the commitments registry (issue 3, part 5; DOMAIN §5): register a commitment
// (update-with-start, so the answer comes once it is recorded) and act on one. Who may act is
// decided here before the workflow (docs/authority.md, the commitment-action table); the
// workflow's own checks stay. Every refused attempt (403, 409) is appended to the commitment's
// audit chain before answering, under an event id from the claim scope of the request's key.

export type CommitmentDeps = Pick<AppDeps, 'prisma' | 'temporal' | 'taskQueue'>;

export async function loadCommitment(deps: Pick<AppDeps, 'prisma'>, id: string) {
  const row = await deps.prisma.commitment.findUnique({ where: { id } });
  if (!row) throw new Refusal('COMMITMENT_NOT_FOUND', `commitment ${id} not found`);
  return { row, state: row.state as unknown as CommitmentState };
}

/** The scope of the rules: the commitment's organ with its successors, its counterparty, its responsible office. */
export async function commitmentScope(
  deps: Pick<AppDeps, 'prisma'>,
  row: { organId: string; counterpartyId: string; responsibleOfficeId: string },
): Promise<Scope> {
  return {
    organLineage: await organLineage(deps.prisma, row.organId),
    counterpartyOrgan: row.counterpartyId,
    responsibleOfficeId: row.responsibleOfficeId,
  };
}

/**
 * Appends a refused attempt to the commitment's chain. An attempt to change or end a commitment on
 * a forbidden ground is itself a breach: it also becomes an integrity record (DOMAIN §5), naming
 * the office it was attempted from.
 */
async function recordRefusal(
  deps: CommitmentDeps,
  id: string,
  organId: string | null,
  actor: Actor,
  action: string,
  r: Refusal,
  scope: string,
): Promise<void> {
  const eventId = `refused:${action}:${scope}`;
  const at = new Date();
  await deps.prisma.$transaction(async (tx) => {
    const { duplicate } = await appendAudit(
      tx,
      refusalEntry(commitmentChainId(id), eventId, action, actor, r, null, at),
    );
    if (duplicate || r.code !== 'FORBIDDEN_GROUND' || !organId) return;
    await recordIntegrity(tx, {
      kind: 'forbidden-ground',
      sourceRef: `audit:${commitmentChainId(id)}:${eventId}`,
      organId,
      officeId: (actor.offices.find((o) => o.role === 'head') ?? actor.offices[0])?.id ?? null,
      at,
      rule: 'a commitment to a market entity was sought to be changed or ended on the ground of a change of officials or organisation (refused and recorded)',
      legalBasis: r.legalBasis ?? 'Decree 722 Art 31; Private Economy Promotion Law Art 70',
      evidence: {
        commitmentId: id,
        action,
        code: r.code,
        message: r.message,
        details: r.details ?? null,
        actorId: actor.id,
        auditEventId: eventId,
      },
      commitmentId: id,
    });
  });
}

/** Runs an attempt on a commitment; a refusal by a rule (403 or 409) is recorded, then answered. */
async function audited<T>(
  deps: CommitmentDeps,
  id: string,
  organId: string | null,
  actor: Actor,
  action: string,
  scope: string,
  attempt: () => Promise<T>,
): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    const refusal = e instanceof Refusal ? e : refusalFromTemporal(e);
    if (refusal && (refusal.status === 403 || refusal.status === 409))
      await recordRefusal(deps, id, organId, actor, action, refusal, scope);
    throw refusal ?? e;
  }
}

function newCommitmentId(scope: string | undefined): string {
  if (scope) return 'c-' + sha256(scope).slice(7, 23);
  return `c-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;
}

function refuseExisting(id: string, idempotencyKey: string | undefined): never {
  if (idempotencyKey)
    throw new Refusal('IDEMPOTENCY_KEY_REUSED', `commitment "${id}" exists and was not registered by this request`, {
      id,
    });
  throw new Refusal('COMMITMENT_ID_TAKEN', `a commitment with the id "${id}" already exists`, { id });
}

/** `scope` is the claim scope of the request's key, when it carried one. */
async function registrationInput(
  deps: CommitmentDeps,
  actor: Actor,
  body: RegistrationBody,
  scope?: string,
): Promise<RegisterCommitmentInput> {
  const office = await deps.prisma.office.findUnique({ where: { id: body.responsibleOfficeId } });
  if (!office) throw fieldError('responsibleOfficeId', `no office "${body.responsibleOfficeId}"`);
  if (
    body.decisionId &&
    !(await deps.prisma.decision.findUnique({ where: { id: body.decisionId }, select: { id: true } }))
  ) {
    throw fieldError('decisionId', `no decision "${body.decisionId}"`);
  }
  const id = body.id ?? newCommitmentId(scope);
  return {
    body: { ...body, id },
    responsibleOffice: { id: office.id, role: office.role as Role, organId: office.organId, title: office.title },
    actor,
    creationKey: scope ? sha256(canonicalJson({ scope, body })) : randomUUID(),
  };
}

/**
 * `commitment.register` (drafting-official): the commitment belongs to the organ of that office
 * and its responsible office must be of that organ (checked by checkRegistration, again by the
 * workflow). The key is claimed through claimKey: another body under it is 422.
 */
export async function registerCommitment(
  actor: Actor,
  input: { body: RegistrationBody; key?: string },
  deps: CommitmentDeps,
): Promise<CommitmentActionResult & { id: string }> {
  const { body, key } = input;
  const claim = await claimKey(deps, { kind: 'staff', id: actor.id }, 'commitment.register', key, body);
  authorize(actor, 'commitment.register');
  const scope = key === undefined ? undefined : claim.scope;
  const registration = await registrationInput(deps, actor, body, scope);
  const id = registration.body.id;
  const keyForRefusal = body.id ? undefined : key;
  return audited(deps, id, null, actor, 'register', claim.scope, async () => {
    checkRegistration(registration);
    const existing = await deps.prisma.commitment.findUnique({ where: { id }, select: { state: true } });
    if (existing && (existing.state as unknown as CommitmentState).creationKey !== registration.creationKey)
      refuseExisting(id, keyForRefusal);
    try {
      const result = await deps.temporal.workflow.executeUpdateWithStart(commitmentRegisteredUpdate, {
        args: [{ creationKey: registration.creationKey }],
        updateId: `register:${registration.creationKey}`,
        startWorkflowOperation: new WithStartWorkflowOperation<typeof commitmentWorkflow>('commitmentWorkflow', {
          workflowId: commitmentWorkflowId(id),
          taskQueue: deps.taskQueue ?? TASK_QUEUE,
          args: [{ register: registration }],
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

/**
 * `commitment.act:<action>`, authorized by the commitment-action table before the workflow (whose
 * own checks stay); a refused attempt is in the chain `commitment:<id>` under the claim scope.
 */
export async function performCommitmentAction(
  actor: Actor,
  input: { id: string; action: CommitmentActionName; payload: Record<string, unknown>; key?: string },
  deps: CommitmentDeps,
): Promise<CommitmentActionResult> {
  const { id, action, payload } = input;
  const claim = await claimKey(deps, { kind: 'staff', id: actor.id }, `commitment.${action}`, input.key, {
    id,
    payload,
  });
  const { row, state } = await loadCommitment(deps, id);
  const scope = await commitmentScope(deps, row);
  return audited(deps, id, state.organId, actor, action, claim.scope, async () => {
    authorize(actor, `commitment.act:${action}`, scope);
    const closed = () =>
      new Refusal('COMMITMENT_CLOSED', `the commitment is ${state.status} and closed; its record stays as it is`, {
        status: state.status,
      });
    if (state.closed) throw closed();
    try {
      return await deps.temporal.workflow.getHandle(commitmentWorkflowId(id)).executeUpdate(commitmentActionUpdate, {
        args: [{ action, actor, payload }],
        updateId: `${action}:${claim.scope}`,
      });
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw closed(); // closed between the read and the update
      throw e;
    }
  });
}
