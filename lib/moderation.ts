import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/procedure';
import type { PrismaClient } from './db';

// Moderation of public opinions and campaign detection. Hiding takes a reason and is logged in
// moderation_action (append-only: a trigger refuses UPDATE and DELETE; the insert sets the opinion's hidden_* columns). A hidden opinion is still
// counted, frozen and disposed of; only its text is withheld from public pages, which show the
// reason instead. Identical texts (same normalised hash) submitted CAMPAIGN_MIN times or more are
// a campaign: every copy is kept and counted, and the count is shown.

export const CAMPAIGN_MIN = 3;

export class ModerationError extends Error {
  constructor(
    readonly status: 403 | 404 | 409,
    readonly code: 'ROLE_REQUIRED' | 'OPINION_NOT_FOUND' | 'ALREADY_HIDDEN' | 'NOT_HIDDEN',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stores a moderation action. Who may moderate (`opinion.moderate`) and whether the opinion is in
 * the state the action needs are decided before, by app/decisions/opinions.ts `moderateOpinion`.
 */
export async function moderate(
  prisma: PrismaClient,
  actor: Actor,
  opinionId: string,
  action: 'hide' | 'restore',
  reason: string,
) {
  const opinion = await prisma.opinion.findUnique({
    where: { id: opinionId },
    select: { id: true, decisionId: true, hiddenAt: true },
  });
  if (!opinion) throw new ModerationError(404, 'OPINION_NOT_FOUND', `no opinion ${opinionId}`);
  // The runtime role cannot update the opinion: the action's insert sets its hidden_* columns by
  // trigger (SECURITY DEFINER). Actions on one opinion are serialised, so the check holds.
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'moderation:' + opinionId}, 0))`;
    const now = await tx.opinion.findUniqueOrThrow({ where: { id: opinionId }, select: { hiddenAt: true } });
    if (action === 'hide' && now.hiddenAt !== null)
      throw new ModerationError(409, 'ALREADY_HIDDEN', 'the opinion is already hidden');
    if (action === 'restore' && now.hiddenAt === null)
      throw new ModerationError(409, 'NOT_HIDDEN', 'the opinion is not hidden');
    return tx.moderationAction.create({
      data: { id: randomUUID(), opinionId, action, reason, by: actor.id, at: new Date() },
    });
  });
}

export interface Campaign {
  textHash: string;
  count: number;
}

/** Campaigns among a decision's opinions, largest first. */
export async function campaignsOf(prisma: PrismaClient, decisionId: string): Promise<Campaign[]> {
  const rows = await prisma.$queryRaw<Array<{ text_hash: string; count: number }>>`
    SELECT text_hash, count(*)::int AS count FROM opinion
    WHERE decision_id = ${decisionId} AND text_hash IS NOT NULL
    GROUP BY text_hash HAVING count(*) >= ${CAMPAIGN_MIN}
    ORDER BY count(*) DESC, text_hash`;
  return rows.map((r) => ({ textHash: r.text_hash, count: r.count }));
}

/** How many opinions share this one's text (1 when it is unique). */
export async function campaignSize(prisma: PrismaClient, windowId: string, textHash: string | null): Promise<number> {
  if (!textHash) return 1;
  return prisma.opinion.count({ where: { windowId, textHash } });
}

export const moderationLog = (prisma: PrismaClient, opinionIds: string[]) =>
  prisma.moderationAction.findMany({ where: { opinionId: { in: opinionIds } }, orderBy: { at: 'asc' } });
