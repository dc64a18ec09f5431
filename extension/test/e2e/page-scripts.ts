import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const PAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');

/** Page scripts bundled from TypeScript/ESM at test setup, as `<name>.js` with a global. */
const ENTRIES = {
  tiptap: { entry: 'tiptap-entry.ts', global: 'NaparnikTiptap' },
  composer: { entry: 'composer-entry.ts', global: 'NaparnikComposer' },
} as const;

export interface PageScripts {
  /** The folder holding tiptap.js and composer.js. */
  dir: string;
  dispose(): void;
}

/** Bundles the page scripts with Vite (WXT's bundler) into a temporary folder, one IIFE each. */
export async function bundlePageScripts(): Promise<PageScripts> {
  const dir = mkdtempSync(path.join(tmpdir(), 'naparnik-e2e-scripts-'));
  for (const [name, { entry, global }] of Object.entries(ENTRIES)) {
    await build({
      configFile: false,
      logLevel: 'warn',
      root: PAGES,
      // Libraries pick their production code paths, as a helpdesk's own bundle would.
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: dir,
        emptyOutDir: false,
        minify: false,
        lib: {
          entry: path.join(PAGES, entry),
          name: global,
          formats: ['iife'],
          fileName: () => `${name}.js`,
        },
      },
    });
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
