import { DEMO_KB_PATHS } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistResponseSchema, checkDraftResponseSchema } from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

// The shipped demo knowledge base, as a first start ingests it.
let service: TestService;
beforeAll(async () => {
  service = await startTestService({ demoPaths: DEMO_KB_PATHS });
}, 120_000);
afterAll(async () => {
  await service?.dispose();
});

describe('the demo knowledge base through the service', () => {
  it.each([
    ['сколько стоит доставкой до Казани курьером', 'faq-delivery-cost'],
    ['how do I collect points with Aurelia club', 'faq-en-loyalty'],
    // the English FAQ said nothing of delivery abroad, and this got the in-transit template
    ['Hi, do you ship to Kazakhstan?', 'faq-en-delivery-abroad'],
  ])('answers «%s» from %s', async (text, documentId) => {
    const response = await service.post('/v1/assist', assistBody([{ role: 'customer', text }]));
    const body = assistResponseSchema.parse(await response.json());
    expect(
      body.suggestions.flatMap((suggestion) => suggestion.citations.map((citation) => citation.documentId)),
    ).toContain(documentId);
  });

  it('checks drafts against the demo script', async () => {
    const response = await service.post('/v1/check-draft', {
      collection: 'demo',
      channel: 'chat',
      draft: 'ок',
    });
    const body = checkDraftResponseSchema.parse(await response.json());
    expect(body.findings.map((finding) => finding.type)).toContain('missing-greeting');
    expect(body.rulesFrom.length).toBeGreaterThan(0);
  });
});
