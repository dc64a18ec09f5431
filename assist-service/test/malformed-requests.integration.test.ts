import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

// Bad input from a client is the client's error (400 naming what was wrong), never a 500.
let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.dispose();
});

const search = (body: Uint8Array | string, encoding: string) =>
  fetch(`${service.url}/v1/search`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-encoding': encoding,
      authorization: `Bearer ${service.token}`,
    },
    body,
  });

describe('requests that cannot be read', () => {
  it.each(['gzip', 'deflate', 'br'])(
    'answers 400 to a %s body that does not decompress',
    async (encoding) => {
      const response = await search('not compressed at all', encoding);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid-request');
      expect(body.error.message).toMatch(/Content-Encoding/u);
    },
  );

  it('still reads a gzip body that does decompress', async () => {
    const response = await search(
      gzipSync(JSON.stringify({ collection: 'demo', query: 'доставка' })),
      'gzip',
    );
    expect(response.status).toBe(200);
  });

  it('answers 400 to malformed percent-encoding in a path', async () => {
    const response = await service.get('/v1/recipes/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid-request');
  });
});
