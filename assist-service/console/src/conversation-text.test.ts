import { describe, expect, it } from 'vitest';
import { parseConversationText } from './conversation-text.ts';

describe('parseConversationText', () => {
  it('reads text without speakers as one customer message', () => {
    expect(parseConversationText('Здравствуйте!\nГде мой заказ?\n')).toEqual([
      { role: 'customer', text: 'Здравствуйте!\nГде мой заказ?' },
    ]);
  });

  it('splits turns at Клиент:/Оператор: lines and keeps continuation lines with their turn', () => {
    expect(
      parseConversationText('Клиент: Где заказ?\nномер 123\nОператор: Сейчас проверю.\nклиент:  Спасибо'),
    ).toEqual([
      { role: 'customer', text: 'Где заказ?\nномер 123' },
      { role: 'operator', text: 'Сейчас проверю.' },
      { role: 'customer', text: 'Спасибо' },
    ]);
  });

  it('reads English speakers and drops empty turns', () => {
    expect(parseConversationText('Agent: Hello!\nCustomer:\nCustomer: Where is my order?')).toEqual([
      { role: 'operator', text: 'Hello!' },
      { role: 'customer', text: 'Where is my order?' },
    ]);
  });
});
