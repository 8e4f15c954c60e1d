import * as fs from 'node:fs';
import { dropDatabase } from '../../lib/database';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__dueprocessTestServer?.stop();
  if (process.env.DUEPROCESS_TEST_DB && !process.env.DUEPROCESS_KEEP_TEST_DB)
    await dropDatabase(process.env.DUEPROCESS_TEST_DB);
  if (process.env.DUEPROCESS_TEST_BUNDLE) fs.rmSync(process.env.DUEPROCESS_TEST_BUNDLE, { force: true });
}
