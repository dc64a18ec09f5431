import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A path inside `../shared/datasets` (beside the repository, in CI too). Tests read real data
 * from there by path: datasets are never copied into the repository.
 */
export function datasetPath(...segments: string[]): string {
  const full = path.resolve(repoRoot, '..', 'shared', 'datasets', ...segments);
  if (!existsSync(full)) {
    throw new Error(`Shared dataset file not found: ${full} (expected ../shared beside the repository)`);
  }
  return full;
}
