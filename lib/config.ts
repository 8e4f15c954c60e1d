import { z } from 'zod';

// Configuration is read once, at boot, from the environment. Every problem is reported at once.

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** PostgreSQL connections per process; 1 for the embedded PGlite fallback. */
  /** `embedded` makes the start command use PGlite even when a PostgreSQL server answers. */
  DUEPROCESS_DATABASE: z.enum(['auto', 'embedded']).default('auto'),
  DUEPROCESS_DATA_DIR: z.string().optional(),
  DUEPROCESS_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** How the application connects: this URL (its user is the runtime login role), else DATABASE_URL logging in as that role. */
  DUEPROCESS_RUNTIME_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  /** The runtime role's password: npm run migrate sets it, the application logs in with it (unset: trust auth, local only). */
  DUEPROCESS_RUNTIME_DB_PASSWORD: z.string().optional(), // empty: unset
  DUEPROCESS_DB_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain role name')
    .default('dueprocess_runtime'),
  /** How often the worker signs a checkpoint of every audit chain's head. */
  DUEPROCESS_CHECKPOINT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(31 * 86_400)
    .optional(),
  /** The checkpoint signing key, Ed25519 PKCS#8 (PEM or base64 DER); unset: a generated local-only key in .data/. */
  DUEPROCESS_CHECKPOINT_KEY: z.string().optional(), // empty: unset
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DUEPROCESS_JWT_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  DUEPROCESS_TEMPLATES_DIR: z.string().optional(),
  DUEPROCESS_CALENDAR_DIR: z.string().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  /** Workflows a worker keeps in memory (about 2.5 MB each, BENCHMARKS.md); the others are replayed when they next run. */
  DUEPROCESS_WORKER_CACHE: z.coerce.number().int().min(2).max(100_000).default(150),
  /** Heap limit of the workflow threads, in MiB (0: V8's default, which lets them grow past 1.5 GiB). */
  DUEPROCESS_WORKFLOW_HEAP_MB: z.coerce.number().int().min(0).max(65_536).default(512),
  /** How long a task waits for the worker that cached its workflow before any worker takes it. */
  DUEPROCESS_STICKY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

/** Settings a standalone worker or API process cannot start without. */
export function requireSetting<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const v = config[key];
  if (v === undefined || v === null || v === '') throw new Error(`invalid configuration:\n  ${String(key)}: required`);
  return v as NonNullable<Config[K]>;
}
