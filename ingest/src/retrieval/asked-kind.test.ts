import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../knowledge-base.ts';
import { answeredKinds, askedKind } from './asked-kind.ts';
import { createRetriever } from './retriever.ts';
import { openTestCollection } from './test-collection.ts';

describe('askedKind', () => {
  it.each([
    ['Сколько баллов начислят за покупку на 15 000?', 'amount'],
    ['Как долго рассматривается заявка?', 'amount'],
    ['Когда начисляются баллы?', 'when'],
    ['Почему не проходит оплата?', 'why'],
    ['Где найти ваши магазины в Казани?', 'where'],
    ['Кто принимает решение по заявкам?', 'who'],
    ['Что за метка 18+?', 'what'],
    ['Можно ли вернуть серьги?', 'yes-no'],
    ['Как удалить видео?', 'how'],
    ['Какие способы доставки у вас есть?', 'which'],
    ['How much does delivery cost?', 'amount'],
    ['Where are your stores?', 'where'],
    ['Can I return a watch?', 'yes-no'],
  ])('reads «%s» as a question of kind %s', (text, kind) => {
    expect(askedKind(text)).toBe(kind);
  });

  it('reads the sentence that asks, not the story around it', () => {
    expect(askedKind('Когда я загружаю видео, пишет ошибку. Что делать?')).toBe('what');
    expect(askedKind('Я вчера заказала кольцо. Почему его до сих пор нет?')).toBe('why');
  });

  it('finds no question in a message without a question word, and no «how» in «так как»', () => {
    expect(askedKind('не загружается видео')).toBeUndefined();
    expect(askedKind('Верните деньги, так как товар не пришёл')).toBeUndefined();
    expect(askedKind('Ваше приложение как будто зависло')).toBeUndefined();
  });

  it('takes a question word whole: «где» is not in «везде», «ли» not in «были»', () => {
    expect(askedKind('Везде были, ничего не нашли')).toBeUndefined();
  });

  it('gives every kind an entry answers, one per phrasing', () => {
    expect([...answeredKinds(['Сколько идёт доставка?', 'Когда привезут заказ?'])].sort()).toEqual([
      'amount',
      'when',
    ]);
    expect(answeredKinds(['Доставка']).size).toBe(0);
  });
});

describe('the retriever and the kind of question', () => {
  let kb: KnowledgeBase;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ kb, close } = await openTestCollection(
      [
        {
          id: 'faq-points-when',
          question: 'Когда начисляются баллы за покупку?',
          answer: 'Баллы за покупку начисляются через 14 дней после получения заказа.',
        },
        {
          id: 'faq-points-amount',
          question: 'Сколько баллов начисляется за покупку?',
          answer: 'За покупку начисляется 3% от суммы баллами, на уровне «Золото» — 5%.',
        },
        {
          id: 'faq-delivery',
          question: 'Сколько стоит доставка?',
          answer: 'Курьерская доставка стоит 350 ₽, от 5 000 ₽ — бесплатно.',
        },
      ],
      'kinds',
    ));
  });
  afterAll(() => close());

  it('puts the entry that answers the kind of question asked first among entries the words match alike', async () => {
    const withKinds = createRetriever({ store: kb.store, collection: 'kinds' });
    const without = createRetriever({
      store: kb.store,
      collection: 'kinds',
      settings: { weights: { askedKind: 0 } },
    });
    const ids = async (retriever: typeof withKinds, text: string) =>
      (await retriever.search(text, { topK: 3 })).map((hit) => hit.documentId);

    expect((await ids(withKinds, 'Сколько начислят баллов за покупку?'))[0]).toBe('faq-points-amount');
    expect((await ids(withKinds, 'Когда начислят баллы за покупку?'))[0]).toBe('faq-points-when');
    // The lift is a share of the entry's own score (0.3 of it), not a constant: an entry that only
    // asks the same kind of question, about something else, gains next to nothing.
    const hits = await withKinds.search('Сколько начислят баллов за покупку?', { topK: 3 });
    const lifted = hits.filter((hit) => hit.evidence.askedKind !== undefined);
    expect(lifted.map((hit) => hit.documentId)).toEqual(
      expect.arrayContaining(['faq-points-amount', 'faq-delivery']),
    );
    for (const hit of lifted) expect(hit.evidence.askedKind).toBeCloseTo((hit.score * 0.3) / 1.3, 6);
    const delivery = lifted.find((hit) => hit.documentId === 'faq-delivery')!;
    expect(delivery.evidence.askedKind!).toBeLessThan(lifted[0]!.evidence.askedKind! / 2);
    expect(
      (await without.search('Сколько начислят баллов за покупку?', { topK: 1 }))[0]!.evidence.askedKind,
    ).toBeUndefined();
  });
});
