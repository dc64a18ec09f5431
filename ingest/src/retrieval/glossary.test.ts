import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../config.ts';
import { IngestError } from '../errors.ts';
import { type KnowledgeBase, openKnowledgeBase } from '../knowledge-base.ts';
import { naparnikStructuredLoader } from '../loaders/naparnik.ts';
import { analyze } from '../text/analyze.ts';
import { BUILT_IN_GLOSSARY, createGlossary, expansionTerms, GLOSSARY_WEIGHT } from './glossary.ts';

function load(text: string) {
  return naparnikStructuredLoader.load({
    path: '/kb/glossary.yaml',
    relativePath: 'glossary.yaml',
    bytes: new TextEncoder().encode(text),
  });
}

describe('glossary', () => {
  it('expands an abbreviation the customer wrote into what the knowledge says', () => {
    const glossary = createGlossary(BUILT_IN_GLOSSARY);
    const stems = analyze('а если я не заберу заказ из ПВЗ');
    const expansions = glossary.expansions(stems);
    expect(expansions.map((expansion) => expansion.text)).toEqual(['пункт выдачи заказов', 'пункт выдачи']);
    expect(expansions[0]?.said).toEqual(['пвз']);
    // «заказ» is said already: only what the query lacks is added, once, below a typed word.
    expect(expansionTerms(expansions, stems)).toEqual([
      { term: 'пункт', weight: GLOSSARY_WEIGHT },
      { term: 'выдач', weight: GLOSSARY_WEIGHT },
    ]);
  });

  it('matches a phrase only when all its words are said, and adds nothing the query already has', () => {
    const glossary = createGlossary([['личный кабинет', 'ЛК']]);
    expect(glossary.expansions(analyze('в личном кабинете не вижу заказ')).map((item) => item.text)).toEqual([
      'ЛК',
    ]);
    expect(glossary.expansions(analyze('кабинет врача'))).toEqual([]);
    expect(glossary.expansions(analyze('ЛК, личный кабинет'))).toEqual([]);
  });

  it('drops groups that come down to fewer than two distinct terms', () => {
    expect(
      createGlossary([
        ['Заказ', 'заказы'],
        ['и', 'или'],
      ]).size,
    ).toBe(0);
  });

  it('loads a knowledge base glossary and names what is wrong with a bad one', async () => {
    const [document] = await load(
      'naparnik: glossary\nid: aurelia-glossary\ngroups:\n  - terms: [Аурелия Клуб, программа лояльности, бонусная программа]\n',
    );
    expect(document?.kind).toBe('glossary');
    expect(document?.sections[0]?.metadata).toEqual({
      type: 'glossary-group',
      terms: ['Аурелия Клуб', 'программа лояльности', 'бонусная программа'],
    });
    const error = await load('naparnik: glossary\nid: g\ngroups:\n  - terms: [одно]\n').catch(
      (caught) => caught,
    );
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).message).toMatch(
      /groups\[0\]\.terms: a group needs at least two terms.*\(line 4\)/,
    );
  });
});

describe('search with a glossary', () => {
  let directory: string;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'glossary-test-'));
    const records = [
      { id: 'faq-storage', question: 'Сколько дней заказ хранится в пункте выдачи?', answer: 'Семь дней.' },
      { id: 'faq-club', question: 'Как работает программа лояльности?', answer: 'Баллы с каждой покупки.' },
      { id: 'faq-cancel', question: 'Как отменить заказ?', answer: 'Напишите нам номер заказа.' },
    ];
    writeFileSync(
      path.join(directory, 'faq.jsonl'),
      records.map((record) => JSON.stringify({ ...record, kind: 'faq', language: 'ru' })).join('\n'),
    );
    writeFileSync(
      path.join(directory, 'glossary.yaml'),
      'naparnik: glossary\nid: shop-glossary\ngroups:\n  - terms: [Клуб Друзей, программа лояльности]\n',
    );
    const dataDir = path.join(directory, 'data');
    kb = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
    await kb.ingest([directory], { collection: 'shop' });
  });
  afterAll(async () => {
    await kb.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds knowledge through a built-in equivalent and says which words it stood for', async () => {
    const hits = await kb.search('shop', 'сколько ждёт в пвз', { topK: 1 });
    expect(hits[0]?.documentId).toBe('faq-storage');
    expect(hits[0]?.glossaryMatches).toContainEqual({ said: ['пвз'], meant: ['пункт', 'выдач'] });
  });

  it('finds knowledge through the collection’s own glossary, and never returns the glossary itself', async () => {
    const hits = await kb.search('shop', 'как устроен клуб друзей', { topK: 3 });
    expect(hits[0]?.documentId).toBe('faq-club');
    expect(hits.map((hit) => hit.kind)).not.toContain('glossary');
  });
});
