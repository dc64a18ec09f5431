import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoaderInput } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { naparnikMarkdownTemplateLoader, naparnikStructuredLoader } from './naparnik.ts';
import { naparnikMetadataSchema } from './naparnik-schema.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function inline(name: string, text: string): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes: new TextEncoder().encode(text) };
}

describe('naparnikStructuredLoader.accepts', () => {
  it('claims YAML and JSON files with a naparnik marker', () => {
    for (const name of [
      'templates.yaml',
      'templates.json',
      'scripts.yaml',
      'routing.yaml',
      'unknown-marker.yaml',
    ]) {
      expect(naparnikStructuredLoader.accepts?.(fixture(`naparnik/${name}`)), name).toBe(true);
    }
  });

  it('leaves plain JSON records and other YAML to the next loader', () => {
    expect(naparnikStructuredLoader.accepts?.(fixture('records/records.json'))).toBe(false);
    expect(naparnikStructuredLoader.accepts?.(fixture('records/single.json'))).toBe(false);
    expect(naparnikStructuredLoader.accepts?.(fixture('naparnik/plain.yaml'))).toBe(false);
    expect(naparnikStructuredLoader.accepts?.(inline('nested.yaml', 'meta:\n  naparnik: templates\n'))).toBe(
      false,
    );
  });
});

describe('reply templates', () => {
  it('makes one template document per item, searchable by the customers’ questions', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/templates.yaml'));
    expect(documents.map((document) => document.documentId)).toEqual([
      'tpl-order-status',
      'tpl-return-how',
      'tpl-warranty-en',
    ]);
    const [orderStatus] = documents;
    expect(orderStatus).toMatchObject({
      kind: 'template',
      title: 'Статус заказа в пути',
      language: 'ru',
      category: 'Доставка',
      tags: ['Доставка', 'статус заказа'],
    });
    expect(orderStatus?.sections).toHaveLength(1);
    expect(orderStatus?.sections[0]).toMatchObject({
      titlePath: ['Доставка', 'Статус заказа в пути'],
      atomic: true,
      text:
        '{{customer_name}}, ваш заказ № {{order_id}} передан в службу доставки. Отследить его можно\n' +
        'по номеру {{tracking_number}} на сайте перевозчика.\n\n' +
        'Как спрашивают клиенты:\n- Где мой заказ?\n- Когда привезут заказ?',
    });
  });

  it('keeps the whole template in metadata, with placeholder slots merged into the declared ones', async () => {
    const [orderStatus] = await naparnikStructuredLoader.load(fixture('naparnik/templates.yaml'));
    expect(orderStatus?.sections[0]?.metadata).toEqual({
      type: 'template',
      id: 'tpl-order-status',
      title: 'Статус заказа в пути',
      text:
        '{{customer_name}}, ваш заказ № {{order_id}} передан в службу доставки. Отследить его можно\n' +
        'по номеру {{tracking_number}} на сайте перевозчика.',
      short: 'Заказ № {{order_id}} в пути, трек-номер {{tracking_number}}.',
      category: 'Доставка',
      tags: ['доставка', 'статус заказа'],
      language: 'ru',
      channels: ['chat', 'messenger', 'email'],
      questions: ['Где мой заказ?', 'Когда привезут заказ?'],
      slots: {
        customer_name: { required: true },
        order_id: { label: 'Номер заказа', required: true, ask: 'Подскажите, пожалуйста, номер заказа.' },
        tracking_number: { label: 'Трек-номер', required: false },
      },
    });
  });

  it('lets an item state its own language over the file’s', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/templates.yaml'));
    expect(documents[2]).toMatchObject({ language: 'en', title: 'Warranty repair' });
    expect(documents[2]?.sections[0]?.metadata).toMatchObject({
      language: 'en',
      slots: { customer_name: { required: true }, product: { required: true } },
    });
  });

  it('reads templates from a JSON file with the marker', async () => {
    const [engraving] = await naparnikStructuredLoader.load(fixture('naparnik/templates.json'));
    expect(engraving).toMatchObject({ documentId: 'tpl-engraving', kind: 'template', language: 'ru' });
    expect(engraving?.sections[0]?.metadata?.slots).toEqual({
      days: { label: 'Срок в днях', required: true },
    });
  });

  it('produces metadata the assist service can read back with naparnikMetadataSchema', async () => {
    const documents = [
      ...(await naparnikStructuredLoader.load(fixture('naparnik/templates.yaml'))),
      ...(await naparnikStructuredLoader.load(fixture('naparnik/scripts.yaml'))),
      ...(await naparnikStructuredLoader.load(fixture('naparnik/routing.yaml'))),
      ...(await naparnikMarkdownTemplateLoader.load(fixture('naparnik/template-gift-wrap.md'))),
    ];
    for (const document of documents) {
      const metadata = document.sections[0]?.metadata;
      expect(naparnikMetadataSchema.parse(metadata), document.documentId).toEqual(metadata);
    }
  });

  it('rejects an item without text, naming its path and line', async () => {
    expect(
      await failure(naparnikStructuredLoader.load(fixture('naparnik/templates-missing-text.yaml'))),
    ).toEqual({
      code: 'invalid',
      message: 'items[1].text: Required (line 7)',
    });
  });

  it('rejects a declared slot the text does not use, and a placeholder that is not snake_case', async () => {
    const unused =
      'naparnik: templates\nitems:\n  - id: t\n    title: T\n    text: Привет!\n    slots: { order_id: {} }\n';
    expect(await failure(naparnikStructuredLoader.load(inline('unused.yaml', unused)))).toEqual({
      code: 'invalid',
      message: 'items[0].slots.order_id: not used in "text" or "short" (line 6)',
    });
    const badName = 'naparnik: templates\nitems:\n  - id: t\n    title: T\n    text: Привет, {{Имя}}!\n';
    expect(await failure(naparnikStructuredLoader.load(inline('bad-name.yaml', badName)))).toEqual({
      code: 'invalid',
      message: 'items[0].text: placeholder {{Имя}} is not snake_case (line 5)',
    });
  });

  it('rejects a conditional section left open or closed by another name, and takes a slot used only as a section', async () => {
    const open =
      'naparnik: templates\nitems:\n  - id: t\n    title: T\n    text: "Пришлите {{^order_id}}номер заказа и фото."\n';
    expect(await failure(naparnikStructuredLoader.load(inline('open.yaml', open)))).toEqual({
      code: 'invalid',
      message: 'items[0].text: section {{^order_id}} is not closed by {{/order_id}} (line 5)',
    });
    const crossed =
      'naparnik: templates\nitems:\n  - id: t\n    title: T\n    text: "{{#order_id}}А {{^product}}Б{{/order_id}}{{/product}}"\n';
    const error = await failure(naparnikStructuredLoader.load(inline('crossed.yaml', crossed)));
    expect(error.message).toContain('{{/order_id}} closes section {{^product}}');
    const declared =
      'naparnik: templates\nitems:\n  - id: t\n    title: T\n    text: "Пришлите {{^order_id}}номер заказа и {{/order_id}}фото."\n    slots: { order_id: { label: Номер заказа } }\n';
    const loaded = await naparnikStructuredLoader.load(inline('declared.yaml', declared));
    expect(loaded.map((document) => document.documentId)).toEqual(['t']);
  });

  it('rejects duplicate template ids and unknown keys', async () => {
    const duplicate =
      'naparnik: templates\nitems:\n  - { id: t, title: A, text: a }\n  - { id: t, title: B, text: b }\n';
    expect(await failure(naparnikStructuredLoader.load(inline('dup.yaml', duplicate)))).toEqual({
      code: 'invalid',
      message: 'items[1].id: duplicate id "t" (also items[0]) (line 4)',
    });
    const typo = 'naparnik: templates\nitems:\n  - { id: t, title: A, text: a, qustions: [Где?] }\n';
    expect(await failure(naparnikStructuredLoader.load(inline('typo.yaml', typo)))).toEqual({
      code: 'invalid',
      message: 'items[0]: Unrecognized key: "qustions" (line 3)',
    });
  });

  it('rejects an unknown marker and a YAML syntax error', async () => {
    expect(await failure(naparnikStructuredLoader.load(fixture('naparnik/unknown-marker.yaml')))).toEqual({
      code: 'invalid',
      message: 'naparnik: unknown format "faq" (expected "templates", "scripts", "routing" or "glossary")',
    });
    const { code, message } = await failure(
      naparnikStructuredLoader.load(fixture('naparnik/syntax-error.yaml')),
    );
    expect(code).toBe('corrupt');
    expect(message).toMatch(/^line 5: /);
  });

  it('gives the same ids when the same bytes are loaded twice', async () => {
    const first = await naparnikStructuredLoader.load(fixture('naparnik/routing.yaml'));
    const second = await naparnikStructuredLoader.load(fixture('naparnik/routing.yaml'));
    expect(second.map((document) => document.documentId)).toEqual(
      first.map((document) => document.documentId),
    );
  });
});

describe('Markdown templates', () => {
  it('claims only Markdown whose front matter has the marker', () => {
    expect(naparnikMarkdownTemplateLoader.accepts?.(fixture('naparnik/template-gift-wrap.md'))).toBe(true);
    expect(naparnikMarkdownTemplateLoader.accepts?.(inline('a.md', '---\ntitle: Уход\n---\n# Уход\n'))).toBe(
      false,
    );
    expect(naparnikMarkdownTemplateLoader.accepts?.(inline('b.md', '# Уход\n\nnaparnik: template\n'))).toBe(
      false,
    );
  });

  it('reads the front matter as the template and the body as its text', async () => {
    const [document] = await naparnikMarkdownTemplateLoader.load(fixture('naparnik/template-gift-wrap.md'));
    expect(document).toMatchObject({
      documentId: 'tpl-gift-wrap',
      kind: 'template',
      title: 'Подарочная упаковка',
      category: 'Заказы',
      tags: ['Заказы', 'подарок', 'упаковка'],
    });
    expect(document?.language).toBeUndefined();
    expect(document?.sections[0]?.metadata).toMatchObject({
      type: 'template',
      channels: ['chat', 'messenger'],
      text:
        '{{customer_name}}, каждое украшение приходит в фирменной коробочке. Подарочную открытку\n' +
        'с вашим текстом добавим бесплатно — напишите текст в комментарии к заказу № {{order_id}}.',
      slots: { customer_name: { required: true }, order_id: { required: true } },
    });
  });

  it('rejects an empty body and counts front matter lines from the top of the file', async () => {
    expect(
      await failure(
        naparnikMarkdownTemplateLoader.load(
          inline('a.md', '---\nnaparnik: template\nid: t\ntitle: T\n---\n'),
        ),
      ),
    ).toEqual({ code: 'invalid', message: 'text: the template text below the front matter is empty' });
    expect(
      await failure(
        naparnikMarkdownTemplateLoader.load(inline('b.md', '---\nnaparnik: template\nid: t\n---\nТекст\n')),
      ),
    ).toEqual({ code: 'invalid', message: 'title: Required (line 2)' });
    expect(
      await failure(
        naparnikMarkdownTemplateLoader.load(
          inline('c.md', '---\nnaparnik: template\nid: t\ntitle: T\nchannels: [fax]\n---\nТекст\n'),
        ),
      ),
    ).toEqual({
      code: 'invalid',
      message:
        'channels[0]: Invalid option: expected one of "chat"|"messenger"|"email"|"marketplace"|"social" (line 5)',
    });
  });
});

describe('operator scripts', () => {
  it('makes one document per step and one for the rules', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/scripts.yaml'));
    expect(documents.map((document) => [document.documentId, document.kind, document.title])).toEqual([
      ['script-ru/greeting', 'script', 'Приветствие — Скрипт чата'],
      ['script-ru/hold', 'script', 'Просьба подождать — Скрипт чата'],
      ['script-ru/closing', 'script', 'Завершение — Скрипт чата'],
      ['script-ru/rules', 'script', 'Правила ответа — Скрипт чата'],
    ]);
    expect(documents.every((document) => document.language === 'ru')).toBe(true);
  });

  it('keeps each step in metadata with the address form and renders it as readable text', async () => {
    const [greeting] = await naparnikStructuredLoader.load(fixture('naparnik/scripts.yaml'));
    expect(greeting?.sections[0]).toEqual({
      titlePath: ['Скрипт чата', 'Приветствие — Скрипт чата'],
      atomic: true,
      text:
        'Шаг скрипта: приветствие (обязательный, в начале ответа).\n' +
        'Каналы: chat, messenger, email.\n' +
        'Варианты:\n- Здравствуйте, {{customer_name}}!\n- Добрый день, {{customer_name}}!\n' +
        'Распознаётся по словам: здравствуйте, добрый день, добрый вечер, доброе утро.',
      metadata: {
        type: 'script-step',
        address: 'vy',
        language: 'ru',
        id: 'greeting',
        step: 'greeting',
        channels: ['chat', 'messenger', 'email'],
        variants: ['Здравствуйте, {{customer_name}}!', 'Добрый день, {{customer_name}}!'],
        detect: ['здравствуйте', 'добрый день', 'добрый вечер', 'доброе утро'],
        required: true,
        position: 'start',
      },
    });
  });

  it('fills step defaults: optional, anywhere in the reply', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/scripts.yaml'));
    expect(documents[1]?.sections[0]?.metadata).toMatchObject({ required: false, position: 'any' });
  });

  it('keeps the rules block in metadata and lists it as text', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/scripts.yaml'));
    const rules = documents[3]?.sections[0];
    expect(rules?.metadata).toEqual({
      type: 'script-rules',
      address: 'vy',
      language: 'ru',
      rules: {
        banned: [
          {
            phrase: 'вернём деньги в любом случае',
            reason: 'Возврат возможен только по условиям политики возврата.',
            suggestion: 'Мы вернём деньги, если товар подходит под условия возврата.',
          },
          { pattern: 'гарантир\\w* возврат', reason: 'Не обещаем возврат до проверки.' },
        ],
        required: [
          { phrase: 'номер обращения', channels: ['email'], reason: 'В письме указываем номер обращения.' },
        ],
        length: { chat: 600, messenger: 600, email: 3000 },
      },
    });
    expect(rules?.text).toBe(
      'Правила ответа (обращение на «вы»).\n' +
        'Запрещено:\n' +
        '- «вернём деньги в любом случае» — Возврат возможен только по условиям политики возврата. Лучше: Мы вернём деньги, если товар подходит под условия возврата.\n' +
        '- шаблон /гарантир\\w* возврат/ — Не обещаем возврат до проверки.\n' +
        'Обязательно:\n' +
        '- «номер обращения» (email) — В письме указываем номер обращения.\n' +
        'Длина ответа: chat — до 600 символов, messenger — до 600 символов, email — до 3000 символов.',
    );
  });

  it('rejects a pattern that is not a valid regular expression, naming it', async () => {
    expect(await failure(naparnikStructuredLoader.load(fixture('naparnik/scripts-bad-regex.yaml')))).toEqual({
      code: 'invalid',
      message: 'rules.banned[1].pattern: invalid regular expression: Unterminated group (line 10)',
    });
  });

  it('requires a language and exactly one of phrase or pattern', async () => {
    const noLanguage = 'naparnik: scripts\nid: s\naddress: vy\n';
    expect(await failure(naparnikStructuredLoader.load(inline('s.yaml', noLanguage)))).toEqual({
      code: 'invalid',
      message: 'language: Required (line 1)',
    });
    const both =
      'naparnik: scripts\nid: s\nlanguage: ru\naddress: ty\nrules:\n  banned:\n    - { phrase: a, pattern: b, reason: c }\n';
    expect(await failure(naparnikStructuredLoader.load(inline('s.yaml', both)))).toEqual({
      code: 'invalid',
      message: 'rules.banned[0]: give either "phrase" or "pattern" (line 7)',
    });
  });
});

describe('routing rules', () => {
  it('makes one document per rule and one for the departments', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/routing.yaml'));
    expect(documents.map((document) => [document.documentId, document.kind, document.tags])).toEqual([
      ['route-defect', 'routing', ['Гарантия и ремонт']],
      ['ask-order-number', 'routing', ['Заказы', 'Доставка']],
      ['close-payment-receipt', 'routing', []],
      ['routing/departments', 'routing', []],
    ]);
  });

  it('keeps the rule in metadata and renders it as readable text', async () => {
    const [defect] = await naparnikStructuredLoader.load(fixture('naparnik/routing.yaml'));
    expect(defect?.title).toBe('Передать в отдел: «Гарантийный отдел» (route-defect)');
    expect(defect?.sections[0]?.metadata).toEqual({
      type: 'routing-rule',
      id: 'route-defect',
      action: 'handover',
      department: 'warranty',
      priority: 10,
      when: {
        topics: ['Гарантия и ремонт'],
        keywords: ['брак', 'сломалась', 'порвалась', 'потемнело'],
        channels: ['chat', 'marketplace'],
        sentiment: 'negative',
      },
      reason: 'Дефекты изделий рассматривает гарантийный отдел.',
      reasons: { en: 'Product defects are handled by the warranty team.' },
    });
    expect(defect?.sections[0]?.text).toBe(
      'Передать в отдел: «Гарантийный отдел». Приоритет: 10.\n' +
        'Когда: темы — Гарантия и ремонт; ключевые слова — брак, сломалась, порвалась, потемнело; каналы — chat, marketplace; тональность — негативная.\n' +
        'Причина: Дефекты изделий рассматривает гарантийный отдел.',
    );
  });

  it('defaults the priority to 0 and lists the departments', async () => {
    const documents = await naparnikStructuredLoader.load(fixture('naparnik/routing.yaml'));
    expect(documents[1]?.sections[0]?.metadata).toMatchObject({
      action: 'ask',
      slot: 'order_id',
      priority: 0,
    });
    expect(documents[3]?.sections[0]).toMatchObject({
      text: 'Отделы:\n- Отдел заказов (orders): Изменение, отмена и статус заказов\n- Гарантийный отдел (warranty)',
      metadata: {
        type: 'departments',
        departments: [
          { id: 'orders', name: 'Отдел заказов', description: 'Изменение, отмена и статус заказов' },
          { id: 'warranty', name: 'Гарантийный отдел' },
        ],
      },
    });
  });

  it('rejects a rule naming an unknown department', async () => {
    expect(
      await failure(naparnikStructuredLoader.load(fixture('naparnik/routing-unknown-department.yaml'))),
    ).toEqual({
      code: 'invalid',
      message: 'rules[0].department: unknown department "warranty" (known: orders) (line 9)',
    });
  });

  it('rejects a handover without a department, an ask without a slot and a rule without conditions', async () => {
    const base = 'naparnik: routing\nid: r\ndepartments: [{ id: orders, name: Заказы }]\nrules:\n';
    const cases: [string, string][] = [
      [
        '  - { id: a, action: handover, when: { keywords: [x] }, reason: r }\n',
        'rules[0].department: required for action "handover" (line 5)',
      ],
      [
        '  - { id: a, action: ask, when: { keywords: [x] }, reason: r }\n',
        'rules[0].slot: required for action "ask" (line 5)',
      ],
      [
        '  - { id: a, action: close, when: {}, reason: r }\n',
        'rules[0].when: give at least one condition (line 5)',
      ],
      [
        '  - { id: a, action: close, when: { patterns: ["(чек"] }, reason: r }\n',
        'rules[0].when.patterns[0]: invalid regular expression: Unterminated group (line 5)',
      ],
    ];
    for (const [rule, message] of cases) {
      expect(await failure(naparnikStructuredLoader.load(inline('r.yaml', base + rule)))).toEqual({
        code: 'invalid',
        message,
      });
    }
  });
});

describe('template preconditions and situations', () => {
  const template = (extra: string) =>
    inline(
      'templates.yaml',
      `naparnik: templates\nlanguage: ru\nitems:\n  - id: tpl-cancel\n    title: Отмена\n    text: Заказ № {{order_id}} отменён.\n${extra}`,
    );

  it('carries preconditions, notFor, for and onlyFor into the chunk metadata', async () => {
    const [document] = await naparnikStructuredLoader.load(
      template(
        '    preconditions: ["отменить заказ в системе"]\n    notFor: [marketplace-order]\n    for: [defect-claim]\n    onlyFor: [cancel-request]\n',
      ),
    );
    const metadata = naparnikMetadataSchema.parse(document?.sections[0]?.metadata);
    expect(metadata).toMatchObject({
      preconditions: ['отменить заказ в системе'],
      notFor: ['marketplace-order'],
      for: ['defect-claim'],
      onlyFor: ['cancel-request'],
    });
    expect(document?.warnings).toBeUndefined();
  });

  it('warns about a template that states a done action without preconditions', async () => {
    const [document] = await naparnikStructuredLoader.load(template(''));
    expect(document?.warnings).toEqual([
      'template tpl-cancel states «отменён» as done but declares no "preconditions": list what the operator must check or do first (or "preconditions: []" when nothing)',
    ]);
  });

  it('takes an empty list as "nothing to do first"', async () => {
    const [document] = await naparnikStructuredLoader.load(template('    preconditions: []\n'));
    expect(document?.warnings).toBeUndefined();
  });

  it('rejects an unknown situation and an unknown case, naming the field', async () => {
    const situation = await failure(naparnikStructuredLoader.load(template('    notFor: [angry]\n')));
    expect(situation.message).toMatch(/items\[0\]\.notFor\[0\]|notFor/u);
    const only = await failure(naparnikStructuredLoader.load(template('    onlyFor: [cancel]\n')));
    expect(only.message).toMatch(/onlyFor/u);
    const badCase = await failure(
      naparnikStructuredLoader.load(template('    slots:\n      order_id: { case: звательный }\n')),
    );
    expect(badCase.message).toMatch(/case: one of nomn/u);
  });
});
