import type { CommitmentEvent, CommitmentState } from '../domain/commitment';
import { appendAudit, eventEntry } from '../lib/audit-chain';
import type { Prisma } from '../lib/db';
import { recordIntegrity } from '../lib/integrity';
import {
  commitmentChainId,
  type CommitmentActivities,
  type RecordCommitmentEventInput,
} from '../workflows/commitment-definitions';
import type { ActivityDeps } from './index';

// Activities of the commitment workflow. `recordCommitmentEvent` writes, in one transaction, the
// audit entry in the chain `commitment:<id>`, the integrity records the event produces, the
// notification outbox and the read model (commitment, obligations, complaints), then delivers the
// notifications. Idempotent: the audit entry, the integrity records and the outbox rows are keyed
// by the event, and the read model is guarded by the state revision.

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

async function writeReadModel(tx: Prisma.TransactionClient, s: CommitmentState): Promise<void> {
  const now = new Date();
  const written = await tx.$executeRaw`
    INSERT INTO commitment (id, kind, title, organ_id, responsible_office_id, counterparty_id, counterparty_name, counterparty_is_sme,
                            decision_id, status, revision, state, created_at, updated_at)
    VALUES (${s.id}, ${s.kind}, ${s.title}, ${s.organId}, ${s.responsibleOffice.id}, ${s.counterparty.id}, ${s.counterparty.name},
            ${s.counterparty.isSme}, ${s.decisionId}, ${s.status}, ${s.revision}, ${JSON.stringify(s)}::jsonb, ${new Date(s.createdAt)}, ${now})
    ON CONFLICT (id) DO UPDATE SET
      status = EXCLUDED.status, revision = EXCLUDED.revision, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
    WHERE commitment.revision < EXCLUDED.revision`;
  if (written === 0) return; // a later snapshot is already there
  for (const o of s.obligations) {
    const data = {
      kind: o.kind,
      description: o.description,
      amountFen: o.amountFen === null ? null : BigInt(o.amountFen),
      deliveredAt: toDate(o.deliveredAt),
      dueAt: toDate(o.dueAt),
      // The table has no cancellation column: `fulfilled_at` is when the obligation stopped being
      // owed (performed, or cancelled by a lawful change), and `status` says which.
      fulfilledAt: toDate(o.fulfilledAt ?? o.cancelledAt),
      overdueSince: toDate(o.overdueSince),
      status: o.status,
    };
    const id = `${s.id}:${o.id}`;
    await tx.obligation.upsert({ where: { id }, create: { id, commitmentId: s.id, ...data }, update: data });
  }
  for (const c of s.complaints) {
    const data = { respondedAt: toDate(c.respondedAt), response: c.response, status: c.status };
    const id = `${s.id}:${c.id}`;
    await tx.complaint.upsert({
      where: { id },
      create: {
        id,
        commitmentId: s.id,
        filedBy: c.filedBy.id,
        text: c.text,
        filedAt: new Date(c.filedAt),
        responseDueAt: new Date(c.responseDueAt),
        ...data,
      },
      update: data,
    });
  }
}

async function writeEvent(tx: Prisma.TransactionClient, s: CommitmentState, e: CommitmentEvent): Promise<void> {
  const chain = commitmentChainId(s.id);
  await appendAudit(
    tx,
    eventEntry(chain, e, null, {
      revision: e.revision,
      payload: e.payload,
      effects: e.effects,
      integrity: e.integrity.map((i) => ({ kind: i.kind, sourceRef: i.sourceRef })),
    }),
  );
  for (const i of e.integrity) {
    await recordIntegrity(tx, {
      kind: i.kind,
      sourceRef: i.sourceRef,
      organId: s.organId,
      officeId: i.officeId,
      at: new Date(i.at),
      rule: i.rule,
      legalBasis: i.legalBasis,
      evidence: { ...i.evidence, eventId: e.id },
      commitmentId: s.id,
    });
  }
  if (e.notifications.length) {
    await tx.notification.createMany({
      skipDuplicates: true,
      data: e.notifications.map((n, idx) => ({
        id: `${chain}:${e.id}:${idx}`,
        decisionId: chain,
        eventId: e.id,
        recipientRole: n.recipientRole,
        recipientId: n.recipientId ?? null,
        kind: n.kind,
        message: n.message,
      })),
    });
  }
}

export function createCommitmentActivities(deps: ActivityDeps): CommitmentActivities {
  const { prisma, notifier } = deps;
  return {
    /** Records one accepted action or timer event of a commitment; see the module comment. */
    async recordCommitmentEvent({ event, snapshot }: RecordCommitmentEventInput): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await writeEvent(tx, snapshot, event);
        await writeReadModel(tx, snapshot);
      });
      const chain = commitmentChainId(snapshot.id);
      const pending = await prisma.notification.findMany({
        where: { decisionId: chain, eventId: event.id, deliveredAt: null },
      });
      for (const n of pending) {
        await notifier.deliver(n);
        await prisma.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date() } });
      }
    },
  };
}
