import { describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { createVectorIndex } from './vector-index.ts';

const embedder = createHashedNgramEmbedder({ dimensions: 64 });
const WORDS =
  'доставка заказ возврат кольцо серьги браслет часы гарантия ремонт оплата карта бонусы сертификат магазин курьер почта размер гравировка цепочка подвеска'.split(
    ' ',
  );

/** Deterministic short texts built from a small vocabulary, like FAQ questions. */
function texts(count: number): string[] {
  let state = 7;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 4 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' '),
  );
}

describe('vector index', () => {
  it('returns the exact nearest vectors, best first', async () => {
    const index = createVectorIndex(64);
    const corpus = ['доставка курьером', 'возврат серёг', 'гарантия на часы'];
    const vectors = await embedder.embedDocuments(corpus);
    for (const [position, vector] of vectors.entries()) index.add(position + 1, vector, 'faq', 'ru');
    const matches = index.search(await embedder.embedQuery('гарантия часов'), 2);
    expect(matches.map((match) => match.id)).toEqual([3, expect.any(Number)]);
    expect(matches[0]!.similarity).toBeGreaterThan(matches[1]!.similarity);
  });

  it('leaves no trace of an add refused for one language too many, and keeps the vector it would replace', async () => {
    const index = createVectorIndex(64);
    const [vector] = await embedder.embedDocuments(['доставка']);
    for (let language = 0; language < 255; language++)
      index.add(language + 1, vector!, 'faq', `x${language}`);
    expect(() => index.add(1, vector!, 'faq', 'one-too-many')).toThrow();
    expect(() => index.add(1_000, vector!, 'faq', 'one-too-many')).toThrow();
    const ids = index.search(vector!, 300).map((match) => match.id);
    expect(ids).toHaveLength(255);
    expect(ids).toContain(1);
    expect(ids).not.toContain(1_000);
  });

  it('never returns removed vectors or vectors outside the kind and language filter', async () => {
    const index = createVectorIndex(64);
    const [first, second, third] = await embedder.embedDocuments([
      'доставка',
      'доставка курьером',
      'delivery',
    ]);
    index.add(1, first!, 'faq', 'ru');
    index.add(2, second!, 'template', 'ru');
    index.add(3, third!, 'faq', 'en');
    index.remove(1);
    const query = await embedder.embedQuery('доставка');
    expect(index.search(query, 5).map((match) => match.id)).not.toContain(1);
    expect(index.search(query, 5, { kinds: ['faq'] }).map((match) => match.id)).toEqual([3]);
    expect(index.search(query, 5, { languages: ['ru'] }).map((match) => match.id)).toEqual([2]);
    expect(index.size()).toBe(2);
  });

  it('replaces a vector added again under the same id', async () => {
    const index = createVectorIndex(64);
    const [first, second] = await embedder.embedDocuments(['ремонт', 'оплата']);
    index.add(1, first!, 'faq', 'ru');
    index.add(1, second!, 'faq', 'ru');
    expect(index.size()).toBe(1);
    expect(index.search(second!, 1)[0]?.similarity).toBeCloseTo(1, 5);
  });

  it('finds nearly all exact top-10 neighbours when the sign-bit pass picks what to rescore', async () => {
    const corpus = texts(3000);
    const vectors = await embedder.embedDocuments(corpus);
    const exact = createVectorIndex(64, { exactThreshold: Number.POSITIVE_INFINITY });
    const approximate = createVectorIndex(64, { exactThreshold: 1000, rescoreFraction: 0.1 });
    vectors.forEach((vector, position) => {
      exact.add(position + 1, vector, 'faq', 'ru');
      approximate.add(position + 1, vector, 'faq', 'ru');
    });
    let found = 0;
    let same = 0;
    const queries = texts(3100).slice(3000);
    for (const text of queries) {
      const query = await embedder.embedQuery(text);
      const truth = exact.search(query, 10).map((match) => match.id);
      const got = approximate.search(query, 10).map((match) => match.id);
      found += got.filter((id) => truth.includes(id)).length;
      if (got.join() === truth.join()) same++;
    }
    expect(found / (queries.length * 10)).toBeGreaterThan(0.8);
    // Approximate: some rankings must differ, or the test did not exercise the sign-bit pass.
    expect(same).toBeLessThan(queries.length);
  });

  it('filters by tag tokens inside the scan', async () => {
    const index = createVectorIndex(64);
    const [first, second] = await embedder.embedDocuments(['доставка', 'доставка курьером']);
    index.add(1, first!, 'faq', 'ru', ['t_delivery']);
    index.add(2, second!, 'faq', 'ru', ['t_courier', 't_delivery']);
    const query = await embedder.embedQuery('доставка');
    expect(index.search(query, 5, { tagTokens: ['t_courier'] }).map((match) => match.id)).toEqual([2]);
    expect(index.search(query, 5, { tagTokens: ['t_delivery'] }).map((match) => match.id)).toEqual([1, 2]);
    expect(index.search(query, 5, { tagTokens: ['t_none'] })).toEqual([]);
  });
});
