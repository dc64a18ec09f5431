import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Everything the build reads: when any of it is newer than the build, the build is stale. */
const BUILD_INPUTS = [
  'src',
  'entrypoints',
  'public',
  'wxt.config.ts',
  'package.json',
  '../assist-service/src/contract',
];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, child)));
  return newest;
}

/** Builds the extension with WXT when `.output/chrome-mv3` is missing or older than its sources. */
export function ensureBuild(extensionRoot: string, buildDir: string): 'built' | 'up to date' {
  const manifest = path.join(buildDir, 'manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const sources = Math.max(...BUILD_INPUTS.map((input) => newestChange(path.join(extensionRoot, input))));
  if (built > sources) return 'up to date';
  process.stdout.write('bench extension: building the extension (wxt build)…\n');
  const result = spawnSync(path.join(extensionRoot, 'node_modules/.bin/wxt'), ['build'], {
    cwd: extensionRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`wxt build failed with exit code ${result.status}`);
  return 'built';
}

export interface BundleFile {
  file: string;
  rawBytes: number;
  gzipBytes: number;
}

/** The content script's files (JavaScript and CSS) as shipped, raw and gzip-compressed (level 9). */
export function contentScriptSizes(buildDir: string): BundleFile[] {
  const folder = path.join(buildDir, 'content-scripts');
  return readdirSync(folder)
    .sort()
    .map((file) => {
      const bytes = readFileSync(path.join(folder, file));
      return {
        file: `content-scripts/${file}`,
        rawBytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
      };
    });
}
