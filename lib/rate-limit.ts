import { createHash, createHmac } from 'node:crypto';
import { sharedLimiter, take } from './api-rate-limit';
import type { PrismaClient } from './db';

// The public rules (per client per decision, per client overall, receipt look-ups) and the staff
// sign-in limits, counted in PostgreSQL (rate_limiter, keys prefixed "portal:" and "login:") by
// rate-limiter-flexible's atomic store, like the per-path API limits (api-rate-limit.ts), so
// every process shares them. A request over any limit is refused before anything else is written.

export interface RateRule {
  /** Names the counter (the variable that sets it); with the subject it forms the key. */
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
  return createHash('sha256')
    .update(ip ?? 'unknown')
    .digest('hex')
    .slice(0, 24);
}

const limiterOf = (prisma: PrismaClient, scope: string, rule: RateRule, blockInMemory = true) =>
  sharedLimiter(prisma, {
    prefix: `${scope}:${rule.name}`,
    points: rule.limit,
    windowSeconds: rule.windowSeconds,
    blockInMemory,
  });

/** Keys fit the table's varchar(255) whatever a subject holds (a decision id is the client's to choose). */
const fit = (subject: string) =>
  subject.length <= 160 ? subject : createHash('sha256').update(subject).digest('base64url');

/** The decision on a set of counts: refused when any is over its limit, retry after the longest such window. */
function decide(hits: Array<{ rule: RateRule; allowed: boolean; resetInMs: number }>): RateDecision {
  let worst: RateDecision = { allowed: true, retryAfterSeconds: 0, exceeded: null };
  for (const h of hits) {
    if (h.allowed) continue;
    const retry = Math.max(1, Math.ceil(h.resetInMs / 1000));
    if (worst.allowed || retry > worst.retryAfterSeconds)
      worst = { allowed: false, retryAfterSeconds: retry, exceeded: h.rule.name };
  }
  return worst;
}

/**
 * Counts one request against each (rule, subject) pair, atomically in the table; refuses when any
 * count exceeds its limit. A store failure is thrown (answered 500): public writes are not
 * accepted unlimited.
 */
export async function consume(
  prisma: PrismaClient,
  checks: Array<{ rule: RateRule | null; subject: string }>,
): Promise<RateDecision> {
  const active = checks.filter((c): c is { rule: RateRule; subject: string } => c.rule !== null);
  const hits = await Promise.all(
    active.map(async (c) => ({ rule: c.rule, ...(await take(limiterOf(prisma, 'portal', c.rule), fit(c.subject))) })),
  );
  return decide(hits);
}

export interface LoginGate extends RateDecision {
  /** The password was right: the failures of this user from this client are forgotten, and this attempt is not counted against the client. */
  succeeded(): Promise<void>;
}

/**
 * Takes one sign-in attempt before the password is checked, so that N parallel attempts can never
 * pass more than the limit to the password check: one count for (user id, client) — consecutive
 * failures, reset by a right password — and one for the client across all user ids, with a much
 * higher limit. A person signing in from another client is never held back by someone else's
 * failures, and other users behind the same address only by the client's much higher limit.
 * Keys are HMACs (the services' secret) of user id and address: the table holds neither.
 */
export async function beginLogin(
  s: { prisma: PrismaClient; limits: PublicLimits; secret: Uint8Array },
  userId: string,
  ip: string | undefined,
): Promise<LoginGate> {
  const mac = (text: string) => createHmac('sha256', s.secret).update(text).digest('base64url').slice(0, 32);
  const client = mac(`client\n${ip ?? 'unknown'}`);
  const pair = mac(`user\n${userId}\n${ip ?? 'unknown'}`);
  const checks = [
    { rule: s.limits.login, key: pair, resetOnSuccess: true },
    { rule: s.limits.loginClient, key: client, resetOnSuccess: false },
  ].flatMap((c) => (c.rule ? [{ ...c, rule: c.rule, limiter: limiterOf(s.prisma, 'login', c.rule, false) }] : []));
  // Not blocked in memory: a right password (in any process) must reset the pair at once.
  const hits = await Promise.all(checks.map(async (c) => ({ ...c, ...(await take(c.limiter, c.key)) })));
  return {
    ...decide(hits),
    async succeeded() {
      await Promise.all(hits.map((h) => (h.resetOnSuccess ? h.limiter.delete(h.key) : h.limiter.reward(h.key, 1))));
    },
  };
}

export interface PublicLimits {
  /** Submissions (opinions, answers, registrations, codes) per client on one decision. */
  submit: RateRule | null;
  /** Submissions per client across all decisions. */
  submitTotal: RateRule | null;
  /** Receipt look-ups per client (receipts are not guessable, but look-ups are bounded). */
  lookup: RateRule | null;
  /** Consecutive failed staff sign-ins of one user id from one client; over it, that pair is refused until the window ends. A right password resets it. */
  login: RateRule | null;
  /** Failed staff sign-ins from one client across all user ids: much higher, so that one person's failures do not lock out others behind the same address. */
  loginClient: RateRule | null;
}

/** Read once when the routers are built; a bad value stops the process with the variable named. */
export function publicLimits(env: NodeJS.ProcessEnv = process.env): PublicLimits {
  return {
    submit: parseRate('DUEPROCESS_PUBLIC_RATE_LIMIT', env.DUEPROCESS_PUBLIC_RATE_LIMIT, '60/60'),
    submitTotal: parseRate('DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL', env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL, '600/60'),
    lookup: parseRate('DUEPROCESS_LOOKUP_RATE_LIMIT', env.DUEPROCESS_LOOKUP_RATE_LIMIT, '120/60'),
    login: parseRate('DUEPROCESS_LOGIN_RATE_LIMIT', env.DUEPROCESS_LOGIN_RATE_LIMIT, '10/300'),
    loginClient: parseRate('DUEPROCESS_LOGIN_CLIENT_RATE_LIMIT', env.DUEPROCESS_LOGIN_CLIENT_RATE_LIMIT, '100/300'),
  };
}
