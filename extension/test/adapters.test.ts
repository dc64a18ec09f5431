import { readdirSync } from 'node:fs';
import path from 'node:path';
import { conversationSchema } from '@naparnik/assist-service/contract';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, readPage, SITE_ADAPTERS } from '../src/adapters/index.ts';
import { EXTENSION_ROOT, headerUrl, loadFixtures, parsePage, writeExpected } from './support/fixtures.ts';

const fixtures = loadFixtures();
const update = process.env.UPDATE_FIXTURES === '1';

describe.each(fixtures)('fixture $site/$view', (fixture) => {
  const url = new URL(fixture.expected?.url ?? headerUrl(fixture.html) ?? 'https://example.invalid/');
  const page = () => parsePage(fixture.html);

  it('has an expected.json, and a header comment saying where its structure comes from', () => {
    if (update && !fixture.expected) {
      const adapter = ADAPTERS.find((candidate) => candidate.id === fixture.site)!;
      const conversation = adapter.extract(page(), url)!;
      writeExpected(fixture, { url: url.href, composer: null, conversation });
      return;
    }
    expect(fixture.expected, `${fixture.expectedPath} is missing`).toBeDefined();
    expect(fixture.html.trimStart().startsWith('<!--') || fixture.html.includes('<!--\n')).toBe(true);
  });

  it.each(ADAPTERS.map((adapter) => [adapter.id, adapter] as const))('adapter %s', (_id, adapter) => {
    const expected = fixture.expected;
    if (!expected) return;
    const document = page();
    if (adapter.id === fixture.site) {
      expect(adapter.matches(url)).toBe(true);
      const conversation = adapter.extract(document, url);
      if (update) {
        writeExpected(fixture, { ...expected, conversation: conversation! });
        return;
      }
      expect(conversationSchema.parse(conversation)).toEqual(expected.conversation);
      const composer = adapter.composer(document);
      if (expected.composer === null) expect(composer).toBeUndefined();
      else
        expect(composer?.matches(expected.composer), `composer should match ${expected.composer}`).toBe(true);
    } else if (adapter.id !== 'generic') {
      // A site adapter never claims another product's page, by URL or by markup.
      expect(adapter.matches(url)).toBe(false);
      expect(adapter.extract(document, url)).toBeUndefined();
    } else {
      // The generic adapter reads every page; how well is measured in generic-accuracy.test.ts.
      expect(adapter.extract(document, url)?.messages.length ?? 0).toBeGreaterThan(0);
    }
  });

  it.each(ADAPTERS.map((adapter) => [adapter.id, adapter] as const))(
    'adapter %s: the message list holds every message, and a bounded read gives the newest',
    (_id, adapter) => {
      if (!fixture.expected) return;
      const document = page();
      const list = adapter.messageList?.(document);
      if (adapter.id !== fixture.site && adapter.id !== 'generic') {
        expect(list).toBeUndefined();
        return;
      }
      expect(list, `${adapter.id}.messageList finds the list`).toBeDefined();
      const composer = adapter.composer(document);
      if (composer) expect(list?.contains(composer)).toBe(false);
      const full = adapter.extract(document, url);
      // Reading inside the list alone finds the same conversation: every message lives in it.
      expect(adapter.extract(document, url, { list })).toEqual(full);
      // A memo of earlier readings gives the same conversation again, unchanged by being reused.
      const memo = new WeakMap<Element, unknown>();
      expect(adapter.extract(document, url, { list, memo })).toEqual(full);
      expect(adapter.extract(document, url, { list, memo })).toEqual(full);
      const messages = full?.messages ?? [];
      for (const count of [1, 2, messages.length])
        expect(adapter.extract(document, url, { list, lastMessages: count })?.messages).toEqual(
          messages.slice(-count),
        );
    },
  );

  it('readPage picks the fixture site adapter', () => {
    const reading = readPage(page(), url);
    expect(reading.adapter.id).toBe(fixture.site);
  });
});

describe('adapter registry', () => {
  const sites = new Set(fixtures.map((fixture) => fixture.site));

  it('every registered adapter has at least one fixture', () => {
    for (const adapter of ADAPTERS) expect(sites, `fixtures/${adapter.id}/ is missing`).toContain(adapter.id);
  });

  it('every fixture folder belongs to a registered adapter', () => {
    const ids = new Set(ADAPTERS.map((adapter) => adapter.id));
    for (const site of sites) expect(ids, `no adapter registered for fixtures/${site}/`).toContain(site);
  });

  it('every adapter file in src/adapters is registered, under its file name', () => {
    const files = readdirSync(path.join(EXTENSION_ROOT, 'src/adapters'))
      // recipe.ts is a factory (one adapter per taught domain), tested in teach-recipe-adapter.test.ts.
      .filter((file) => file.endsWith('.ts') && !['adapter.ts', 'index.ts', 'recipe.ts'].includes(file))
      .map((file) => file.replace(/\.ts$/, ''));
    const ids = ADAPTERS.map((adapter) => adapter.id);
    expect(ids.toSorted()).toEqual(files.toSorted());
  });

  it('lists the generic adapter last and only once', () => {
    expect(ADAPTERS.at(-1)?.id).toBe('generic');
    expect(SITE_ADAPTERS.some((adapter) => adapter.id === 'generic')).toBe(false);
  });
});
