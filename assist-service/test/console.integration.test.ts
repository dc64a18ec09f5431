import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '@naparnik/ingest';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistResponseSchema,
  collectionsResponseSchema,
  funnelResponseSchema,
  funnelSuggestionsResponseSchema,
  knowledgeDocumentDetailSchema,
  knowledgeDocumentsResponseSchema,
  searchResponseSchema,
} from '../src/contract/index.ts';
import type { FeedbackRecord, SuggestionSetRecord } from '../src/feedback/event-store.ts';
import { sampleSuggestion } from '../src/feedback/fixtures/records.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

/**
 * The console's APIs on a real service: the fixture knowledge base ingested into an on-disk store,
 * and for the funnel a seeded month of generated suggestion sets and feedback events written into
 * the real event store. Expected figures are counted here from the generated events, independently
 * of the service's SQL.
 */

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const HOUR = 3_600_000;
const OPERATORS = ['op-anna', 'op-boris', 'op-vera'];
const COLLECTIONS = ['demo', 'shop-b'];
const ENGINES = ['offline', 'claude'];
const REASONS = ['не по теме', 'устарело', ''];

interface Generated {
  set: SuggestionSetRecord;
  index: number;
  shownAt: number;
  inserted: boolean;
  sent?: 'as-is' | 'edited';
  dismissed?: string;
}

const suggestion = (index: number, text: string) => sampleSuggestion(index, text);

/** Suggestion sets over the three days before NOW and what operators did with each suggestion. */
function generate(seed: number): {
  sets: SuggestionSetRecord[];
  events: FeedbackRecord[];
  truth: Generated[];
} {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sets: SuggestionSetRecord[] = [];
  const events: FeedbackRecord[] = [];
  const truth: Generated[] = [];
  for (let number = 0; number < 240; number++) {
    const createdAt = NOW - Math.floor(random() * 72 * HOUR);
    const set: SuggestionSetRecord = {
      id: `set-${number}`,
      collection: pick(COLLECTIONS),
      engine: pick(ENGINES),
      channel: 'chat',
      language: 'ru',
      confidence: { score: 0.8, level: 'high' },
      suggestions: [
        suggestion(0, 'Заказ уже в пути, курьер привезёт его завтра.'),
        suggestion(1, 'Уточните номер заказа.'),
      ],
      operatorId: pick(OPERATORS),
      createdAt: new Date(createdAt).toISOString(),
    };
    sets.push(set);
    let eventNumber = 0;
    const event = (
      type: FeedbackRecord['type'],
      index: number,
      at: number,
      extra: Partial<FeedbackRecord> = {},
    ) => {
      const time = new Date(at).toISOString();
      events.push({
        eventId: `${set.id}-${eventNumber++}`,
        type,
        suggestionSetId: set.id,
        suggestionIndex: index,
        operatorId: set.operatorId,
        occurredAt: time,
        receivedAt: time,
        ...extra,
      });
    };
    for (const index of [0, 1]) {
      if (random() < 0.15) continue; // never shown (the panel was closed)
      const shownAt = createdAt + 1000 + index;
      event('suggestion-shown', index, shownAt);
      if (random() < 0.2) event('suggestion-shown', index, shownAt + 60_000); // shown again: counted once
      const generated: Generated = { set, index, shownAt, inserted: false };
      const roll = random();
      if (roll < 0.55) {
        generated.inserted = true;
        event('suggestion-inserted', index, shownAt + 5000);
        if (roll < 0.3) {
          generated.sent = 'as-is';
          // Whitespace differences still count as "as is", as in the panel.
          event('suggestion-edited', index, shownAt + 9000, {
            finalText: `  ${set.suggestions[index]!.text}\n`,
          });
        } else if (roll < 0.45) {
          generated.sent = 'edited';
          event('suggestion-edited', index, shownAt + 9000, { finalText: 'Заказ приедет послезавтра.' });
        }
      } else if (roll < 0.8) {
        generated.dismissed = pick(REASONS);
        event(
          'suggestion-dismissed',
          index,
          shownAt + 4000,
          generated.dismissed ? { reason: generated.dismissed } : {},
        );
      }
      truth.push(generated);
    }
  }
  return { sets, events, truth };
}

function expectedCounts(truth: readonly Generated[]) {
  return {
    shown: truth.length,
    inserted: truth.filter((unit) => unit.inserted).length,
    sentAsIs: truth.filter((unit) => unit.sent === 'as-is').length,
    sentEdited: truth.filter((unit) => unit.sent === 'edited').length,
    dismissed: truth.filter((unit) => unit.dismissed !== undefined).length,
  };
}

describe('console APIs', () => {
  let service: TestService;
  let truth: Generated[];
  // A stand-in for the console's build: the service serves whatever Vite wrote there.
  const consoleDir = mkdtempSync(path.join(os.tmpdir(), 'naparnik-console-dist-'));

  beforeAll(async () => {
    mkdirSync(path.join(consoleDir, 'assets'));
    writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>Напарник</title>');
    writeFileSync(path.join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    service = await startTestService({ clock: { now: () => new Date(NOW) }, config: { consoleDir } });
    const generated = generate(12);
    truth = generated.truth;
    for (const set of generated.sets) await service.events.saveSuggestionSet(set);
    for (const event of generated.events) await service.events.recordFeedback(event);
  });
  afterAll(async () => {
    await service?.dispose();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('serves the built console at /console/, its hashed assets cached for good, and 503 without a build', async () => {
    const page = await service.get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/u);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('Напарник');
    const asset = await service.get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    rmSync(path.join(consoleDir, 'index.html'));
    const missing = await service.get('/console/');
    expect(missing.status).toBe(503);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      '@naparnik/console build',
    );
  });

  describe('knowledge', () => {
    it('lists every document of a collection with its chunks, language and last ingest', async () => {
      const response = await service.get('/v1/collections/demo/documents');
      expect(response.status).toBe(200);
      const body = knowledgeDocumentsResponseSchema.parse(await response.json());
      const collections = collectionsResponseSchema.parse(
        await (await service.get('/v1/collections')).json(),
      );
      const demo = collections.collections.find((collection) => collection.name === 'demo')!;
      expect(body.documents).toHaveLength(demo.documents);
      expect(body.documents.reduce((sum, document) => sum + document.chunks, 0)).toBe(demo.chunks);
      const delivery = body.documents.find((document) => document.documentId === 'faq-delivery-time');
      expect(delivery).toMatchObject({
        kind: 'faq',
        source: 'faq.csv',
        language: 'ru',
        status: 'ok',
        chunks: 1,
      });
      expect(Number.isNaN(Date.parse(delivery!.lastIngestedAt))).toBe(false);
      expect(new Set(body.documents.map((document) => document.kind))).toEqual(
        new Set(Object.keys(demo.byKind)),
      );
    });

    it("shows one document's chunks in order, as many as the list says", async () => {
      const list = knowledgeDocumentsResponseSchema.parse(
        await (await service.get('/v1/collections/demo/documents')).json(),
      );
      const largest = [...list.documents].sort((left, right) => right.chunks - left.chunks)[0]!;
      const response = await service.get(
        `/v1/collections/demo/documents/${encodeURIComponent(largest.documentId)}`,
      );
      expect(response.status).toBe(200);
      const body = knowledgeDocumentDetailSchema.parse(await response.json());
      expect(body.document).toEqual(largest);
      expect(body.chunks).toHaveLength(largest.chunks);
      expect(body.chunks.map((chunk) => chunk.ordinal)).toEqual(
        [...body.chunks.map((chunk) => chunk.ordinal)].sort((left, right) => left - right),
      );
      expect(body.chunks.every((chunk) => chunk.text.length > 0)).toBe(true);
    });

    it('answers 404 for an unknown collection or document', async () => {
      expect((await service.get('/v1/collections/nope/documents')).status).toBe(404);
      expect((await service.get('/v1/collections/demo/documents/nope')).status).toBe(404);
    });
  });

  describe('try it (the pipeline as the panel calls it)', () => {
    it('suggests an answer that cites a document the Knowledge page lists, and search scores it', async () => {
      const documents = knowledgeDocumentsResponseSchema.parse(
        await (await service.get('/v1/collections/demo/documents')).json(),
      );
      const assist = assistResponseSchema.parse(
        await (
          await service.post('/v1/assist', assistBody([{ role: 'customer', text: 'Сколько идёт доставка?' }]))
        ).json(),
      );
      const citation = assist.suggestions[0]?.citations[0];
      expect(citation).toBeDefined();
      expect(documents.documents.map((document) => document.documentId)).toContain(citation!.documentId);
      const search = searchResponseSchema.parse(
        await (
          await service.post('/v1/search', { collection: 'demo', query: 'Сколько идёт доставка?', topK: 5 })
        ).json(),
      );
      expect(search.hits[0]?.documentId).toBe('faq-delivery-time');
      expect(search.hits[0]!.score).toBeGreaterThan(0);
    });
  });

  describe('funnel', () => {
    const since = new Date(NOW - 72 * HOUR - HOUR).toISOString();
    const until = new Date(NOW + HOUR).toISOString();

    it('counts shown → inserted → sent as is / edited → dismissed as the generated events say', async () => {
      const response = await service.get(`/v1/analytics/funnel?bucket=day&from=${since}&to=${until}`);
      expect(response.status).toBe(200);
      const body = funnelResponseSchema.parse(await response.json());
      const expected = expectedCounts(truth);
      expect(body.totals).toMatchObject(expected);
      expect(body.totals.rates.inserted).toBeCloseTo(expected.inserted / expected.shown, 10);
      expect(body.rows.reduce((sum, row) => sum + row.shown, 0)).toBe(expected.shown);
      for (const row of body.rows) {
        const inRow = truth.filter(
          (unit) => unit.shownAt >= Date.parse(row.start) && unit.shownAt < Date.parse(row.end),
        );
        expect(row).toMatchObject(expectedCounts(inRow));
      }
      expect(body.dimensions).toEqual({
        // The assists made earlier in this file with the admin token are recorded as its holder's.
        operators: ['admin', ...OPERATORS].sort(),
        collections: [...COLLECTIONS].sort(),
        engines: [...ENGINES].sort(),
      });
      const reasons = new Map<string, number>();
      for (const unit of truth) {
        if (unit.dismissed !== undefined) reasons.set(unit.dismissed, (reasons.get(unit.dismissed) ?? 0) + 1);
      }
      expect(new Map(body.dismissReasons.map(({ reason, count }) => [reason, count]))).toEqual(reasons);
    });

    it('filters by operator, collection and engine together', async () => {
      const filter = { operator: 'op-boris', collection: 'shop-b', engine: 'claude' };
      const query = new URLSearchParams({ bucket: 'hour', from: since, to: until, ...filter });
      const body = funnelResponseSchema.parse(
        await (await service.get(`/v1/analytics/funnel?${query}`)).json(),
      );
      const matching = truth.filter(
        (unit) =>
          unit.set.operatorId === filter.operator &&
          unit.set.collection === filter.collection &&
          unit.set.engine === filter.engine,
      );
      expect(matching.length).toBeGreaterThan(0);
      expect(body.totals).toMatchObject(expectedCounts(matching));
      expect(body.filters).toEqual(filter);
    });

    it.each([
      ['15m', 15 * 60_000],
      ['hour', HOUR],
      ['day', 24 * HOUR],
    ])('cuts the period into %s buckets, empty ones included', async (bucket, size) => {
      const from = new Date(NOW - 24 * HOUR).toISOString();
      const body = funnelResponseSchema.parse(
        await (
          await service.get(
            `/v1/analytics/funnel?bucket=${bucket}&from=${from}&to=${new Date(NOW).toISOString()}`,
          )
        ).json(),
      );
      for (const row of body.rows)
        expect(Date.parse(row.end) - Date.parse(row.start)).toBeLessThanOrEqual(size);
      expect(body.rows.length).toBe(Math.ceil((24 * HOUR) / size) + (bucket === 'day' ? 1 : 0));
      const inPeriod = truth.filter((unit) => unit.shownAt >= Date.parse(body.from) && unit.shownAt < NOW);
      expect(body.totals.shown).toBe(inPeriod.length);
    });

    it('starts weeks on Monday and days at local midnight for offsetMinutes', async () => {
      const body = funnelResponseSchema.parse(
        await (await service.get('/v1/analytics/funnel?bucket=week&offsetMinutes=180')).json(),
      );
      for (const row of body.rows) {
        const local = new Date(Date.parse(row.start) + 180 * 60_000);
        expect(local.getUTCDay()).toBe(1);
        expect(local.getUTCHours()).toBe(0);
      }
      expect(body.totals.shown).toBe(truth.length);
    });

    it('lists the suggestions behind a number', async () => {
      const query = `bucket=day&from=${since}&to=${until}`;
      const funnel = funnelResponseSchema.parse(
        await (await service.get(`/v1/analytics/funnel?${query}`)).json(),
      );
      const response = await service.get(
        `/v1/analytics/funnel/suggestions?${query}&stage=sent-edited&limit=1000`,
      );
      expect(response.status).toBe(200);
      const body = funnelSuggestionsResponseSchema.parse(await response.json());
      expect(body.total).toBe(funnel.totals.sentEdited);
      expect(body.suggestions.every((item) => item.stages.includes('sent-edited'))).toBe(true);
      const ids = body.suggestions.map((item) => `${item.suggestionSetId}/${item.suggestionIndex}`).sort();
      expect(ids).toEqual(
        truth
          .filter((unit) => unit.sent === 'edited')
          .map((unit) => `${unit.set.id}/${unit.index}`)
          .sort(),
      );
    });

    it('exports the table as UTF-8 CSV with a BOM and as cp1251 with semicolons for a Russian Excel', async () => {
      const query = `bucket=day&from=${since}&to=${until}`;
      const funnel = funnelResponseSchema.parse(
        await (await service.get(`/v1/analytics/funnel?${query}`)).json(),
      );
      const utf8 = await service.get(`/v1/analytics/funnel.csv?${query}`);
      expect(utf8.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const utf8Bytes = Buffer.from(await utf8.arrayBuffer());
      expect([...utf8Bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const utf8Lines = utf8Bytes.subarray(3).toString('utf8').trim().split('\r\n');
      expect(utf8Lines[0]).toMatch(/^Начало,Конец,Показано,/u);
      expect(utf8Lines).toHaveLength(funnel.rows.length + 1);
      expect(utf8Lines[1]!.split(',')[2]).toBe(String(funnel.rows[0]!.shown));

      const cp1251 = await service.get(`/v1/analytics/funnel.csv?${query}&encoding=cp1251`);
      expect(cp1251.headers.get('content-type')).toBe('text/csv; charset=windows-1251');
      const bytes = Buffer.from(await cp1251.arrayBuffer());
      expect(bytes.includes(Buffer.from('Начало', 'utf8'))).toBe(false);
      const lines = iconv.decode(bytes, 'win1251').trim().split('\r\n');
      expect(lines[0]).toMatch(/^Начало;Конец;Показано;Вставлено;/u);
      const busiest = funnel.rows.findIndex((row) => row.shown > 0);
      const cells = lines[busiest + 1]!.split(';');
      expect(cells[2]).toBe(String(funnel.rows[busiest]!.shown));
      expect(cells[7]).toBe((funnel.rows[busiest]!.rates.inserted! * 100).toFixed(1).replace('.', ','));
    });

    it('rejects an unknown bucket, an empty period and too many buckets', async () => {
      expect((await service.get('/v1/analytics/funnel?bucket=month')).status).toBe(400);
      expect((await service.get(`/v1/analytics/funnel?from=${until}&to=${since}`)).status).toBe(400);
      expect((await service.get('/v1/analytics/funnel?bucket=15m&from=2020-01-01T00:00:00Z')).status).toBe(
        400,
      );
      expect((await service.get('/v1/analytics/funnel?operator=')).status).toBe(400);
    });
  });

  it('serves the console itself only where it is built, and lists its APIs in the OpenAPI document', async () => {
    const openApi = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/v1/collections/{collection}/documents',
      '/v1/collections/{collection}/documents/{documentId}',
      '/v1/analytics/funnel',
      '/v1/analytics/funnel.csv',
      '/v1/analytics/funnel/suggestions',
    ]) {
      expect(openApi.paths).toHaveProperty([path]);
    }
  });
});

describe('console APIs by role', () => {
  it('shows the knowledge base to every role and analytics to team leads and admins only', async () => {
    const service = await startTestService();
    try {
      const operator = await service.client({ role: 'operator', name: 'op-console' });
      const lead = await service.client({ role: 'team_lead', name: 'lead-console' });
      expect((await operator.get('/v1/collections/demo/documents')).status).toBe(200);
      for (const path of [
        '/v1/analytics/funnel',
        '/v1/analytics/funnel.csv',
        '/v1/analytics/funnel/suggestions?stage=shown',
      ]) {
        expect((await operator.get(path)).status, path).toBe(403);
        expect((await lead.get(path)).status, path).toBe(200);
      }
      // The console's files hold no data: they load without a token, to show the sign-in form.
      expect((await fetch(`${service.url}/v1/analytics/funnel`)).status).toBe(401);
    } finally {
      await service.dispose();
    }
  });
});
