import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistResponseSchema } from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

const KB = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'same-reply');

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ demoPaths: [KB] });
});
afterAll(async () => {
  await service.dispose();
});

describe('one reply, one card', () => {
  it('shows entries that give the same reply (an iOS and an Android twin) as one card citing both, and offers another answer beside it', async () => {
    const response = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'Как выдать доступ к студии через приложение?' }]),
    );
    expect(response.status).toBe(200);
    const { suggestions } = assistResponseSchema.parse(await response.json());
    const twins = suggestions.filter((suggestion) =>
      suggestion.citations.some((citation) => citation.documentId.startsWith('studio-access-')),
    );
    expect(twins).toHaveLength(1);
    expect(twins[0]!.citations.map((citation) => citation.documentId).sort()).toEqual([
      'studio-access-android',
      'studio-access-ios',
    ]);
    expect(suggestions.some((suggestion) => suggestion.citations[0]?.documentId === 'studio-roles')).toBe(
      true,
    );
  });
});
