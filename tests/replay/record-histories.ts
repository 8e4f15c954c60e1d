// `npm run record-histories`: runs whole procedures against a fresh Temporal dev server and
// database, and saves each workflow's event history under tests/fixtures/histories. The replay
// test replays them against the current workflow code; re-record only when a change is meant
// to be incompatible (and then version it with patched() for running workflows).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fromRoot } from '../../lib/paths';
import { temporalCliPath } from '../../lib/temporal-dev';
import { commitmentWorkflowId } from '../../workflows/commitment-definitions';
import { workflowIdFor } from '../../workflows/definitions';
import globalSetup from '../setup/global-setup';
import globalTeardown from '../setup/global-teardown';
import { ApiDriver } from '../support/api-driver';
import {
  amendedAfterAdoption,
  commitmentPaidLate,
  fullProcedure,
  returnedAndRevised,
  withdrawn,
} from '../support/scenarios';
import { startStack } from '../support/stack';

// Each recording is kept under a version prefix: histories of earlier versions of the workflow
// stay in the fixtures, so running decisions started under them are proven to replay too.
const VERSION = process.env.HISTORY_VERSION ?? 'v3';
const SCENARIOS: Record<string, (api: ApiDriver, id: string) => Promise<void>> = {
  'full-procedure': (api, id) => fullProcedure(api, id),
  'returned-and-revised': returnedAndRevised,
  withdrawn,
  'amended-after-adoption': amendedAfterAdoption,
};
const COMMITMENT_SCENARIOS: Record<string, (api: ApiDriver, id: string) => Promise<void>> = {
  'commitment-paid-late': commitmentPaidLate,
};

async function main() {
  await globalSetup();
  const stack = await startStack();
  try {
    const api = new ApiDriver(stack);
    const dir = fromRoot('tests', 'fixtures', 'histories');
    fs.mkdirSync(dir, { recursive: true });
    const all = [
      ...Object.entries(SCENARIOS).map(([name, run]) => ({ name, run, workflowId: (id: string) => workflowIdFor(id) })),
      ...Object.entries(COMMITMENT_SCENARIOS).map(([name, run]) => ({
        name,
        run,
        workflowId: (id: string) => commitmentWorkflowId(id),
      })),
    ];
    for (const { name, run, workflowId } of all) {
      const id = `replay-${name}`;
      await run(api, id);
      // The CLI writes the history in the protobuf JSON form that historyFromJSON reads back.
      const json = execFileSync(
        temporalCliPath(),
        [
          'workflow',
          'show',
          '--workflow-id',
          workflowId(id),
          '--address',
          process.env.DUEPROCESS_TEST_TEMPORAL!,
          '--output',
          'json',
        ],
        { encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      const history = JSON.parse(json);
      fs.writeFileSync(path.join(dir, `${VERSION}-${name}.json`), JSON.stringify(history, null, 1) + '\n');
      console.log(`recorded ${name}: ${history.events.length} events`);
    }
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
