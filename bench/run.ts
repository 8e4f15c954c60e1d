// `npm run bench [-- --quick] [-- --scale=10000]`: measures DueProcess against raw baselines in
// the same run, prints a table and writes BENCHMARKS.md with the machine it ran on.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { fromRoot } from '../lib/paths';
import { benchEnvironment, type BenchEnv } from './env';
import { pageReads, opinionBurst, stageActionLatency, starts } from './http';
import { scale } from './scale';
import { fmt } from './stats';

export interface Row {
  measure: string;
  dueprocess: string;
  baseline: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'cpu';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const quick = process.argv.includes('--quick');
  const scaleN = Number(process.argv.find((a) => a.startsWith('--scale='))?.slice(8) ?? (quick ? 1000 : 10_000));
  // --only=starts,actions,opinions,pages,scale runs some measures and prints them without
  // rewriting BENCHMARKS.md (for investigating one figure).
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',');
  const runs = (name: string) => !only || only.includes(name);
  const env: BenchEnv = await benchEnvironment();
  const rows: Row[] = [];
  try {
    const client = new Client({ connection: await Connection.connect({ address: env.temporalAddress }) });
    if (runs('starts') || runs('actions') || runs('opinions') || runs('pages'))
      rows.push(...(await starts(env, client, quick ? 100 : 400)));
    if (runs('actions') || runs('opinions') || runs('pages'))
      rows.push(...(await stageActionLatency(env, client, quick ? 100 : 400)));
    if (runs('opinions')) rows.push(...(await opinionBurst(env, quick ? 1000 : 5000)));
    if (runs('pages')) rows.push(...(await pageReads(env, quick ? 1000 : 5000)));
    if (runs('scale')) rows.push(...(await scale(env, client, scaleN)));
    await client.connection.close();
  } finally {
    await env.stop();
  }
  const table = [
    '| Measure | DueProcess | Raw baseline (same run) | Ratio | Target | Met |',
    '|---|---:|---:|---:|---|:-:|',
    ...rows.map(
      (r) =>
        `| ${r.measure} | ${r.dueprocess} | ${r.baseline} | ${r.ratio === null ? '' : fmt(r.ratio, 2)} | ${r.target} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`,
    ),
  ].join('\n');
  console.log(`\n${table}\n`);
  if (only) return;
  const file = fromRoot('BENCHMARKS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const analysis = previous.includes('## Analysis')
    ? previous.slice(previous.indexOf('## Analysis'))
    : '## Analysis\n\n(none yet)\n';
  fs.writeFileSync(
    file,
    `# Benchmarks\n\nLatest run: \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 16)}Z, scale ${scaleN} decisions.\n\nMachine: ${machine()}.\n\n` +
      'Every figure is measured beside its raw baseline in the same run, on the same machine, through the same kind of client: ' +
      'Temporal starts and updates of empty workflows, INSERTs through a pool of the same size, a static Express response.\n\n' +
      `${table}\n\n${analysis}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
