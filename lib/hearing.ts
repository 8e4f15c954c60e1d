import type { PrismaClient } from './db';
import { newReceipt } from './public-input';

// Registration for a hearing (Decree 713 Arts 16–17): when registration is open is a rule of
// domain/public.ts; here, the store.

export { registrationState, type HearingNotice, type RegistrationState } from '../domain/public';

export interface RegistrationInput {
  decisionId: string;
  name: string;
  contact: string;
  represents: string;
  statement: string | null;
  clientKey: string;
}

/**
 * Stores a registration once per client key (scoped to the client: app/idempotency.ts scopeOf), in
 * one statement: a retry of the same registration returns the first receipt; the same key with
 * another registration stores nothing and says so (`reused`).
 */
export async function register(
  prisma: PrismaClient,
  r: RegistrationInput,
): Promise<{ id: string; duplicate: boolean } | { reused: true }> {
  const id = newReceipt('HR');
  const same = (rows: Array<{ id: string; inserted: boolean; same_body: boolean }>) =>
    rows[0].inserted
      ? { id: rows[0].id, duplicate: false }
      : rows[0].same_body
        ? { id: rows[0].id, duplicate: true }
        : { reused: true as const };
  const rows = await prisma.$queryRaw<Array<{ id: string; inserted: boolean; same_body: boolean }>>`
    WITH ins AS (
      INSERT INTO hearing_registration (id, decision_id, procedure_id, name, contact, represents, statement, client_key)
      VALUES (${id}, ${r.decisionId}, 'main', ${r.name}, ${r.contact}, ${r.represents}, ${r.statement}, ${r.clientKey})
      ON CONFLICT (decision_id, procedure_id, client_key) DO NOTHING
      RETURNING id
    )
    SELECT id, true AS inserted, true AS same_body FROM ins
    UNION ALL
    SELECT h.id, false, (h.name, h.contact, h.represents) = (${r.name}, ${r.contact}, ${r.represents}) AND h.statement IS NOT DISTINCT FROM ${r.statement}::text
    FROM hearing_registration h
    WHERE h.decision_id = ${r.decisionId} AND h.procedure_id = 'main' AND h.client_key = ${r.clientKey} AND NOT EXISTS (SELECT 1 FROM ins)`;
  if (rows.length) return same(rows);
  // The same retry in flight twice: the other's row was committed after this statement's snapshot.
  const again = await prisma.$queryRaw<Array<{ id: string; inserted: boolean; same_body: boolean }>>`
    SELECT id, false AS inserted, (name, contact, represents) = (${r.name}, ${r.contact}, ${r.represents}) AND statement IS NOT DISTINCT FROM ${r.statement}::text AS same_body
    FROM hearing_registration WHERE decision_id = ${r.decisionId} AND procedure_id = 'main' AND client_key = ${r.clientKey}`;
  return same(again);
}
