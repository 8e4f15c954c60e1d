// Deployment descriptors: docker-compose.yml, Dockerfile and .dockerignore at the repository root.
// Structural checks parse the files; the final compose check runs the real `docker-compose config`
// (docker-compose 1.29, no Docker engine needed), which CI installs with apt.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');
const COMPOSE_PATH = join(ROOT, 'docker-compose.yml');

type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  container_name?: string;
  ports?: Array<string | { published?: string | number; target?: string | number }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
  volumes?: Array<string | { source?: string; target?: string }>;
};
type ComposeFile = {
  version?: unknown;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};

const composeText = readFileSync(COMPOSE_PATH, 'utf8');
// `merge: true` resolves the `<<: *anchor` keys the way Compose (PyYAML) does.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = compose.services;

function service(name: string): Service {
  const svc = services[name];
  if (!svc) throw new Error(`docker-compose.yml has no service "${name}"`);
  return svc;
}

function env(name: string): Record<string, string> {
  const raw = service(name).environment ?? {};
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const eq = entry.indexOf('=');
      out[eq === -1 ? entry : entry.slice(0, eq)] = eq === -1 ? '' : entry.slice(eq + 1);
    }
  } else {
    for (const [key, value] of Object.entries(raw)) out[key] = value === null ? '' : String(value);
  }
  return out;
}

function dependsOn(name: string): Record<string, string> {
  const raw = service(name).depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([dep, spec]) => [dep, spec?.condition ?? 'service_started']));
}

function buildContext(name: string): string | undefined {
  const build = service(name).build;
  return typeof build === 'string' ? build : build?.context;
}

function commandOf(name: string): string {
  const cmd = service(name).command;
  return Array.isArray(cmd) ? cmd.join(' ') : (cmd ?? '');
}

/** Container ports published on the host, whatever the short/long syntax or bound address. */
function publishedPorts(name: string): Array<{ host: string; container: string }> {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: String(port.published ?? ''), container: String(port.target ?? '') };
    const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
    const container = parts[parts.length - 1] ?? '';
    const host = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
    return { host, container };
  });
}

function databaseOf(url: string): string {
  const match = /^postgres(?:ql)?:\/\/[^/]+\/([^?]+)/.exec(url);
  if (!match?.[1]) throw new Error(`not a PostgreSQL URL with a database: ${url}`);
  return match[1];
}

const APP_SERVICES = ['migrate', 'worker', 'api'] as const;
const LOCAL_ONLY = 'local-dev-only';

describe('docker-compose.yml', () => {
  it('uses the Compose specification (no version key) and declares every service', () => {
    expect(compose.version).toBeUndefined();
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'migrate', 'postgres', 'temporal', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('runs PostgreSQL 16 on a named volume with a pg_isready healthcheck', () => {
    const pg = service('postgres');
    expect(pg.image).toBe('postgres:16');
    const dataVolume = (pg.volumes ?? []).find((v) =>
      typeof v === 'string' ? v.endsWith(':/var/lib/postgresql/data') : v.target === '/var/lib/postgresql/data',
    );
    expect(dataVolume).toBeDefined();
    const source = typeof dataVolume === 'string' ? dataVolume.split(':')[0] : dataVolume?.source;
    expect(source).toBeTruthy();
    expect(source).not.toMatch(/^[./~]/); // a named volume, not a bind mount
    expect(Object.keys(compose.volumes ?? {})).toContain(source);
    expect(JSON.stringify(pg.healthcheck?.test)).toContain('pg_isready');
    expect(env('postgres').POSTGRES_DB).toBe('dueprocess');
  });

  it('runs Temporal auto-setup on that PostgreSQL once it is healthy', () => {
    const temporal = service('temporal');
    expect(temporal.image).toBe('temporalio/auto-setup:1.29.1');
    expect(dependsOn('temporal')).toEqual({ postgres: 'service_healthy' });
    const e = env('temporal');
    expect(e.DB).toBe('postgres12');
    expect(e.POSTGRES_SEEDS).toBe('postgres');
    expect(e.POSTGRES_USER).toBe(env('postgres').POSTGRES_USER);
    expect(e.POSTGRES_PWD).toBe(env('postgres').POSTGRES_PASSWORD);
    expect(publishedPorts('temporal')).toContainEqual({ host: '7233', container: '7233' });
  });

  it('points the Temporal UI at temporal:7233 on port 8080', () => {
    expect(service('temporal-ui').image).toBe('temporalio/ui:2.42.1');
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(publishedPorts('temporal-ui')).toContainEqual({ host: '8080', container: '8080' });
  });

  it('keeps the application database distinct from Temporal’s databases', () => {
    const temporalDbs = [
      env('temporal').DBNAME ?? 'temporal',
      env('temporal').VISIBILITY_DBNAME ?? 'temporal_visibility',
    ];
    expect(temporalDbs).toEqual(['temporal', 'temporal_visibility']);
    expect(temporalDbs).not.toContain(env('postgres').POSTGRES_DB);
    for (const name of APP_SERVICES) {
      const url = env(name).DATABASE_URL ?? '';
      expect(url).toContain('@postgres:5432/');
      expect(databaseOf(url)).toBe('dueprocess');
      expect(temporalDbs).not.toContain(databaseOf(url));
    }
  });

  it.each(APP_SERVICES)('builds %s from this repository', (name) => {
    expect(buildContext(name)).toBe('.');
  });

  it('runs migrations once, after PostgreSQL is healthy', () => {
    expect(commandOf('migrate')).toBe('node dist/bin/migrate.js');
    expect(dependsOn('migrate')).toEqual({ postgres: 'service_healthy' });
    expect(service('migrate').restart ?? 'no').toBe('no');
  });

  it('runs a scalable worker after migrations have completed', () => {
    const worker = service('worker');
    expect(commandOf('worker')).toBe('node dist/bin/worker.js');
    expect(env('worker')).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default' });
    expect(env('worker').DATABASE_URL).toBeTruthy();
    expect(dependsOn('worker')).toMatchObject({ migrate: 'service_completed_successfully' });
    expect(Object.keys(dependsOn('worker'))).toContain('temporal');
    expect(worker.restart).toBe('unless-stopped');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
  });

  it('runs the API on port 3000 with a required signing secret and a /healthz healthcheck', () => {
    const api = service('api');
    expect(commandOf('api')).toBe('node dist/bin/api.js');
    const e = env('api');
    expect(e).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default', PORT: '3000' });
    expect(e.DATABASE_URL).toBe(env('worker').DATABASE_URL);
    expect(e.DUEPROCESS_JWT_SECRET).toMatch(/^\$\{DUEPROCESS_JWT_SECRET:\?[^}]+\}$/);
    expect(publishedPorts('api')).toContainEqual({ host: '3000', container: '3000' });
    expect(JSON.stringify(api.healthcheck?.test)).toContain('http://localhost:3000/healthz');
    expect(dependsOn('api')).toMatchObject({ migrate: 'service_completed_successfully' });
    expect(api.container_name).toBeUndefined();
  });

  it('contains no plaintext secret other than the marked local-only default', () => {
    // Every interpolation default of a credential-like variable is the local-only one...
    const defaults = [...composeText.matchAll(/\$\{([A-Z0-9_]+):?-([^}]*)\}/g)];
    for (const [, variable, value] of defaults) {
      if (/PASSWORD|PWD|SECRET|TOKEN|KEY/.test(variable ?? '')) expect(value).toBe(LOCAL_ONLY);
    }
    // ...and the file says so in a comment.
    expect(composeText).toMatch(/^\s*#.*local[- ]only/im);
    expect(composeText).toContain(LOCAL_ONLY);

    for (const name of Object.keys(services)) {
      for (const [key, value] of Object.entries(env(name))) {
        if (/PASSWORD|PWD|SECRET|TOKEN|KEY/.test(key)) {
          // Only ever an interpolation: required (:?) or the local-only default (:-local-dev-only).
          expect(`${name}.${key}=${value}`).toMatch(new RegExp(`=\\$\\{[A-Z0-9_]+(:\\?[^}]*|:-${LOCAL_ONLY})\\}$`));
        }
        // user[:password]@ in a URL; the user part may itself be an interpolation.
        const credentials = /^[a-z]+:\/\/(?:\$\{[^}]*\}|[^/@:]*):([^@]*)@/.exec(value);
        if (credentials) {
          expect(`${name}.${key} password ${credentials[1]}`).toBe(
            `${name}.${key} password \${POSTGRES_PASSWORD:-${LOCAL_ONLY}}`,
          );
        }
      }
    }
  });

  it('passes `docker-compose config` (docker-compose 1.29)', () => {
    const run = (args: string[], extraEnv: Record<string, string | undefined>) =>
      spawnSync('docker-compose', args, {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ...extraEnv },
      });

    const probe = run(['version'], {});
    if (probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'docker-compose is not on PATH: run `apt-get install -y docker-compose` (Debian docker-compose 1.29) ' +
          'so docker-compose.yml can be validated; this test does not skip.',
      );
    }

    const ok = run(['-f', 'docker-compose.yml', 'config', '-q'], {
      DUEPROCESS_JWT_SECRET: 'unit-test-value-not-a-secret',
    });
    expect(ok.error).toBeUndefined();
    // stderr is part of the compared value so that a failure shows Compose's message.
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: expect.any(String) });

    // Without the secret (and ignoring any local .env), Compose must refuse the file.
    const dir = mkdtempSync(join(tmpdir(), 'dueprocess-compose-'));
    try {
      const emptyEnvFile = join(dir, 'empty.env');
      writeFileSync(emptyEnvFile, '');
      const missing = run(['-f', 'docker-compose.yml', '--env-file', emptyEnvFile, 'config', '-q'], {
        DUEPROCESS_JWT_SECRET: undefined,
      });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('set a signing secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  // Join continuation lines and drop comments so each instruction is one line.
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) stages.push([line]);
    else stages[stages.length - 1]?.push(line);
  }
  const runtime = stages[stages.length - 1] ?? [];

  it('is a multi-stage build on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(instructions.filter((l) => /^FROM\s/i.test(l)).some((l) => l.includes('node:20-bookworm-slim'))).toBe(true);
  });

  it('installs with npm ci, generates the Prisma client, builds, and prunes dev dependencies', () => {
    const runs = instructions.filter((l) => /^RUN\s/i.test(l)).join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).not.toMatch(/\bnpm install\b/);
    expect(runs).toMatch(/\bnpx prisma generate\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(runs).toMatch(/\bnpm prune\b.*--omit=dev|\bnpm prune\b.*--production/);
  });

  it('copies what the runtime needs into the final stage', () => {
    const copies = runtime.filter((l) => /^COPY\s/i.test(l)).join('\n');
    for (const path of ['dist', 'node_modules', 'prisma', 'templates', 'calendars', 'package.json']) {
      expect(copies).toMatch(new RegExp(`/app/${path}\\b`));
    }
  });

  it('runs as a non-root USER and starts the API by default', () => {
    const users = runtime.filter((l) => /^USER\s/i.test(l));
    expect(users.length).toBeGreaterThan(0);
    const user = (users[users.length - 1] ?? '').replace(/^USER\s+/i, '').split(':')[0];
    expect(user).not.toMatch(/^(root|0)$/);
    const cmd = runtime.filter((l) => /^CMD\s/i.test(l)).pop() ?? '';
    expect(cmd).toMatch(/"node",\s*"dist\/bin\/api\.js"/);
  });
});

describe('.dockerignore', () => {
  it('keeps local state, build output and logs out of the build context', () => {
    const entries = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', '.data', '.git', 'coverage', 'tests', '*.log', '.env']) {
      expect(entries).toContain(entry);
    }
  });
});
