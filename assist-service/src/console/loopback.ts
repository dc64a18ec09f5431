import type { NextFunction, Request, Response } from 'express';
import { ServiceError } from '../errors.ts';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses (how a dual-stack socket reports them). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u.test(plain);
}

/**
 * The console and the APIs only it reads answer on loopback alone until roles arrive with the trust
 * issue: they show what operators did, and nothing checks who is asking. The socket's address is
 * used, never X-Forwarded-For, which any client can write.
 */
export function loopbackOnly(request: Request, _response: Response, next: NextFunction): void {
  if (isLoopbackAddress(request.socket.remoteAddress)) {
    next();
    return;
  }
  next(
    new ServiceError('forbidden', 'The console answers only on this machine (loopback) until roles arrive.'),
  );
}
