import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureDatabase, migrate, withDatabase } from '../../lib/database';
import { fromRoot } from '../../lib/paths';
import { freePort, startDevServer, type DevServer } from '../../lib/temporal-dev';

// Integration tests run against the real parts: a Temporal dev server (the CLI's embedded
// server, in memory) on a free port, and a fresh PostgreSQL database migrated for this run.
// The workflow bundle is built once here and shared by every test file's workers.

declare global {
  var __dueprocessTestServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = fromRoot('.data', 'test');
  fs.mkdirSync(dir, { recursive: true });
  const base =
    process.env.DUEPROCESS_TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
  const dbUrl = withDatabase(base, `dueprocess_test_${Date.now()}_${process.pid}`);
  const [server] = await Promise.all([
    (async () => startDevServer({ port: await freePort(), logFile: path.join(dir, 'temporal.log') }))(),
    (async () => {
      await ensureDatabase(dbUrl);
      await migrate(dbUrl);
    })(),
  ]);
  globalThis.__dueprocessTestServer = server;
  const bundlePath = path.join(dir, `workflow-bundle-${process.pid}.js`);
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  fs.writeFileSync(bundlePath, code);
  process.env.DUEPROCESS_TEST_TEMPORAL = server.address;
  process.env.DUEPROCESS_TEST_DB = dbUrl;
  process.env.DUEPROCESS_TEST_BUNDLE = bundlePath;
}
