// The Temporal worker process: runs decision workflows and their activities.
// Needs DATABASE_URL; TEMPORAL_ADDRESS defaults to localhost:7233.
import { loadConfig, requireSetting } from '../lib/config';
import { runWorker, stopOnSignal } from '../server/services';

async function main() {
  const config = loadConfig();
  const w = await runWorker({
    databaseUrl: requireSetting(config, 'DATABASE_URL'),
    poolMax: config.DUEPROCESS_DB_POOL_MAX,
    temporalAddress: config.TEMPORAL_ADDRESS ?? 'localhost:7233',
    namespace: config.TEMPORAL_NAMESPACE,
  });
  stopOnSignal([w.stop]);
  await w.done;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
