import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Conversation } from '@naparnik/assist-service/contract';

export const EXTENSION_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_ROOT = path.join(EXTENSION_ROOT, 'fixtures');

export interface Expected {
  /** The address the page was saved from; adapters read ids from it. */
  url: string;
  /** Optional: the page lives elsewhere in the package (the demo desk), relative to extension/. */
  page?: string;
  /** A selector the adapter's composer(root) must match; null when the page has no reply box. */
  composer: string | null;
  conversation: Conversation;
}

export interface Fixture {
  site: string;
  view: string;
  htmlPath: string;
  expectedPath: string;
  html: string;
  expected: Expected | undefined;
}

/** Every fixtures/<site>/<view>.expected.json with its page (<view>.html or the `page` it names). */
export function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const site of readdirSync(FIXTURES_ROOT).sort()) {
    const folder = path.join(FIXTURES_ROOT, site);
    const files = readdirSync(folder);
    const views = new Set(
      files
        .filter((file) => file.endsWith('.html') || file.endsWith('.expected.json'))
        .map((file) => file.replace(/\.expected\.json$|\.html$/, '')),
    );
    for (const view of [...views].sort()) {
      const expectedPath = path.join(folder, `${view}.expected.json`);
      const expected = existsSync(expectedPath)
        ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected)
        : undefined;
      const htmlPath = expected?.page
        ? path.join(EXTENSION_ROOT, expected.page)
        : path.join(folder, `${view}.html`);
      fixtures.push({ site, view, htmlPath, expectedPath, html: readFileSync(htmlPath, 'utf8'), expected });
    }
  }
  return fixtures;
}

export function parsePage(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** `UPDATE_FIXTURES=1` rewrites the conversation part of expected files from the adapters' output. */
export function writeExpected(fixture: Fixture, expected: Expected): void {
  writeFileSync(fixture.expectedPath, `${JSON.stringify(expected, null, 2)}\n`);
}

/** The url line in a fixture's header comment. */
export function headerUrl(html: string): string | undefined {
  return /^\s*url:\s*(\S+)\s*$/m.exec(html)?.[1];
}
