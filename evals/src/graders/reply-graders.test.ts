import { describe, expect, it } from 'vitest';
import { gradeReply, personalValuesSent, replyMetrics, writtenLanguage } from './reply-graders.ts';

const conversation = {
  id: 'c1',
  channel: 'chat',
  messages: [{ role: 'customer' as const, text: 'Заказ 10452378 не пришёл, мой телефон +7 916 123-45-67' }],
};
const chunkTexts = new Map([
  ['faq-delay#0', 'Если заказ задерживается больше чем на 2 дня, напишите нам — проверим.'],
  ['faq-cost#0', 'Курьер стоит 350 ₽.'],
]);

describe('reply graders', () => {
  it('pass a reply that cites a retrieved chunk and takes its facts from it and the conversation', () => {
    const grade = gradeReply({
      text: 'Здравствуйте! Заказ 10452378 задерживается больше чем на 2 дня — проверим.',
      citations: [{ chunkId: 'faq-delay#0' }],
      conversation,
      chunkTexts,
      findings: [],
    });
    expect(grade).toEqual({
      citesSource: true,
      ungrounded: [],
      languageMatches: true,
      bannedPromises: [],
      leaked: [],
    });
  });

  it('flag an amount no cited source holds, a citation of an unknown chunk and the wrong language', () => {
    const grade = gradeReply({
      text: 'Hello! Delivery costs 990 ₽.',
      citations: [{ chunkId: 'faq-cost#0' }, { chunkId: 'invented#3' }],
      conversation,
      chunkTexts,
      findings: [],
    });
    expect(grade.citesSource).toBe(false);
    expect(grade.ungrounded).toEqual(['990 ₽']);
    expect(grade.languageMatches).toBe(false);
  });

  it('flag a banned phrase the rule checker found and a personal value the conversation did not hold', () => {
    const grade = gradeReply({
      text: 'Деньги вернём в любом случае, позвоните менеджеру: +7 999 000-11-22.',
      citations: [],
      conversation,
      chunkTexts,
      findings: [
        { type: 'banned-phrase', message: '«в любом случае» — запрещённое обещание' },
        { type: 'missing-greeting', message: 'нет приветствия' },
      ],
    });
    expect(grade.bannedPromises).toEqual(['«в любом случае» — запрещённое обещание']);
    expect(grade.leaked).toEqual(['+7 999 000-11-22']);
    const metrics = replyMetrics([grade]);
    expect(metrics['reply.banned_promise_count']).toBe(1);
    expect(metrics['reply.personal_leak_count']).toBe(1);
    expect(metrics['reply.cites_source']).toBe(0);
  });

  it('find a personal value of a conversation in the requests sent to a model, and not its placeholder', () => {
    const redacted = { messages: [{ role: 'user', content: 'Заказ 10452378, телефон [PHONE_1]' }] };
    const leaking = { messages: [{ role: 'user', content: 'телефон +7 916 123-45-67' }] };
    expect(personalValuesSent([conversation], [redacted])).toEqual([]);
    expect(personalValuesSent([conversation], [redacted, leaking])).toEqual([
      { value: '+7 916 123-45-67', requests: 1 },
    ]);
  });

  it('tell Russian from English by the letters used', () => {
    expect(writtenLanguage('Здравствуйте! Order 123')).toBe('ru');
    expect(writtenLanguage('Hello! Your order: заказ')).toBe('en');
  });
});
