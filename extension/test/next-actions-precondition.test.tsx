import type { NextAction } from '@naparnik/assist-service/contract';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NextActions } from '../src/panel/insights.tsx';
import { STRINGS } from '../src/panel/strings.ts';

const escalate: NextAction = {
  type: 'escalate',
  reason: 'Клиент сообщает о браке: нужна проверка качества.',
  department: { id: 'quality', name: 'Отдел качества' },
  priority: 2,
  precondition: 'запросить фото изделия и номер заказа',
};

afterEach(cleanup);

describe('NextActions precondition', () => {
  it('shows what must be done before a model-suggested action as «сначала: …»', () => {
    render(<NextActions actions={[escalate]} strings={STRINGS.ru} />);
    expect(screen.getByRole('note').textContent).toBe('сначала: запросить фото изделия и номер заказа');
  });

  it('says "first:" in English and nothing for an action without a precondition', () => {
    render(<NextActions actions={[escalate]} strings={STRINGS.en} />);
    expect(screen.getByRole('note').textContent).toMatch(/^first: /u);
    cleanup();
    const { precondition: _none, ...plain } = escalate;
    render(<NextActions actions={[plain]} strings={STRINGS.ru} />);
    expect(screen.getByText(plain.reason)).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });
});
