/**
 * Builds the console when its files are missing or older than its sources, so a fresh clone's
 * `pnpm start` and `pnpm test` serve a console without a separate build step, and an unchanged
 * tree does not pay for a build on every start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'index.html');

/** The newest modification time under `target` (a file or a folder). */
function newest(target: string): number {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

const sources = [
  path.join(root, 'src'),
  path.join(root, 'index.html'),
  path.join(root, 'vite.config.ts'),
  path.join(root, 'package.json'),
  // The pages parse responses with the service's contract.
  path.join(root, '..', 'src', 'contract'),
];
const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const stale = builtAt === 0 || sources.some((source) => newest(source) > builtAt);
if (stale) {
  process.stdout.write(
    builtAt === 0 ? 'Building the console…\n' : 'Rebuilding the console (sources changed)…\n',
  );
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
