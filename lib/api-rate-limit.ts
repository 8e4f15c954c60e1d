import { createHmac } from 'node:crypto';
import type { PrismaClient } from './db';

// Fixed-window request counters shared by every API process through the rate_limit_bucket table,
// so a client cannot multiply its allowance by spreading requests over processes. Counting is one
// upsert-increment statement: the database clock picks the window, the row is inserted or
// incremented, and the window's total comes back.
//
// Near its limit a client is counted exactly: one statement per request, decided on the total.
// Far from it, requests are counted in memory and added to the table in one statement every
// FLUSH_MS, so the hot path of a busy client costs no database round trip and no row-lock queue on
// its bucket. "Far" is measured, not guessed: every total the table returns includes the other
// processes' requests, so each process knows the client's overall rate, and counts in memory only
// while twice the requests that rate can bring before the next flush still fit under the limit.
// The first requests of a window, before a rate is known, are counted exactly.

const FLUSH_MS = 50;

export interface WindowCount {
  /** Requests counted in the current window, this one included (an estimate far from the limit). */
  count: number;
  /** Milliseconds until the window ends. */
  resetInMs: number;
}

/**
 * The bucket key of a client: a keyed hash of its address and token subject, so the table holds
 * no IP address or person (the key is the token signing secret, shared by the API processes).
 */
export function clientKey(secret: Uint8Array, scope: string, kind: string, ip: string, subject: string | null): string {
  const digest = createHmac('sha256', secret).update(`${ip}\n${subject ?? '-'}`).digest('base64url').slice(0, 32);
  return `${scope}:${kind}:${digest}`;
}

interface LocalCount {
  window: number;
  /** The shared total as last returned by the table, and when. */
  shared: number;
  at: number;
  /** Requests per millisecond of this client over every process (0: not measured yet). */
  rate: number;
  /** Requests counted here and not yet added to the table. */
  pending: number;
}

/** Takes a total returned by the table: the shared count, and the rate it grew at since the last one. */
function observe(l: LocalCount, total: number): void {
  const now = Date.now();
  if (l.at > 0 && now > l.at && total >= l.shared) {
    const rate = (total - l.shared) / (now - l.at);
    l.rate = l.rate > 0 ? (l.rate + rate) / 2 : Math.max(rate, Number.MIN_VALUE);
  }
  if (total >= l.shared) {
    l.shared = total;
    l.at = now;
  }
}

export class SharedRateCounter {
  private lastSweep = 0;
  private readonly local = new Map<string, LocalCount>();
  private flushing: NodeJS.Timeout | null = null;
  private currentWindow = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly windowMs: number,
    /** Sweeps touch only this scope's buckets. */
    private readonly scope: string,
  ) {}

  /** Counts one request of `key` against `limit`. */
  async take(key: string, limit: number): Promise<WindowCount> {
    const now = Date.now();
    const window = Math.floor(now / this.windowMs);
    if (window !== this.currentWindow) this.forgetEndedWindows(window);
    let l = this.local.get(key);
    if (!l || l.window !== window) this.local.set(key, (l = { window, shared: 0, at: 0, rate: 0, pending: 0 }));
    const estimate = l.shared + l.pending + 1;
    const unseen = 2 * l.rate * (now - l.at + FLUSH_MS);
    if (l.rate > 0 && estimate + unseen <= limit - Math.max(10, Math.ceil(limit / 100))) {
      l.pending += 1;
      this.flushing ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
      return { count: estimate, resetInMs: (window + 1) * this.windowMs - now };
    }
    const n = l.pending + 1;
    l.pending = 0;
    const [row] = await this.add([[key, n]]);
    observe(l, row.count);
    return { count: row.count, resetInMs: row.resetInMs };
  }

  /** Once a window: counts of ended windows are dropped (pending ones after their flush). */
  private forgetEndedWindows(window: number): void {
    this.currentWindow = window;
    for (const [key, l] of this.local) if (l.window < window && l.pending === 0) this.local.delete(key);
  }

  /** Adds the pending counts to the table; a failed flush loses them (the limiter fails open). */
  private async flush(): Promise<void> {
    this.flushing = null;
    const batch: Array<[string, number]> = [];
    for (const [key, l] of this.local) {
      if (l.pending > 0) batch.push([key, l.pending]);
      l.pending = 0;
    }
    if (!batch.length) return;
    try {
      for (const row of await this.add(batch)) {
        const l = this.local.get(row.key);
        if (l) observe(l, row.count);
      }
    } catch {
      // Counted in memory only: the next flush starts afresh.
    }
  }

  private async add(batch: Array<[string, number]>): Promise<Array<WindowCount & { key: string }>> {
    const w = this.windowMs;
    const rows = await this.prisma.$queryRaw<Array<{ key: string; count: number; reset_in_ms: number }>>`
      WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS now_ms)
      INSERT INTO rate_limit_bucket AS b (key, window_start, count)
      SELECT t.key, to_timestamp(floor(clock.now_ms / ${w}::float8) * ${w}::float8 / 1000), t.n
      FROM unnest(${batch.map((b) => b[0])}::text[], ${batch.map((b) => b[1])}::int[]) AS t(key, n), clock
      ON CONFLICT (key, window_start) DO UPDATE SET count = b.count + EXCLUDED.count
      RETURNING b.key, b.count,
        (extract(epoch FROM b.window_start)::float8 * 1000 + ${w}::float8 - (SELECT now_ms FROM clock))::float8 AS reset_in_ms`;
    this.maybeSweep();
    return rows.map((r) => ({ key: r.key, count: Number(r.count), resetInMs: Math.max(0, Number(r.reset_in_ms)) }));
  }

  /** At most once a window per process, in the background: a failed sweep is retried next time. */
  private maybeSweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < Math.max(this.windowMs, 10_000)) return;
    this.lastSweep = now;
    const keep = (2 * this.windowMs) / 1000;
    this.prisma.$executeRaw`
      DELETE FROM rate_limit_bucket
      WHERE starts_with(key, ${this.scope + ':'}) AND window_start < clock_timestamp() - make_interval(secs => ${keep}::float8)`.catch(() => {
      this.lastSweep = 0;
    });
  }
}
