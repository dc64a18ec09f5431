import type { NextFunction, Request, Response } from 'express';
import type { TrustConfig } from '../config.ts';
import { ServiceError } from '../errors.ts';
import { principal } from './authenticate.ts';
import { type LimitCheck, memoryRateCounters, type RateCounters } from './rate-limit.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Requests per minute per token and per tenant, and assist requests per day (the ones that may
 * cost model tokens), as configured; 429 with Retry-After past any of them. A request counts
 * against all its limits or none: one the tenant's limit refuses takes nothing of the token's
 * minute or day, and the reverse, so a client that keeps hammering after a 429 keeps getting it
 * without using up anything.
 */
export function rateLimits(
  trust: Pick<
    TrustConfig,
    'rateLimitPerToken' | 'rateLimitPerTenant' | 'assistQuotaPerTokenDay' | 'assistQuotaPerTenantDay'
  >,
  now: () => number,
  counters: RateCounters = memoryRateCounters(),
) {
  return async (request: Request, response: Response, next: NextFunction) => {
    if (response.locals.principal === undefined) {
      next();
      return;
    }
    const caller = principal(response);
    const limit = (limiter: string, key: string, count: number, windowMs: number, what: string) => ({
      limiter,
      key,
      limit: count,
      windowMs,
      what,
    });
    const token = `token:${caller.tokenId}`;
    const tenant = `tenant:${caller.tenant}`;
    const checks: Array<LimitCheck & { what: string }> = [
      limit('token-minute', token, trust.rateLimitPerToken, MINUTE, 'requests per minute for this token'),
      limit('tenant-minute', tenant, trust.rateLimitPerTenant, MINUTE, 'requests per minute for this tenant'),
    ];
    if (request.method === 'POST' && request.path === '/v1/assist') {
      checks.push(
        limit(
          'assist-token-day',
          token,
          trust.assistQuotaPerTokenDay,
          DAY,
          'assist requests per day for this token',
        ),
        limit(
          'assist-tenant-day',
          tenant,
          trust.assistQuotaPerTenantDay,
          DAY,
          'assist requests per day for this tenant',
        ),
      );
    }
    // In memory the answer is at hand: no await, so one process pays nothing for sharing.
    const answer = counters.hit(checks, now());
    const result = answer instanceof Promise ? await answer : answer;
    if (!result.allowed) {
      const what = checks[result.refused]?.what ?? 'requests';
      next(
        new ServiceError('rate-limited', `Too many ${what}: try again in ${result.retryAfterSeconds} s.`, {
          retryAfterSeconds: result.retryAfterSeconds,
        }),
      );
      return;
    }
    next();
  };
}
