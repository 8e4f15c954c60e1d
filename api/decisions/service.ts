import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decisionStateQuery, workflowIdFor } from '../../workflows/definitions';
import type { Actor, DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { appendAudit, canonicalJson, refusalEntry, sha256 } from '../../lib/audit-chain';
import type { PrismaClient } from '../../lib/db';
import { recordRefusalIntegrity } from '../../lib/integrity';
import type { TemplateRegistry } from '../../lib/templates';
import { refusalFromTemporal } from '../errors';

// Shared by the decision endpoints: loading a decision from the read model, and recording every
// refused attempt on it in its audit chain (DOMAIN §3 inv. 6) before the refusal is answered.

export interface DecisionDeps {
  prisma: PrismaClient;
  temporal: Client;
  templates: TemplateRegistry;
  taskQueue?: string;
}

export const draftHash = (text: string, explanation: string) => sha256(canonicalJson({ text, explanation }));

/**
 * The decision as the read model has it; in the moment between its workflow's start and its
 * first record, as the workflow itself answers (the workflow is the source of truth).
 */
export async function loadDecision(deps: DecisionDeps, id: string): Promise<{ state: DecisionState; recorded: boolean }> {
  const row = await deps.prisma.decision.findUnique({ where: { id }, select: { state: true } });
  if (row) return { state: row.state as unknown as DecisionState, recorded: true };
  try {
    return { state: await deps.temporal.workflow.getHandle(workflowIdFor(id)).query(decisionStateQuery), recorded: false };
  } catch (e) {
    if (e instanceof WorkflowNotFoundError || (e as { name?: string }).name === 'WorkflowNotFoundError') throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found`);
    throw e;
  }
}

export async function recordRefusal(deps: DecisionDeps, state: DecisionState, actor: Actor, action: string, r: Refusal, idempotencyKey?: string): Promise<void> {
  const eventId = `refused:${action}:${idempotencyKey ?? randomUUID()}`;
  const at = new Date();
  await deps.prisma.$transaction(async (tx) => {
    await appendAudit(tx, refusalEntry(state.id, eventId, action, actor, r, state.draft, at));
    // An out-of-order attempt or a forbidden ground is also an integrity record (DOMAIN §5 [D]).
    await recordRefusalIntegrity(tx, { decisionId: state.id, organId: state.organId, actor, action, code: r.code, message: r.message, legalBasis: r.legalBasis, eventId, at });
  });
}

/**
 * Runs an attempt on a decision. A refusal by a gate (403 or 409), whether the API's own check or
 * the workflow's validator gave it, is appended to the audit chain, then answered.
 */
export async function auditedAttempt<T>(deps: DecisionDeps, state: DecisionState, actor: Actor, action: string, idempotencyKey: string | undefined, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    const refusal = e instanceof Refusal ? e : refusalFromTemporal(e);
    if (refusal && (refusal.status === 403 || refusal.status === 409)) await recordRefusal(deps, state, actor, action, refusal, idempotencyKey);
    throw refusal ?? e;
  }
}
