/**
 * Stops calling a model API that keeps failing, and tries again on its own.
 *
 * closed → (`failureThreshold` transient failures in a row) → open: calls fail at once with
 * `circuit-open`, the API is left alone → after `openMs` → half-open: one probe call is let
 * through; its success closes the circuit, its failure opens it for another `openMs`.
 * Only transient faults count (the resilient wrapper decides); a cancelled call counts neither way.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitPermit {
  success(): void;
  failure(): void;
  /** The call ended without telling anything about the API (cancelled, a bad request). */
  release(): void;
}

export interface CircuitBreaker {
  /** A permit to call, or undefined while open (or while the half-open probe is out). */
  acquire(): CircuitPermit | undefined;
  readonly state: CircuitState;
}

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | undefined;
  let probeOut = false;

  const state = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return now() - openedAt >= options.openMs ? 'half-open' : 'open';
  };

  return {
    get state() {
      return state();
    },
    acquire() {
      const current = state();
      if (current === 'open') return undefined;
      const probe = current === 'half-open';
      if (probe) {
        if (probeOut) return undefined;
        probeOut = true;
      }
      let settled = false;
      const settle = (outcome: 'success' | 'failure' | 'release') => {
        if (settled) return;
        settled = true;
        if (probe) probeOut = false;
        if (outcome === 'success') {
          failures = 0;
          openedAt = undefined;
        } else if (outcome === 'failure') {
          failures++;
          if (probe || failures >= options.failureThreshold) openedAt = now();
        }
      };
      return {
        success: () => settle('success'),
        failure: () => settle('failure'),
        release: () => settle('release'),
      };
    },
  };
}
