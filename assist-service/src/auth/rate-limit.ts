export type HitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed-window counters. Each key (a token, a tenant) may take `limit` hits per window; past that
 * the caller learns how many seconds until the window turns.
 */
export interface WindowLimiter {
  /** Counts a hit; `retryAfterSeconds` when over the limit (the hit is then not counted). */
  hit(key: string, now: number): HitResult | Promise<HitResult>;
}

/** Makes the limiter named `name` (one per limit): in memory, or shared in PostgreSQL. */
export type LimiterFactory = (name: string, options: { limit: number; windowMs: number }) => WindowLimiter;

/**
 * In memory: enough for one service process, and a restart forgives. Answers synchronously, so
 * a single process pays nothing for the shared variant (postgres-shared-state.ts).
 */
export const memoryLimiters: LimiterFactory = (_name, options) => createWindowLimiter(options);

/** The in-memory limiter: answers at once. */
export function createWindowLimiter(options: { limit: number; windowMs: number }): {
  hit(key: string, now: number): HitResult;
} {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, now) {
      if (options.limit <= 0) return { allowed: true };
      const start = now - (now % options.windowMs);
      let window = windows.get(key);
      if (!window || window.start !== start) {
        // Old windows go as the first hit of a new one arrives: the map holds live keys only.
        if (windows.size > 100_000) windows.clear();
        window = { start, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= options.limit) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((start + options.windowMs - now) / 1000)),
        };
      }
      window.count += 1;
      return { allowed: true };
    },
  };
}
