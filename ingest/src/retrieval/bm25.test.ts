import { describe, expect, it } from 'vitest';
import { createBm25Index } from './bm25.ts';
import { createNgramIndex } from './char-ngrams.ts';

describe('BM25F', () => {
  const index = createBm25Index({
    k1: 1.2,
    fields: { title: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } },
  });
  index.add({ title: ['монетизац'], body: ['договор', 'выплат'] });
  index.add({ title: ['трансляц'], body: ['монетизац', 'стрим', 'стрим'] });
  index.add({ title: ['пароль'], body: ['вход'] });

  it('weighs a match in a heavier field above one in a lighter field', () => {
    const scores = index.score(['монетизац']);
    expect(scores.get(0)!).toBeGreaterThan(scores.get(1)!);
    expect(scores.has(2)).toBe(false);
  });

  it('computes the score by the formula', () => {
    // Document 2, term "пароль": df 1 of 3; title length 1 (average 1), so the normaliser is 1.
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    const weighted = 3 * 1;
    expect(index.score(['пароль']).get(2)).toBeCloseTo((idf * weighted) / (1.2 + weighted), 12);
  });

  it('scales a weighted query term and counts repeats once', () => {
    const full = index.score(['пароль']).get(2)!;
    expect(index.score([{ term: 'пароль', weight: 0.5 }]).get(2)).toBeCloseTo(full / 2, 12);
    expect(index.score(['пароль', 'пароль']).get(2)).toBeCloseTo(full, 12);
  });

  it('knows document frequencies and terms', () => {
    expect(index.documentFrequency('монетизац')).toBe(2);
    expect([...index.terms()]).toContain('стрим');
  });

  it('counts a term of a weight-0 field in its document frequency, though it scores nothing there', () => {
    const titleOnly = createBm25Index({
      k1: 1.2,
      fields: { title: { weight: 1, b: 0.75 }, body: { weight: 0, b: 0.75 } },
    });
    titleOnly.add({ title: ['пароль'], body: [] });
    titleOnly.add({ title: ['вход'], body: ['пароль'] });
    titleOnly.add({ title: ['стрим'], body: [] });
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    expect([...titleOnly.score(['пароль'])]).toEqual([[0, (idf * 1) / (1.2 + 1)]]);
  });

  it('scores again after an add, with the new length and document frequency', () => {
    const growing = createBm25Index({ k1: 1.2, fields: { text: { weight: 1, b: 0.75 } } });
    growing.add({ text: ['пароль'] });
    const alone = growing.score(['пароль']).get(0)!;
    growing.add({ text: ['пароль', 'вход', 'стрим'] });
    expect(growing.score(['пароль']).get(0)).not.toBe(alone);
    expect(growing.score(['пароль']).size).toBe(2);
  });

  it('gives the same scores, in the same order, as typed arrays as it does as a Map', () => {
    const terms = ['монетизац', { term: 'стрим', weight: 0.5 }, 'вход'];
    const arrays = index.scoreArrays(terms);
    expect([...index.score(terms)]).toEqual(
      arrays.order.map((document) => [document, arrays.scores[document]]),
    );
    const ngrams = createNgramIndex();
    for (const text of ['как подключить монетизацию', 'стрим не запускается', 'забыл пароль'])
      ngrams.add(text);
    const similar = ngrams.similarityArrays('монетизация стрима');
    expect([...ngrams.similarities('монетизация стрима')]).toEqual(
      similar.order.map((document) => [document, similar.scores[document]]),
    );
  });
});
