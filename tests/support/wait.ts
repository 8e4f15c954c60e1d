// Integration tests wait on conditions, never on the machine's speed: CI runs on loaded two-core
// machines whose speed differs up to 4× (TERRAIN.md). A sleep is right only to let a period of
// the clock pass (a fast template's statutory minimum, a rate-limit window); anything the system
// must do is polled for with `waitFor`, whose generous timeout only bounds a failing test.

/** How long `waitFor` polls by default: a hung system fails, a slow one passes. */
export const WAIT_MS = 60_000;

/** For beforeAll/afterAll hooks that start or stop a stack (PostgreSQL, a worker, Chromium). */
export const STACK_HOOK_MS = 180_000;

/**
 * A public comment or survey window that a test sends a few requests into before it waits for
 * the close. Its length is a budget for those requests: the fast template's 1.5 s is not enough
 * for a loaded machine. A window the test never waits out is better long ({ days: 30 }).
 */
export const SHORT_WINDOW = { seconds: 8 } as const;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Probe<T> = () => T | null | undefined | false | Promise<T | null | undefined | false>;

/**
 * Polls `probe` until it returns something truthy, and returns that. After `timeoutMs` it throws
 * an error naming `what` (and `state()`, the last thing seen, when given).
 */
export async function waitFor<T>(
  probe: Probe<T>,
  opts: { what: string; timeoutMs?: number; intervalMs?: number; state?: () => unknown },
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? WAIT_MS;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) {
      const state = opts.state ? `; last seen: ${JSON.stringify(opts.state())}` : '';
      throw new Error(`waited ${timeoutMs} ms for ${opts.what}${state}`);
    }
    await sleep(opts.intervalMs ?? 150);
  }
}
