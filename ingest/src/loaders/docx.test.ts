import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoaderInput, SourceDocument } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { datasetPath } from '../test-support/shared-datasets.ts';
import { docxLoader } from './docx.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function original(name: string): LoaderInput {
  const file = datasetPath('rutube-support', 'original', name);
  return { path: file, relativePath: `original/${name}`, bytes: new Uint8Array(readFileSync(file)) };
}

async function loadOne(input: LoaderInput): Promise<SourceDocument> {
  const documents = await docxLoader.load(input);
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

function sectionText(document: SourceDocument, ...titlePath: string[]): string {
  const section = document.sections.find(
    (candidate) => candidate.titlePath.join(' / ') === titlePath.join(' / '),
  );
  if (!section) throw new Error(`no section ${titlePath.join(' / ')}`);
  return section.text;
}

describe('docxLoader over its fixtures', () => {
  it('turns Heading 1/2/3 styles into sections and keeps the heading path of a nested section', async () => {
    const document = await loadOne(fixture('docx/returns.docx'));
    expect(document).toMatchObject({
      documentId: 'docx/returns.docx',
      kind: 'article',
      title: 'Возврат и обмен украшений',
    });
    expect(document.sections.map((section) => section.titlePath)).toEqual([
      ['Возврат и обмен украшений'],
      ['Возврат и обмен украшений', 'Сроки возврата'],
      ['Возврат и обмен украшений', 'Как вернуть изделие'],
      ['Возврат и обмен украшений', 'Как вернуть изделие', 'Стоимость обратной доставки'],
      ['Возврат и обмен украшений', 'Обмен по размеру'],
    ]);
  });

  it('reads a heading style named in Russian («Заголовок 2») as a level-2 heading', async () => {
    const document = await loadOne(fixture('docx/returns.docx'));
    expect(sectionText(document, 'Возврат и обмен украшений', 'Обмен по размеру')).toBe(
      'Кольцо можно обменять на другой размер той же модели. Разница в цене доплачивается или возвращается.',
    );
  });

  it('keeps a Word list as "- item" lines and a table with a header row as "Header: value" rows', async () => {
    const document = await loadOne(fixture('docx/returns.docx'));
    expect(sectionText(document, 'Возврат и обмен украшений', 'Как вернуть изделие')).toBe(
      '- Заполните заявление на возврат в личном кабинете.\n' +
        '- Упакуйте украшение вместе с биркой и чеком.\n' +
        '- Передайте посылку курьеру или сдайте в магазин.',
    );
    expect(
      sectionText(
        document,
        'Возврат и обмен украшений',
        'Как вернуть изделие',
        'Стоимость обратной доставки',
      ),
    ).toBe(
      'Способ: Курьер; Срок: 1–3 дня; Стоимость: бесплатно\nСпособ: Почта России; Срок: 5–14 дней; Стоимость: 250 ₽',
    );
  });

  it('reports an OLE container (password-protected DOCX) as encrypted', async () => {
    const error = await failure(docxLoader.load(fixture('docx/encrypted.docx')));
    expect(error.code).toBe('encrypted');
    expect(error.message).toContain('password');
  });

  it('reports a file that is not a zip, and a truncated zip, as corrupt', async () => {
    expect(await failure(docxLoader.load(fixture('docx/not-a-zip.docx')))).toEqual({
      code: 'corrupt',
      message: 'not a valid DOCX file (it is not a zip archive)',
    });
    expect((await failure(docxLoader.load(fixture('docx/truncated.docx')))).code).toBe('corrupt');
  });

  it('reports an empty file as empty', async () => {
    expect((await failure(docxLoader.load(fixture('docx/empty.docx')))).code).toBe('empty');
  });
});

describe('docxLoader on real Word files (shared dataset)', () => {
  it('sections the user agreement by its hand-made numbered all-caps headings', async () => {
    const document = await loadOne(original('03_ГЕНЕРАЛЬНОЕ ПОЛЬЗОВАТЕЛЬСКОЕ СОГЛАШЕНИЕ RUTUBE.docx'));
    const title = 'ГЕНЕРАЛЬНОЕ ПОЛЬЗОВАТЕЛЬСКОЕ СОГЛАШЕНИЕ RUTUBE';
    expect(document.title).toBe(title);
    expect(document.sections).toHaveLength(13);
    expect(document.sections.map((section) => section.titlePath[1])).toEqual([
      undefined,
      '1. ПРЕАМБУЛА',
      '2. ОБЩИЕ УСЛОВИЯ',
      '3. ПОРЯДОК РЕГИСТРАЦИИ И УЧЕТНАЯ ЗАПИСЬ В СИСТЕМЕ',
      '4. УСЛОВИЯ РАЗМЕЩЕНИЯ КОНТЕНТА',
      '5. ПРАВА И ОБЯЗАННОСТИ СТОРОН',
      '6. СТАТУС ИНФОРМАЦИОННОГО ПОСРЕДНИКА',
      '7. САЙТЫ, КОНТЕНТ ТРЕТЬИХ ЛИЦ, СПЕЦРАЗДЕЛЫ RUTUBE',
      '8. ТЕХНИЧЕСКИЕ ТРЕБОВАНИЯ К УСТРОЙСТВАМ ПОЛЬЗОВАТЕЛЯ, МАТЕРИАЛАМ ПОЛЬЗОВАТЕЛЬСКОГО КОНТЕНТА',
      '9. ОТКАЗ ОТ ГАРАНТИЙ И ОГРАНИЧЕНИЕ ОТВЕТСТВЕННОСТИ',
      '10. ЗАЩИТА ПЕРСОНАЛЬНОЙ ИНФОРМАЦИИ',
      '11. УВЕДОМЛЕНИЯ И СООБЩЕНИЯ АДМИНИСТРАЦИИ',
      '12. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ',
    ]);
    expect(document.sections.every((section) => section.titlePath[0] === title)).toBe(true);
    expect(sectionText(document, title, '1. ПРЕАМБУЛА')).toMatch(
      /^1\.1\. Настоящее Пользовательское соглашение, именуемое в дальнейшем «Соглашение»/u,
    );
  });

  it('keeps the content rules, which have only a title, as one titled section of numbered clauses', async () => {
    const document = await loadOne(original('04_УСЛОВИЯ РАЗМЕЩЕНИЯ КОНТЕНТА.docx'));
    expect(document.title).toBe('УСЛОВИЯ РАЗМЕЩЕНИЯ КОНТЕНТА');
    expect(document.sections).toHaveLength(1);
    const [section] = document.sections;
    expect(section?.titlePath).toEqual(['УСЛОВИЯ РАЗМЕЩЕНИЯ КОНТЕНТА']);
    expect(section?.text).toMatch(
      /^https:\/\/rutube\.ru\/info\/content\/\n\n1\. Если иное прямо не предусмотрено/u,
    );
    expect(section?.text).toContain('\n\n2. Правило, установленное в п.4.1. настоящего Соглашения');
  });

  it('keeps the data description, which has no headings, as one section with its lists', async () => {
    const document = await loadOne(original('00_Описание данных.docx'));
    expect(document.title).toBe('00_Описание данных');
    expect(document.sections).toHaveLength(1);
    const text = document.sections[0]?.text ?? '';
    expect(text).toMatch(/^Данные для задачи «Интеллектуальный помощник оператора службы поддержки»/u);
    expect(text).toContain('- Вопрос из БЗ - эталонный вопрос;');
    expect(text).toContain(
      '- 05_Таблица классификаторов.xlsx – Перечень классов Классификаторов 1 и 2 уровня.',
    );
  });
});
