import { createHash } from 'node:crypto';
import { SharedRateCounter } from './api-rate-limit';
import { perClient, type PrismaClient } from './db';

// The public rules (per client per decision, per client overall, receipt look-ups, failed sign-ins)
// counted in PostgreSQL (rate_limit_bucket, keys prefixed "portal:") by the same shared counter as
// the per-path API limits (api-rate-limit.ts), so every process shares them. A request over any
// limit is refused before anything else is written.

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

/** One shared counter per database and window length; the counting itself is in api-rate-limit.ts. */
const counters = perClient(() => new Map<number, SharedRateCounter>());

function counterFor(prisma: PrismaClient, windowSeconds: number): SharedRateCounter {
  const byWindow = counters(prisma);
  let c = byWindow.get(windowSeconds);
  if (!c) byWindow.set(windowSeconds, (c = new SharedRateCounter(prisma, windowSeconds * 1000, 'portal')));
  return c;
}

/**
 * Counts one request against each (rule, subject) pair; refuses when any count exceeds its limit.
 * Exact near a limit; far from it counted in memory and added to the table in batches (see
 * SharedRateCounter), so a busy public window costs no rate-limit round trip per submission.
 */
export async function consume(prisma: PrismaClient, checks: Array<{ rule: RateRule | null; subject: string }>): Promise<RateDecision> {
  const active = checks.filter((c): c is { rule: RateRule; subject: string } => c.rule !== null);
  const counts = await Promise.all(active.map((c) => counterFor(prisma, c.rule.windowSeconds).take(`portal:${c.rule.name}:${c.subject}`, c.rule.limit)));
  let worst: RateDecision = { allowed: true, retryAfterSeconds: 0, exceeded: null };
  counts.forEach((n, i) => {
    if (n.count <= active[i].rule.limit) return;
    const retry = Math.max(1, Math.ceil(n.resetInMs / 1000));
    if (worst.allowed || retry > worst.retryAfterSeconds) worst = { allowed: false, retryAfterSeconds: retry, exceeded: active[i].rule.name };
  });
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
