import { totalRevision, type DecisionState } from '../domain/procedure';
import type { Prisma, PrismaClient } from './db';

// The decision row of the read model: a snapshot of the workflow state. Writes are ordered by the
// state's revision, so an older snapshot never overwrites a newer one, whoever writes it.

/**
 * `revision` overrides the state's own: the API writes the row of a decision it has just started
 * with revision 0 (the state the workflow computes from the same input), so that its creator reads
 * it at once; the workflow's first record (revision 1) replaces it.
 */
export async function upsertDecisionRow(
  db: PrismaClient | Prisma.TransactionClient,
  s: DecisionState,
  revision = totalRevision(s),
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO decision (id, title, organ_id, template_id, statutory, status, current_stage, draft_version, draft_hash, revision, state, created_at, updated_at)
    VALUES (${s.id}, ${s.title}, ${s.organId}, ${s.template.id}, ${s.template.statutory}, ${s.status}, ${s.currentStage},
            ${s.draft.version}, ${s.draft.hash}, ${revision}, ${JSON.stringify(s)}::jsonb, ${new Date(s.createdAt)}, ${new Date()})
    ON CONFLICT (id) DO UPDATE SET
      title = EXCLUDED.title, status = EXCLUDED.status, current_stage = EXCLUDED.current_stage,
      draft_version = EXCLUDED.draft_version, draft_hash = EXCLUDED.draft_hash,
      revision = EXCLUDED.revision, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
    WHERE decision.revision < EXCLUDED.revision`;
}
