import { createHash } from 'node:crypto';
import { ACTION_SPECS, type ActionSpec } from '../domain/actions';
import type { Actor } from '../domain/procedure';
import { BREACH_RULES, type BreachKind } from '../domain/integrity';
import { REFUSALS } from '../domain/refusals';
import type { Prisma, PrismaClient } from './db';
import { currentOrgan, holderAt, organsActedFor } from './directory';

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

export const integrityId = (sourceRef: string) =>
  'IR-' + createHash('sha256').update(sourceRef).digest('hex').slice(0, 16).toUpperCase();

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

// ---- Records from refused attempts on a decision (DOMAIN §5 [D]) ----

/** The office the actor attempted the action from: one holding a role the action needs, in the decision's organ if possible. */
export function attemptedOffice(actor: Actor, action: string, organId: string): string | null {
  const spec = (ACTION_SPECS as Partial<Record<string, ActionSpec>>)[action];
  const roles: string[] = spec?.roles ?? actor.roles;
  const offices = (actor.offices ?? []).filter((o) => roles.includes(o.role));
  return (offices.find((o) => o.organId === organId) ?? offices[0])?.id ?? null;
}

export interface RefusedAttempt {
  /** The breach, as domain/integrity.ts `breachOf` attributes it: the caller decides, this stores. */
  kind: BreachKind;
  decisionId: string;
  organId: string;
  actor: Actor;
  action: string;
  code: string;
  message: string;
  legalBasis?: string | null;
  /** The audit event that recorded the refusal; the record's source. */
  eventId: string;
  at: Date;
}

/** Stores a refused attempt that is a breach; call it in the transaction that audits the refusal. */
export async function recordRefusalIntegrity(db: Db, r: RefusedAttempt): Promise<{ id: string; duplicate: boolean }> {
  const kind = r.kind;
  return recordIntegrity(db, {
    kind,
    sourceRef: `audit:${r.decisionId}:${r.eventId}`,
    organId: r.organId,
    officeId: attemptedOffice(r.actor, r.action, r.organId),
    at: r.at,
    rule: BREACH_RULES[kind],
    legalBasis:
      r.legalBasis ?? (REFUSALS as Record<string, { legalBasis?: string }>)[r.code]?.legalBasis ?? 'DOMAIN §5',
    evidence: {
      decisionId: r.decisionId,
      action: r.action,
      code: r.code,
      message: r.message,
      actorId: r.actor.id,
      auditEventId: r.eventId,
    },
    decisionId: r.decisionId,
    createdBy: null,
  });
}

// ---- Corrections ----

export interface CorrectionInput {
  recordId: string;
  sourceRef: string;
  rule: string;
  legalBasis: string;
  evidence: Record<string, unknown>;
  createdBy: string;
}

/**
 * A correction is a new record (kind `correction`) naming the one it corrects; it names the same
 * organ, office and holder, so the corrected record stays visible beside it. The record it
 * corrects stops counting for eligibility.
 */
export async function correctIntegrity(db: Db, c: CorrectionInput): Promise<{ id: string; duplicate: boolean }> {
  const original = await db.integrityRecord.findUniqueOrThrow({ where: { id: c.recordId } });
  const breachAt = (original.evidence as { at?: string } | null)?.at;
  return recordIntegrity(db, {
    kind: 'correction',
    sourceRef: c.sourceRef,
    organId: original.organId,
    officeId: original.officeId,
    at: breachAt ? new Date(breachAt) : original.createdAt,
    rule: c.rule,
    legalBasis: c.legalBasis,
    evidence: c.evidence,
    decisionId: original.decisionId,
    commitmentId: original.commitmentId,
    correctsId: original.id,
    createdBy: c.createdBy,
  });
}

export interface CorrectionLink {
  id: string;
  correctsId: string | null;
}

/** Ids withdrawn by a correction in force; a correction that is itself corrected withdraws nothing. */
export function withdrawnIds(corrections: CorrectionLink[]): Set<string> {
  const byTarget = new Map<string, string[]>();
  for (const c of corrections)
    if (c.correctsId) byTarget.set(c.correctsId, [...(byTarget.get(c.correctsId) ?? []), c.id]);
  const memo = new Map<string, boolean>();
  const withdrawn = (id: string, depth = 0): boolean => {
    if (memo.has(id)) return memo.get(id)!;
    const w = depth < 100 && (byTarget.get(id) ?? []).some((c) => !withdrawn(c, depth + 1));
    memo.set(id, w);
    return w;
  };
  return new Set([...byTarget.keys()].filter((id) => withdrawn(id)));
}

/** Every correction of `ids`, of those corrections, and so on, created up to `asOf`. */
export async function correctionsOf(
  db: Db,
  ids: string[],
  asOf?: Date,
): Promise<Array<CorrectionLink & { createdAt: Date }>> {
  const found: Array<CorrectionLink & { createdAt: Date }> = [];
  for (let frontier = ids; frontier.length > 0;) {
    const next = await db.integrityRecord.findMany({
      where: { kind: 'correction', correctsId: { in: frontier }, ...(asOf ? { createdAt: { lte: asOf } } : {}) },
      select: { id: true, correctsId: true, createdAt: true },
    });
    found.push(...next);
    frontier = next.map((c) => c.id);
  }
  return found;
}

// ---- Eligibility for selection and commendation (DOMAIN §1, §5) ----

/** Years a record counts, from DUEPROCESS_ELIGIBILITY_YEARS (default 3) [D]. */
export function eligibilityYears(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DUEPROCESS_ELIGIBILITY_YEARS;
  if (raw === undefined || raw === '') return 3;
  const years = Number(raw);
  if (!Number.isInteger(years) || years < 1 || years > 50)
    throw new Error(
      `invalid configuration:\n  DUEPROCESS_ELIGIBILITY_YEARS: a whole number of years from 1 to 50, not "${raw}"`,
    );
  return years;
}

/** A record counts when it was created after `from` and up to `to`. */
export function eligibilityWindow(at: Date, years: number): { from: Date; to: Date; years: number } {
  const from = new Date(at.getTime());
  from.setUTCFullYear(from.getUTCFullYear() - years);
  return { from, to: at, years };
}

export type EligibilitySubject = { official: string } | { organ: string };

/**
 * An official or organ with a record created in the window, not corrected by `at`, may not be
 * put forward for selection or commendation. An organ answers for the organs merged into it.
 */
export async function eligibility(db: Db, subject: EligibilitySubject, at: Date, years: number) {
  const window = eligibilityWindow(at, years);
  const organs = 'organ' in subject ? await organsActedFor(db, [subject.organ]) : null;
  const candidates = await db.integrityRecord.findMany({
    where: {
      ...(organs ? { organId: { in: organs } } : { holderUserId: (subject as { official: string }).official }),
      kind: { not: 'correction' },
      createdAt: { gt: window.from, lte: at },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const withdrawn = withdrawnIds(
    await correctionsOf(
      db,
      candidates.map((r) => r.id),
      at,
    ),
  );
  const counting = candidates.filter((r) => !withdrawn.has(r.id));
  return { eligible: counting.length === 0, window, organs, counting };
}
