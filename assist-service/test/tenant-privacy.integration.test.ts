import { openKnowledgeBase } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistResponseSchema,
  erasureResponseSchema,
  retentionSettingsResponseSchema,
  subjectExportResponseSchema,
} from '../src/contract/index.ts';
import { FIXTURE_KB, startTestService, type TestClient, type TestService } from './harness.ts';

/**
 * Per-tenant privacy (issue 13): two tenants on one service, the same conversation id and the
 * same customer identifier in both. Each tenant's admin erases, exports and sets retention for
 * that tenant's rows only.
 */

let service: TestService;
let adminA: TestClient;
let adminB: TestClient;

beforeAll(async () => {
  service = await startTestService();
  // Tenant B's own knowledge base (same file, its own collections), as its manager would ingest it.
  const knowledgeB = await openKnowledgeBase({
    config: service.config.knowledge,
    dataDir: service.dataDir,
    tenant: 'shop-b',
  });
  await knowledgeB.ingest([FIXTURE_KB], { collection: 'demo' });
  await knowledgeB.close();
  adminA = service;
  adminB = await service.client({ role: 'admin', name: 'admin-b', tenant: 'shop-b' });
});
afterAll(async () => {
  await service.dispose();
});

/** One answered and sent conversation of `client`'s tenant; its suggestion set id. */
async function conversation(client: TestClient, id: string, customer: string): Promise<string> {
  const response = await client.post('/v1/assist', {
    collection: 'demo',
    conversation: {
      id,
      channel: 'chat',
      messages: [{ role: 'customer', text: 'Сколько идёт доставка? Посылка едет неделю.' }],
      customer: { ids: { customer } },
    },
  });
  expect(response.status).toBe(200);
  const set = assistResponseSchema.parse(await response.json());
  const sent = await client.post('/v1/feedback', {
    eventId: `${id}-${set.suggestionSetId}-sent`,
    type: 'suggestion-edited',
    suggestionSetId: set.suggestionSetId,
    suggestionIndex: 0,
    finalText: 'Доставка занимает до 7 дней.',
  });
  expect(sent.status).toBe(200);
  return set.suggestionSetId;
}

async function exported(client: TestClient, pathname: string) {
  const response = await client.get(pathname);
  expect(response.status).toBe(200);
  return subjectExportResponseSchema.parse(await response.json());
}

async function erased(client: TestClient, pathname: string) {
  const response = await client.delete(pathname);
  expect(response.status).toBe(200);
  return erasureResponseSchema.parse(await response.json()).erased;
}

describe('erasure and export per tenant', () => {
  it("exports each admin's own tenant only, though both hold the same customer and conversation id", async () => {
    const setA = await conversation(adminA, 'conv-shared', 'cust-shared');
    const setB = await conversation(adminB, 'conv-shared', 'cust-shared');
    for (const pathname of [
      '/v1/privacy/customers/cust-shared/export',
      '/v1/privacy/conversations/conv-shared/export',
    ]) {
      expect((await exported(adminA, pathname)).suggestionSets.map((set) => set.id)).toEqual([setA]);
      expect((await exported(adminB, pathname)).suggestionSets.map((set) => set.id)).toEqual([setB]);
    }
    expect(
      (await exported(adminB, '/v1/privacy/customers/cust-shared/export')).history.map((entry) => entry.id),
    ).toEqual([`feedback:${setB}`]);
  });

  it("lets A's admin neither see nor erase B's data, and B's erasure leaves A untouched", async () => {
    const setB = await conversation(adminB, 'conv-only-b', 'cust-only-b');
    // A asks for B's conversation and customer: the same answer as for one that never existed.
    expect(await exported(adminA, '/v1/privacy/conversations/conv-only-b/export')).toMatchObject({
      suggestionSets: [],
      feedbackEvents: [],
      history: [],
    });
    const nothing = { suggestionSets: 0, feedbackEvents: 0, knowledgeGaps: 0, historyEntries: 0 };
    expect(await erased(adminA, '/v1/privacy/conversations/conv-only-b')).toEqual(nothing);
    expect(await erased(adminA, '/v1/privacy/customers/cust-only-b')).toEqual(nothing);
    expect(
      (await exported(adminB, '/v1/privacy/conversations/conv-only-b/export')).suggestionSets,
    ).toHaveLength(1);

    const setA = await conversation(adminA, 'conv-a-kept', 'cust-both');
    await conversation(adminB, 'conv-b-erased', 'cust-both');
    expect(await erased(adminB, '/v1/privacy/customers/cust-both')).toMatchObject({
      suggestionSets: 1,
      feedbackEvents: 1,
      historyEntries: 1,
    });
    const keptA = await exported(adminA, '/v1/privacy/customers/cust-both/export');
    expect(keptA.suggestionSets.map((set) => set.id)).toEqual([setA]);
    expect(keptA.history.map((entry) => entry.id)).toEqual([`feedback:${setA}`]);
    expect(await service.events.getSuggestionSet(setA)).toBeDefined();
    expect(setB).not.toBe(setA);
  });

  it("refuses B's operator, as A's", async () => {
    const operatorB = await service.client({ role: 'operator', name: 'op-b', tenant: 'shop-b' });
    expect((await operatorB.delete('/v1/privacy/customers/cust-shared')).status).toBe(403);
    expect((await operatorB.get('/v1/privacy/retention')).status).toBe(403);
  });
});

describe('retention settings per tenant', () => {
  it("sets B's days per table without touching A's, and a null goes back to the configured figure", async () => {
    const before = retentionSettingsResponseSchema.parse(
      await (await adminA.get('/v1/privacy/retention')).json(),
    );
    expect(before).toMatchObject({ tenant: 'default', settings: {} });
    expect(before.effective.suggestion_sets).toBe(90);

    const set = await adminB.put('/v1/privacy/retention', { suggestion_sets: 7, history: 30 });
    expect(set.status).toBe(200);
    expect(retentionSettingsResponseSchema.parse(await set.json())).toMatchObject({
      tenant: 'shop-b',
      settings: { suggestion_sets: 7, history: 30 },
      effective: { suggestion_sets: 7, history: 30, feedback_events: 90 },
    });
    expect(
      retentionSettingsResponseSchema.parse(await (await adminA.get('/v1/privacy/retention')).json()),
    ).toEqual(before);

    const cleared = retentionSettingsResponseSchema.parse(
      await (await adminB.put('/v1/privacy/retention', { suggestion_sets: null })).json(),
    );
    expect(cleared.settings).toEqual({ history: 30 });
    expect(cleared.effective.suggestion_sets).toBe(90);
  });

  it('rejects days out of range or an unknown table, naming it', async () => {
    for (const body of [{ suggestion_sets: -1 }, { passwords: 3 }, {}]) {
      const response = await adminB.put('/v1/privacy/retention', body);
      expect(response.status).toBe(400);
    }
    const unknown = await adminB.put('/v1/privacy/retention', { passwords: 3 });
    expect(JSON.stringify(await unknown.json())).toContain('passwords');
  });
});
