import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../../contract/index.ts';
import { cutMarker, fitToBudget } from './budget.ts';

const customer = (text: string): ConversationMessage => ({ role: 'customer', text });

describe('fitToBudget', () => {
  it('leaves a conversation within the budget as it is', () => {
    const messages = [customer('Здравствуйте'), customer('Где мой заказ?')];
    expect(fitToBudget(messages, 100)).toEqual({ messages, truncated: false, droppedCharacters: 0 });
  });

  it('drops the oldest messages first and marks the cut', () => {
    const messages = [customer('a'.repeat(50)), customer('b'.repeat(30)), customer('c'.repeat(30))];
    const result = fitToBudget(messages, 70);
    expect(result.truncated).toBe(true);
    expect(result.messages.map((message) => message.text)).toEqual([
      cutMarker(50),
      'b'.repeat(30),
      'c'.repeat(30),
    ]);
    expect(result.messages[0]?.role).toBe('system');
  });

  it('keeps the end of a single message longer than the budget', () => {
    const result = fitToBudget([customer(`${'x'.repeat(1000)}Где мой заказ?`)], 14);
    expect(result.messages.at(-1)?.text).toBe('Где мой заказ?');
    expect(result.droppedCharacters).toBe(1000);
  });

  it('never splits an emoji at the cut', () => {
    const result = fitToBudget([customer('😀😀😀')], 3);
    expect(result.messages.at(-1)?.text).toBe('😀');
  });

  it('never keeps more message text than the budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 200 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 500 }),
        (texts, budget) => {
          const result = fitToBudget(texts.map(customer), budget);
          const kept = result.messages.filter((message) => message.role === 'customer');
          expect(kept.reduce((sum, message) => sum + message.text.length, 0)).toBeLessThanOrEqual(budget);
        },
      ),
    );
  });
});
