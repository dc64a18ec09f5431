import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Result, ServiceStatus } from '../src/messaging.ts';
import { memoryStorage, readSettings, writeSettings } from '../src/settings.ts';
import { verdictOf, type WelcomeDependencies, WelcomePage } from '../src/welcome/welcome-page.tsx';

const base = { serviceUrl: 'http://127.0.0.1:8787', collection: 'demo', locale: 'ru' as const };

function dependencies(status: Result<ServiceStatus>, granted = true) {
  const storage = memoryStorage();
  const deps: WelcomeDependencies = {
    load: () => readSettings(storage),
    save: (changes) => writeSettings(storage, changes),
    requestAccess: vi.fn(async () => granted),
    checkService: vi.fn(async () => status),
  };
  return { deps, storage };
}

afterEach(cleanup);

describe('first-run page', () => {
  it('says exactly what is wrong with the service', () => {
    expect(
      verdictOf({ ok: true, data: { ...base, reachable: true, ready: true, version: '0.1.0' } }),
    ).toEqual({
      kind: 'ok',
      version: '0.1.0',
    });
    expect(verdictOf({ ok: true, data: { ...base, reachable: false, ready: false } }).kind).toBe(
      'not-running',
    );
    expect(verdictOf({ ok: true, data: { ...base, reachable: true, ready: false } }).kind).toBe('starting');
    expect(verdictOf({ ok: false, error: { code: 'unauthorized', message: '401' } }).kind).toBe(
      'token-refused',
    );
    expect(verdictOf({ ok: false, error: { code: 'bad-response', message: 'html' } }).kind).toBe('wrong-url');
  });

  it('checks the service with the address typed, saving it first', async () => {
    const { deps, storage } = dependencies({ ok: true, data: { ...base, reachable: false, ready: false } });
    render(<WelcomePage dependencies={deps} />);
    const url = await screen.findByLabelText('Адрес сервиса');
    fireEvent.change(url, { target: { value: 'http://10.0.0.5:8787' } });
    fireEvent.click(screen.getByRole('button', { name: 'Проверить' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain(
        'По адресу http://10.0.0.5:8787 никто не отвечает',
      ),
    );
    expect((await readSettings(storage)).serviceUrl).toBe('http://10.0.0.5:8787');
    fireEvent.change(url, { target: { value: 'не адрес' } });
    fireEvent.click(screen.getByRole('button', { name: 'Проверить' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Это не адрес'));
  });

  it('says the token was refused', async () => {
    const { deps } = dependencies({ ok: false, error: { code: 'unauthorized', message: 'HTTP 401' } });
    render(<WelcomePage dependencies={deps} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Проверить' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('токен неверный'));
  });

  it('asks for the helpdesk origin and enables it, and links to the demo desk', async () => {
    const { deps, storage } = dependencies({ ok: true, data: { ...base, reachable: true, ready: true } });
    render(<WelcomePage dependencies={deps} />);
    fireEvent.change(await screen.findByLabelText('Адрес хелпдеска'), {
      target: { value: 'https://support.example.ru/tickets/1' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Разрешить на этом сайте' }));
    await waitFor(() =>
      expect(screen.getByText(/Напарник работает на https:\/\/support.example.ru/)).toBeTruthy(),
    );
    expect(deps.requestAccess).toHaveBeenCalledWith('https://support.example.ru/*');
    expect((await readSettings(storage)).enabledOrigins).toEqual(['https://support.example.ru']);
    expect(screen.getByRole('link', { name: 'Открыть демо-стол' }).getAttribute('href')).toBe(
      'http://127.0.0.1:8787/demo-desk/',
    );
  });
});
