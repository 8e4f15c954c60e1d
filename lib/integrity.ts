import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from './db';
import { currentOrgan, holderAt } from './directory';

// Government-affairs untrustworthiness records (DOMAIN §5). Every record names the organ, the
// office and the person who held it at the time, the rule broken and the evidence. Records are
// append-only (database trigger and runtime role); a correction is a new record.

type Db = PrismaClient | Prisma.TransactionClient;

export const INTEGRITY_KINDS = [
  'out-of-order-attempt', // a stage action attempted before the stages ahead of it passed
  'forbidden-ground', // a change or breach on the ground of a change of officials or organisation
  'suspension-unratified', // an urgent suspension not ratified by collective discussion in time
  'obligation-overdue', // a commitment's obligation not performed by its due date
  'payment-overdue', // a payment to an SME not made by its due date (Decree 802 Art 9)
  'complaint-unanswered', // a market entity's complaint not answered by its deadline
  'manual', // recorded by a supervisor
  'correction', // corrects an earlier record
] as const;
export type IntegrityKind = (typeof INTEGRITY_KINDS)[number];

export interface IntegrityInput {
  kind: IntegrityKind;
  /** Idempotency key of what produced the record (an event, a refusal, a deadline). */
  sourceRef: string;
  organId: string;
  officeId?: string | null;
  /** The moment the breach happened: the holder of the office then is named. */
  at: Date;
  rule: string;
  legalBasis: string;
  evidence: Record<string, unknown>;
  decisionId?: string | null;
  commitmentId?: string | null;
  correctsId?: string | null;
  createdBy?: string | null;
}

export const integrityId = (sourceRef: string) => 'IR-' + createHash('sha256').update(sourceRef).digest('hex').slice(0, 16).toUpperCase();

/** Records once per sourceRef; the organ is the one that carries on the breaching organ today. */
export async function recordIntegrity(db: Db, input: IntegrityInput): Promise<{ id: string; duplicate: boolean }> {
  const id = integrityId(input.sourceRef);
  const existing = await db.integrityRecord.findUnique({ where: { sourceRef: input.sourceRef }, select: { id: true } });
  if (existing) return { id: existing.id, duplicate: true };
  const holder = input.officeId ? await holderAt(db, input.officeId, input.at) : null;
  const organId = await currentOrgan(db, input.organId);
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    INSERT INTO integrity_record (id, source_ref, kind, organ_id, office_id, holder_user_id, holder_name, rule, legal_basis, evidence,
                                  decision_id, commitment_id, corrects_id, created_by, created_at)
    VALUES (${id}, ${input.sourceRef}, ${input.kind}, ${organId}, ${input.officeId ?? null}, ${holder?.userId ?? null}, ${holder?.name ?? null},
            ${input.rule}, ${input.legalBasis}, ${JSON.stringify({ ...input.evidence, breachingOrgan: input.organId, at: input.at.toISOString() })}::jsonb,
            ${input.decisionId ?? null}, ${input.commitmentId ?? null}, ${input.correctsId ?? null}, ${input.createdBy ?? null}, now())
    ON CONFLICT (source_ref) DO NOTHING
    RETURNING id`;
  return { id, duplicate: rows.length === 0 };
}
