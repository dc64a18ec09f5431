import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { migrateSettings } from '../src/background/settings-store.ts';
import { normalizeOrigin, originPattern, syncContentScripts } from '../src/background/site-access.ts';
import { createPageBridge } from '../src/content/page-bridge.ts';
import { operatorAnchor, type PendingInsert, sentAfterInsert, sentAsIs } from '../src/panel/acceptance.ts';
import { assistReducer, initialAssistState, isDegraded, splitSlots } from '../src/panel/assist-state.ts';
import { shortcutFor } from '../src/panel/shortcuts.ts';
import { memoryStorage, readPanelState, readSettings, writeSettings } from '../src/settings.ts';
import { EXTENSION_ROOT } from './support/fixtures.ts';
import { assistEvents } from './support/samples.ts';

describe('settings', () => {
  it('layers defaults, build presets, the operator’s settings and the admin’s managed settings', async () => {
    const local = memoryStorage({ settings: { collection: 'mine', token: 'own' } });
    const managed = memoryStorage({ serviceUrl: 'https://naparnik.example.ru', token: 'team' });
    const settings = await readSettings(local, managed, { collection: 'preset', locale: 'en' });
    expect(settings).toMatchObject({
      serviceUrl: 'https://naparnik.example.ru',
      token: 'team',
      collection: 'mine',
      locale: 'en',
      enabledOrigins: [],
    });
    expect((await readSettings(memoryStorage())).serviceUrl).toBe('http://127.0.0.1:8787');
  });

  it('survives garbage in storage and a browser without managed storage', async () => {
    const broken = memoryStorage({ settings: { locale: 'klingon' }, panel: 'nope' });
    const managed = { get: () => Promise.reject(new Error('no policy')), set: async () => {} };
    expect((await readSettings(broken, managed)).locale).toBe('ru');
    expect(await readPanelState(broken)).toEqual({ collapsed: false, tab: 'suggestions' });
    const local = memoryStorage();
    await writeSettings(local, { collection: 'x' });
    expect((await readSettings(local)).collection).toBe('x');
  });
});

describe('site access', () => {
  it('normalises what an operator types into an origin and a match pattern', () => {
    expect(normalizeOrigin('desk.aurelia.example/app/accounts/1')).toBe('https://desk.aurelia.example');
    expect(normalizeOrigin('http://192.168.1.20:3000/x')).toBe('http://192.168.1.20:3000');
    expect(normalizeOrigin('ftp://files.example')).toBeUndefined();
    expect(normalizeOrigin('  ')).toBeUndefined();
    expect(originPattern('http://192.168.1.20:3000')).toBe('http://192.168.1.20/*');
  });

  it('registers one content script for the granted origins and the local service, local ones port by port, skipping refused ones', async () => {
    const registered: unknown[] = [];
    const scripting = {
      getRegisteredContentScripts: vi.fn(async () => [{ id: 'naparnik-overlay-enabled-sites' }]),
      unregisterContentScripts: vi.fn(async () => {}),
      registerContentScripts: vi.fn(async (scripts: unknown[]) => {
        registered.push(...scripts);
      }),
    };
    const permissions = {
      contains: async ({ origins }: { origins: string[] }) => !origins[0]!.includes('refused'),
    };
    const patterns = await syncContentScripts(
      scripting,
      permissions,
      ['https://desk.aurelia.example', 'http://localhost:3000', 'https://refused.example'],
      'http://127.0.0.1:8787',
    );
    expect(patterns).toEqual([
      'http://127.0.0.1:8787/*',
      'https://desk.aurelia.example/*',
      'http://localhost:3000/*',
    ]);
    expect(scripting.unregisterContentScripts).toHaveBeenCalled();
    expect(registered).toEqual([
      expect.objectContaining({ matches: patterns, js: ['content-scripts/overlay.js'] }),
    ]);
  });

  it('applies overlapping syncs one after another, so the latest origins stay registered', async () => {
    // A browser's registry: a duplicate id is an error, as in Chrome; lookups take a moment.
    const registry = new Map<string, { id: string; matches: string[] }>();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const scripting = {
      getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => {
        await pause();
        return ids.flatMap((id) => (registry.has(id) ? [registry.get(id)!] : []));
      },
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
        for (const id of ids) registry.delete(id);
      },
      registerContentScripts: async (scripts: Array<{ id: string; matches: string[] }>) => {
        await pause();
        for (const script of scripts) {
          if (registry.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registry.set(script.id, script);
        }
      },
    };
    const permissions = { contains: async () => true };
    const atStart = syncContentScripts(scripting, permissions, [], 'http://127.0.0.1:8787');
    const onSettings = syncContentScripts(
      scripting,
      permissions,
      ['http://127.0.0.1:4100'],
      'http://127.0.0.1:8787',
    );
    await expect(Promise.all([atStart, onSettings])).resolves.toHaveLength(2);
    expect([...registry.values()].map((script) => script.matches)).toEqual([
      ['http://127.0.0.1:8787/*', 'http://127.0.0.1:4100/*'],
    ]);
  });
});

describe('assist state', () => {
  it('folds the stream into suggestions, summary and actions; the offline engine shows as degraded', () => {
    let state = assistReducer(initialAssistState, { type: 'start' });
    for (const event of assistEvents.slice(0, 3)) state = assistReducer(state, { type: 'event', event });
    expect(state.suggestions[0]?.text).toBe(
      'Анна, здравствуйте! Заказ № 31047589 задержан на складе службы доставки. ',
    );
    for (const event of assistEvents.slice(3)) state = assistReducer(state, { type: 'event', event });
    expect(state.phase).toBe('done');
    expect(state.suggestions.map((draft) => draft.index)).toEqual([0, 1]);
    expect(state.summary?.openQuestions).toHaveLength(2);
    expect(isDegraded(state)).toBe(true);
  });

  it('splits missing slots out of a suggestion for highlighting', () => {
    expect(splitSlots('Привезём [дата], заказ [номер заказа].')).toEqual([
      { text: 'Привезём ', slot: false },
      { text: '[дата]', slot: true },
      { text: ', заказ ', slot: false },
      { text: '[номер заказа]', slot: true },
      { text: '.', slot: false },
    ]);
  });
});

describe('acceptance', () => {
  const pending: PendingInsert = {
    suggestionSetId: 's',
    suggestionIndex: 0,
    text: 'Здравствуйте!  Заказ в пути.',
    operatorAnchor: ['Проверяю.'],
  };
  const conversation = (operatorTexts: string[]) => ({
    channel: 'chat' as const,
    messages: [
      { role: 'customer' as const, text: 'Где заказ?' },
      ...operatorTexts.map((text) => ({ role: 'operator' as const, text })),
    ],
  });

  it('finds the first operator message sent after the insert', () => {
    expect(sentAfterInsert(pending, conversation(['Проверяю.']))).toBeUndefined();
    expect(sentAfterInsert(pending, conversation(['Проверяю.', 'Здравствуйте! Заказ в пути.', 'Ещё']))).toBe(
      'Здравствуйте! Заказ в пути.',
    );
    expect(sentAsIs(pending, 'Здравствуйте! Заказ в пути.')).toBe(true);
    expect(sentAsIs(pending, 'Заказ в пути.')).toBe(false);
  });

  it('remembers the newest three operator messages as the anchor', () => {
    expect(operatorAnchor(conversation([]))).toEqual([]);
    expect(operatorAnchor(conversation(['1', '2', '3', '4']))).toEqual(['2', '3', '4']);
  });

  it('takes the first operator message when there was none at insert time', () => {
    const first: PendingInsert = { ...pending, operatorAnchor: [] };
    expect(sentAfterInsert(first, conversation([]))).toBeUndefined();
    expect(sentAfterInsert(first, conversation(['Здравствуйте!']))).toBe('Здравствуйте!');
  });

  it('still finds the sent message when the read window slid past older messages', () => {
    // At insert time the window held ['a', 'b', 'c'] and more; now its oldest messages are gone.
    const sliding: PendingInsert = { ...pending, operatorAnchor: ['a', 'b', 'c'] };
    expect(sentAfterInsert(sliding, conversation(['b', 'c']))).toBeUndefined();
    expect(sentAfterInsert(sliding, conversation(['a', 'b', 'c', 'sent']))).toBe('sent');
  });

  it('is not fooled by a reply identical to an earlier one', () => {
    const repeated: PendingInsert = { ...pending, operatorAnchor: ['Минуту.', 'Готово.', 'Минуту.'] };
    expect(sentAfterInsert(repeated, conversation(['Минуту.', 'Готово.', 'Минуту.']))).toBeUndefined();
    expect(sentAfterInsert(repeated, conversation(['Минуту.', 'Готово.', 'Минуту.', 'Минуту.']))).toBe(
      'Минуту.',
    );
  });
});

describe('shortcuts', () => {
  it('maps Alt+digits, Alt+R and Alt+S by physical key, and nothing else', () => {
    const key = (code: string, extra: Partial<KeyboardEvent> = {}) =>
      shortcutFor({ altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, code, ...extra });
    expect(key('Digit2')).toEqual({ type: 'insert', index: 1 });
    expect(key('Numpad3')).toEqual({ type: 'insert', index: 2 });
    expect(key('KeyR')).toEqual({ type: 'refresh' });
    expect(key('KeyS')).toEqual({ type: 'summary' });
    expect(key('Digit4')).toBeUndefined();
    expect(key('KeyR', { ctrlKey: true })).toBeUndefined();
    expect(
      shortcutFor({ altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, code: 'Digit1' }),
    ).toBeUndefined();
  });
});

describe('page bridge on the demo desk', () => {
  function demoDesk() {
    const html = readFileSync(path.join(EXTENSION_ROOT, 'demo-desk/index.html'), 'utf8');
    document.documentElement.innerHTML = html.replace(/^[\s\S]*?<html[^>]*>/, '').replace(/<\/html>\s*$/, '');
    return createPageBridge({ document, location: () => 'http://127.0.0.1:8787/demo-desk/', debounceMs: 20 });
  }

  it('reads the conversation, inserts into the reply box, and notices new messages (debounced, ignoring its own UI)', async () => {
    const bridge = demoDesk();
    const reading = await bridge.read();
    expect(reading.adapter).toBe('demo-desk');
    expect(reading.hasComposer).toBe(true);
    expect(reading.conversation?.messages.at(-1)?.role).toBe('customer');

    expect(await bridge.insert('Анна, здравствуйте!')).toEqual({ inserted: true, method: 'textarea:value' });
    expect(document.querySelector<HTMLTextAreaElement>('#dd-reply-text')?.value).toBe('Анна, здравствуйте!');

    const listener = vi.fn();
    const stop = bridge.subscribe(listener);
    const own = document.createElement('div');
    own.setAttribute('data-naparnik', 'panel');
    document.body.append(own);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(listener).not.toHaveBeenCalled();
    const thread = document.querySelector('.dd-thread')!;
    for (let index = 0; index < 3; index++) thread.append(document.createElement('article'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    bridge.dispose();
  });
});

describe('settings moved out of storage.local', () => {
  it('takes an older version’s settings over once and deletes them there; later ones there are never read', async () => {
    const area = memoryStorage();
    const legacy = memoryStorage({ settings: { serviceUrl: 'https://naparnik.example.ru', token: 'old' } });
    const local = {
      ...legacy,
      async remove(key: string) {
        await legacy.set({ [key]: undefined });
      },
    };
    await migrateSettings(area, local);
    expect((await readSettings(area)).token).toBe('old');
    expect((await legacy.get('settings')).settings).toBeUndefined();
    // A content script writes settings into storage.local afterwards: nothing takes them over.
    await legacy.set({ settings: { serviceUrl: 'http://attacker.example', token: 'planted' } });
    await migrateSettings(area, local);
    expect(await readSettings(area)).toMatchObject({
      serviceUrl: 'https://naparnik.example.ru',
      token: 'old',
    });
  });
});
