import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ServiceError } from '../errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Admin-only actions (publishing recipes, reading operators' feedback) need
 * `Authorization: Bearer <ASSIST_ADMIN_TOKEN>` when that token is configured. Without it the
 * service trusts whoever reaches it: fine on 127.0.0.1, not on a shared host.
 * `action` completes the sentence "… needs the admin token".
 */
export function requireAdminToken(adminToken: string | undefined, request: Request, action: string): void {
  if (!adminToken) return;
  const header = request.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/iu.exec(header.trim());
  if (!match?.[1]) {
    throw new ServiceError(
      'unauthorized',
      `${action} needs the admin token: send "Authorization: Bearer <ASSIST_ADMIN_TOKEN>".`,
    );
  }
  // Equal-length digests: the comparison takes the same time whatever the token's length.
  if (!timingSafeEqual(digest(match[1]), digest(adminToken))) {
    throw new ServiceError('forbidden', `This token may not be used for: ${action.toLowerCase()}.`);
  }
}
