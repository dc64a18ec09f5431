import { type CheckDraftResponse, checkDraftResponseSchema } from '@naparnik/assist-service/contract';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDraftHighlighter, HIGHLIGHT_NAMES, rangesForMarks } from '../src/composer/highlight.ts';
import { createDraftAccess, draftModel } from '../src/composer/read-draft.ts';
import type { DraftMark, PageReading, Result, ServiceStatus } from '../src/messaging.ts';
import { applyFix, draftPieces } from '../src/panel/draft-check.tsx';
import { Panel } from '../src/panel/panel.tsx';
import type { PageBridge, PanelClient } from '../src/panel/types.ts';
import { memoryStorage } from '../src/settings.ts';
import { assistEvents } from './support/samples.ts';

const DRAFT = 'Привет! Вернём деньги в любом случае, ты не переживай.';

/**
 * What `POST /v1/check-draft` answered for DRAFT on the demo knowledge base (script-ru), recorded
 * from the real service; trimmed to the findings the panel has to tell apart.
 */
const RECORDED: CheckDraftResponse = checkDraftResponseSchema.parse({
  findings: [
    {
      type: 'missing-greeting',
      severity: 'warning',
      message: 'Нет шага скрипта «приветствие» в начале ответа.',
      suggestion: 'Здравствуйте, {{customer_name}}!',
      ruleId: 'script-ru/greeting',
    },
    {
      type: 'banned-phrase',
      severity: 'error',
      message: 'Деньги возвращаем только по условиям политики возврата или после подтверждения дефекта.',
      span: { start: 8, end: 36 },
      suggestion: 'Мы вернём деньги, если товар подходит под условия возврата.',
      ruleId: 'script-ru/rules',
    },
    {
      type: 'banned-phrase',
      severity: 'error',
      message: 'Обращаемся к клиентам только на «вы».',
      span: { start: 38, end: 40 },
      suggestion: 'вы / вас / вам / ваш',
      ruleId: 'script-ru/rules',
    },
    {
      type: 'address-form',
      severity: 'warning',
      message: 'Обращение на «ты» («переживай»), а по скрипту — на «вы».',
      span: { start: 44, end: 53 },
      suggestion: 'переживайте',
      ruleId: 'script-ru/rules',
    },
  ],
  rulesFrom: ['script-ru/greeting', 'script-ru/rules'],
});

const status: ServiceStatus = {
  reachable: true,
  ready: true,
  version: '0.1.0',
  serviceUrl: 'http://127.0.0.1:8787',
  collection: 'demo',
  locale: 'ru',
};

const reading: PageReading = {
  adapter: 'demo-desk',
  url: 'http://127.0.0.1:8787/demo-desk/',
  hasComposer: true,
  conversation: {
    channel: 'chat',
    messages: [{ role: 'customer', text: 'Хочу вернуть кольцо' }],
    customer: { name: 'Анна' },
  },
};

function setup(initialDraft = DRAFT) {
  let draft = initialDraft;
  const typing = new Set<() => void>();
  const marks: DraftMark[][] = [];
  const client: PanelClient = {
    status: async (): Promise<Result<ServiceStatus>> => ({ ok: true, data: status }),
    assist: async (_request, onEvent) => {
      for (const event of assistEvents) onEvent(event);
      return { ok: true, data: null };
    },
    search: async () => ({ ok: false, error: { code: 'unused', message: 'unused' } }),
    feedback: async (event) => ({ ok: true, data: { eventId: event.eventId, duplicate: false } }),
    // The recorded answer for the recorded draft; any other draft is clean.
    checkDraft: vi.fn(async (request) => ({
      ok: true as const,
      data: request.draft === DRAFT ? RECORDED : { findings: [], rulesFrom: [] },
    })),
  };
  const page: PageBridge & { type(next: string): void } = {
    read: async () => reading,
    insert: vi.fn(async (text: string) => {
      draft = text;
      return { inserted: true, method: 'contenteditable:execCommand' };
    }),
    subscribe: () => () => undefined,
    draft: async () => draft,
    watchDraft(listener) {
      typing.add(listener);
      return () => typing.delete(listener);
    },
    markDraft: vi.fn(async (next: readonly DraftMark[]) => {
      marks.push([...next]);
    }),
    type(next) {
      draft = next;
      for (const listener of typing) listener();
    },
  };
  return { client, page, marks };
}

afterEach(cleanup);

describe('Panel: draft check', () => {
  it("underlines the draft's problems by severity, with the finding on hover, and lists what is missing", async () => {
    const { client, page, marks } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const section = await screen.findByRole('region', { name: 'Проверка черновика' });
    await within(section).findByText(/Нет шага скрипта «приветствие»/);
    const text = within(section).getByTestId('draft-text');
    expect(text.textContent).toBe(DRAFT);
    const refund = within(text).getByText('Вернём деньги в любом случае');
    expect(refund.className).toBe('np-flag np-flag-error');
    expect(refund.getAttribute('title')).toMatch(/политики возврата.*Лучше: Мы вернём деньги/su);
    expect(within(text).getByText('переживай').className).toBe('np-flag np-flag-warning');
    // The checked request says a customer wrote, and carries no conversation text.
    expect(client.checkDraft).toHaveBeenCalledWith({
      draft: DRAFT,
      channel: 'chat',
      messages: [{ role: 'customer', text: '' }],
    });
    // The page's reply box gets the same spans underlined.
    await waitFor(() =>
      expect(marks.at(-1)).toEqual([
        { start: 8, end: 36, severity: 'error' },
        { start: 38, end: 40, severity: 'error' },
        { start: 44, end: 53, severity: 'warning' },
      ]),
    );
    // A hint is shown as a hint, not offered as a one-click fix.
    expect(within(section).getByText(/Лучше: вы \/ вас/)).toBeTruthy();
    expect(within(section).getAllByRole('button', { name: 'Исправить' })).toHaveLength(3);
  });

  it('re-checks when the operator pauses typing, and clears the marks when the draft is emptied', async () => {
    const { client, page, marks } = setup('Здравствуйте!');
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await screen.findByText('Замечаний нет');
    act(() => page.type(DRAFT));
    await screen.findByText(/Нет шага скрипта «приветствие»/, undefined, { timeout: 3000 });
    act(() => page.type(''));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Проверка черновика' })).toBeNull(), {
      timeout: 3000,
    });
    expect(marks.at(-1)).toEqual([]);
  });

  it('fixes a finding in one click: the span replaced, or the greeting put first with the customer name', async () => {
    const { client, page } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const item = (await screen.findByText(/«переживай»/)).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: 'Исправить' }));
    await waitFor(() =>
      expect(page.insert).toHaveBeenCalledWith('Привет! Вернём деньги в любом случае, ты не переживайте.'),
    );
    expect(applyFix(DRAFT, RECORDED.findings[0]!, 'Анна')).toBe(`Здравствуйте, Анна! ${DRAFT}`);
    expect(applyFix(DRAFT, RECORDED.findings[0]!)).toBe(`Здравствуйте! ${DRAFT}`);
  });

  it('does not apply a fix over words typed since the check: it checks the new draft instead', async () => {
    const { client, page } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const item = (await screen.findByText(/«переживай»/)).closest('li')!;
    // The operator keeps typing; the debounced re-check has not run yet when Fix is clicked.
    const typed = `${DRAFT} Напишите, если что.`;
    act(() => page.type(typed));
    fireEvent.click(within(item).getByRole('button', { name: 'Исправить' }));
    await waitFor(() =>
      expect(client.checkDraft).toHaveBeenCalledWith(expect.objectContaining({ draft: typed })),
    );
    expect(page.insert).not.toHaveBeenCalled();
  });

  it('leaves no underlining in the page once the panel goes away', async () => {
    const { client, page, marks } = setup();
    const view = render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await screen.findByText(/Нет шага скрипта «приветствие»/);
    view.unmount();
    await waitFor(() => expect(marks.at(-1)).toEqual([]));
  });

  it('cuts overlapping spans into pieces, each marked by every finding covering it', () => {
    const pieces = draftPieces('abcdef', [
      { type: 'too-long', severity: 'warning', message: 'long', span: { start: 2, end: 6 } },
      { type: 'banned-phrase', severity: 'error', message: 'banned', span: { start: 3, end: 4 } },
    ]);
    expect(pieces.map((piece) => [piece.text, piece.findings.map((finding) => finding.message)])).toEqual([
      ['ab', []],
      ['c', ['long']],
      ['d', ['long', 'banned']],
      ['ef', ['long']],
    ]);
  });
});

describe('draft in the page: offsets to ranges (happy-dom)', () => {
  function editor(html: string) {
    document.body.innerHTML = `<div class="ProseMirror" contenteditable="true">${html}</div>`;
    return { element: document.querySelector<HTMLElement>('.ProseMirror')!, kind: 'prosemirror' as const };
  }

  it('reads paragraphs and line breaks as lines, and maps spans across text nodes back to ranges', () => {
    const model = draftModel(
      editor('<p>Привет! Вернём <b>деньги</b> в любом случае,</p><p>ты не<br>переживай.</p>'),
    );
    expect(model.text).toBe('Привет! Вернём деньги в любом случае,\nты не\nпереживай.');
    const spans = [
      { start: 8, end: 36, severity: 'error' as const },
      { start: 38, end: 40, severity: 'warning' as const },
      { start: 44, end: 53, severity: 'warning' as const },
      // Across the paragraph break: the range runs from one paragraph's text into the next.
      { start: 30, end: 39, severity: 'info' as const },
    ];
    const ranges = rangesForMarks(model, spans);
    expect(ranges.map(({ range }) => range.toString())).toEqual(
      spans.map((span) => model.text.slice(span.start, span.end).replace('\n', '')),
    );
    expect(ranges.map(({ severity }) => severity)).toEqual(['error', 'warning', 'warning', 'info']);
  });

  it('skips empty and out-of-range spans, and underlines nothing in a textarea', () => {
    const model = draftModel(editor('<p>Здравствуйте!</p>'));
    expect(
      rangesForMarks(model, [
        { start: 5, end: 5, severity: 'error' },
        { start: 40, end: 50, severity: 'error' },
      ]),
    ).toEqual([]);
    document.body.innerHTML = '<textarea>Привет</textarea>';
    const field = draftModel({ element: document.querySelector('textarea')!, kind: 'textarea' });
    expect(field).toMatchObject({ text: 'Привет', segments: null });
    expect(rangesForMarks(field, [{ start: 0, end: 6, severity: 'error' }])).toEqual([]);
  });

  it('registers one highlight per severity with a stylesheet in the editor document, and clears both', () => {
    const model = draftModel(editor('<p>Привет, ты тут?</p>'));
    const registered = new Map<string, Range[]>();
    class RecordingHighlight {
      readonly ranges: Range[];
      constructor(...ranges: Range[]) {
        this.ranges = ranges;
      }
    }
    const highlighter = createDraftHighlighter(() => ({
      highlights: {
        set: (name: string, highlight: unknown) =>
          registered.set(name, (highlight as RecordingHighlight).ranges),
        delete: (name: string) => registered.delete(name),
      },
      Highlight: RecordingHighlight,
    }));
    expect(
      highlighter.show(model, [
        { start: 0, end: 6, severity: 'error' },
        { start: 8, end: 10, severity: 'warning' },
      ]),
    ).toBe(true);
    expect(registered.get(HIGHLIGHT_NAMES.error)?.map(String)).toEqual(['Привет']);
    expect(registered.get(HIGHLIGHT_NAMES.warning)?.map(String)).toEqual(['ты']);
    expect(document.getElementById('naparnik-highlight-style')?.textContent).toContain(
      '::highlight(naparnik-error)',
    );
    highlighter.clear();
    expect(registered.size).toBe(0);
    expect(document.getElementById('naparnik-highlight-style')).toBeNull();
  });

  it("hears input in the page's reply box only, and reads its draft", async () => {
    document.body.innerHTML =
      '<input id="search"><div class="ProseMirror" contenteditable="true"><p>Добрый день</p></div>';
    const composer = document.querySelector('.ProseMirror');
    const access = createDraftAccess({ document, composer: () => composer });
    expect(await access.draft()).toBe('Добрый день');
    const heard = vi.fn();
    const stop = access.watchDraft(heard);
    document.getElementById('search')!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(heard).not.toHaveBeenCalled();
    composer!.querySelector('p')!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(heard).toHaveBeenCalledTimes(1);
    stop();
    composer!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(heard).toHaveBeenCalledTimes(1);
    expect(await createDraftAccess({ document, composer: () => null }).draft()).toBeNull();
  });

  it("hears an editor iframe that appears after listening started, from the operator's first keystroke in it", async () => {
    document.body.innerHTML = '<div id="editor-slot"></div>';
    let composer: Element | null = null;
    const access = createDraftAccess({ document, composer: () => composer });
    const heard = vi.fn();
    const stop = access.watchDraft(heard);
    // The desk mounts its editor (TinyMCE-like: a same-origin iframe) later.
    document.getElementById('editor-slot')!.innerHTML =
      '<iframe srcdoc="<body contenteditable=&quot;true&quot;><p>Добрый</p></body>"></iframe>';
    await new Promise((resolve) => setTimeout(resolve, 50));
    const frame = document.querySelector('iframe')!;
    composer = frame;
    const inner = frame.contentDocument!;
    expect(inner.body, 'the iframe should have its document').toBeTruthy();
    // Clicking into the iframe blurs the page's window, then the first keystroke.
    window.dispatchEvent(new Event('blur'));
    inner.body.querySelector('p')!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(heard).toHaveBeenCalledTimes(1);
    stop();
    inner.body.dispatchEvent(new Event('input', { bubbles: true }));
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it('does not search the page for the reply box on every keystroke', () => {
    document.body.innerHTML = '<div class="ProseMirror" contenteditable="true"><p>Добрый день</p></div>';
    const composer = document.querySelector('.ProseMirror');
    const lookups = vi.fn(() => composer);
    const access = createDraftAccess({ document, composer: lookups });
    const heard = vi.fn();
    const stop = access.watchDraft(heard);
    const before = lookups.mock.calls.length;
    for (let key = 0; key < 20; key++)
      composer!.querySelector('p')!.dispatchEvent(new Event('input', { bubbles: true }));
    expect(heard).toHaveBeenCalledTimes(20);
    expect(lookups.mock.calls.length - before).toBe(1);
    stop();
  });
});
