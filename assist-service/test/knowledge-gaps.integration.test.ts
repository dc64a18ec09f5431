import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAP_TOPICS, generateGapQuestions } from '../src/console/test-support/gap-questions.ts';
import {
  editPatternsResponseSchema,
  errorBodySchema,
  faqDraftResponseSchema,
  faqSaveResponseSchema,
  knowledgeDocumentsResponseSchema,
  knowledgeGapsResponseSchema,
  type Suggestion,
  searchResponseSchema,
} from '../src/contract/index.ts';
import type { FeedbackRecord, SuggestionSetRecord } from '../src/feedback/event-store.ts';
import { startTestService, type TestService } from './harness.ts';

/**
 * The Gaps page's APIs on a real service: generated suggestion sets, gap records and operators'
 * feedback written into the real on-disk event store, the fixture knowledge base in a real store,
 * entries saved through the console's uploads and found by the real search afterwards.
 */

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const DAY = 86_400_000;
const PHONE = '+7 912 345-67-89';

function suggestion(text: string, documentId?: string): Suggestion {
  return {
    index: 0,
    text,
    kind: documentId ? 'faq' : 'template',
    title: documentId ? 'Сколько идёт доставка?' : 'Ответ',
    language: 'ru',
    citations: documentId
      ? [
          {
            documentId,
            chunkId: `${documentId}#0`,
            title: 'Сколько идёт доставка?',
            quote: 'Курьером по Москве…',
          },
        ]
      : [],
    confidence: { score: 0.2, level: 'low' },
    filledSlots: {},
    missingSlots: [],
    short: false,
    engine: 'offline',
  };
}

const topicOf = (question: string) =>
  GAP_TOPICS.find((topic) => topic.phrasings.some((phrasing) => question.includes(phrasing)));

describe('knowledge gaps and operator edits', () => {
  let service: TestService;
  const generated = generateGapQuestions(400, { seed: 21, from: NOW - 20 * DAY, spanMs: 19 * DAY });

  beforeAll(async () => {
    service = await startTestService({ clock: { now: () => new Date(NOW) } });
    const feedback: FeedbackRecord[] = [];
    const event = (
      set: SuggestionSetRecord,
      type: FeedbackRecord['type'],
      extra: Partial<FeedbackRecord> = {},
    ) =>
      feedback.push({
        eventId: `${set.id}-${type}`,
        type,
        suggestionSetId: set.id,
        suggestionIndex: 0,
        operatorId: 'op-anna',
        occurredAt: set.createdAt,
        receivedAt: set.createdAt,
        ...extra,
      });
    for (const [index, gap] of generated.entries()) {
      // One customer left a phone number in the question: it must come back masked.
      const question = index === 0 ? `${gap.question} Перезвоните ${PHONE}` : gap.question;
      const set: SuggestionSetRecord = {
        id: `gap-set-${index}`,
        collection: 'demo',
        engine: 'offline',
        channel: 'chat',
        language: 'ru',
        confidence: { score: index % 3 === 0 ? 0.2 : 0.7, level: index % 3 === 0 ? 'low' : 'medium' },
        suggestions: [suggestion('Уточните, пожалуйста, ваш вопрос.')],
        question,
        createdAt: gap.at,
      };
      await service.events.saveSuggestionSet(set);
      if (index % 3 === 0) {
        await service.events.recordKnowledgeGap({
          id: `gap-${index}`,
          collection: 'demo',
          suggestionSetId: set.id,
          query: question,
          language: 'ru',
          bestScore: 0.1,
          createdAt: gap.at,
        });
      } else if (index % 3 === 1) {
        event(set, 'suggestion-dismissed', { reason: 'не по теме' });
      }
      // Most operators answered anyway, in their own words: the rewrite keeps nothing of the suggestion.
      if (index % 3 !== 1 || index % 2 === 0) event(set, 'suggestion-edited', { finalText: gap.reply });
    }
    // A template operators keep rewriting the same way, and one they send as it is.
    for (let index = 0; index < 6; index++) {
      const set: SuggestionSetRecord = {
        id: `edit-set-${index}`,
        collection: 'demo',
        engine: 'offline',
        channel: 'chat',
        language: 'ru',
        confidence: { score: 0.9, level: 'high' },
        suggestions: [suggestion('Курьером по Москве доставляем за 1–2 дня.', 'faq-delivery-time')],
        question: 'Сколько идёт доставка?',
        createdAt: new Date(NOW - (index + 1) * DAY).toISOString(),
      };
      await service.events.saveSuggestionSet(set);
      event(set, 'suggestion-edited', {
        finalText:
          index < 4
            ? `Курьером по Москве доставляем за 1–2 дня, в выходные тоже${index % 2 ? '!' : '.'} Трек-номер придёт в SMS.`
            : 'Курьером по Москве доставляем за 1–2 дня.',
      });
    }
    for (const record of feedback) await service.events.recordFeedback(record);
  }, 120_000);
  afterAll(async () => {
    await service?.dispose();
  });

  async function topHit(query: string): Promise<string | undefined> {
    const response = await service.post('/v1/search', { collection: 'demo', query, topK: 3 });
    return searchResponseSchema.parse(await response.json()).hits[0]?.documentId;
  }

  async function documentIds(): Promise<string[]> {
    const response = await service.get('/v1/collections/demo/documents');
    return knowledgeDocumentsResponseSchema
      .parse(await response.json())
      .documents.map((document) => document.documentId);
  }

  async function gaps(query = '') {
    const response = await service.get(`/v1/knowledge-gaps${query}`);
    expect(response.status).toBe(200);
    return knowledgeGapsResponseSchema.parse(await response.json());
  }

  it('clusters the period’s gaps by question, largest first, with masked examples and reasons', async () => {
    const body = await gaps();
    expect(body.records).toBe(generated.length);
    expect(body.clusters.length).toBeGreaterThanOrEqual(GAP_TOPICS.length);
    const sizes = body.clusters.map((cluster) => cluster.size);
    expect(sizes).toEqual([...sizes].sort((left, right) => right - left));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(generated.length);
    // Every cluster is labelled with one of the questions it holds: a phrasing of a known topic.
    for (const cluster of body.clusters) expect(topicOf(cluster.label)).toBeDefined();
    const reasons = body.clusters.flatMap((cluster) =>
      Object.entries(cluster.reasons).flatMap(([reason, count]) => (count > 0 ? [reason] : [])),
    );
    expect(new Set(reasons)).toEqual(new Set(['low-confidence', 'dismissed', 'rewritten']));
    const text = JSON.stringify(body);
    expect(text).not.toContain('345-67-89');
    expect(text).not.toContain('+7 912');
  });

  it('reads only the period and collection asked for', async () => {
    const recent = await gaps(`?from=${new Date(NOW - 5 * DAY).toISOString()}`);
    const expected = generated.filter((gap) => Date.parse(gap.at) >= NOW - 5 * DAY).length;
    expect(recent.records).toBe(expected);
    expect((await gaps('?collection=other')).records).toBe(0);
    const backwards = await service.get(
      `/v1/knowledge-gaps?from=${new Date(NOW).toISOString()}&to=${new Date(NOW - DAY).toISOString()}`,
    );
    expect(backwards.status).toBe(400);
    expect(errorBodySchema.parse(await backwards.json()).error.message).toContain(
      '"from" must be before "to"',
    );
  });

  it('is for knowledge managers: an operator’s token is refused', async () => {
    const operator = await service.client({ role: 'operator', name: 'op-gaps' });
    expect((await operator.get('/v1/knowledge-gaps')).status).toBe(403);
    const manager = await service.client({ role: 'knowledge_manager', name: 'km-gaps' });
    expect((await manager.get('/v1/knowledge-gaps')).status).toBe(200);
  });

  it('drafts an FAQ entry offline from the operators’ own replies, then saves it so new questions find it', async () => {
    // The largest cluster of the gift-wrap questions (the topic the generator asks most).
    const top = (await gaps()).clusters.find((cluster) => topicOf(cluster.label)?.id === 'gift-wrap')!;
    const draftResponse = await service.post(`/v1/knowledge-gaps/${top.id}/draft`, {});
    expect(draftResponse.status).toBe(200);
    const draft = faqDraftResponseSchema.parse(await draftResponse.json());
    expect(draft.engine).toBe('offline');
    // Never invented: the answer is one operators sent for that topic, word for word.
    expect(topicOf(top.label)!.replies).toContain(draft.answer);
    expect(draft.basedOn).toBeGreaterThan(10);

    const before = await topHit('Положите серьги в подарочную коробку?');
    expect(before ?? '').not.toMatch(/^faq-gap-/u);

    const saved = await service.post('/v1/knowledge-gaps/faq', {
      collection: 'demo',
      question: 'Можно ли упаковать заказ в подарочную коробку?',
      answer: draft.answer,
      variants: draft.variants,
      target: { kind: 'new' },
      fromCluster: { clusterId: top.id },
    });
    expect(saved.status).toBe(201);
    const entry = faqSaveResponseSchema.parse(await saved.json());
    // The cluster's replies are learnt as history for the new entry.
    expect(entry).toMatchObject({ collection: 'demo', appended: false, historyLinked: top.sentAnswers });
    const after = await topHit('Положите серьги в подарочную коробку?');
    expect(after).toBe(entry.documentId);

    // A second entry appended to the first one's file: both are in the collection.
    const appended = await service.post('/v1/knowledge-gaps/faq', {
      collection: 'demo',
      question: 'Можно ли вложить открытку в подарочную коробку?',
      answer: 'Да, открытку вложим бесплатно.',
      target: { kind: 'append', documentId: entry.documentId },
    });
    expect(appended.status).toBe(201);
    const second = faqSaveResponseSchema.parse(await appended.json());
    expect(second).toMatchObject({ appended: true, file: entry.file, historyLinked: 0 });
    expect(await documentIds()).toEqual(expect.arrayContaining([entry.documentId, second.documentId]));
  });

  it('refuses to append to a file it did not upload, and an empty answer, changing nothing', async () => {
    const documents = await documentIds();
    const foreign = await service.post('/v1/knowledge-gaps/faq', {
      collection: 'demo',
      question: 'Вопрос?',
      answer: 'Ответ.',
      target: { kind: 'append', documentId: 'faq-delivery-time' },
    });
    expect(foreign.status).toBe(400);
    expect(errorBodySchema.parse(await foreign.json()).error.message).toContain(
      'save the entry as a new document',
    );
    const empty = await service.post('/v1/knowledge-gaps/faq', {
      collection: 'demo',
      question: 'Вопрос?',
      answer: '  ',
      target: { kind: 'new' },
    });
    expect(empty.status).toBe(400);
    expect(await documentIds()).toEqual(documents);
  });

  it('shows another tenant none of these gaps, drafts or edits', async () => {
    const top = (await gaps()).clusters[0]!;
    const other = await service.client({ role: 'knowledge_manager', name: 'km-other', tenant: 'shop-b' });
    const theirGaps = knowledgeGapsResponseSchema.parse(await (await other.get('/v1/knowledge-gaps')).json());
    expect(theirGaps).toMatchObject({ records: 0, clusters: [] });
    expect((await other.post(`/v1/knowledge-gaps/${top.id}/draft`, {})).status).toBe(404);
    const theirEdits = editPatternsResponseSchema.parse(await (await other.get('/v1/operator-edits')).json());
    expect(theirEdits.patterns).toEqual([]);
  });

  it('lists its routes in the OpenAPI document', async () => {
    const openApi = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    for (const route of [
      '/v1/knowledge-gaps',
      '/v1/knowledge-gaps/{clusterId}/draft',
      '/v1/knowledge-gaps/faq',
      '/v1/operator-edits',
    ]) {
      expect(openApi.paths).toHaveProperty([route]);
    }
  });

  it('answers 404 for a cluster the period does not have', async () => {
    const response = await service.post('/v1/knowledge-gaps/000000000000/draft', {});
    expect(response.status).toBe(404);
  });

  it('finds the document operators keep rewriting the same way, with the typical rewrite and its count', async () => {
    const response = await service.get('/v1/operator-edits');
    expect(response.status).toBe(200);
    const body = editPatternsResponseSchema.parse(await response.json());
    const pattern = body.patterns.find((candidate) => candidate.documentId === 'faq-delivery-time');
    expect(pattern).toMatchObject({ collection: 'demo', editedSends: 4, count: 4 });
    expect(pattern?.typicalRewrite).toContain('в выходные тоже');
    expect(pattern?.suggestionText).toBe('Курьером по Москве доставляем за 1–2 дня.');
  });
});
