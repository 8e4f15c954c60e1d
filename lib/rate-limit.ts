import { createHash } from 'node:crypto';
import type { PrismaClient } from './db';

// Fixed-window counters of public submissions in PostgreSQL (rate_limit_bucket, keys prefixed
// "portal:"), so every process shares them; they bound one client per decision and overall,
// for the pages and the JSON endpoints alike (api/security.ts limits requests per path on top).
// One statement counts a request against all the rules it falls under; a request over any limit
// is refused before anything else is written.

export interface RateRule {
  /** Names the counter (the variable that sets it); with the subject it forms the bucket key. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the tightest exceeded window ends (0 when allowed). */
  retryAfterSeconds: number;
  exceeded: string | null;
}

/** Parses "N/SECONDS" (N requests per window); "off" or "0" disables the rule. */
export function parseRate(name: string, raw: string | undefined, fallback: string): RateRule | null {
  const value = (raw?.trim() || fallback).trim();
  if (value === 'off' || value === '0') return null;
  const m = /^(\d{1,7})\/(\d{1,6})$/.exec(value);
  if (!m || Number(m[2]) < 1) throw new Error(`invalid rate limit for ${name}: "${value}" (expected N/SECONDS or off)`);
  return { name, limit: Number(m[1]), windowSeconds: Number(m[2]) };
}

/** A client as the rate limiter knows it: a hash of its address, never the address itself. */
export function clientKey(ip: string | undefined): string {
  return createHash('sha256').update(ip ?? 'unknown').digest('hex').slice(0, 24);
}

let calls = 0;

/** Counts one request against each (rule, subject) pair; refuses when any count exceeds its limit. */
export async function consume(prisma: PrismaClient, checks: Array<{ rule: RateRule | null; subject: string }>): Promise<RateDecision> {
  const active = checks.filter((c): c is { rule: RateRule; subject: string } => c.rule !== null);
  if (!active.length) return { allowed: true, retryAfterSeconds: 0, exceeded: null };
  const keys = active.map((c) => `portal:${c.rule.name}:${c.subject}`);
  const windows = active.map((c) => c.rule.windowSeconds);
  const rows = await prisma.$queryRaw<Array<{ key: string; count: number; started: number }>>`
    INSERT INTO rate_limit_bucket (key, window_start, count)
    SELECT k, to_timestamp(floor(extract(epoch FROM now()) / w) * w), 1
    FROM unnest(${keys}::text[], ${windows}::int[]) AS t(k, w)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_bucket.count + 1
    RETURNING key, count, extract(epoch FROM window_start)::float8 AS started`;
  if (++calls % 500 === 0) {
    await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key LIKE 'portal:%' AND window_start < now() - interval '1 day'`;
  }
  const nowSec = Date.now() / 1000;
  let worst: RateDecision = { allowed: true, retryAfterSeconds: 0, exceeded: null };
  for (const row of rows) {
    const i = keys.indexOf(row.key);
    const rule = active[i].rule;
    if (row.count > rule.limit) {
      const retry = Math.max(1, Math.ceil(row.started + rule.windowSeconds - nowSec));
      if (worst.allowed || retry > worst.retryAfterSeconds) worst = { allowed: false, retryAfterSeconds: retry, exceeded: rule.name };
    }
  }
  return worst;
}

/** Whether any (rule, subject) pair is already over its limit in the current window; counts nothing. */
export async function overLimit(prisma: PrismaClient, checks: Array<{ rule: RateRule | null; subject: string }>): Promise<RateDecision> {
  for (const c of checks) {
    if (!c.rule) continue;
    const w = c.rule.windowSeconds;
    const rows = await prisma.$queryRaw<Array<{ count: number; started: number }>>`
      SELECT count, extract(epoch FROM window_start)::float8 AS started FROM rate_limit_bucket
      WHERE key = ${`portal:${c.rule.name}:${c.subject}`} AND window_start = to_timestamp(floor(extract(epoch FROM now()) / ${w}) * ${w})`;
    if (rows[0] && rows[0].count >= c.rule.limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rows[0].started + w - Date.now() / 1000)), exceeded: c.rule.name };
    }
  }
  return { allowed: true, retryAfterSeconds: 0, exceeded: null };
}

export interface PublicLimits {
  /** Submissions (opinions, answers, registrations, codes) per client on one decision. */
  submit: RateRule | null;
  /** Submissions per client across all decisions. */
  submitTotal: RateRule | null;
  /** Receipt look-ups per client (receipts are not guessable, but look-ups are bounded). */
  lookup: RateRule | null;
  /** Failed staff sign-ins per client and per user id; over it, sign-in is refused until the window ends. */
  login: RateRule | null;
}

/** Read once when the routers are built; a bad value stops the process with the variable named. */
export function publicLimits(env: NodeJS.ProcessEnv = process.env): PublicLimits {
  return {
    submit: parseRate('DUEPROCESS_PUBLIC_RATE_LIMIT', env.DUEPROCESS_PUBLIC_RATE_LIMIT, '60/60'),
    submitTotal: parseRate('DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL', env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL, '600/60'),
    lookup: parseRate('DUEPROCESS_LOOKUP_RATE_LIMIT', env.DUEPROCESS_LOOKUP_RATE_LIMIT, '120/60'),
    login: parseRate('DUEPROCESS_LOGIN_RATE_LIMIT', env.DUEPROCESS_LOGIN_RATE_LIMIT, '10/300'),
  };
}
