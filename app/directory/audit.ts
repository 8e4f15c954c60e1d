import { authorize, type Operation, type Scope } from '../../domain/authority';
import type { Actor } from '../../domain/procedure';
import { Refusal, isRefusalCode } from '../../domain/refusals';
import { appendAudit, refusalEntry, type AuditInput } from '../../lib/audit-chain';
import type { Prisma } from '../../lib/db';
import type { AppDeps } from '../deps';
import { bodyHashOf, claimKey, scopeOf } from '../idempotency';

// Every directory change and every refused directory attempt is appended to the audit chain
// "directory" (docs/authority.md), the change and its entry in one transaction. The entry's event
// id is the claim scope of the request's Idempotency-Key (app/idempotency.ts): a retry finds its
// entry and is answered as the first time; the same key with another body is refused (422) and the
// refusal is recorded under an id of its own; two people's keys never name the same entry.

export const DIRECTORY_CHAIN = 'directory';
const LEGAL_BASIS = 'DOMAIN §3 inv. 7, §6; Decree 722 Art 31';

type Tx = Prisma.TransactionClient;

export interface DirectoryAttempt<R> {
  /** The operation authorized (domain/authority.ts), with the scope its rule needs. */
  operation: Extract<Operation, `directory.${string}`>;
  /** The audit action: `office-handover`, `organ-merged`, `organ-renamed`. */
  action: string;
  key: string | undefined;
  body: unknown;
  scope: Scope;
  /**
   * Loads the facts and checks the rules (throwing a Refusal, or an AppError that is not
   * audited, before writing anything), then makes the change; returns the answer and what the
   * audit entry records of it.
   */
  run: (tx: Tx) => Promise<{ result: R; record: Record<string, unknown> }>;
}

const actorOffice = (actor: Actor) => actor.offices.find((o) => o.role === 'directory-administrator')?.id ?? null;

function refusedEntry(actor: Actor, eventId: string, action: string, r: Refusal, at: Date): AuditInput {
  return { ...refusalEntry(DIRECTORY_CHAIN, eventId, action, actor, r, null, at), actorOfficeId: actorOffice(actor) };
}

export async function directoryChange<R>(
  deps: Pick<AppDeps, 'prisma'>,
  actor: Actor,
  a: DirectoryAttempt<R>,
): Promise<R> {
  const owner = { kind: 'staff', id: actor.id } as const;
  const operation = a.operation;
  let scope: string;
  try {
    scope = (await claimKey(deps, owner, operation, a.key, a.body)).scope;
  } catch (e) {
    if (e instanceof Refusal && e.code === 'IDEMPOTENCY_KEY_REUSED') {
      const eventId = `${a.action}:${scopeOf(owner, operation, a.key!)}:reused:${bodyHashOf(a.body).slice(7, 23)}`;
      await deps.prisma.$transaction((tx) => appendAudit(tx, refusedEntry(actor, eventId, a.action, e, new Date())));
    }
    throw e;
  }
  const eventId = `${a.action}:${scope}`;
  const outcome = await deps.prisma.$transaction(async (tx): Promise<{ result: R } | { refusal: Refusal }> => {
    // Directory changes are serialised with their chain: the checks see the directory as it is.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'audit:' + DIRECTORY_CHAIN}, 0))`;
    const earlier = await tx.auditEntry.findUnique({
      where: { decisionId_eventId: { decisionId: DIRECTORY_CHAIN, eventId } },
    });
    if (earlier) {
      const body = earlier.body as { result?: R; message?: string; details?: Record<string, unknown> | null };
      if (earlier.outcome === 'accepted') return { result: body.result as R };
      if (isRefusalCode(earlier.code))
        return { refusal: new Refusal(earlier.code, body.message ?? earlier.code, body.details ?? undefined) };
    }
    const at = new Date();
    try {
      authorize(actor, operation, a.scope);
      const { result, record } = await a.run(tx);
      await appendAudit(tx, {
        decisionId: DIRECTORY_CHAIN,
        eventId,
        outcome: 'accepted',
        action: a.action,
        actorId: actor.id,
        actorName: actor.name,
        actorRole: actor.roles.join(','),
        actorOfficeId: actorOffice(actor),
        at,
        draftVersion: null,
        draftHash: null,
        code: null,
        legalBasis: LEGAL_BASIS,
        body: { ...record, result },
      });
      return { result };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      await appendAudit(tx, refusedEntry(actor, eventId, a.action, e, at));
      return { refusal: e };
    }
  });
  if ('refusal' in outcome) throw outcome.refusal;
  return outcome.result;
}
