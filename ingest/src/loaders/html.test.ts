import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { LoaderInput, SourceDocument } from '../model.ts';
import { htmlLoader } from './html.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function inline(name: string, html: string): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes: new TextEncoder().encode(html) };
}

async function loadOne(input: LoaderInput): Promise<SourceDocument> {
  const documents = await htmlLoader.load(input);
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

describe('htmlLoader over a help-centre page', () => {
  it('takes the title from the h1 and keeps the heading path of a nested section', async () => {
    const document = await loadOne(fixture('html/delivery.html'));
    expect(document).toMatchObject({
      documentId: 'html/delivery.html',
      kind: 'article',
      title: 'Доставка и оплата',
    });
    expect(document.sections.map((section) => section.titlePath)).toEqual([
      ['Доставка и оплата'],
      ['Доставка и оплата', 'Способы доставки'],
      ['Доставка и оплата', 'Способы доставки', 'Доставка за границу'],
      ['Доставка и оплата', 'Оплата'],
    ]);
  });

  it('keeps only the article: no navigation, cookie banner, sidebar, votes, related links, footer or scripts', async () => {
    const everything = JSON.stringify(await loadOne(fixture('html/delivery.html')));
    for (const boilerplate of [
      'Отправить запрос',
      'cookie',
      'Центр поддержки',
      'Статьи в этом разделе',
      'Обновлено',
      'Была ли эта статья полезной',
      'Похожие статьи',
      'Политика конфиденциальности',
      'trackArticleView',
      'dataLayer',
      'Перейти к основному содержимому',
    ]) {
      expect(everything).not.toContain(boilerplate);
    }
  });

  it('renders the price table as "Header: value" rows with entities decoded', async () => {
    const document = await loadOne(fixture('html/delivery.html'));
    expect(sectionText(document, 'Доставка и оплата', 'Способы доставки')).toBe(
      'Выберите способ при оформлении заказа. Срок считается с момента сборки заказа.\n\n' +
        'Способ: Курьер по Москве; Срок: 1–2 дня; Стоимость: 300 ₽, от 5000 ₽ бесплатно\n' +
        'Способ: Пункт выдачи СДЭК; Срок: 2–5 дней; Стоимость: 250 ₽\n' +
        'Способ: Почта России; Срок: 5–14 дней; Стоимость: 350 ₽',
    );
  });

  it('renders lists as "- item" lines, nested items included, and collapses whitespace', async () => {
    const document = await loadOne(fixture('html/delivery.html'));
    expect(sectionText(document, 'Доставка и оплата', 'Оплата')).toBe(
      'Оплатить заказ можно:\n\n' +
        '- банковской картой на сайте;\n' +
        '- через СБП по QR-коду;\n' +
        '- при получении — только для курьерской доставки\n' +
        '- наличными или картой курьеру\n\n' +
        'Чек придёт на e-mail, указанный в заказе. Подробнее о возврате денег — в статье «Возврат и обмен».',
    );
    expect(sectionText(document, 'Доставка и оплата')).toBe(
      'Мы доставляем украшения по всей России. Все посылки застрахованы на полную стоимость заказа, а украшения упакованы в фирменную коробку.',
    );
  });
});

describe('htmlLoader on other pages', () => {
  it('falls back to the body and to <title> on an old page without <main> or <h1>', async () => {
    const document = await loadOne(fixture('html/gift-wrap-legacy.htm'));
    expect(document.title).toBe('Подарочная упаковка');
    expect(document.sections).toEqual([
      {
        titlePath: ['Подарочная упаковка'],
        text:
          'Любой заказ можно упаковать в подарочную коробку за 150 руб.\n\n' +
          'Открытка с вашим текстом — бесплатно.\nТекст до 200 символов.\n\n' +
          'Коробка | 150 руб.\nПакет с лентой | бесплатно',
      },
    ]);
  });

  it('uses a header row made of <th> cells even without <thead>, and numbers an ordered list', async () => {
    const document = await loadOne(
      inline(
        'sizes.html',
        '<article><h1>Размеры</h1><table><tr><th>Размер</th><th>Диаметр</th></tr><tr><td>16</td><td>16 мм</td></tr></table>' +
          '<ol start="3"><li>Измерьте палец</li><li>Сверьтесь с таблицей</li></ol></article>',
      ),
    );
    expect(document.sections).toEqual([
      {
        titlePath: ['Размеры'],
        text: 'Размер: 16; Диаметр: 16 мм\n\n3. Измерьте палец\n4. Сверьтесь с таблицей',
      },
    ]);
  });

  it('reads a Windows-1251 page that declares its charset', async () => {
    const html =
      '<html><head><meta charset="windows-1251"></head><body><h1>Оплата</h1><p>Картой или наличными.</p></body></html>';
    const bytes = new Uint8Array(iconv.encode(html, 'win1251'));
    const document = await loadOne({ path: '/kb/pay.html', relativePath: 'pay.html', bytes });
    expect(document.sections).toEqual([{ titlePath: ['Оплата'], text: 'Картой или наличными.' }]);
  });

  it('reports a page with nothing but chrome, and an empty file, as empty', async () => {
    await expect(htmlLoader.load(fixture('html/only-chrome.html'))).rejects.toMatchObject({ code: 'empty' });
    await expect(htmlLoader.load(fixture('html/empty.html'))).rejects.toMatchObject({ code: 'empty' });
  });
});
