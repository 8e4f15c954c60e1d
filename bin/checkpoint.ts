// `npm run checkpoint [-- --out saved.json]`: signs a checkpoint of every audit chain's head now (the worker also makes
// one per DUEPROCESS_CHECKPOINT_SECONDS) and prints it (or writes it to --out). Save the output, or the published
// /api/public/checkpoints/latest, to check a decision's record against it later
// (npm run verify-checkpoint).
import { checkpointKey, makeCheckpoint } from '../lib/checkpoints';
import { loadConfig, requireSetting } from '../lib/config';
import { createPrisma, runtimePool } from '../lib/db';
import * as fs from 'node:fs';

async function main() {
  const pool = runtimePool(requireSetting(loadConfig(), 'DATABASE_URL'), 2);
  const prisma = createPrisma(pool);
  try {
    // An on-demand checkpoint has a slot of its own: the current second.
    const slot = new Date(Math.floor(Date.now() / 1000) * 1000);
    const key = checkpointKey();
    if (key.generatedFile)
      process.stderr.write(
        `signing with a generated LOCAL DEVELOPMENT key in ${key.generatedFile}; a deployment sets DUEPROCESS_CHECKPOINT_KEY\n`,
      );
    const { checkpoint, created } = await makeCheckpoint(prisma, key, slot);
    process.stderr.write(
      `${created ? 'signed' : 'already signed'} checkpoint ${checkpoint.seq} (${checkpoint.statement.heads.length} chains)\n`,
    );
    const json = JSON.stringify(checkpoint, null, 2) + '\n';
    const out = process.argv.indexOf('--out');
    if (out >= 0 && process.argv[out + 1]) fs.writeFileSync(process.argv[out + 1], json);
    else process.stdout.write(json);
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
