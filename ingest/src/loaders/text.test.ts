import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../errors.ts';
import type { LoaderInput, SourceDocument } from '../model.ts';
import { textLoader } from './text.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function inline(name: string, text: string): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes: new TextEncoder().encode(text) };
}

async function loadOne(input: LoaderInput): Promise<SourceDocument> {
  const documents = await textLoader.load(input);
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

describe('textLoader', () => {
  it('splits at underlined headings and keeps the heading path of a nested section', async () => {
    const document = await loadOne(fixture('text/warranty-notes.txt'));
    expect(document).toMatchObject({
      documentId: 'text/warranty-notes.txt',
      kind: 'article',
      title: 'Гарантийное обслуживание',
      tags: [],
    });
    expect(document.language).toBeUndefined();
    expect(document.sections).toEqual([
      {
        titlePath: ['Гарантийное обслуживание'],
        text: 'Памятка для операторов. Гарантия на украшения — 6 месяцев, на замки\nи застёжки — 1 месяц.',
      },
      {
        titlePath: ['Гарантийное обслуживание', 'Приём изделия'],
        text: 'Попросите клиента прислать фото дефекта и номер заказа.\nЕсли дефект виден на фото, оформляйте заявку сразу.',
      },
      {
        titlePath: ['Гарантийное обслуживание', 'Сроки экспертизы'],
        text: 'До 10 рабочих дней. О результате клиент узнает по СМС.\n\nТелефон горячей линии: 8 800 000-00-00 (бесплатно по России).',
      },
    ]);
  });

  it('keeps a file without obvious headings as one section titled by the file name', async () => {
    const document = await loadOne(fixture('text/delivery-faq.txt'));
    expect(document.title).toBe('delivery-faq');
    expect(document.sections).toEqual([
      {
        titlePath: [],
        text:
          'Доставка по России: сроки и стоимость.\nКурьер по Москве — 1–2 дня, 300 ₽.\nПочта России — от 5 до 14 дней.\n\n' +
          'Самовывоз из магазина бесплатный. Заказ хранится 7 дней, после чего возвращается на склад.',
      },
    ]);
  });

  it('reads a Windows-1251 file', async () => {
    const document = await loadOne(fixture('text/legacy-cp1251.txt'));
    expect(document.title).toBe('Уход за серебром');
    expect(document.sections[0]?.text).toBe(
      'Храните серебро в сухом месте, отдельно от других украшений.\nЧистите мягкой тканью без абразивов.',
    );
  });

  it('does not take a dashed line under a paragraph line for a heading underline', async () => {
    const document = await loadOne(
      inline('note.txt', 'Первая строка абзаца\nвторая строка абзаца\n-----\nещё текст\n'),
    );
    expect(document.sections).toEqual([
      { titlePath: [], text: 'Первая строка абзаца\nвторая строка абзаца\nещё текст' },
    ]);
  });

  it('reports an empty file and a whitespace-only file as empty', async () => {
    await expect(textLoader.load(fixture('text/empty.txt'))).rejects.toMatchObject({ code: 'empty' });
    const blank = textLoader.load(inline('blank.txt', ' \n\u200b\n\t\n'));
    await expect(blank).rejects.toBeInstanceOf(IngestError);
    await expect(blank).rejects.toMatchObject({ code: 'empty' });
  });
});
