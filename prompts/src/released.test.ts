import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPromptRefs, PROMPTS_DIR, promptFilePath } from './catalog.ts';

/**
 * A released prompt version is never edited: suggestions already stored say which version made
 * them, and evals compare versions. This file pins the SHA-256 of every released file. Changing
 * a prompt means adding `<task>/v<N+1>.md` (and its line here), then pinning it in configuration.
 */
const released: Record<string, string> = JSON.parse(
  readFileSync(path.join(PROMPTS_DIR, 'released.json'), 'utf8'),
);

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('released prompt versions', () => {
  it.each(Object.entries(released))('%s is byte for byte the version that was released', (ref, hash) => {
    expect(
      sha256(promptFilePath(ref)),
      `${ref} was edited after release: restore it and put the change in a new version file`,
    ).toBe(hash);
  });

  it('every version on disk is recorded in released.json', () => {
    expect(listPromptRefs().filter((ref) => !(ref in released))).toEqual([]);
  });
});
