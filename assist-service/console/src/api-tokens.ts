import {
  type TokenCreateRequest,
  type TokenListResponseBody,
  type TokenRecordBody,
  tokenCreateResponseSchema,
  tokenListResponseSchema,
  tokenRecordSchema,
} from '@naparnik/assist-service/contract';
import type { z } from 'zod';
import { request } from './api.ts';

export function listTokens(): Promise<TokenListResponseBody> {
  return request(tokenListResponseSchema, '/v1/tokens');
}

export function createToken(body: TokenCreateRequest): Promise<z.output<typeof tokenCreateResponseSchema>> {
  return request(tokenCreateResponseSchema, '/v1/tokens', { method: 'POST', body: JSON.stringify(body) });
}

export function revokeToken(id: string): Promise<TokenRecordBody> {
  return request(tokenRecordSchema, `/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
