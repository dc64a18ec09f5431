import { describe, expect, it } from 'vitest';
import type { ScriptStepEntry } from '../../retrieval/script-profiles.ts';
import {
  closes,
  pickVariant,
  type VoiceContext,
  withoutSympathyOpener,
  withoutYesNo,
  wrapInScript,
} from './voice.ts';

function step(
  overrides: Partial<ScriptStepEntry> & Pick<ScriptStepEntry, 'step' | 'variants'>,
): ScriptStepEntry {
  return {
    type: 'script-step',
    id: overrides.step,
    address: 'vy',
    language: 'ru',
    detect: [],
    required: false,
    position: 'any',
    documentId: `script-ru/${overrides.step}`,
    chunkId: `script-ru/${overrides.step}#0`,
    ...overrides,
  };
}

const voice: VoiceContext = {
  steps: [
    step({ step: 'greeting', variants: ['Здравствуйте!'], required: true }),
    step({ step: 'apology', variants: ['Приносим извинения за доставленные неудобства.'] }),
    step({ step: 'closing', variants: ['Могу ли я ещё чем-то помочь?'], required: true }),
  ],
  language: 'ru',
  channel: 'chat',
  firstReply: false,
  hurry: false,
  negative: false,
  values: {},
};

describe('wrapInScript', () => {
  it('closes an answer that is complete', () => {
    expect(wrapInScript('Доставка по Москве — 1–2 дня.', voice).text).toBe(
      'Доставка по Москве — 1–2 дня.\nМогу ли я ещё чем-то помочь?',
    );
  });

  it('puts no closing right after a question or a request to the customer', () => {
    expect(wrapInScript('Подскажите, пожалуйста, номер заказа.', voice).text).toBe(
      'Подскажите, пожалуйста, номер заказа.',
    );
    expect(wrapInScript('Какой вариант вам подходит?', voice).text).toBe('Какой вариант вам подходит?');
  });

  it('puts no closing while the issue is open (we still owe an answer)', () => {
    expect(wrapInScript('Мы отправили запрос и ответим до конца дня.', voice).text).not.toContain('помочь');
  });

  it('puts no closing after an answer that leaves the issue open, whatever its words', () => {
    const hold = 'Please give me 2–3 minutes to check your order.';
    expect(wrapInScript(hold, voice).text).toContain('помочь');
    expect(wrapInScript(hold, voice, { open: true }).text).toBe(hold);
  });

  it('puts no closing after a greeting alone', () => {
    expect(wrapInScript('', { ...voice, firstReply: true }).text).toBe('Здравствуйте!');
  });

  it('apologises once: not when the answer already says it is sorry', () => {
    const upset = { ...voice, negative: true };
    expect(wrapInScript('Нам очень жаль, что замок сломался. Примем на проверку.', upset).text).not.toContain(
      'Приносим извинения',
    );
    expect(wrapInScript('Примем изделие на проверку.', upset).text).toContain('Приносим извинения');
  });
});

describe('closes', () => {
  it('tells a finished answer from one that waits for the customer or for us', () => {
    expect(closes('Баллы начисляются через 14 дней.')).toBe(true);
    expect(closes('Please send us your order number.')).toBe(false);
    expect(closes('We will get back to you tomorrow.')).toBe(false);
    expect(closes('')).toBe(false);
  });
});

describe('pickVariant', () => {
  const hold = step({
    step: 'hold',
    variants: [
      'Мы уже проверяем информацию и ответим вам не позднее {{date}}.',
      'Ваш вопрос передан профильному специалисту — ответ придёт в течение 1 рабочего дня.',
    ],
  });

  it('never promises a reply by a date the customer mentioned (those are past): another variant is taken', () => {
    expect(pickVariant(hold, { date: '01.12.2026' })).toBe(
      'Ваш вопрос передан профильному специалисту — ответ придёт в течение 1 рабочего дня.',
    );
  });

  it('fills a date that looks back with the conversation’s date', () => {
    const received = step({ step: 'hold', variants: ['Вижу, что вы писали нам {{date}}.'] });
    expect(pickVariant(received, { date: '01.12.2026' })).toBe('Вижу, что вы писали нам 01.12.2026.');
  });
});

describe('withoutSympathyOpener', () => {
  it.each([
    [
      'Жаль, что кольцо не подошло. Золотое кольцо обменять нельзя, но размер подгоним.',
      'Золотое кольцо обменять нельзя, но размер подгоним.',
    ],
    [
      'Анна, жаль, что кольцо не подошло. Золотое кольцо обменять нельзя.',
      'Анна, золотое кольцо обменять нельзя.',
    ],
    [
      'Понимаю, как неприятно, когда украшение не подошло. К сожалению, кольцо вернуть не получится.',
      'К сожалению, кольцо вернуть не получится.',
    ],
    [
      'I understand how disappointing it is when a piece does not suit you. Unfortunately, the ring cannot be exchanged.',
      'Unfortunately, the ring cannot be exchanged.',
    ],
  ])('drops the sympathy «%s» opens with', (answer, expected) => {
    expect(withoutSympathyOpener(answer)).toBe(expected);
  });

  it('keeps an answer that opens otherwise, or that is sympathy alone', () => {
    expect(withoutSympathyOpener('Серьги можно вернуть в течение 7 дней. Жаль, что не подошли.')).toBe(
      'Серьги можно вернуть в течение 7 дней. Жаль, что не подошли.',
    );
    expect(withoutSympathyOpener('Нам очень жаль.')).toBe('Нам очень жаль.');
  });
});

describe('withoutYesNo', () => {
  it.each([
    ['Нет, скачать видео с RUTUBE не получится.', 'Скачать видео с RUTUBE не получится.'],
    ['Да, участникам «Аурелия Клуб» мы дарим 500 баллов.', 'Участникам «Аурелия Клуб» мы дарим 500 баллов.'],
    ['Нет. Мы доставляем только по России.', 'Мы доставляем только по России.'],
    ['Yes, you can pay on delivery.', 'You can pay on delivery.'],
    ['Данные профиля можно изменить.', 'Данные профиля можно изменить.'],
    ['Нетрудно: нажмите «Изменить».', 'Нетрудно: нажмите «Изменить».'],
    ['Да', 'Да'],
  ])('«%s» → «%s»', (answer, expected) => {
    expect(withoutYesNo(answer)).toBe(expected);
  });
});
