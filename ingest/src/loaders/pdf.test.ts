import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoaderInput, SourceDocument } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { pdfLoader } from './pdf.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

async function loadOne(input: LoaderInput): Promise<SourceDocument> {
  const documents = await pdfLoader.load(input);
  expect(documents).toHaveLength(1);
  return documents[0]!;
}

describe('pdfLoader', () => {
  it('finds headings by their larger type and keeps the heading path of a nested section', async () => {
    const document = await loadOne(fixture('pdf/warranty.pdf'));
    expect(document).toMatchObject({
      documentId: 'pdf/warranty.pdf',
      kind: 'article',
      title: 'Гарантия на ювелирные изделия',
      metadata: { pages: 2 },
    });
    expect(document.sections.map((section) => section.titlePath)).toEqual([
      ['Гарантия на ювелирные изделия'],
      ['Гарантия на ювелирные изделия', 'Срок гарантии'],
      ['Гарантия на ювелирные изделия', 'Что не покрывает гарантия'],
      ['Гарантия на ювелирные изделия', 'Как оформить гарантийный ремонт'],
      ['Гарантия на ювелирные изделия', 'Как оформить гарантийный ремонт', 'Документы'],
      ['Гарантия на ювелирные изделия', 'Как оформить гарантийный ремонт', 'Сроки ремонта'],
    ]);
  });

  it('rejoins wrapped lines into paragraphs and keeps paragraph breaks', async () => {
    const document = await loadOne(fixture('pdf/warranty.pdf'));
    expect(document.sections[1]?.text).toBe(
      'На изделия из золота и серебра действует гарантия 6 месяцев со дня покупки. На застёжки и замки цепочек — 1 месяц.\n\n' +
        'Срок считается по дате в кассовом чеке или в письме с подтверждением заказа.',
    );
  });

  it('keeps bulleted lines as "- item" lines', async () => {
    const document = await loadOne(fixture('pdf/warranty.pdf'));
    expect(document.sections[2]?.text).toBe(
      '- механические повреждения: царапины, вмятины, разрывы цепочек;\n' +
        '- потемнение серебра от контакта с косметикой и бытовой химией;\n' +
        '- ремонт, сделанный в другой мастерской.',
    );
  });

  it('drops the running footer and page numbers, and records the page a section starts on', async () => {
    const document = await loadOne(fixture('pdf/warranty.pdf'));
    const everything = JSON.stringify(document.sections);
    expect(everything).not.toContain('служба заботы о клиентах');
    expect(document.sections.map((section) => section.metadata?.page)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(document.sections.at(-1)?.text).toMatch(/заменим его\.$/u);
  });

  it('takes headings from the outline when the type does not set them apart', async () => {
    const document = await loadOne(fixture('pdf/delivery-outline.pdf'));
    expect(document.title).toBe('Доставка заказов');
    expect(document.sections.map((section) => section.titlePath)).toEqual([
      ['Доставка заказов'],
      ['Доставка заказов', 'Курьер по Москве'],
      ['Доставка заказов', 'Почта России'],
    ]);
    expect(document.sections[1]?.text).toBe(
      'Курьер привезёт заказ за 1–2 дня. Доставка стоит 300 ₽, от 5000 ₽ — бесплатно.',
    );
  });

  it('reports a PDF without a text layer as empty and says to OCR it', async () => {
    expect(await failure(pdfLoader.load(fixture('pdf/scanned.pdf')))).toEqual({
      code: 'empty',
      message: 'no extractable text (scanned PDF? OCR it first)',
    });
  });

  it('reports a password-protected PDF as encrypted', async () => {
    const error = await failure(pdfLoader.load(fixture('pdf/encrypted.pdf')));
    expect(error.code).toBe('encrypted');
    expect(error.message).toContain('password');
  });

  it('reports a truncated PDF and a file that is not a PDF as corrupt', async () => {
    expect((await failure(pdfLoader.load(fixture('pdf/truncated.pdf')))).code).toBe('corrupt');
    expect((await failure(pdfLoader.load(fixture('pdf/not-a-pdf.pdf')))).code).toBe('corrupt');
  });

  it('reports an empty file as empty', async () => {
    expect((await failure(pdfLoader.load(fixture('pdf/empty.pdf')))).code).toBe('empty');
  });

  it('leaves the caller its bytes (pdf.js detaches the buffer it is given)', async () => {
    const input = fixture('pdf/warranty.pdf');
    const length = input.bytes.byteLength;
    await pdfLoader.load(input);
    expect(input.bytes.byteLength).toBe(length);
  });
});
