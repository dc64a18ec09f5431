import { describe, expect, it } from 'vitest';
import { resolveSections, sectionProblems } from './template-sections.ts';

const known =
  (...slots: string[]) =>
  (slot: string) =>
    slots.includes(slot);

describe('resolveSections', () => {
  const intake =
    'Чтобы оформить обращение{{#order_id}} по заказу № {{order_id}}{{/order_id}}, пришлите, пожалуйста, ' +
    '{{^order_id}}номер заказа или фото чека, {{/order_id}}2–3 фото дефекта.';

  it('asks for the order number only while it is unknown', () => {
    expect(resolveSections(intake, known())).toBe(
      'Чтобы оформить обращение, пришлите, пожалуйста, номер заказа или фото чека, 2–3 фото дефекта.',
    );
  });

  it('says the known order number instead of asking for it', () => {
    expect(resolveSections(intake, known('order_id'))).toBe(
      'Чтобы оформить обращение по заказу № {{order_id}}, пришлите, пожалуйста, 2–3 фото дефекта.',
    );
  });

  it('keeps nested sections on different slots apart', () => {
    const text = '{{#order_id}}Заказ {{order_id}}{{^date}}, дата неизвестна{{/date}}.{{/order_id}} Спасибо!';
    expect(resolveSections(text, known('order_id'))).toBe('Заказ {{order_id}}, дата неизвестна. Спасибо!');
    expect(resolveSections(text, known('order_id', 'date'))).toBe('Заказ {{order_id}}. Спасибо!');
    expect(resolveSections(text, known('date'))).toBe('Спасибо!');
  });

  it('leaves a template without sections exactly as written, indentation and double spaces included', () => {
    const text = 'Статусы:\n  - «Принят»  — заказ оформлен;\n  - {{order_id}}';
    expect(resolveSections(text, known())).toBe(text);
  });

  it('drops only the tags of a broken template, never its text', () => {
    expect(resolveSections('Пришлите {{^order_id}}номер заказа.', known('order_id'))).toBe(
      'Пришлите номер заказа.',
    );
  });
});

describe('sectionProblems', () => {
  it('accepts closed sections and names every broken one', () => {
    expect(sectionProblems('{{#a}}x{{/a}} {{^b}}y{{/b}}')).toEqual([]);
    expect(sectionProblems('{{/a}}').map((problem) => problem.message)).toEqual(['{{/a}} closes no section']);
    expect(sectionProblems('{{#a}}{{^a}}{{/a}}{{/a}}').map((problem) => problem.message)).toEqual([
      'section {{^a}} opens inside another section on "a"',
    ]);
  });
});
