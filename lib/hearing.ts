import type { DecisionState } from '../domain/procedure';
import type { PrismaClient } from './db';
import { newReceipt } from './public-input';

// Registration for a hearing (Decree 713 Arts 16–17). Registration is open while a hearing is
// required and has not yet been held: before the notice (participants are then selected by the
// published method from those registered) and after it until the hearing begins, for the public
// attending a hearing held in public. Otherwise nothing is stored.

export interface HearingNotice {
  heldAt: string;
  place: string;
  selectionMethod: string;
  participants: Array<{ name: string; represents: string }>;
  materialsSentAt: string;
}

export type RegistrationState = 'not-required' | 'open' | 'held' | 'closed';

export function registrationState(state: DecisionState, notice: HearingNotice | null, recordFiled: boolean, now = Date.now()): RegistrationState {
  if (!state.flags.hearingRequired) return 'not-required';
  if (recordFiled || (notice && Date.parse(notice.heldAt) <= now)) return 'held';
  if (['rejected', 'withdrawn', 'terminated'].includes(state.status)) return 'closed';
  return 'open';
}

export interface RegistrationInput {
  decisionId: string;
  name: string;
  contact: string;
  represents: string;
  statement: string | null;
  clientKey: string;
}

/** Stores a registration once per client key; a retry returns the first receipt. */
export async function register(prisma: PrismaClient, r: RegistrationInput): Promise<{ id: string; duplicate: boolean }> {
  const id = newReceipt('HR');
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    INSERT INTO hearing_registration (id, decision_id, procedure_id, name, contact, represents, statement, client_key)
    VALUES (${id}, ${r.decisionId}, 'main', ${r.name}, ${r.contact}, ${r.represents}, ${r.statement}, ${r.clientKey})
    ON CONFLICT (decision_id, procedure_id, client_key) DO NOTHING
    RETURNING id`;
  if (rows.length) return { id, duplicate: false };
  const existing = await prisma.hearingRegistration.findFirst({ where: { decisionId: r.decisionId, procedureId: 'main', clientKey: r.clientKey }, select: { id: true } });
  return { id: existing!.id, duplicate: true };
}
