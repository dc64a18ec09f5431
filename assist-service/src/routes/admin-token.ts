import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ServiceError } from '../errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how a dual-stack socket reports 127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/**
 * Admin-only actions (publishing recipes, reading operators' feedback) need
 * `Authorization: Bearer <ASSIST_ADMIN_TOKEN>` when that token is configured. Without a token
 * they are allowed from this machine only: a service listening on 0.0.0.0 with no token must not
 * let anyone on the network publish recipes every operator's extension follows, or read what
 * operators sent. `action` completes the sentence "… needs the admin token".
 */
export function requireAdminToken(adminToken: string | undefined, request: Request, action: string): void {
  if (!adminToken) {
    if (isLoopbackAddress(request.socket.remoteAddress)) return;
    throw new ServiceError(
      'forbidden',
      `${action} is allowed only from this machine until ASSIST_ADMIN_TOKEN is set on the service.`,
    );
  }
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
