import { createHmac } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { perClient, poolOf, type PrismaClient } from './db';

// Request counters shared by every API process, kept by rate-limiter-flexible's PostgreSQL store
// (issue 9, replacing the hand-written fixed-window buckets of issue 5). Each count is one atomic
// upsert statement (insert the key, or add to its points, or restart its window when it has
// expired), so parallel requests can never pass a limit between a read and a write: the
// database decides, request by request. Windows are fixed and start with a key's first request.
//
// The table (rate_limiter) is created by a migration: the runtime role cannot create tables, so
// the library is told it exists. The library's statements go through the app's pg pool (the
// same connections and role as Prisma); a client without a pool (a test's proxy) is served
// through Prisma's raw queries instead.

export const RATE_LIMIT_TABLE = 'rate_limiter';

/**
 * The key of a client: a keyed hash of its address and token subject, so the table holds no IP
 * address or person (the key is the token signing secret, shared by the API processes).
 */
export function clientKey(secret: Uint8Array, scope: string, kind: string, ip: string, subject: string | null): string {
  const digest = createHmac('sha256', secret)
    .update(`${ip}\n${subject ?? '-'}`)
    .digest('base64url')
    .slice(0, 32);
  return `${scope}:${kind}:${digest}`;
}

export interface LimiterOptions {
  /** Prefixes every key of this limiter in the table (may be empty when the keys carry their own). */
  prefix: string;
  /** Requests allowed per window. */
  points: number;
  windowSeconds: number;
  /**
   * Once a key is over its limit, refuse it from memory until its window ends (no round trip per
   * refused request of a flood). Off for limits a success resets, such as failed sign-ins.
   */
  blockInMemory?: boolean;
}

export interface Hit {
  allowed: boolean;
  /** Points consumed in the current window, this request included. */
  consumed: number;
  remaining: number;
  /** Milliseconds until the window ends. */
  resetInMs: number;
}

interface QueryConfig {
  text: string;
  values?: unknown[];
}

/** A store client for the library over Prisma's raw queries (bigint columns read as numbers, as pg's are usable). */
function prismaStore(prisma: PrismaClient) {
  return {
    async query(q: QueryConfig) {
      const rows = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(q.text, ...(q.values ?? []));
      return {
        rows: rows.map((r) => ('expire' in r && r.expire !== null ? { ...r, expire: Number(r.expire) } : r)),
        rowCount: rows.length,
      };
    },
  };
}

/** Limiters of one database, by their options; the first one also clears expired keys every 5 minutes. */
const limiters = perClient(() => new Map<string, RateLimiterPostgres>());

export function sharedLimiter(prisma: PrismaClient, o: LimiterOptions): RateLimiterPostgres {
  const mine = limiters(prisma);
  const id = `${o.prefix}\n${o.points}\n${o.windowSeconds}\n${o.blockInMemory ? 1 : 0}`;
  let l = mine.get(id);
  if (!l) {
    const pool = poolOf(prisma);
    l = new RateLimiterPostgres({
      ...(pool ? { storeClient: pool, storeType: 'pool' } : { storeClient: prismaStore(prisma), storeType: 'client' }),
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: mine.size === 0,
      keyPrefix: o.prefix,
      points: o.points,
      duration: o.windowSeconds,
      ...(o.blockInMemory ? { inMemoryBlockOnConsumed: o.points + 1 } : {}),
    });
    mine.set(id, l);
  }
  return l;
}

const hitOf = (r: RateLimiterRes, points: number, allowed: boolean): Hit => ({
  allowed,
  consumed: r.consumedPoints,
  remaining: Math.max(0, points - r.consumedPoints),
  resetInMs: Math.max(0, r.msBeforeNext),
});

/** Counts one request of `key`; a store failure is thrown (the caller decides to fail open or closed). */
export async function take(limiter: RateLimiterPostgres, key: string): Promise<Hit> {
  try {
    return hitOf(await limiter.consume(key), limiter.points, true);
  } catch (e) {
    if (e instanceof RateLimiterRes) return hitOf(e, limiter.points, false);
    throw e;
  }
}
