import { randomUUID } from 'node:crypto';
import { authorize, type Operation, type Scope } from '../../domain/authority';
import { breachOf } from '../../domain/integrity';
import type { Actor, DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { appendAudit, refusalEntry } from '../../lib/audit-chain';
import { recordRefusalIntegrity } from '../../lib/integrity';
import type { AppDeps } from '../deps';
import { refusalFromTemporal } from '../errors';

// Every refused attempt on a decision reaches its audit chain (DOMAIN §3 inv. 6; docs/authority.md),
// whoever made it and whatever key it carried; a refusal is also an integrity record only when it
// is a breach by an actor accountable in the decision (domain/integrity.ts `breachOf`).

/**
 * Appends the refusal to the decision's chain. `attemptId` names the attempt: the claimed scope of
 * its Idempotency-Key (so a retry by the same person is one entry, another person's attempt with
 * the same key another), or nothing for an unkeyed attempt.
 */
export async function recordRefusal(
  deps: Pick<AppDeps, 'prisma'>,
  state: DecisionState,
  scope: Scope,
  actor: Actor,
  action: string,
  r: Refusal,
  attemptId?: string,
): Promise<void> {
  const eventId = `refused:${action}:${attemptId ?? randomUUID()}`;
  const at = new Date();
  const kind = breachOf(actor, scope, r.code);
  await deps.prisma.$transaction(async (tx) => {
    await appendAudit(tx, refusalEntry(state.id, eventId, action, actor, r, state.draft, at));
    if (kind)
      await recordRefusalIntegrity(tx, {
        kind,
        decisionId: state.id,
        organId: state.organId,
        actor,
        action,
        code: r.code,
        message: r.message,
        legalBasis: r.legalBasis,
        eventId,
        at,
      });
  });
}

/**
 * Authorizes an attempt on a decision, then runs it. A refusal of the authority (403) or of a gate
 * (403 or 409), whether the application's own check or the workflow's validator gave it, is
 * appended to the audit chain, then thrown.
 */
export async function auditedAttempt<T>(
  deps: Pick<AppDeps, 'prisma'>,
  at: { state: DecisionState; scope: Scope; actor: Actor; action: string; attemptId?: string },
  op: Operation,
  attempt: () => Promise<T>,
): Promise<T> {
  try {
    authorize(at.actor, op, at.scope);
    return await attempt();
  } catch (e) {
    const refusal = e instanceof Refusal ? e : refusalFromTemporal(e);
    if (refusal && (refusal.status === 403 || refusal.status === 409))
      await recordRefusal(deps, at.state, at.scope, at.actor, at.action, refusal, at.attemptId);
    throw refusal ?? e;
  }
}
