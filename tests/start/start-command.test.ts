import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { authKey, issueToken } from '../../api/auth';
import { fromRoot } from '../../lib/paths';
import { freePort } from '../../lib/temporal-dev';
import { demoUser } from '../../prisma/demo';
import { sleep, waitFor } from '../support/wait';

// `npm start`, as a newcomer runs it: the Temporal dev server (SQLite file, Web UI), the
// embedded PostgreSQL (forced here, since this machine has a real one), migrations, demo data,
// worker and API; Ctrl-C (SIGINT to the process group) stops everything. Started twice on the
// same data folder: a decision and its running timer survive the restart.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dueprocess-start-'));
const secret = randomUUID() + randomUUID();
let ports: { api: number; temporal: number; ui: number };

beforeAll(async () => {
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function start(): Promise<{ child: ChildProcess; output: string[] }> {
  const output: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DUEPROCESS_DATA_DIR: dataDir,
    DUEPROCESS_DATABASE: 'embedded',
    DUEPROCESS_JWT_SECRET: secret,
    DUEPROCESS_TEMPLATES_DIR: [fromRoot('templates'), fromRoot('tests', 'fixtures', 'templates')].join(path.delimiter),
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const child = spawn('npm', ['start'], { cwd: fromRoot(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (b: Buffer) => output.push(...b.toString().split('\n'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output.join('\n')}`);
        return output.some((l) => l.includes('DueProcess is running.'));
      },
      { what: 'npm start to come up', timeoutMs: 240_000, intervalMs: 200, state: () => output },
    );
  } catch (e) {
    // Never leave a half-started system running after the test (its servers load the machine).
    if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
    throw e;
  }
  return { child, output };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ctrl-C: SIGINT to the whole process group, as a terminal sends it; every process must end. */
async function ctrlC(child: ChildProcess): Promise<boolean> {
  process.kill(-child.pid!, 'SIGINT');
  await waitFor(() => !groupAlive(child.pid!), {
    what: 'every process of npm start to end after Ctrl-C',
    timeoutMs: 90_000,
    intervalMs: 200,
  }).catch(() => undefined);
  return !groupAlive(child.pid!);
}

async function api(method: string, p: string, userId?: string, body?: unknown) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (userId) {
    const u = demoUser(userId);
    headers.Authorization = `Bearer ${await issueToken(authKey(secret), { sub: u.id, name: u.name, roles: u.roles, organ: u.organId })}`;
  }
  const res = await fetch(`http://127.0.0.1:${ports.api}${p}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

it('starts the whole system, stops it with Ctrl-C, and keeps decisions across a restart', async () => {
  const first = await start();
  expect(first.output.join('\n')).toContain('embedded PGlite');
  const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
  expect(ui.status).toBe(200);
  const id = `start-${Date.now()}`;
  const created = await api('POST', '/api/decisions', 'official-zhang', {
    id,
    title: 'Bus fares',
    summary: 'Distance-based fares',
    templateId: 'test-fast',
    draft: { text: 'Article 1. Fares by distance.', explanation: 'Why.' },
  });
  expect(created.status).toBe(201);
  const disclosed = await api('POST', `/api/decisions/${id}/actions/predisclose`, 'official-zhang', {
    explanation: 'Why.',
    howToComment: 'Portal.',
    commentWindow: { seconds: 8 },
    urgencyReason: 'Test: the window closes while the system is down.',
  });
  expect(disclosed.status).toBe(200);
  expect((await api('POST', `/api/decisions/${id}/opinions`, undefined, { text: 'Keep the concession.' })).status).toBe(
    201,
  );
  expect(await ctrlC(first.child)).toBe(true);
  expect(first.output.join('\n')).toContain('"msg":"stopping"');

  await sleep(8_000); // the window's deadline passes while nothing runs
  const second = await start();
  try {
    let d: any;
    await waitFor(
      async () =>
        (d = (await api('GET', `/api/decisions/${id}`, 'supervisor-lin')).body.decision)?.windows?.[0]?.frozen,
      {
        what: 'the window that closed while the system was down to be frozen',
        state: () => d?.windows,
      },
    );
    expect(d.windows[0].frozen.count).toBe(1);
    const audit = await api('GET', `/api/decisions/${id}/audit/verify`, 'supervisor-lin');
    expect(audit.body).toMatchObject({ valid: true });
  } finally {
    expect(await ctrlC(second.child)).toBe(true);
  }
}, 600_000); // npm start twice: each builds nothing but starts Temporal, PGlite, migrations, worker, API
