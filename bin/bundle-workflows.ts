// Writes the workflow bundle to a file (default dist/workflow-bundle.js), so workers can start
// from it with DUEPROCESS_WORKFLOW_BUNDLE instead of bundling at every start.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { fromRoot } from '../lib/paths';

export async function bundleWorkflows(
  out = fromRoot('dist', 'workflow-bundle.js'),
  workflowsPath = require.resolve('../workflows'),
): Promise<string> {
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, log() {}, error: console.error };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet as never });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  return out;
}

if (require.main === module) {
  bundleWorkflows(process.argv[2])
    .then((out) => console.log(`workflow bundle written to ${out}`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
