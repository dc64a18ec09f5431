import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistResponseSchema, searchResponseSchema } from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.dispose();
});

/** The customer's first question, and a later one worded differently with the same need. */
const FIRST = 'Сколько идёт доставка? Посылка едет уже неделю. Анна Смирнова, +7 916 123-45-67';
const LATER = 'Неделю едет посылка, где она?';
const DOCUMENT = 'faq-delivery-time';

async function rankOf(query: string, documentId: string): Promise<number> {
  const response = await service.post('/v1/search', { collection: 'demo', query, topK: 10 });
  const { hits } = searchResponseSchema.parse(await response.json());
  const index = hits.findIndex((hit) => hit.documentId === documentId);
  return index < 0 ? Number.POSITIVE_INFINITY : index + 1;
}

describe('learning from feedback', () => {
  it('links a question to the sources of the suggestion the operator sent, so a similar question finds them higher', async () => {
    const before = await rankOf(LATER, DOCUMENT);
    expect(before).toBeGreaterThan(1);

    const assisted = assistResponseSchema.parse(
      await (await service.post('/v1/assist', assistBody([{ role: 'customer', text: FIRST }]))).json(),
    );
    const chosen = assisted.suggestions.find((suggestion) =>
      suggestion.citations.some((citation) => citation.documentId === DOCUMENT),
    );
    expect(chosen, 'a suggestion resting on the delivery FAQ').toBeDefined();
    // An edit, not a rewrite: the operator added a line to the suggestion (a rewrite links nothing).
    const finalText = `${chosen!.text}\nУточним у курьера и напишем на anna@example.ru`;
    const sent = await service.post('/v1/feedback', {
      eventId: `${assisted.suggestionSetId}-sent`,
      type: 'suggestion-edited',
      suggestionSetId: assisted.suggestionSetId,
      suggestionIndex: chosen!.index,
      finalText,
    });
    expect(sent.status).toBe(200);

    const history = await (await service.ready).store.listHistory('demo', { source: 'feedback' });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      id: `feedback:${assisted.suggestionSetId}`,
      source: 'feedback',
      documentIds: expect.arrayContaining([DOCUMENT]),
    });
    // Personal data never reaches the history: the phone and the e-mail are masked.
    expect(history[0]?.question).toContain('Посылка едет уже неделю');
    expect(history[0]?.question).not.toContain('916');
    expect(history[0]?.answer).toContain('Уточним у курьера');
    expect(history[0]?.answer).not.toContain('anna@example.ru');
    expect(service.logs.join('\n')).not.toContain('Посылка едет');

    const after = await rankOf(LATER, DOCUMENT);
    expect(after).toBeLessThan(before);
  });

  it('learns nothing from events that are not a sent reply, nor twice from the same event', async () => {
    const assisted = assistResponseSchema.parse(
      await (
        await service.post(
          '/v1/assist',
          assistBody([{ role: 'customer', text: 'Как почистить серебряную цепочку?' }]),
        )
      ).json(),
    );
    const base = { suggestionSetId: assisted.suggestionSetId, suggestionIndex: 0 };
    await service.post('/v1/feedback', {
      ...base,
      eventId: `${assisted.suggestionSetId}-i`,
      type: 'suggestion-inserted',
    });
    await service.post('/v1/feedback', {
      ...base,
      eventId: `${assisted.suggestionSetId}-r`,
      type: 'suggestion-rated',
      rating: 'up',
    });
    const store = (await service.ready).store;
    const learnt = async () =>
      (await store.listHistory('demo', { source: 'feedback' })).filter((entry) =>
        entry.id.endsWith(assisted.suggestionSetId),
      );
    expect(await learnt()).toEqual([]);
    const edited = {
      ...base,
      eventId: `${assisted.suggestionSetId}-e`,
      type: 'suggestion-edited',
      finalText: 'Мягкой тканью.',
    };
    await service.post('/v1/feedback', edited);
    const generation = (await store.getCollection('demo'))?.historyGeneration;
    await service.post('/v1/feedback', edited);
    expect(await learnt()).toHaveLength(1);
    expect((await store.getCollection('demo'))?.historyGeneration).toBe(generation);
  });
});
