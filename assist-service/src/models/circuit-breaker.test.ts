import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.ts';

describe('createCircuitBreaker', () => {
  it('opens after the threshold of failures in a row, and a success in between resets the count', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 2, openMs: 100, now: () => 0 });
    breaker.acquire()!.failure();
    breaker.acquire()!.success();
    breaker.acquire()!.failure();
    expect(breaker.state).toBe('closed');
    breaker.acquire()!.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.acquire()).toBeUndefined();
  });

  it('lets exactly one probe through when half-open; a failed probe opens it again', () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 100, now: () => clock });
    breaker.acquire()!.failure();
    clock = 100;
    const probe = breaker.acquire()!;
    expect(breaker.acquire()).toBeUndefined();
    probe.failure();
    expect(breaker.state).toBe('open');
    clock = 200;
    breaker.acquire()!.success();
    expect(breaker.state).toBe('closed');
  });

  it('a released probe frees the slot without a verdict', () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 100, now: () => clock });
    breaker.acquire()!.failure();
    clock = 150;
    breaker.acquire()!.release();
    expect(breaker.state).toBe('half-open');
    expect(breaker.acquire()).toBeDefined();
  });
});
