import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXTENSION_ROOT } from '../support/fixtures.ts';
import { PRODUCTION_BUILD_DIR as BUILD_DIR, BUILD_DIR as E2E_BUILD_DIR } from './harness.ts';

/**
 * The Chromium and Firefox builds (`test:e2e` runs `wxt build` and `wxt build -b firefox --mv3`
 * first) declare the same extension. There is no Firefox on the test machine: only the build and
 * its manifest are checked here, not the add-on running in Firefox.
 */
const FIREFOX_DIR = path.join(EXTENSION_ROOT, '.output/firefox-mv3');

const manifestSchema = z.looseObject({
  manifest_version: z.number(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  permissions: z.array(z.string()).default([]),
  host_permissions: z.array(z.string()).default([]),
  optional_host_permissions: z.array(z.string()).default([]),
  commands: z.record(z.string(), z.unknown()).optional(),
  action: z.object({ default_title: z.string().optional() }).optional(),
  background: z.object({ service_worker: z.string().optional(), scripts: z.array(z.string()).optional() }),
  content_scripts: z.array(z.object({ matches: z.array(z.string()), js: z.array(z.string()) })).default([]),
  options_ui: z.object({ page: z.string() }).optional(),
  side_panel: z.object({ default_path: z.string() }).optional(),
  sidebar_action: z.object({ default_panel: z.string() }).optional(),
  storage: z.object({ managed_schema: z.string() }).optional(),
  browser_specific_settings: z
    .object({
      gecko: z.object({
        id: z.string(),
        strict_min_version: z.string().optional(),
        data_collection_permissions: z.object({ required: z.array(z.string()) }).optional(),
      }),
    })
    .optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No build at ${dir}: run pnpm build and pnpm build:firefox`);
  return manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Every file a manifest points at, relative to its build folder. */
function referencedFiles(manifest: Manifest): string[] {
  return [
    manifest.background.service_worker,
    ...(manifest.background.scripts ?? []),
    ...manifest.content_scripts.flatMap((script) => script.js),
    // Registered at run time (site-access.ts), not in the manifest.
    'content-scripts/overlay.js',
    manifest.options_ui?.page,
    manifest.side_panel?.default_path,
    manifest.sidebar_action?.default_panel,
    manifest.storage?.managed_schema,
  ].filter((file): file is string => Boolean(file));
}

describe('the Chromium and Firefox builds', () => {
  it('declare the same extension: name, version, sites, permissions (but the side panel), commands', () => {
    const chrome = readManifest(BUILD_DIR);
    const firefox = readManifest(FIREFOX_DIR);
    for (const key of ['manifest_version', 'name', 'version', 'description', 'commands', 'action'] as const) {
      expect(firefox[key], key).toEqual(chrome[key]);
    }
    expect(firefox.host_permissions).toEqual(chrome.host_permissions);
    expect(firefox.optional_host_permissions).toEqual(chrome.optional_host_permissions);
    expect(firefox.permissions).toEqual(
      chrome.permissions.filter((permission) => permission !== 'sidePanel'),
    );
    expect(firefox.content_scripts.map((script) => script.matches)).toEqual(
      chrome.content_scripts.map((script) => script.matches),
    );
  });

  it('Chromium: a service worker, the side panel, the managed storage schema', () => {
    const chrome = readManifest(BUILD_DIR);
    expect(chrome.manifest_version).toBe(3);
    expect(chrome.background).toEqual({ service_worker: 'background.js' });
    expect(chrome.side_panel).toEqual({ default_path: 'sidepanel.html' });
    expect(chrome.permissions).toContain('sidePanel');
    expect(chrome.storage?.managed_schema).toBe('managed-schema.json');
    expect(chrome.browser_specific_settings).toBeUndefined();
    for (const file of referencedFiles(chrome))
      expect(existsSync(path.join(BUILD_DIR, file)), file).toBe(true);
  });

  it('Firefox: background scripts, the sidebar instead of the side panel, a Gecko id and data consent', () => {
    const firefox = readManifest(FIREFOX_DIR);
    expect(firefox.background).toEqual({ scripts: ['background.js'] });
    expect(firefox.side_panel).toBeUndefined();
    expect(firefox.sidebar_action?.default_panel).toBe('sidepanel.html');
    expect(firefox.storage).toBeUndefined();
    expect(firefox.browser_specific_settings?.gecko.id).toMatch(/^[\w.-]*@[\w.-]+$/);
    expect(firefox.browser_specific_settings?.gecko.data_collection_permissions?.required).toEqual(
      expect.arrayContaining(['websiteContent']),
    );
    for (const file of referencedFiles(firefox))
      expect(existsSync(path.join(FIREFOX_DIR, file)), file).toBe(true);
  });

  it('Chromium: the overlay is in no manifest content script (it runs only where registered at run time)', () => {
    expect(readManifest(BUILD_DIR).content_scripts).toEqual([]);
  });
});

describe('what operators install', () => {
  const bundleText = (directory: string) =>
    readdirSync(directory, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(path.join(directory, file), 'utf8'))
      .join('\n');

  it('holds no bench hook: the production bundle never reads data-naparnik-bench, the e2e build does', () => {
    // Booleans, not toContain: a failure would print the whole bundle.
    expect(bundleText(BUILD_DIR).includes('data-naparnik-bench')).toBe(false);
    // The same search finds the hook where it is meant to be: the check can fail.
    expect(bundleText(E2E_BUILD_DIR).includes('data-naparnik-bench')).toBe(true);
  });
});
