import { spawn } from 'node:child_process';
import { environment, type Env } from '../fault/harness';
import { fromRoot } from '../lib/paths';
import { freePort, stopChild } from '../lib/temporal-dev';

// The benchmark's stack: the same real processes as the fault scenarios (Temporal dev server,
// bin/worker.ts, bin/api.ts, PostgreSQL), with a workflow bundle that also holds the empty
// baseline workflows, and a static Express server as the baseline for page reads. Rate limits
// are lifted for the API under test: the benchmark measures throughput, not the limiter.

export interface BenchEnv extends Env {
  temporalAddress: string;
  apiUrl: string;
  apiPid: number;
  workerPid: number;
  staticUrl: string;
  restartWorker(): Promise<number>;
}

export async function benchEnvironment(): Promise<BenchEnv> {
  const env = await environment('bench', {
    workflows: fromRoot('bench', 'workflows.ts'),
    childEnv: { DUEPROCESS_DB_POOL_MAX: '10' },
  });
  let worker = await env.worker();
  const api = await env.api();
  const port = await freePort();
  const st = spawn(process.execPath, ['--import', 'tsx', fromRoot('bench', 'static-server.ts')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    st.stdout!.on('data', (b: Buffer) => b.toString().includes('static listening') && resolve()),
  );
  const stop = env.stop;
  return Object.assign(env, {
    temporalAddress: `127.0.0.1:${env.temporalPort}`,
    apiUrl: api.url,
    apiPid: api.child.pid!,
    workerPid: worker.child.pid!,
    staticUrl: `http://127.0.0.1:${port}`,
    async restartWorker() {
      await worker.kill('SIGKILL');
      worker = await env.worker();
      this.workerPid = worker.child.pid!;
      return worker.child.pid!;
    },
    async stop() {
      await stopChild(st);
      await stop();
    },
  });
}
