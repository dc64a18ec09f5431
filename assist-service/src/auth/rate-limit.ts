/** One limit a request counts against: `limit` hits of `key` per window of `windowMs`. */
export interface LimitCheck {
  /** Which limit (`token-minute`, `tenant-minute`, …): one counter per limit, key and window. */
  limiter: string;
  key: string;
  limit: number;
  windowMs: number;
}

export type HitResult =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number /** The first check over its limit. */; refused: number };

/**
 * Fixed-window counters. A request's hit counts against all of its limits or against none: when
 * one limit refuses it (the tenant's, say), it takes nothing of the others (the token's quota),
 * so a client held back by one limit does not use up another. Limits of 0 or less are off.
 */
export interface RateCounters {
  hit(checks: readonly LimitCheck[], now: number): HitResult | Promise<HitResult>;
}

export const windowStart = (now: number, windowMs: number) => now - (now % windowMs);

export const retryAfterSeconds = (now: number, windowMs: number) =>
  Math.max(1, Math.ceil((windowStart(now, windowMs) + windowMs - now) / 1000));

/** The checks that count: limits switched off take no part. */
export const activeChecks = (checks: readonly LimitCheck[]) => checks.filter((check) => check.limit > 0);

/**
 * In memory: enough for one service process (the SQLite deployment), and a restart forgives.
 * Answers synchronously, so the check-then-count is atomic and a single process pays nothing for
 * the shared variant (postgres-shared-state.ts).
 */
export function memoryRateCounters(): { hit(checks: readonly LimitCheck[], now: number): HitResult } {
  const windows = new Map<string, { start: number; count: number }>();
  const windowOf = (check: LimitCheck, now: number) => {
    const name = `${check.limiter}\u0000${check.key}`;
    const start = windowStart(now, check.windowMs);
    let window = windows.get(name);
    if (!window || window.start !== start) {
      // Old windows go as the first hit of a new one arrives: the map holds live keys only.
      if (windows.size > 100_000) windows.clear();
      window = { start, count: 0 };
      windows.set(name, window);
    }
    return window;
  };
  return {
    hit(checks, now) {
      const active = activeChecks(checks);
      const counters = active.map((check) => windowOf(check, now));
      const refused = counters.findIndex((counter, index) => counter.count >= (active[index]?.limit ?? 0));
      const over = active[refused];
      if (over) {
        return {
          allowed: false,
          retryAfterSeconds: retryAfterSeconds(now, over.windowMs),
          refused: checks.indexOf(over),
        };
      }
      for (const counter of counters) counter.count += 1;
      return { allowed: true };
    },
  };
}
