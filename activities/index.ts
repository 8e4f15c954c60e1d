import type { WorkingCalendar } from '../domain/calendar';
import type { DecisionState, ProcedureEvent } from '../domain/procedure';
import { upsertDecisionRow } from '../lib/read-model';
import { appendAudit, eventEntry, recordHash } from '../lib/audit-chain';
import { recordIntegrity } from '../lib/integrity';
import type { Prisma, PrismaClient } from '../lib/db';
import type { Notifier } from '../lib/notifier';
import { freezeWindowInput } from '../lib/public-input';

// The workflow's side effects, with their dependencies injected. Every activity is idempotent:
// writes are keyed by the event id or guarded by the state revision, so a retry after a crash
// changes nothing twice.

export interface ActivityDeps {
  prisma: PrismaClient;
  notifier: Notifier;
  /** Read on every call so a replaced holiday file takes effect without a restart. */
  calendar: () => WorkingCalendar;
}

export interface RecordEventInput {
  event: ProcedureEvent;
  snapshot: DecisionState;
}

const toDate = (ms: number) => new Date(ms);

export function createActivities(deps: ActivityDeps) {
  const { prisma, notifier } = deps;

  async function writeEvent(
    tx: Prisma.TransactionClient,
    decisionId: string,
    organ: string,
    e: ProcedureEvent,
  ): Promise<void> {
    await appendAudit(
      tx,
      eventEntry(
        decisionId,
        e,
        { version: e.draftVersion, hash: e.draftHash },
        {
          revision: e.revision,
          procedure: e.procedureId ?? 'main',
          stage: e.stage,
          payload: e.payload,
          effects: e.effects,
          records: e.records.map((r) => ({ id: r.id, hash: recordHash(r) })),
        },
      ),
    );
    if (e.records.length) {
      await tx.stageRecord.createMany({
        skipDuplicates: true,
        data: e.records.map((r) => ({
          id: `${decisionId}:${r.id}`,
          decisionId,
          stage: r.stage,
          round: r.round,
          kind: r.kind,
          actorId: r.actor?.id ?? null,
          actorRole: r.actor?.role ?? null,
          actorOfficeId: r.actor?.officeId ?? null,
          draftVersion: r.draftVersion,
          draftHash: r.draftHash,
          content: r.content as Prisma.InputJsonValue,
          at: toDate(r.at),
          procedureId: r.procedureId ?? 'main',
        })),
      });
    }
    for (const [i, x] of (e.integrity ?? []).entries()) {
      await recordIntegrity(tx, {
        ...x,
        sourceRef: `decision:${decisionId}:${e.id}:${i}`,
        organId: organ,
        at: toDate(e.at),
        decisionId,
      });
    }
    for (const w of e.windows) {
      const data = {
        opensAt: toDate(w.opensAt),
        closesAt: toDate(w.closesAt ?? w.opensAt),
        urgencyReason: w.urgencyReason,
        questions: (w.questions ?? undefined) as Prisma.InputJsonValue | undefined,
      };
      await tx.publicWindow.upsert({
        where: { id: w.id },
        create: { id: w.id, decisionId, kind: w.kind, round: w.round, ...data },
        update: { closesAt: data.closesAt },
      });
    }
    if (e.notifications.length) {
      await tx.notification.createMany({
        skipDuplicates: true,
        data: e.notifications.map((n, i) => ({ id: `${decisionId}:${e.id}:${i}`, decisionId, eventId: e.id, ...n })),
      });
    }
  }

  return {
    /** Records one accepted action or timer event: audit entry, stage records, windows, read model, notifications. */
    async recordEvent({ event, snapshot }: RecordEventInput): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await writeEvent(tx, snapshot.id, snapshot.organId, event);
        await upsertDecisionRow(tx, snapshot);
      });
      const pending = await prisma.notification.findMany({
        where: { decisionId: snapshot.id, eventId: event.id, deliveredAt: null },
      });
      for (const n of pending) {
        await notifier.deliver(n);
        await prisma.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date() } });
      }
    },

    /** Freezes a closed window's public input; returns the same count and digest on every retry. */
    async freezePublicInput({ windowId }: { windowId: string }): Promise<{ count: number; digest: string }> {
      return freezeWindowInput(prisma, windowId);
    },

    /** Ends a working-day period on the holiday calendar (Decree 713 Art 27; Civil Code Art 201). */
    async resolveWorkingDays({ from, workingDays }: { from: number; workingDays: number }): Promise<number> {
      return deps.calendar().addWorkingDays(from, workingDays);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
