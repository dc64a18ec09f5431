import type { NextFunction, Request, Response } from 'express';
import { ServiceError } from '../errors.ts';
import { isLoopbackAddress } from '../routes/admin-token.ts';

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
