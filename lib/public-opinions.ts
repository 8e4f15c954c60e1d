import { opinionVisibility } from '../domain/public';
import type { PrismaClient } from './db';
import { CAMPAIGN_MIN } from './moderation';

// What the public may see of the opinions on a decision: the text (or, when hidden by moderation,
// the reason), the paragraph, when it came, and how it was handled; while an opinion's window is
// open, only that it is counted (the visibility rule of domain/public.ts). Never the author's
// name, contact or client key. Read through app/public, by the portal, the API and open data.

export const DISPOSITIONS = ['adopted', 'partly-adopted', 'not-adopted'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface PublicOpinion {
  receipt: string;
  decisionId: string;
  paragraph: number | null;
  submittedAt: Date;
  text: string | null;
  hidden: { reason: string; at: Date } | null;
  disposition: Disposition | null;
  dispositionReason: string | null;
  disposedAt: Date | null;
  /** How many opinions on the decision carry the same text; a campaign from CAMPAIGN_MIN on. */
  campaignSize: number;
  verifiedVia: string | null;
}

export interface CampaignSummary {
  count: number;
  /** A visible copy of the text, or null when every copy is hidden. */
  text: string | null;
  dispositions: Record<Disposition | 'pending', number>;
}

export interface OpinionReport {
  total: number;
  /** Counted, and withheld because their window is still open: not in `opinions` or `campaigns`. */
  withheld: number;
  hidden: number;
  pending: number;
  byDisposition: Record<Disposition, number>;
  campaigns: CampaignSummary[];
  opinions: PublicOpinion[];
}

/** The columns of an opinion that its public views (report, receipt, open data) may show or need. */
export const OPINION_SELECT = {
  id: true,
  decisionId: true,
  windowId: true,
  paragraph: true,
  createdAt: true,
  text: true,
  textHash: true,
  hiddenAt: true,
  hiddenReason: true,
  disposition: true,
  dispositionReason: true,
  disposedAt: true,
  verifiedVia: true,
} as const;

type Row = {
  id: string;
  decisionId: string;
  paragraph: number | null;
  createdAt: Date;
  text: string;
  textHash: string | null;
  hiddenAt: Date | null;
  hiddenReason: string | null;
  disposition: string | null;
  dispositionReason: string | null;
  disposedAt: Date | null;
  verifiedVia: string | null;
};

function toPublic(r: Row, campaignSize: number): PublicOpinion {
  return {
    receipt: r.id,
    decisionId: r.decisionId,
    paragraph: r.paragraph,
    submittedAt: r.createdAt,
    // Only rows whose text the public may see get here (or the receipt's own holder).
    text: r.hiddenAt ? null : r.text,
    hidden: r.hiddenAt ? { reason: r.hiddenReason ?? '', at: r.hiddenAt } : null,
    disposition: (r.disposition as Disposition | null) ?? null,
    dispositionReason: r.dispositionReason,
    disposedAt: r.disposedAt,
    campaignSize,
    verifiedVia: r.verifiedVia,
  };
}

const emptyTally = () => ({ adopted: 0, 'partly-adopted': 0, 'not-adopted': 0, pending: 0 });

/** The window of a decision an opinion was filed in, as the decision's state knows it. */
export type WindowOf = (windowId: string) => { closesAt: number | null; frozen: boolean } | null;

export async function opinionReport(
  prisma: PrismaClient,
  decisionId: string,
  windowOf: WindowOf,
  now = Date.now(),
): Promise<OpinionReport> {
  const all = await prisma.opinion.findMany({
    where: { decisionId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: OPINION_SELECT,
  });
  const sizes = new Map<string, number>();
  for (const r of all) if (r.textHash) sizes.set(r.textHash, (sizes.get(r.textHash) ?? 0) + 1);
  const total = emptyTally();
  for (const r of all) total[(r.disposition as Disposition | null) ?? 'pending']++;
  const rows = all.filter(
    (r) => opinionVisibility({ hidden: r.hiddenAt !== null }, windowOf(r.windowId), now) !== 'withheld',
  );
  const opinions = rows.map((r) => toPublic(r, r.textHash ? (sizes.get(r.textHash) ?? 1) : 1));
  const campaigns = new Map<string, CampaignSummary>();
  rows.forEach((r, i) => {
    const o = opinions[i];
    if (!r.textHash || o.campaignSize < CAMPAIGN_MIN) return;
    const c = campaigns.get(r.textHash) ?? { count: o.campaignSize, text: null, dispositions: emptyTally() };
    c.text ??= o.text;
    c.dispositions[o.disposition ?? 'pending']++;
    campaigns.set(r.textHash, c);
  });
  return {
    total: all.length,
    withheld: all.length - rows.length,
    hidden: all.filter((r) => r.hiddenAt).length,
    pending: total.pending,
    byDisposition: {
      adopted: total.adopted,
      'partly-adopted': total['partly-adopted'],
      'not-adopted': total['not-adopted'],
    },
    campaigns: [...campaigns.values()].sort((a, b) => b.count - a.count),
    opinions,
  };
}

/**
 * One opinion by its receipt number, with the decision and window it belongs to. The receipt is
 * its author's (unguessable, never listed while the window is open): its holder reads their own
 * text, unless moderation hid it.
 */
export async function receiptLookup(prisma: PrismaClient, receipt: string) {
  const normalized = receipt.trim().toUpperCase();
  if (!/^OP-[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(normalized)) return null;
  const row = await prisma.opinion.findUnique({ where: { id: normalized }, select: OPINION_SELECT });
  if (!row) return null;
  const [decision, window, size] = await Promise.all([
    prisma.decision.findUnique({ where: { id: row.decisionId }, select: { id: true, title: true, status: true } }),
    prisma.publicWindow.findUnique({ where: { id: row.windowId } }),
    row.textHash
      ? prisma.opinion.count({ where: { decisionId: row.decisionId, textHash: row.textHash } })
      : Promise.resolve(1),
  ]);
  return {
    opinion: toPublic(row, size),
    decision,
    window: window ? { closesAt: window.closesAt, frozenAt: window.frozenAt } : null,
  };
}
