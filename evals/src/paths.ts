import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: suite paths are relative to it, whichever directory a command runs in. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EVALS_DIR = path.join(REPO_ROOT, 'evals');
export const SUITES_DIR = path.join(EVALS_DIR, 'suites');
export const CACHE_DIR = path.join(EVALS_DIR, '.cache');

/** A suite's path, resolved against the repository root. */
export function fromRepoRoot(relative: string): string {
  return path.resolve(REPO_ROOT, relative);
}

/** A path given on the command line, resolved against the directory the command was typed in. */
export function fromWorkingDirectory(given: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
}
