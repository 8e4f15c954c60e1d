import type { PrismaClient } from './db';

/**
 * Stores a draft under its hash, once: INSERT … ON CONFLICT DO NOTHING, so a retried upload
 * stores nothing twice. draft_document is append-only (the runtime role has no UPDATE or DELETE
 * on it), so a stored text is never rewritten, or removed when a request turns out to be refused:
 * an unused text under its own hash is harmless, and no page shows a draft the workflow does not name.
 */
export async function storeDraft(
  prisma: PrismaClient,
  d: { decisionId: string; hash: string; text: string; explanation: string; createdBy: string },
): Promise<void> {
  await prisma.draftDocument.createMany({ skipDuplicates: true, data: [d] });
}
