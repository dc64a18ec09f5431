import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  findPlaceholders,
  naparnikMetadataSchema,
  routingRuleMetadataSchema,
  templateMetadataSchema,
  templatesFileSchema,
} from './naparnik-schema.ts';

describe('compilePattern', () => {
  it('makes \\w match Cyrillic letters, as pattern authors expect', () => {
    const pattern = compilePattern('гарантир\\w* возврат');
    expect(pattern.test('Мы ГАРАНТИРУЕМ возврат денег')).toBe(true);
    expect(pattern.test('гарантия на возврат')).toBe(false);
  });

  it('makes \\b a word boundary between Cyrillic letters too', () => {
    const pattern = compilePattern('\\bбрак\\b');
    expect(pattern.test('пришёл брак, верните деньги')).toBe(true);
    expect(pattern.test('бракованное кольцо')).toBe(false);
    expect(compilePattern('\\Bрак').test('брак')).toBe(true);
  });

  it('keeps other escapes and classes as written', () => {
    expect(compilePattern('ваш заказ (?:№\\s*\\d+ )?подтвержд').test('Ваш заказ № 1234 подтверждён')).toBe(
      true,
    );
    expect(compilePattern('[\\w-]+@example\\.com').test('Ольга-1@example.com')).toBe(true);
  });

  it('throws on an invalid expression', () => {
    expect(() => compilePattern('(чек')).toThrow(SyntaxError);
  });
});

describe('findPlaceholders', () => {
  it('lists placeholder names once, in order, spaces inside braces allowed', () => {
    expect(findPlaceholders('{{customer_name}}, заказ {{ order_id }} — {{customer_name}}, {{Имя}}')).toEqual([
      'customer_name',
      'order_id',
      'Имя',
    ]);
  });
});

describe('naparnik schemas', () => {
  it('fills template defaults and a slot’s required flag', () => {
    const file = templatesFileSchema.parse({
      naparnik: 'templates',
      items: [
        {
          id: 'tpl-hello',
          title: 'Привет',
          text: 'Здравствуйте, {{customer_name}}!',
          slots: { customer_name: {} },
        },
      ],
    });
    expect(file).toEqual({
      naparnik: 'templates',
      version: 1,
      items: [
        {
          id: 'tpl-hello',
          title: 'Привет',
          text: 'Здравствуйте, {{customer_name}}!',
          tags: [],
          questions: [],
          slots: { customer_name: { required: true } },
        },
      ],
    });
  });

  it('takes a precondition as text or with the situations that answer it', () => {
    const item = (preconditions: unknown) => ({
      naparnik: 'templates',
      items: [{ id: 'tpl-return', title: 'Возврат', text: 'Можно вернуть.', preconditions }],
    });
    const answered = { text: 'уточнить, из чего изделие', answeredBy: ['non-precious-item'] };
    expect(templatesFileSchema.parse(item(['проверить заказ', answered])).items[0]?.preconditions).toEqual([
      'проверить заказ',
      answered,
    ]);
    const unknown = templatesFileSchema.safeParse(item([{ text: 'уточнить', answeredBy: ['gold'] }]));
    expect(unknown.success).toBe(false);
  });

  it('rejects a file version it does not know', () => {
    const result = templatesFileSchema.safeParse({ naparnik: 'templates', version: 2, items: [] });
    expect(result.error?.issues[0]?.path).toEqual(['version']);
  });

  it('tells chunk metadata apart by type', () => {
    const template = naparnikMetadataSchema.parse({
      type: 'template',
      id: 't',
      title: 'T',
      text: 'Текст',
      slots: {},
    });
    expect(template.type).toBe('template');
    const departments = naparnikMetadataSchema.parse({
      type: 'departments',
      departments: [{ id: 'orders', name: 'Заказы' }],
    });
    expect(departments).toEqual({ type: 'departments', departments: [{ id: 'orders', name: 'Заказы' }] });
    expect(naparnikMetadataSchema.safeParse({ type: 'faq' }).success).toBe(false);
  });

  it('checks metadata read back as strictly as files', () => {
    expect(
      templateMetadataSchema.safeParse({
        type: 'template',
        id: 't',
        title: 'T',
        text: 'Без слотов',
        slots: { order_id: {} },
      }).success,
    ).toBe(false);
    expect(
      routingRuleMetadataSchema.safeParse({
        type: 'routing-rule',
        id: 'r',
        action: 'handover',
        when: { keywords: ['x'] },
        reason: 'r',
      }).success,
    ).toBe(false);
  });
});
