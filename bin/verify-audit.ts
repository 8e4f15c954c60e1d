// `npm run verify-audit -- [decisionId …]` recomputes the audit chain of each decision (all of them
// when none is named), every record it refers to by hash (stage records, drafts, dispositions),
// and the chain against the latest signed checkpoint (a deleted tail).
// Prints one line per decision; exits 1 when any chain is broken, naming the first broken link.
// It reads with the runtime role, so it can run beside the application.
import { verifyChain } from '../lib/audit-chain';
import { latestCheckpoint } from '../lib/checkpoints';
import { loadConfig, requireSetting } from '../lib/config';
import { createPrisma, runtimePool } from '../lib/db';

async function main() {
  const pool = runtimePool(requireSetting(loadConfig(), 'DATABASE_URL'), 2);
  const prisma = createPrisma(pool);
  try {
    const named = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    // Every chain in the table, and every chain the latest checkpoint names (a chain deleted whole).
    const all = async () => {
      const stored = (await prisma.auditEntry.findMany({ distinct: ['decisionId'], select: { decisionId: true } })).map(
        (r) => r.decisionId,
      );
      const checkpointed = (await latestCheckpoint(prisma))?.statement.heads.map((h) => h.chain) ?? [];
      return [...new Set([...stored, ...checkpointed])].sort();
    };
    const ids = named.length ? named : await all();
    let broken = 0;
    for (const id of ids) {
      const r = await verifyChain(prisma, id);
      if (r.entries === 0 && r.valid) {
        console.log(`${id}: no audit entries`);
        broken++;
        continue;
      }
      if (r.valid) console.log(`${id}: ok (${r.entries} entries)`);
      else {
        broken++;
        const link = r.firstBroken
          ? `first broken link at entry ${r.firstBroken.seq}: ${r.firstBroken.reason}`
          : `chain intact; ${r.reason}`;
        const more = [
          r.alteredRecords.length ? `altered stage records: ${r.alteredRecords.join(', ')}` : '',
          r.unchainedRecords.length ? `stage records in no audit entry: ${r.unchainedRecords.join(', ')}` : '',
          r.alteredDrafts.length ? `altered drafts: ${r.alteredDrafts.join(', ')}` : '',
          r.alteredDispositions.length ? `altered dispositions: ${r.alteredDispositions.join(', ')}` : '',
        ].filter(Boolean);
        console.log(`${id}: BROKEN — ${link}${more.length ? `; ${more.join('; ')}` : ''}`);
      }
    }
    process.exitCode = broken ? 1 : 0;
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
