import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ROOT } from '../support/fixtures.ts';
import {
  ARTIFACTS,
  type Browser,
  chromiumAvailable,
  type E2eSession,
  feedbackEvents,
  type RunningService,
  type servePages,
  squeeze,
  startE2eSession,
} from './harness.ts';
import { bundlePageScripts, type PageScripts } from './page-scripts.ts';

const PAGES = path.join(EXTENSION_ROOT, 'test/e2e/pages');

interface EditorCase {
  /** The page (pages/<name>.html) and the library it loads. */
  name: string;
  /** What the composer module must call it. */
  kind: string;
  /** The editor's own API for its content, evaluated in the page. */
  model: string;
  /** Where the operator clicks to type: the editable, or the iframe holding it. */
  editable: string;
  frame?: boolean;
}

const EDITORS: EditorCase[] = [
  { name: 'ckeditor5', kind: 'ckeditor5', model: 'editor.getData()', editable: '.ck-editor__editable' },
  {
    name: 'tinymce',
    kind: 'tinymce',
    model: 'tinymce.activeEditor.getContent()',
    editable: 'iframe.tox-edit-area__iframe',
    frame: true,
  },
  { name: 'quill', kind: 'quill', model: 'quill.getText()', editable: '.ql-editor' },
  { name: 'tiptap', kind: 'prosemirror', model: 'editor.getText()', editable: '.ProseMirror' },
  {
    name: 'summernote',
    kind: 'summernote',
    model: "$('#reply-editor').summernote('code')",
    editable: '.note-editable',
  },
  {
    name: 'ckeditor4',
    kind: 'ckeditor4',
    model: "CKEDITOR.instances['reply-editor'].getData()",
    editable: 'iframe.cke_wysiwyg_frame',
    frame: true,
  },
];

const TEXT = 'Ксения, здравствуйте!\nЗаказ № 31047589 передан курьеру, он привезёт его завтра.';
const SECOND = 'Подскажите, удобно ли получить заказ с 10 до 14?';
const OPERATOR_ADDITION = ' Хорошего дня!';

/** The editor's content as its own API reports it, as plain text (HTML models are parsed in the page). */
function modelText(page: Page, editor: EditorCase): Promise<string> {
  return page.evaluate(`(() => {
    const value = String(${editor.model});
    return /<[a-z]/i.test(value) ? new DOMParser().parseFromString(value, 'text/html').body.textContent : value;
  })()`);
}

/** Puts the caret at the end of the editor the way an operator does: a click, then Ctrl+End. */
async function clickToEnd(page: Page, editor: EditorCase): Promise<void> {
  const target: Locator = editor.frame
    ? (page.frameLocator(editor.editable) as FrameLocator).locator('body')
    : page.locator(editor.editable);
  await target.click();
  await page.keyboard.press('Control+End');
}

const available = chromiumAvailable();

describe.skipIf(!available)('real editor libraries in Chromium: insert reaches the editor model', () => {
  let service: RunningService;
  let pages: Awaited<ReturnType<typeof servePages>>;
  let browser: Browser;
  let scripts: PageScripts;
  /** How each editor took the text (kind:method), printed at the end. */
  const methods: Record<string, string> = {};

  let session: E2eSession | undefined;

  beforeAll(async () => {
    scripts = await bundlePageScripts();
    const routes = Object.fromEntries(
      EDITORS.map((editor) => [`/desk/${editor.name}/`, path.join(PAGES, `${editor.name}.html`)]),
    );
    session = await startE2eSession(routes, {
      '/e2e/build/': scripts.dir,
      '/e2e/': PAGES,
      '/vendor/': path.join(EXTENSION_ROOT, 'node_modules'),
    });
    ({ service, pages, browser } = session);
  });

  afterAll(async () => {
    await session?.close();
    scripts?.dispose();
    if (Object.keys(methods).length > 0) console.log('insert method per editor:', methods);
  });

  async function openDesk(editor: EditorCase): Promise<Page> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${pages.origin}/desk/${editor.name}/`);
    await page
      .locator('body[data-editor-ready="true"]')
      .waitFor({ state: 'attached', timeout: 20_000 })
      .catch(() => {
        throw new Error(`${editor.name} did not start: ${errors.join('; ') || 'no page error'}`);
      });
    return page;
  }

  it.each(EDITORS)(
    '$name: the composer module finds the editor and its model takes the text, replacing or appending, without sending',
    async (editor) => {
      const page = await openDesk(editor);
      await page.addScriptTag({ path: path.join(scripts.dir, 'composer.js') });
      const run = (script: string) =>
        page.evaluate(script) as Promise<{ inserted: boolean; kind: string; method: string }>;

      // From the library's own source field (hidden textarea or host div) to the editing element.
      expect(
        await page.evaluate(
          "NaparnikComposer.resolveEditable(document.querySelector('#reply-editor'))?.kind ?? 'none'",
        ),
      ).toBe(editor.kind);

      // The reply box the generic adapter finds on this page takes the text into the editor model.
      const first = await run(
        `NaparnikComposer.insertText(NaparnikComposer.findGenericComposer(document), ${JSON.stringify(TEXT)})`,
      );
      expect(first).toMatchObject({ inserted: true, kind: editor.kind });
      methods[editor.name] = `${first.kind}:${first.method}`;
      await expect.poll(async () => squeeze(await modelText(page, editor))).toBe(squeeze(TEXT));

      const appended = await run(
        `NaparnikComposer.insertText(NaparnikComposer.findGenericComposer(document), ${JSON.stringify(SECOND)}, { mode: 'append' })`,
      );
      expect(appended.inserted).toBe(true);
      await expect.poll(async () => squeeze(await modelText(page, editor))).toBe(squeeze(TEXT + SECOND));

      // Replace (the default) swaps the whole draft.
      await run(
        `NaparnikComposer.insertText(NaparnikComposer.findGenericComposer(document), ${JSON.stringify(SECOND)})`,
      );
      await expect.poll(async () => squeeze(await modelText(page, editor))).toBe(squeeze(SECOND));
      expect(await page.evaluate('desk.sent')).toEqual([]);
      await page.close();
    },
  );

  it.each(EDITORS)(
    '$name: the panel inserts a suggestion into the editor model, the operator types on, the sent text is reported',
    async (editor) => {
      const page = await openDesk(editor);
      const panel = page.locator('section[data-naparnik="panel"]');
      await panel.waitFor({ timeout: 20_000 });
      const insert = panel.getByRole('button', { name: 'Вставить' }).first();
      await expect.poll(() => insert.isEnabled().catch(() => false), { timeout: 30_000 }).toBe(true);
      const suggestion = ((await panel.locator('article p.np-text').first().textContent()) ?? '').trim();
      expect(suggestion.length).toBeGreaterThan(20);

      await insert.click();
      await expect.poll(async () => squeeze(await modelText(page, editor))).toBe(squeeze(suggestion));

      // The operator adds a line of their own; the editor's model keeps both.
      await clickToEnd(page, editor);
      await page.keyboard.type(OPERATOR_ADDITION);
      const final = `${suggestion}${OPERATOR_ADDITION}`;
      await expect.poll(async () => squeeze(await modelText(page, editor))).toBe(squeeze(final));
      // Nothing went out on its own.
      expect(await page.evaluate('desk.sent')).toEqual([]);
      expect(await page.locator('.chat-history .msg--out').count()).toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, `editor-${editor.name}-inserted.png`) });

      // The operator sends; the thread shows the message and the service stores what was sent.
      await page.locator('.reply-send').click();
      await expect.poll(() => page.locator('.chat-history .msg--out').count()).toBe(2);
      const edited = async () =>
        (await feedbackEvents(service)).some(
          (event) => event.type === 'suggestion-edited' && squeeze(event.finalText) === squeeze(final),
        );
      await expect.poll(edited, { timeout: 15_000 }).toBe(true);
      await page.close();
    },
  );
});
