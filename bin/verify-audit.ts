// `npm run verify-audit -- [decisionId …]` recomputes the audit chain of each decision (all of them
// when none is named) and checks every stage record against the hash its event put in the chain.
// Prints one line per decision; exits 1 when any chain is broken, naming the first broken link.
// It reads with the runtime role, so it can run beside the application.
import { verifyChain } from '../lib/audit-chain';
import { loadConfig, requireSetting } from '../lib/config';
import { createPool, createPrisma } from '../lib/db';

async function main() {
  const pool = createPool(requireSetting(loadConfig(), 'DATABASE_URL'), 2);
  const prisma = createPrisma(pool);
  try {
    const named = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const ids = named.length ? named : (await prisma.auditEntry.findMany({ distinct: ['decisionId'], select: { decisionId: true } })).map((r) => r.decisionId);
    let broken = 0;
    for (const id of ids) {
      const r = await verifyChain(prisma, id);
      if (r.entries === 0) {
        console.log(`${id}: no audit entries`);
        broken++;
        continue;
      }
      if (r.valid) console.log(`${id}: ok (${r.entries} entries)`);
      else {
        broken++;
        const link = r.firstBroken ? `first broken link at entry ${r.firstBroken.seq}: ${r.firstBroken.reason}` : 'chain intact';
        console.log(`${id}: BROKEN — ${link}${r.alteredRecords.length ? `; altered stage records: ${r.alteredRecords.join(', ')}` : ''}`);
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
