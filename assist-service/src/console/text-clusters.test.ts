import { describe, expect, it } from 'vitest';
import { GAP_TOPICS, generateGapQuestions } from './test-support/gap-questions.ts';
import { clusterTexts, medoid } from './text-clusters.ts';

/** The share of texts whose cluster's majority topic is their own topic. */
function purity(clusters: { members: number[] }[], topics: readonly string[]): number {
  let agreeing = 0;
  for (const cluster of clusters) {
    const counts = new Map<string, number>();
    for (const member of cluster.members) counts.set(topics[member]!, (counts.get(topics[member]!) ?? 0) + 1);
    agreeing += Math.max(...counts.values());
  }
  return agreeing / topics.length;
}

describe('clusterTexts', () => {
  it('puts phrasings of one question together and keeps different questions apart', () => {
    const clusters = clusterTexts([
      'Где мой заказ?',
      'где заказы мои',
      'Можно оплатить биткоином?',
      'Принимаете оплату криптовалютой?',
      'оплатить биткоином можно?',
    ]);
    const groups = clusters.map((cluster) => cluster.members);
    expect(groups).toContainEqual([0, 1]);
    expect(groups).toContainEqual([2, 4]);
    expect(groups.flat().sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('recovers generated topics: greetings, order numbers and cities never split a phrasing', () => {
    const generated = generateGapQuestions(3000, { seed: 3 });
    const clusters = clusterTexts(generated.map((gap) => gap.question));
    expect(
      purity(
        clusters,
        generated.map((gap) => gap.topic),
      ),
    ).toBeGreaterThan(0.99);
    // Phrasings with no content word in common stay apart (stems, not meaning), but no more.
    const phrasings = GAP_TOPICS.reduce((sum, topic) => sum + topic.phrasings.length, 0);
    expect(clusters.length).toBeLessThanOrEqual(phrasings);
  });

  it('gives the same clusters, ids and order for the same input, whatever ran before', () => {
    const texts = generateGapQuestions(2000, { seed: 11 }).map((gap) => gap.question);
    const first = clusterTexts(texts);
    clusterTexts(generateGapQuestions(500, { seed: 12 }).map((gap) => gap.question));
    expect(clusterTexts([...texts])).toEqual(first);
  });

  it('groups texts without content words apart instead of dropping them', () => {
    const clusters = clusterTexts(['???', 'Здравствуйте!', 'Где мой заказ?']);
    expect(clusters.find((cluster) => cluster.id === 'no-content-words')?.members).toEqual([0, 1]);
  });
});

describe('medoid', () => {
  it('picks the reply most like the others, one of them word for word', () => {
    const replies = [
      'Подарочная коробка стоит 250 ₽, добавьте её в корзине.',
      'Коробку можно добавить в корзине, она стоит 250 ₽.',
      'Позвоните нам завтра.',
      'Добавьте подарочную коробку в корзине — 250 ₽.',
    ];
    expect(replies[medoid(replies)]).not.toBe('Позвоните нам завтра.');
    expect(medoid(['один ответ'])).toBe(0);
  });
});
