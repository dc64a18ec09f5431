import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoaderInput, SourceDocument } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { datasetPath } from '../test-support/shared-datasets.ts';
import { markdownLoader } from './markdown.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function inline(name: string, text: string): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes: new TextEncoder().encode(text) };
}

async function loadOne(input: LoaderInput): Promise<SourceDocument> {
  const documents = await markdownLoader.load(input);
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

describe('markdownLoader over its fixtures', () => {
  it('takes id, title, kind, tags, category and language from the front matter', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    expect(document).toMatchObject({
      documentId: 'kb-returns-policy',
      kind: 'article',
      title: 'Возврат и обмен украшений',
      tags: ['возврат', 'обмен'],
      category: 'Возврат',
      language: 'ru',
    });
  });

  it('keeps the heading path of a nested section', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    expect(document.sections.map((section) => section.titlePath)).toEqual([
      ['Возврат и обмен украшений'],
      ['Возврат'],
      ['Возврат', 'Сроки'],
      ['Возврат', 'Сроки', 'Как считать срок'],
      ['Возврат', 'Что нельзя вернуть'],
      ['Возврат денег'],
    ]);
    expect(sectionText(document, 'Возврат', 'Сроки', 'Как считать срок')).toBe(
      'Срок считается со дня, следующего за днём получения. Если последний день выпал на выходной, срок переносится на ближайший рабочий день.',
    );
  });

  it('puts the text before the first heading under the front-matter title', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    expect(sectionText(document, 'Возврат и обмен украшений')).toBe(
      'Эта статья для операторов: как принять возврат и что сказать клиенту.',
    );
  });

  it('does not take a # line inside a fenced code block for a heading, and keeps the code', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    expect(document.sections.flatMap((section) => section.titlePath)).not.toContain('статус в CRM');
    expect(sectionText(document, 'Возврат денег')).toContain('# статус в CRM\nREFUND_APPROVED');
    expect(sectionText(document, 'Возврат денег')).toContain(
      'Деньги за доставку возвращаются, только если вернули весь заказ.',
    );
  });

  it('renders a table as one "Header: value" line per row', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    expect(sectionText(document, 'Возврат денег')).toContain(
      'Способ оплаты: СБП; Срок возврата: до 3 дней; Куда вернём: на счёт отправителя\n' +
        'Способ оплаты: Наличные в магазине; Срок возврата: в день обращения; Куда вернём: на кассе',
    );
  });

  it('drops HTML comments, a heading inside a multi-line comment included', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    const everything = JSON.stringify(document);
    expect(everything).not.toContain('Черновик');
    expect(everything).not.toContain('Цепочки');
    expect(everything).not.toContain('<!--');
  });

  it('keeps a list as "- item" lines, strips emphasis and keeps a link with its URL', async () => {
    const document = await loadOne(fixture('markdown/returns-policy.md'));
    expect(sectionText(document, 'Возврат', 'Сроки')).toBe(
      '- 14 дней с момента получения заказа;\n' +
        '- 30 дней, если у клиента есть карта лояльности;\n' +
        '- по браку — см. раздел Гарантия (https://example.shop/help/warranty).',
    );
    expect(sectionText(document, 'Возврат')).toContain('если оно не подошло по размеру');
  });

  it('reads setext headings, takes the title from the first one and the id from the path', async () => {
    const document = await loadOne(fixture('markdown/ring-care.md'));
    expect(document.documentId).toBe('markdown/ring-care.md');
    expect(document.title).toBe('Уход за кольцами');
    expect(document.tags).toEqual([]);
    expect(document.language).toBeUndefined();
    expect(document.sections.map((section) => section.titlePath)).toEqual([
      ['Уход за кольцами'],
      ['Уход за кольцами', 'Почему темнеет серебро'],
      ['Уход за кольцами', 'Как чистить'],
    ]);
  });

  it('joins soft-wrapped lines, keeps numbered items and unwraps a blockquote', async () => {
    const document = await loadOne(fixture('markdown/ring-care.md'));
    expect(sectionText(document, 'Уход за кольцами', 'Почему темнеет серебро')).toBe(
      'Серебро реагирует с серой в воздухе и на коже. Это не брак: налёт снимается за пару минут.',
    );
    expect(sectionText(document, 'Уход за кольцами', 'Как чистить')).toBe(
      '1. Протрите кольцо мягкой фланелью.\n' +
        '2. Для сильного налёта используйте специальную салфетку. Не используйте зубную пасту: она оставляет царапины.\n\n' +
        'Совет: храните кольца в закрытом пакете с застёжкой.\n\n' +
        'Если налёт не уходит, предложите клиенту бесплатную чистку в магазине.',
    );
  });
});

describe('markdownLoader on inline documents', () => {
  it('takes the kind from the front matter and splits comma-separated tags', async () => {
    const document = await loadOne(
      inline(
        'faq/engraving.md',
        '---\nkind: faq\ntags: гравировка, сроки\n---\nГравировка занимает 2 дня.\n',
      ),
    );
    expect(document).toMatchObject({ kind: 'faq', tags: ['гравировка', 'сроки'], title: 'engraving' });
    expect(document.sections).toEqual([{ titlePath: [], text: 'Гравировка занимает 2 дня.' }]);
  });

  it('falls back to the file name for the title when there is no heading', async () => {
    const document = await loadOne(
      inline('notes/Размеры колец.md', 'Размер кольца — это его внутренний диаметр.'),
    );
    expect(document.title).toBe('Размеры колец');
  });

  it('normalises line ends, invisible characters, soft hyphens and odd spaces', async () => {
    const document = await loadOne(
      inline('a.md', '# Оплата\r\n\r\nОплата\u00a0картой\u200b или по\u00adсле   получения.\r\n'),
    );
    expect(document.sections).toEqual([
      { titlePath: ['Оплата'], text: 'Оплата картой или после получения.' },
    ]);
  });

  it('rejoins a long heading that an HTML-to-Markdown export wrapped onto the next line', async () => {
    const document = await loadOne(
      inline(
        'wrapped.md',
        '## Можно ли вернуть кольцо с гравировкой, если гравировка сделана с ошибкой\nмастера?\n\nДа, за наш счёт.\n',
      ),
    );
    expect(document.sections[0]?.titlePath).toEqual([
      'Можно ли вернуть кольцо с гравировкой, если гравировка сделана с ошибкой мастера?',
    ]);
  });

  it('treats --- after a multi-line paragraph as a rule, not a heading', async () => {
    const document = await loadOne(
      inline('rule.md', '# Код\n\n<iframe src="x">\n</iframe>\n---\n\nТекст.\n'),
    );
    expect(document.sections.map((section) => section.titlePath)).toEqual([['Код']]);
  });

  it('reads `#hashtag` at the start of a line as text', async () => {
    const document = await loadOne(inline('tags.md', '# Соцсети\n\n#серебро — наш хештег.\n'));
    expect(document.sections).toEqual([{ titlePath: ['Соцсети'], text: '#серебро — наш хештег.' }]);
  });
});

describe('markdownLoader errors', () => {
  it('reports an empty file as empty', async () => {
    expect(await failure(markdownLoader.load(fixture('markdown/empty.md')))).toEqual({
      code: 'empty',
      message: 'the file is empty',
    });
  });

  it('reports front matter without a body as empty', async () => {
    expect((await failure(markdownLoader.load(fixture('markdown/only-front-matter.md')))).code).toBe('empty');
  });

  it('reports broken front matter YAML as invalid, on one line', async () => {
    const error = await failure(markdownLoader.load(fixture('markdown/bad-front-matter.md')));
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/^front matter is not valid YAML: /u);
    expect(error.message).not.toContain('\n');
  });

  it('reports an unknown kind as invalid and names the field', async () => {
    const error = await failure(markdownLoader.load(fixture('markdown/bad-kind.md')));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('"kind"');
  });
});

describe('markdownLoader on real help-centre pages (shared dataset)', () => {
  function helpPage(name: string): LoaderInput {
    const file = datasetPath('rutube-support', 'help-pages', name);
    return { path: file, relativePath: `help-pages/${name}`, bytes: new Uint8Array(readFileSync(file)) };
  }

  it('gives the Shorts FAQ one section per question under its H1', async () => {
    const document = await loadOne(helpPage('FAQ_ Shorts.md'));
    expect(document.title).toBe('Shorts на RUTUBE');
    expect(document.sections).toHaveLength(13);
    expect(document.sections.every((section) => section.titlePath[0] === 'Shorts на RUTUBE')).toBe(true);
    expect(document.sections.map((section) => section.titlePath[1])).toContain(
      'Нужно ли ставить хештег #Shorts в описании видео, чтобы оно попало в раздел Shorts на главной?',
    );
    expect(sectionText(document, 'Shorts на RUTUBE', 'Монетизируются ли ролики Shorts?')).toBe(
      'Нет, вертикальные ролики Shorts не монетизируются.',
    );
  });

  it('finds sensible headings in the noisy embed page (no code taken for a heading)', async () => {
    const document = await loadOne(helpPage('FAQ_ Встраивание (embed) видео.md'));
    const headings = document.sections.flatMap((section) => section.titlePath);
    expect(document.sections.length).toBeGreaterThan(10);
    expect(headings).toContain('Расширенные параметры для встраивания видео с RUTUBE и управления плеером');
    expect(headings.every((heading) => heading.length < 150 && !/[<>*]/u.test(heading))).toBe(true);
    expect(sectionText(document, document.title, 'Что такое встраивание (embed) видео?')).toMatch(
      /^Эмбед или эмбедирование — функция, которая позволяет встраивать плеер RUTUBE/u,
    );
  });
});
