import type { Suggestion } from '@naparnik/assist-service/contract';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { STRINGS } from '../src/panel/strings.ts';
import { SuggestionCard } from '../src/panel/suggestion-card.tsx';

const suggestion: Suggestion = {
  index: 0,
  text: 'Заказ № 5531902 отменён.',
  kind: 'template',
  title: 'Отмена заказа',
  language: 'ru',
  citations: [],
  confidence: { score: 0.79, level: 'medium' },
  filledSlots: { order_id: '5531902' },
  missingSlots: [],
  short: false,
  engine: 'offline',
  preconditions: ['проверить, что заказ ещё не передан в доставку', 'отменить заказ в системе'],
};

function card(final: Suggestion, locale: 'ru' | 'en' = 'ru') {
  return render(
    <SuggestionCard
      draft={{ index: 0, text: final.text, final }}
      strings={STRINGS[locale]}
      streaming={false}
      onInsert={async () => ({ inserted: true })}
      onCopy={async () => true}
      onRate={() => {}}
    />,
  );
}

afterEach(cleanup);

describe('SuggestionCard preconditions', () => {
  it('shows what the operator must do first as «сначала: …»', () => {
    card(suggestion);
    expect(screen.getByRole('note').textContent).toBe(
      'сначала: проверить, что заказ ещё не передан в доставку; отменить заказ в системе',
    );
  });

  it('says "first:" in English and nothing when there is nothing to do first', () => {
    card(suggestion, 'en');
    expect(screen.getByRole('note').textContent).toMatch(/^first: /u);
    cleanup();
    const { preconditions: _none, ...plain } = suggestion;
    card(plain);
    expect(screen.queryByRole('note')).toBeNull();
  });
});

describe('SuggestionCard history', () => {
  it('shows the past question the team’s history matched, and nothing without one', () => {
    card({
      ...suggestion,
      askedBefore: { question: 'Хочу отменить заказ, ещё не отправили', similarity: 0.61 },
    });
    expect(screen.getByText(/Так уже спрашивали/u).textContent).toBe(
      'Так уже спрашивали: «Хочу отменить заказ, ещё не отправили»',
    );
    cleanup();
    card(suggestion);
    expect(screen.queryByText(/Так уже спрашивали/u)).toBeNull();
  });
});
