// The HTTP API process. Needs DATABASE_URL and DUEPROCESS_JWT_SECRET; TEMPORAL_ADDRESS defaults
// to localhost:7233; listens on HOST:PORT (127.0.0.1:3000).
import { loadConfig, requireSetting } from '../lib/config';
import { runApi, stopOnSignal } from '../server/services';

async function main() {
  const config = loadConfig();
  const api = await runApi({
    databaseUrl: requireSetting(config, 'DATABASE_URL'),
    poolMax: config.DUEPROCESS_DB_POOL_MAX,
    temporalAddress: config.TEMPORAL_ADDRESS ?? 'localhost:7233',
    namespace: config.TEMPORAL_NAMESPACE,
    jwtSecret: requireSetting(config, 'DUEPROCESS_JWT_SECRET'),
    port: config.PORT,
    host: config.HOST,
  });
  stopOnSignal([api.stop]);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
