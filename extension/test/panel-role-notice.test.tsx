import type { ConversationMessage } from '@naparnik/assist-service/contract';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageReading } from '../src/messaging.ts';
import { Panel } from '../src/panel/panel.tsx';
import { unsureMessages } from '../src/panel/role-notice.tsx';
import type { PageBridge, PanelClient } from '../src/panel/types.ts';
import { memoryStorage } from '../src/settings.ts';
import { readyStatus } from './support/samples.ts';

const status = readyStatus;

const client: PanelClient = {
  status: vi.fn(async () => ({ ok: true as const, data: status })),
  assist: vi.fn(async () => ({ ok: true as const, data: null })),
  search: vi.fn(async () => ({ ok: true as const, data: { collection: 'aurelia', tookMs: 1, hits: [] } })),
  feedback: vi.fn(async () => ({ ok: true as const, data: { eventId: 'e', duplicate: false } })),
};

function pageWith(messages: ConversationMessage[], teach?: () => void): PageBridge {
  const reading: PageReading = {
    adapter: 'generic',
    url: 'https://desk.example.ru/tickets/1',
    hasComposer: true,
    conversation: { channel: 'email', messages },
  };
  return { read: vi.fn(async () => reading), insert: vi.fn(), subscribe: () => () => {}, teach };
}

afterEach(cleanup);

describe('panel: saying when it is unsure who wrote what', () => {
  it('warns about the latest message when its side is a guess, and offers teaching the page', async () => {
    const teach = vi.fn();
    const page = pageWith(
      [
        { role: 'customer', text: 'Где заказ?', roleConfidence: 0.8 },
        { role: 'operator', text: 'Проверяю.', roleConfidence: 0.82 },
        { role: 'customer', text: 'Спасибо', roleConfidence: 0.1 },
      ],
      teach,
    );
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await waitFor(() =>
      expect(screen.getByText(/Не уверен, что последнее сообщение от клиента/)).toBeTruthy(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Показать, где чьи сообщения' }));
    expect(teach).toHaveBeenCalledTimes(1);
  });

  it('counts earlier unsure messages, and says nothing when the page states the roles', async () => {
    render(
      <Panel
        client={client}
        page={pageWith([
          { role: 'customer', text: 'Где заказ?', roleConfidence: 0.3 },
          { role: 'operator', text: 'Проверяю.', roleConfidence: 0.2 },
          { role: 'customer', text: 'Спасибо', roleConfidence: 0.9 },
        ])}
        storage={memoryStorage()}
      />,
    );
    await waitFor(() => expect(screen.getByText(/Не уверен, кто написал 2 сообщения/)).toBeTruthy());
    cleanup();
    render(
      <Panel
        client={client}
        page={pageWith([
          { role: 'customer', text: 'Где заказ?' },
          { role: 'operator', text: 'Проверяю.' },
        ])}
        storage={memoryStorage()}
      />,
    );
    await waitFor(() => expect(screen.getByRole('tablist')).toBeTruthy());
    expect(screen.queryByText(/Не уверен/)).toBeNull();
  });

  it('leaves status lines out of the count', () => {
    expect(
      unsureMessages([
        { role: 'system', text: 'Статус изменён', roleConfidence: 0.2 },
        { role: 'customer', text: 'Здравствуйте', roleConfidence: 0.2 },
      ]),
    ).toHaveLength(1);
  });
});
