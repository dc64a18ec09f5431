import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_KB_DIR } from '../src/knowledge-base.ts';
import { repoRoot } from '../src/test-support/shared-datasets.ts';

export { seededRandom } from '../src/random.ts';

/**
 * Real Russian sentences to build synthetic corpora of any size from: the public RUTUBE help
 * pages in ../shared when they are there, plus the demo knowledge base's articles.
 */
export function sentencePool(): string[] {
  const texts: string[] = [];
  const helpPages = path.resolve(repoRoot, '..', 'shared', 'datasets', 'rutube-support', 'help-pages');
  if (existsSync(helpPages)) {
    for (const name of readdirSync(helpPages)) texts.push(readFileSync(path.join(helpPages, name), 'utf8'));
  }
  const articles = path.join(DEMO_KB_DIR, 'articles');
  if (existsSync(articles)) {
    for (const name of readdirSync(articles)) texts.push(readFileSync(path.join(articles, name), 'utf8'));
  }
  const sentences = texts
    .flatMap((text) => text.replace(/[#*>|`[\]()]/gu, ' ').split(/(?<=[.!?])\s+|\n+/u))
    .map((sentence) => sentence.replace(/\s+/gu, ' ').trim())
    .filter(
      (sentence) => sentence.length > 30 && sentence.length < 400 && /\p{Script=Cyrillic}/u.test(sentence),
    );
  if (sentences.length < 100) throw new Error('bench: too few sentences to build a corpus from');
  return sentences;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

export function paragraph(pool: readonly string[], random: () => number, sentences: number): string {
  return Array.from({ length: sentences }, () => pick(pool, random)).join(' ');
}

/** A query the way a customer types it: a handful of words from some sentence of the corpus. */
export function queryFrom(pool: readonly string[], random: () => number): string {
  const words = pick(pool, random).split(' ');
  const length = 3 + Math.floor(random() * 5);
  const start = Math.floor(random() * Math.max(1, words.length - length));
  return words.slice(start, start + length).join(' ');
}
