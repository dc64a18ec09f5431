import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvalRunError } from './errors.ts';
import { chooseNested, nestedMarkdown, readVariants, type VariantRuns } from './nested.ts';

const relevant = new Map([
  ['a', new Set(['d1'])],
  ['b', new Set(['d2'])],
  ['c', new Set(['d3'])],
  ['d', new Set(['d4'])],
]);
const relevantOf = (id: string) => relevant.get(id) ?? new Set<string>();

// Two outer folds: fold 0 scores a and b (its inner runs scored c and d), fold 1 scores c and d.
const sharp: VariantRuns = {
  name: 'sharp',
  outer: new Map([
    ['a', ['d9', 'd1']],
    ['b', ['d9', 'd2']],
    ['c', ['d3']],
    ['d', ['d4']],
  ]),
  inner: [
    new Map([
      ['c', ['d3']],
      ['d', ['d4']],
    ]),
    new Map([
      ['a', ['d9', 'd9', 'd1']],
      ['b', ['d9', 'd9', 'd2']],
    ]),
  ],
};
const flat: VariantRuns = {
  name: 'flat',
  outer: new Map([
    ['a', ['d1']],
    ['b', ['d2']],
    ['c', ['d9', 'd3']],
    ['d', ['d9', 'd4']],
  ]),
  inner: [
    new Map([
      ['c', ['d9', 'd3']],
      ['d', ['d9', 'd4']],
    ]),
    new Map([
      ['a', ['d1']],
      ['b', ['d2']],
    ]),
  ],
};

describe('nested choice', () => {
  it('chooses each outer fold’s variant on its inner runs only, and scores the fold with it', () => {
    // Inner MRR: fold 0 — sharp 1, flat 0.5; fold 1 — sharp 1/3, flat 1.
    const choice = chooseNested(
      [flat, sharp],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      relevantOf,
    );
    expect(choice.chosen).toEqual(['sharp', 'flat']);
    // The outer folds get the chosen variant's rankings: worse than either variant's best fold.
    expect(choice.ranked.get('a')).toEqual(['d9', 'd1']);
    expect(choice.ranked.get('c')).toEqual(['d9', 'd3']);
  });

  it('breaks a tie for the variant listed first', () => {
    const twin: VariantRuns = { ...flat, name: 'twin' };
    expect(
      chooseNested(
        [twin, flat],
        [
          ['a', 'b'],
          ['c', 'd'],
        ],
        relevantOf,
      ).chosen,
    ).toEqual(['twin', 'twin']);
  });

  it('prints each variant and the nested row with the choices', () => {
    const markdown = nestedMarkdown({
      rows: [
        { name: 'defaults', metrics: { 'recall@1': 0.5, 'recall@3': 0.6, 'recall@5': 0.7, 'mrr@10': 0.55 } },
      ],
      nested: {
        chosen: ['defaults', 'other'],
        metrics: { 'recall@1': 0.4, 'recall@3': 0.5, 'recall@5': 0.6, 'mrr@10': 0.45 },
      },
    });
    expect(markdown).toContain('| defaults | 0.5000 | 0.6000 | 0.7000 | 0.5500 |');
    expect(markdown).toContain('chosen per fold: defaults, other) | 0.4000');
  });
});

describe('variants file', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-nested-'));
  const write = (name: string, text: string) => {
    const file = path.join(directory, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads named settings', () => {
    const file = write('good.json', '{"defaults": {}, "more history": {"weights": {"history": 0.7}}}');
    expect(Object.keys(readVariants(file))).toEqual(['defaults', 'more history']);
  });

  it('names the file and the field that is wrong', () => {
    expect(() => readVariants(write('bad.json', '{"defaults": 3}'))).toThrow(/bad\.json: defaults: /);
    expect(() => readVariants(write('empty.json', '{}'))).toThrow(/at least one variant/);
    expect(() => readVariants(write('broken.json', '{'))).toThrow(EvalRunError);
  });
});
