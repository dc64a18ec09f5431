import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../model.ts';
import { seededRandom } from '../random.ts';
import { analyze } from '../text/analyze.ts';
import { type CollectionIndex, createCollectionIndexBuilder } from './collection-index.ts';
import { DEFAULT_RETRIEVER_SETTINGS } from './retriever.ts';

/**
 * The collection index's scores must stay, to the last bit, what they were before its memory was
 * cut (issue 14, session 7: n-gram weights computed per query instead of stored, ids in two
 * bytes): every chunk's BM25F and title and body n-gram similarity for 40 queries over 3,000
 * generated FAQ chunks. The digests in `fixtures/collection-index-equivalence.json` were recorded
 * by the index as it was at commit 6206195, and recorded again when word families joined the
 * analysis (decision 0059: «возврат» and «вернуть» became one term, an intended ranking change).
 * A change that moves one score is a ranking change.
 *
 * Regenerate them only for an intended change of ranking:
 *   UPDATE_COLLECTION_INDEX_DIGESTS=1 npx vitest run src/retrieval/collection-index-equivalence.test.ts
 */
const FIXTURE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'collection-index-equivalence.json',
);
const CHUNKS = 3_000;

const WORDS = (
  'заказ доставка курьер возврат деньги карта оплата кабинет пароль вход приложение пункт выдачи ' +
  'сертификат подарок скидка бонус баллы кольцо серебро золото размер примерка обмен чек гарантия ' +
  'ремонт мастер срок неделя день адрес телефон почта уведомление отмена статус трек посылка склад ' +
  'наличие магазин витрина подписка тариф списание промокод акция распродажа Москва ёлка transfer app'
).split(' ');

/** Zipf-like: a few words in most chunks, most words in few; now and then a typo. */
function phrase(random: () => number, length: number): string {
  const words: string[] = [];
  for (let index = 0; index < length; index++) {
    let word = WORDS[Math.floor(WORDS.length * random() ** 2.2)]!;
    if (random() < 0.05) word = word.slice(0, -2) + word.slice(-1);
    words.push(word);
  }
  return words.join(' ');
}

function generatedChunks(): Chunk[] {
  const random = seededRandom(14);
  return Array.from({ length: CHUNKS }, (_, index) => ({
    chunkId: `faq-${index}#0`,
    documentId: `faq-${String(index).padStart(5, '0')}`,
    ordinal: 0,
    kind: 'faq' as const,
    title: `${phrase(random, 3 + Math.floor(random() * 5))}?`,
    titlePath: [phrase(random, 2)],
    text: `${phrase(random, 12 + Math.floor(random() * 40))}. ${random() < 0.1 ? 'Ответ ждите 7–14 дней.' : ''}`,
    language: 'ru',
    tags: [phrase(random, 1), ...(random() < 0.3 ? [phrase(random, 2)] : [])],
    source: 'generated.jsonl',
    metadata: { question: `${phrase(random, 4)}?` },
  }));
}

function digest(scores: Map<number, number>): string {
  const hash = createHash('sha256');
  const bits = new Float64Array(1);
  for (const [position, score] of [...scores].sort(([left], [right]) => left - right)) {
    bits[0] = score;
    hash.update(`${position}:${Buffer.from(bits.buffer).toString('hex')};`);
  }
  return hash.digest('hex').slice(0, 24);
}

function digests(index: CollectionIndex): Record<string, string[]> {
  const random = seededRandom(41);
  const positions = Array.from({ length: index.size }, (_, position) => position);
  const result: Record<string, string[]> = { lexical: [], titles: [], bodies: [] };
  for (let query = 0; query < 40; query++) {
    const text = phrase(random, 1 + Math.floor(random() * 6));
    const terms = analyze(text).map((term, at) => ({ term, weight: at % 3 === 0 ? 0.5 : 1 }));
    result.lexical!.push(digest(index.lexicalScores(terms, positions)));
    result.titles!.push(digest(index.titleSimilarities(text, positions)));
    result.bodies!.push(digest(index.bodySimilarities(text, positions)));
  }
  return result;
}

describe('collection index scores', () => {
  it('are, to the bit, those recorded before the index was slimmed', () => {
    const builder = createCollectionIndexBuilder({
      bm25: DEFAULT_RETRIEVER_SETTINGS.bm25,
      prefixLength: DEFAULT_RETRIEVER_SETTINGS.prefixLength,
      bodyNgrams: true,
    });
    for (const chunk of generatedChunks()) builder.addDocument(chunk.documentId, 'stamp', [chunk]);
    const actual = digests(builder.finish());
    if (process.env.UPDATE_COLLECTION_INDEX_DIGESTS)
      writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 1)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  }, 60_000);
});
