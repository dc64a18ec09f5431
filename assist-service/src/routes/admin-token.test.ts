import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors.ts';
import { isLoopbackAddress, requireAdminToken } from './admin-token.ts';

function request(remoteAddress: string, authorization?: string): Request {
  return {
    socket: { remoteAddress },
    get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined),
  } as unknown as Request;
}

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ServiceError ? error.code : 'other';
  }
}

describe('admin token', () => {
  it('tells loopback addresses from the rest, IPv4-mapped ones included', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.5', '::ffff:192.168.1.2', '1270.0.0.1', '', undefined].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('without a token, allows admin actions from this machine only', () => {
    expect(
      codeOf(() => requireAdminToken(undefined, request('127.0.0.1'), 'Publishing recipes')),
    ).toBeUndefined();
    expect(codeOf(() => requireAdminToken(undefined, request('192.168.1.20'), 'Publishing recipes'))).toBe(
      'forbidden',
    );
  });

  it('with a token, asks every caller for it, local ones too', () => {
    const token = 'admin-token-0123456789abcdef';
    expect(codeOf(() => requireAdminToken(token, request('127.0.0.1'), 'Reading feedback events'))).toBe(
      'unauthorized',
    );
    expect(codeOf(() => requireAdminToken(token, request('10.0.0.5', 'Bearer wrong'), 'x'))).toBe(
      'forbidden',
    );
    expect(
      codeOf(() => requireAdminToken(token, request('10.0.0.5', `Bearer ${token}`), 'x')),
    ).toBeUndefined();
  });
});
