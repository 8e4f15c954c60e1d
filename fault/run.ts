// `npm run fault [-- --quick] [-- --only=<n>]`: runs the fault-injection scenarios against real
// processes, prints attempted / accepted / lost / duplicated for each, writes FAULTS.md and exits
// 1 when anything was lost or duplicated.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { fromRoot } from '../lib/paths';
import type { Result } from './harness';
import { SCENARIOS, type Options } from './scenarios';

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const o: Options = quick ? { decisions: 3, opinions: 300, trials: 5 } : { decisions: 8, opinions: 2000, trials: 20 };
  const results: Result[] = [];
  for (const [i, scenario] of SCENARIOS.entries()) {
    if (only && !only.split(',').includes(String(i + 1))) continue;
    const r = await scenario(o);
    results.push(r);
    console.log(
      `${r.scenario}: attempted ${r.attempted}, accepted ${r.accepted}, lost ${r.lost}, duplicated ${r.duplicated} (${r.seconds} s) — ${r.notes}`,
    );
  }
  const table = [
    '| Scenario | Attempted | Accepted | Lost | Duplicated | Time | Notes |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.attempted} | ${r.accepted} | ${r.lost} | ${r.duplicated} | ${r.seconds} s | ${r.notes} |`,
    ),
  ].join('\n');
  console.log(`\n${table}\n`);
  if (!only) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
    fs.writeFileSync(
      fromRoot('FAULTS.md'),
      `# Fault injection: latest results\n\nRun with \`npm run fault${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.\n` +
        'Each scenario runs real processes (Temporal dev server, worker and API from `bin/`, PostgreSQL) and a client that retries with the same Idempotency-Key. ' +
        '*Lost*: accepted by the system but missing from the audit chain or the read model (or a decision not in force within a minute after the faults stopped). *Duplicated*: recorded more than once.\n\n' +
        table +
        '\n',
    );
  }
  process.exitCode = results.some((r) => r.lost || r.duplicated) ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
