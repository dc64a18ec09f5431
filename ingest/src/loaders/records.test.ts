import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoaderInput } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { datasetPath } from '../test-support/shared-datasets.ts';
import { parseJson, recordsLoader } from './records.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function inline(name: string, text: string): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes: new TextEncoder().encode(text) };
}

describe('recordsLoader', () => {
  it('keeps the situations a FAQ record is (not) for, and rejects one the format does not know', async () => {
    const line = (notFor: string) =>
      `{"id": "faq-address", "question": "Как изменить адрес?", "answer": "Напишите нам.", "notFor": ${notFor}}`;
    const [document] = await recordsLoader.load(inline('faq.jsonl', line('["marketplace-order"]')));
    expect(document?.sections[0]?.metadata).toMatchObject({ notFor: ['marketplace-order'] });
    const [fromText] = await recordsLoader.load(
      inline('faq.jsonl', line('"marketplace-order, defect-claim"')),
    );
    expect(fromText?.sections[0]?.metadata).toMatchObject({ notFor: ['marketplace-order', 'defect-claim'] });
    await expect(recordsLoader.load(inline('faq.jsonl', line('["wb"]')))).rejects.toThrow(/notFor/u);
    const writtenFor = `{"id": "faq-mp", "question": "Гарантия на товар с маркетплейса?", "answer": "Да.", "for": ["marketplace-order"]}`;
    const [forMarketplace] = await recordsLoader.load(inline('faq.jsonl', writtenFor));
    expect(forMarketplace?.sections[0]?.metadata).toMatchObject({ for: ['marketplace-order'] });
  });

  it('maps a JSONL FAQ record with its own id, title, tags and language', async () => {
    const [first] = await recordsLoader.load(fixture('records/faq.jsonl'));
    expect(first).toEqual({
      documentId: 'faq-delivery-time',
      kind: 'faq',
      title: 'Сроки доставки',
      language: 'ru',
      tags: ['доставка', 'сроки'],
      sections: [
        {
          titlePath: ['Сколько идёт доставка?'],
          text: 'Курьером по Москве — 1–2 дня, по России — 3–7 дней.',
          atomic: true,
          metadata: {
            question: 'Сколько идёт доставка?',
            answer: 'Курьером по Москве — 1–2 дня, по России — 3–7 дней.',
            title: 'Сроки доставки',
          },
        },
      ],
    });
  });

  it('adds the category to the tags and the title path, and splits a tags string', async () => {
    const documents = await recordsLoader.load(fixture('records/faq.jsonl'));
    expect(documents[1]).toMatchObject({
      documentId: 'faq-return',
      title: 'Можно ли вернуть серьги?',
      category: 'Возврат',
      tags: ['Возврат', 'серьги', 'обмен'],
      sections: [{ titlePath: ['Возврат', 'Можно ли вернуть серьги?'] }],
    });
  });

  it('reads a text record as a splittable article and a question with "text" as an FAQ', async () => {
    const documents = await recordsLoader.load(fixture('records/faq.jsonl'));
    expect(documents[2]).toEqual({
      documentId: 'art-silver-care',
      kind: 'article',
      title: 'Уход за серебром',
      tags: ['Уход'],
      category: 'Уход',
      sections: [
        {
          titlePath: ['Уход', 'Уход за серебром'],
          text: 'Серебро темнеет от влаги и серы.\nХраните украшения в закрытом мешочке, снимайте их перед бассейном и чистите мягкой салфеткой.',
        },
      ],
    });
    expect(documents[3]).toMatchObject({
      documentId: '42',
      kind: 'faq',
      sections: [{ text: 'Да, каждое украшение приходит в фирменной коробочке.' }],
    });
  });

  it('numbers records without an id by their line, blank lines included', async () => {
    const documents = await recordsLoader.load(fixture('records/no-ids.ndjson'));
    expect(documents.map((document) => document.documentId)).toEqual([
      'records/no-ids.ndjson#1',
      'records/no-ids.ndjson#3',
    ]);
  });

  it('reads a JSON array, numbering records without an id by position', async () => {
    const documents = await recordsLoader.load(fixture('records/records.json'));
    expect(documents.map((document) => [document.documentId, document.kind, document.title])).toEqual([
      ['records/records.json#1', 'faq', 'Что делать, если украшение пришло с браком?'],
      ['art-gold-plating', 'article', 'Позолота'],
    ]);
    expect(documents[0]).toMatchObject({ language: 'ru', category: 'Гарантия' });
  });

  it('reads a JSON file holding one record', async () => {
    const documents = await recordsLoader.load(fixture('records/single.json'));
    expect(documents).toMatchObject([{ documentId: 'faq-payment', kind: 'faq', tags: ['оплата'] }]);
  });

  it('titles an article without a title by its first line', async () => {
    const [document] = await recordsLoader.load(
      inline('notes.jsonl', '{"text": "Пробы золота\\n585 — самая частая проба в России."}\n'),
    );
    expect(document).toMatchObject({ documentId: 'notes.jsonl#1', kind: 'article', title: 'Пробы золота' });
  });

  it('gives the same ids when the same bytes are loaded twice', async () => {
    const first = await recordsLoader.load(fixture('records/no-ids.ndjson'));
    const second = await recordsLoader.load(fixture('records/no-ids.ndjson'));
    expect(second.map((document) => document.documentId)).toEqual(
      first.map((document) => document.documentId),
    );
  });

  it('rejects the first invalid line, naming it', async () => {
    expect(await failure(recordsLoader.load(fixture('records/invalid-line.jsonl')))).toEqual({
      code: 'invalid',
      message: 'line 3: "text" or "question"+"answer" is required',
    });
  });

  it('rejects a JSONL syntax error as corrupt, naming its line', async () => {
    expect(await failure(recordsLoader.load(fixture('records/syntax-error.jsonl')))).toEqual({
      code: 'corrupt',
      message: "line 2: Expected ',' or '}' after property value",
    });
  });

  it('rejects a JSON syntax error as corrupt, finding the line of an unexpected token', async () => {
    expect(await failure(recordsLoader.load(fixture('records/syntax-error.json')))).toEqual({
      code: 'corrupt',
      message: "line 3: Unexpected token 'Н'",
    });
  });

  it('rejects duplicate ids, naming both lines', async () => {
    expect(await failure(recordsLoader.load(fixture('records/duplicate-ids.jsonl')))).toEqual({
      code: 'invalid',
      message: 'duplicate id "faq-care" in lines 1 and 3',
    });
  });

  it('rejects records of the wrong shape with the field path', async () => {
    expect(
      await failure(recordsLoader.load(inline('a.jsonl', '{"question": "Q?", "answer": "A", "tags": 5}'))),
    ).toEqual({
      code: 'invalid',
      message: 'line 1: tags: Invalid input',
    });
    expect(await failure(recordsLoader.load(inline('b.jsonl', '"just a string"')))).toEqual({
      code: 'invalid',
      message: 'line 1: a record must be a JSON object',
    });
    expect(
      await failure(recordsLoader.load(inline('c.json', '[{"kind": "faq", "text": "Без вопроса"}]'))),
    ).toEqual({
      code: 'invalid',
      message: 'record 1: "question" is required for kind "faq"',
    });
    expect(
      await failure(recordsLoader.load(inline('d.jsonl', '{"kind": "template", "text": "Шаблон"}'))),
    ).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^line 1: kind: Invalid option/) });
  });

  it('rejects an empty file and a file that is not UTF-8', async () => {
    expect((await failure(recordsLoader.load(inline('empty.jsonl', '\n\n')))).code).toBe('empty');
    const latin1 = {
      path: '/kb/x.jsonl',
      relativePath: 'x.jsonl',
      bytes: new Uint8Array([0x7b, 0xe9, 0x7d]),
    };
    expect(await failure(recordsLoader.load(latin1))).toEqual({ code: 'corrupt', message: 'not UTF-8 text' });
  });
});

describe('parseJson', () => {
  it('counts lines from where the text starts in its file', () => {
    expect(() => parseJson('{"a": }', 7)).toThrow(/^line 7: /);
  });
});

describe('recordsLoader on the real RUTUBE knowledge base', () => {
  it('reads the 326 records of kb.jsonl with their ids, in order', async () => {
    const file = datasetPath('rutube-support', 'kb.jsonl');
    const documents = await recordsLoader.load({
      path: file,
      relativePath: 'rutube/kb.jsonl',
      bytes: new Uint8Array(readFileSync(file)),
    });
    expect(documents).toHaveLength(326);
    expect(documents.map((document) => document.documentId)).toEqual(
      Array.from({ length: 326 }, (_, index) => `rt-${String(index + 1).padStart(3, '0')}`),
    );
    expect(documents.every((document) => document.kind === 'faq' && document.language === 'ru')).toBe(true);
    expect(documents[0]).toMatchObject({
      title: 'Что нельзя публиковать на RUTUBE',
      tags: ['МОДЕРАЦИЯ', 'Отклонение/блокировка видео'],
      sections: [{ titlePath: ['Что нельзя публиковать на RUTUBE?'], atomic: true }],
    });
  });
});
