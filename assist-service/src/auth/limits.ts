import type { NextFunction, Request, Response } from 'express';
import type { TrustConfig } from '../config.ts';
import { ServiceError } from '../errors.ts';
import { principal } from './authenticate.ts';
import { createWindowLimiter } from './rate-limit.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Requests per minute per token and per tenant, and assist requests per day (the ones that may
 * cost model tokens), as configured; 429 with Retry-After past either. A client that keeps
 * hammering after a 429 keeps getting it: a refused hit is not counted.
 */
export function rateLimits(
  trust: Pick<
    TrustConfig,
    'rateLimitPerToken' | 'rateLimitPerTenant' | 'assistQuotaPerTokenDay' | 'assistQuotaPerTenantDay'
  >,
  now: () => number,
) {
  const perToken = createWindowLimiter({ limit: trust.rateLimitPerToken, windowMs: MINUTE });
  const perTenant = createWindowLimiter({ limit: trust.rateLimitPerTenant, windowMs: MINUTE });
  const assistPerToken = createWindowLimiter({ limit: trust.assistQuotaPerTokenDay, windowMs: DAY });
  const assistPerTenant = createWindowLimiter({ limit: trust.assistQuotaPerTenantDay, windowMs: DAY });

  return (request: Request, response: Response, next: NextFunction) => {
    if (response.locals.principal === undefined) {
      next();
      return;
    }
    const caller = principal(response);
    const time = now();
    const checks: Array<[ReturnType<typeof perToken.hit>, string]> = [
      [perToken.hit(`token:${caller.tokenId}`, time), 'requests per minute for this token'],
      [perTenant.hit(`tenant:${caller.tenant}`, time), 'requests per minute for this tenant'],
    ];
    if (request.method === 'POST' && request.path === '/v1/assist') {
      checks.push(
        [assistPerToken.hit(`token:${caller.tokenId}`, time), 'assist requests per day for this token'],
        [assistPerTenant.hit(`tenant:${caller.tenant}`, time), 'assist requests per day for this tenant'],
      );
    }
    for (const [result, what] of checks) {
      if (!result.allowed) {
        next(
          new ServiceError('rate-limited', `Too many ${what}: try again in ${result.retryAfterSeconds} s.`, {
            retryAfterSeconds: result.retryAfterSeconds,
          }),
        );
        return;
      }
    }
    next();
  };
}
