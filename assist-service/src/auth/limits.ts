import type { NextFunction, Request, Response } from 'express';
import type { TrustConfig } from '../config.ts';
import { ServiceError } from '../errors.ts';
import { principal } from './authenticate.ts';
import { type HitResult, type LimiterFactory, memoryLimiters } from './rate-limit.ts';

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
  limiters: LimiterFactory = memoryLimiters,
) {
  const perToken = limiters('token-minute', { limit: trust.rateLimitPerToken, windowMs: MINUTE });
  const perTenant = limiters('tenant-minute', { limit: trust.rateLimitPerTenant, windowMs: MINUTE });
  const assistPerToken = limiters('assist-token-day', { limit: trust.assistQuotaPerTokenDay, windowMs: DAY });
  const assistPerTenant = limiters('assist-tenant-day', {
    limit: trust.assistQuotaPerTenantDay,
    windowMs: DAY,
  });

  return async (request: Request, response: Response, next: NextFunction) => {
    if (response.locals.principal === undefined) {
      next();
      return;
    }
    const caller = principal(response);
    const time = now();
    const checks: Array<[HitResult | Promise<HitResult>, string]> = [
      [perToken.hit(`token:${caller.tokenId}`, time), 'requests per minute for this token'],
      [perTenant.hit(`tenant:${caller.tenant}`, time), 'requests per minute for this tenant'],
    ];
    if (request.method === 'POST' && request.path === '/v1/assist') {
      checks.push(
        [assistPerToken.hit(`token:${caller.tokenId}`, time), 'assist requests per day for this token'],
        [assistPerTenant.hit(`tenant:${caller.tenant}`, time), 'assist requests per day for this tenant'],
      );
    }
    // Every limit counts the hit, as before; the first one over its limit answers.
    // In memory every answer is at hand: no await, so one process pays nothing for sharing.
    const answers = checks.map(([result]) => result);
    const results = answers.every((answer) => !(answer instanceof Promise))
      ? (answers as HitResult[])
      : await Promise.all(answers);
    for (const [index, result] of results.entries()) {
      const what = checks[index]?.[1] ?? '';
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
