/**
 * Builds the extension with WXT when its build is missing or older than its sources, so that
 * `pnpm start` leaves the operator a folder to load (and the service a package to serve at
 * /extension/), and an unchanged tree does not pay for a build on every start. Also used by
 * `pnpm bench extension`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const EXTENSION_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROME_BUILD_DIR = path.join(EXTENSION_ROOT, '.output', 'chrome-mv3');

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

/**
 * Runs `wxt build` (with `mode`, e.g. the bench's build) when `buildDir` is missing or older than
 * the sources.
 */
export function ensureBuild(
  buildDir: string = CHROME_BUILD_DIR,
  options: { mode?: string; announce?: (text: string) => void } = {},
): 'built' | 'up to date' {
  const manifest = path.join(buildDir, 'manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const sources = Math.max(...BUILD_INPUTS.map((input) => newestChange(path.join(EXTENSION_ROOT, input))));
  if (built > sources) return 'up to date';
  options.announce?.(
    built === 0 ? 'Собираю расширение (wxt build)…\n' : 'Пересобираю расширение: исходники изменились…\n',
  );
  const result = spawnSync(
    path.join(EXTENSION_ROOT, 'node_modules/.bin/wxt'),
    ['build', ...(options.mode ? ['--mode', options.mode] : [])],
    { cwd: EXTENSION_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`wxt build failed with exit code ${result.status}`);
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensureBuild(CHROME_BUILD_DIR, { announce: (text) => process.stdout.write(text) });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
