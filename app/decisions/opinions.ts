import { randomUUID } from 'node:crypto';
import { authorize, may } from '../../domain/authority';
import { checkDisposable, checkModeration, type ModerationAction } from '../../domain/opinions';
import type { Actor } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { appendAudit } from '../../lib/audit-chain';
import { CAMPAIGN_MIN, moderate, ModerationError, moderationLog } from '../../lib/moderation';
import type { AppDeps } from '../deps';
import { parse } from '../input';
import { decisionScope } from '../scope';
import { auditedAttempt } from './audit';
import { loadDecision, loadFor, type Deps } from './load';
import { organsOf } from './readable';
import { dispositionBody } from './schemas';
import { recordDisposition } from '../../lib/dispositions';

// The staff's handling of public opinions: reading them with their moderation state, recording
// how each was handled (Decree 713 Arts 18, 29(2); in the audit chain too), and moderation of
// abusive content (a hide needs a reason, is logged, and the opinion stays counted).

export interface DisposeInput {
  decisionId: string;
  receipt: string;
  body: unknown;
  /** Also dispose of every undisposed opinion with the same text (a campaign), as one decision each. */
  campaign?: boolean;
}

/** `opinion.dispose`: the drafting official of the deciding organ, after the window and before the feedback report. */
export async function disposeOpinion(actor: Actor, input: DisposeInput, deps: AppDeps) {
  const body = parse(dispositionBody, input.body);
  const { state, scope } = await loadDecision(deps, input.decisionId);
  const id = state.id;
  return auditedAttempt(deps, { state, scope, actor, action: 'dispose-opinion' }, 'opinion.dispose', async () => {
    const opinion = await deps.prisma.opinion.findFirst({ where: { id: input.receipt, decisionId: id } });
    if (!opinion) throw new Refusal('OPINION_NOT_FOUND', `no opinion ${input.receipt} on this decision`);
    checkDisposable(state, opinion.windowId);
    const others =
      input.campaign && opinion.textHash
        ? await deps.prisma.opinion.findMany({
            where: {
              decisionId: id,
              windowId: opinion.windowId,
              textHash: opinion.textHash,
              disposition: null,
              id: { not: opinion.id },
            },
            select: { id: true, decisionId: true, windowId: true },
          })
        : [];
    return deps.prisma.$transaction(async (tx) => {
      let first = null;
      for (const target of [opinion, ...others]) {
        const receipt = target.id;
        // Append-only: the disposition is a row of its own; a trigger shows it on the opinion.
        const d = await recordDisposition(tx, {
          opinion: target,
          disposition: body.disposition,
          reason: body.reason ?? null,
          by: actor.id,
        });
        const updated = await tx.opinion.findUniqueOrThrow({
          where: { id: receipt },
          omit: { contact: true, clientKey: true },
        });
        first ??= updated;
        await appendAudit(tx, {
          decisionId: id,
          eventId: `disposition:${receipt}:${randomUUID()}`,
          outcome: 'accepted',
          action: 'dispose-opinion',
          actorId: actor.id,
          actorName: actor.name,
          actorRole: 'drafting-official',
          at: new Date(),
          draftVersion: state.draft.version,
          draftHash: state.draft.hash,
          code: null,
          legalBasis: 'Decree 713 Arts 18, 29(2)',
          body: {
            opinion: receipt,
            disposition: body.disposition,
            reason: body.reason ?? null,
            dispositionRecord: { id: d.id, hash: d.hash },
          },
        });
      }
      return first!;
    });
  });
}

export interface ModerateInput {
  decisionId: string;
  receipt: string;
  action: ModerationAction;
  reason: string;
}

/**
 * `opinion.moderate`: a supervisor, or a drafting official of the deciding organ. The JSON route
 * (api/public/portal.ts) and the staff page call this. Returns the stored action and the
 * opinion's moderation log.
 */
export async function moderateOpinion(actor: Actor, input: ModerateInput, deps: Pick<AppDeps, 'prisma'>) {
  const opinion = await deps.prisma.opinion.findFirst({
    where: { id: input.receipt, decisionId: input.decisionId },
    select: { id: true, decisionId: true, hiddenAt: true },
  });
  if (!opinion) throw new Refusal('OPINION_NOT_FOUND', `no opinion ${input.receipt} on this decision`);
  const row = await deps.prisma.decision.findUnique({ where: { id: opinion.decisionId }, select: { state: true } });
  if (!row) throw new Refusal('DECISION_NOT_FOUND', `decision ${input.decisionId} not found`);
  authorize(actor, 'opinion.moderate', await decisionScope(deps, row.state as never));
  checkModeration(opinion, input.action);
  try {
    const action = await moderate(deps.prisma, actor, opinion.id, input.action, input.reason);
    return { action, log: await moderationLog(deps.prisma, [opinion.id]) };
  } catch (e) {
    // A concurrent moderation got there first.
    if (e instanceof ModerationError && (e.code === 'ALREADY_HIDDEN' || e.code === 'NOT_HIDDEN'))
      throw new Refusal(e.code, e.message);
    throw e;
  }
}

/**
 * The opinions of a decision for staff who may `decision.read` it: every opinion with its
 * moderation state, and campaign sizes. No contact: the pages and the API show none.
 */
export async function staffOpinions(actor: Actor, decisionId: string, deps: Deps) {
  const { state, scope } = await loadFor(actor, 'decision.read', deps, decisionId);
  const opinions = await deps.prisma.opinion.findMany({
    where: { decisionId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    omit: { contact: true, clientKey: true },
  });
  const sizes = new Map<string, number>();
  for (const o of opinions) if (o.textHash) sizes.set(o.textHash, (sizes.get(o.textHash) ?? 0) + 1);
  return {
    state,
    opinions,
    campaigns: [...sizes.entries()]
      .filter(([, n]) => n >= CAMPAIGN_MIN)
      .map(([textHash, count]) => ({ textHash, count })),
    sizeOf: (textHash: string | null) => (textHash ? (sizes.get(textHash) ?? 1) : 1),
    mayDispose: may(actor, 'opinion.dispose', scope),
    mayModerate: may(actor, 'opinion.moderate', scope),
  };
}

/**
 * `moderation.queue`: the opinions to review across the decisions of the actor's organs (all
 * decisions for a supervisor): visible ones of windows open or closed within 30 days, the hidden
 * ones, and the recent moderation log.
 */
export async function moderationQueue(actor: Actor, deps: Pick<AppDeps, 'prisma'>) {
  authorize(actor, 'moderation.queue');
  const supervisor = actor.roles.includes('supervisor');
  const organs = await organsOf(deps, actor, 'drafting-official');
  const rows = await deps.prisma.decision.findMany({
    where: supervisor ? {} : { organId: { in: organs } },
    select: { id: true, title: true, state: true },
  });
  const recent = rows.filter((r) =>
    (r.state as unknown as { windows: Array<{ frozen?: { at?: number } }> }).windows.some(
      (w) => !w.frozen || Date.now() - (w.frozen.at ?? 0) < 30 * 86_400_000,
    ),
  );
  const ids = rows.map((r) => r.id);
  const load = (where: object) =>
    deps.prisma.opinion.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: 500,
      omit: { contact: true, clientKey: true },
    });
  const [visible, hidden, log] = await Promise.all([
    load({ decisionId: { in: recent.map((r) => r.id) }, hiddenAt: null }),
    load({ decisionId: { in: ids }, hiddenAt: { not: null } }),
    deps.prisma.$queryRaw<Array<{ at: Date; opinion_id: string; action: string; reason: string; by: string }>>`
      SELECT m.at, m.opinion_id, m.action, m.reason, m.by FROM moderation_action m JOIN opinion o ON o.id = m.opinion_id
      WHERE o.decision_id = ANY(${ids}::text[]) ORDER BY m.at DESC LIMIT 30`,
  ]);
  return { decisions: rows.map((r) => ({ id: r.id, title: r.title })), visible, hidden, log };
}
