import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConversationMessage } from '@naparnik/assist-service/contract';
import { EXTENSION_ROOT } from './fixtures.ts';

export const CORPUS_ROOT = path.join(EXTENSION_ROOT, 'corpus');

type Role = ConversationMessage['role'];

export interface CorpusPage {
  kind: string;
  /** Where the page sits: development pages, or a held-out batch (see corpus/README.md). */
  batch: 'development' | 'held-out' | 'held-out-2';
  product: string;
  heldOut: boolean;
  url: string;
  html: string;
  messages: Array<{ role: Role; text: string; author?: string }>;
}

/** Every corpus/<kind>.html with its expectation; `held-out/` pages carry heldOut: true. */
export function loadCorpus(): CorpusPage[] {
  const pages: CorpusPage[] = [];
  const batches = ['development', 'held-out', 'held-out-2'] as const;
  for (const batch of batches) {
    const folder = batch === 'development' ? CORPUS_ROOT : path.join(CORPUS_ROOT, batch);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith('.expected.json')) continue;
      const kind = file.replace(/\.expected\.json$/, '');
      const expected = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Omit<
        CorpusPage,
        'kind' | 'html' | 'batch'
      >;
      const html = readFileSync(path.join(folder, `${kind}.html`), 'utf8');
      pages.push({ kind, html, batch, ...expected });
    }
  }
  return pages;
}

/** Words, lower-cased: punctuation, spacing and line breaks never count against a reading. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Token-level F1 of two texts (bags of words). */
export function textF1(a: string, b: string): number {
  const left = tokens(a);
  const right = tokens(b);
  if (left.length === 0 && right.length === 0) return 1;
  if (left.length === 0 || right.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const token of right) counts.set(token, (counts.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of left) {
    const count = counts.get(token) ?? 0;
    if (count > 0) {
      shared++;
      counts.set(token, count - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / left.length;
  const recall = shared / right.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Below this a found message is not the expected one at all. */
const SAME_MESSAGE = 0.5;

/**
 * Pairs expected and found messages in order (the alignment with the most text in common), so an
 * extra or a missing message costs only itself and a reversed history costs nearly everything.
 */
export function align(
  expected: readonly { text: string }[],
  found: readonly { text: string }[],
): Array<{ expected: number; found: number; similarity: number }> {
  const rows = expected.length;
  const columns = found.length;
  const similarity = expected.map((message) => found.map((other) => textF1(other.text, message.text)));
  const best: number[][] = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      const score = similarity[i]![j]!;
      const take = score >= SAME_MESSAGE ? score + best[i + 1]![j + 1]! : 0;
      best[i]![j] = Math.max(take, best[i + 1]![j]!, best[i]![j + 1]!);
    }
  }
  const pairs: Array<{ expected: number; found: number; similarity: number }> = [];
  let i = 0;
  let j = 0;
  while (i < rows && j < columns) {
    const score = similarity[i]![j]!;
    if (score >= SAME_MESSAGE && best[i]![j] === score + best[i + 1]![j + 1]!) {
      pairs.push({ expected: i, found: j, similarity: score });
      i++;
      j++;
    } else if (best[i]![j] === best[i + 1]![j]) i++;
    else j++;
  }
  return pairs;
}

export interface PageScore {
  kind: string;
  batch: CorpusPage['batch'];
  expected: number;
  found: number;
  matched: number;
  roleRight: number;
  /** Sum of the matched pairs' text F1. */
  textOverlap: number;
  /** Per role: [true positives, found with that role, expected with that role]. */
  byRole: Record<Role, [number, number, number]>;
  misses: string[];
}

const ROLES: Role[] = ['customer', 'operator', 'bot', 'note', 'system'];

export function scorePage(page: CorpusPage, found: readonly { role: Role; text: string }[]): PageScore {
  const pairs = align(page.messages, found);
  const byRole = Object.fromEntries(ROLES.map((role) => [role, [0, 0, 0]])) as PageScore['byRole'];
  for (const message of found) byRole[message.role][1]++;
  for (const message of page.messages) byRole[message.role][2]++;
  let roleRight = 0;
  let textOverlap = 0;
  const misses: string[] = [];
  const matchedExpected = new Set<number>();
  for (const pair of pairs) {
    const expected = page.messages[pair.expected]!;
    const reading = found[pair.found]!;
    matchedExpected.add(pair.expected);
    textOverlap += pair.similarity;
    if (reading.role === expected.role) {
      roleRight++;
      byRole[expected.role][0]++;
    } else misses.push(`#${pair.expected + 1} ${expected.role} read as ${reading.role}`);
    if (pair.similarity < 0.95) misses.push(`#${pair.expected + 1} text ${pair.similarity.toFixed(2)}`);
  }
  page.messages.forEach((message, index) => {
    if (!matchedExpected.has(index)) misses.push(`#${index + 1} ${message.role} not found`);
  });
  const extra = found.length - pairs.length;
  if (extra > 0) misses.push(`${extra} extra`);
  return {
    kind: page.kind,
    batch: page.batch,
    expected: page.messages.length,
    found: found.length,
    matched: pairs.length,
    roleRight,
    textOverlap,
    byRole,
    misses,
  };
}

export interface Totals {
  pages: number;
  messages: number;
  roleAccuracy: number;
  textF1: number;
  precision: Record<'system' | 'note', number>;
  recall: Record<'system' | 'note', number>;
}

export function totals(scores: readonly PageScore[]): Totals {
  const sum = (pick: (score: PageScore) => number) => scores.reduce((total, score) => total + pick(score), 0);
  const expected = sum((score) => score.expected);
  const found = sum((score) => score.found);
  const overlap = sum((score) => score.textOverlap);
  const precision = found ? overlap / found : 0;
  const recall = expected ? overlap / expected : 0;
  const rate = (role: 'system' | 'note', index: 1 | 2) => {
    const denominator = sum((score) => score.byRole[role][index]);
    return denominator ? sum((score) => score.byRole[role][0]) / denominator : 1;
  };
  return {
    pages: scores.length,
    messages: expected,
    roleAccuracy: expected ? sum((score) => score.roleRight) / expected : 0,
    textF1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    precision: { system: rate('system', 1), note: rate('note', 1) },
    recall: { system: rate('system', 2), note: rate('note', 2) },
  };
}
