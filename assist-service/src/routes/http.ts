import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ServiceError } from '../errors.ts';

/** Dotted field path of a zod issue: `conversation.messages.0.role`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}

/** The body parsed by `schema`, or a 400 that lists every wrong field. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  if (body === undefined) {
    throw new ServiceError('invalid-request', 'The request needs a JSON body.', {
      issues: [{ path: '', message: 'missing body' }],
    });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 50).map((issue) => ({
    path: issuePath(issue.path),
    message: issue.message,
  }));
  throw new ServiceError('invalid-request', 'The request body does not match the schema.', { issues });
}

/** Query parameters checked like a body; the error says "query" so the caller knows where to look. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.output<Schema> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 50).map((issue) => ({
    path: issuePath(issue.path),
    message: issue.message,
  }));
  throw new ServiceError('invalid-request', 'The query parameters do not match the schema.', { issues });
}

export function requestLogger(response: Response): Logger {
  return response.locals.logger as Logger;
}

export function requestId(response: Response): string {
  return String(response.locals.requestId);
}

/** Express 5 forwards rejected promises to the error middleware; this keeps handlers typed. */
export type AsyncHandler = (request: Request, response: Response, next: NextFunction) => Promise<void>;
