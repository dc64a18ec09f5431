import { describe, expect, it } from 'vitest';
import { createTypoCorrector, withinOneEdit } from './typo-correction.ts';

describe('typo correction', () => {
  const corrector = createTypoCorrector(['студи', 'закрепля', 'аккаунт', 'стрим', 'канал']);

  it('finds indexed words one edit away', () => {
    expect(corrector.corrections('ситуди')).toEqual(['студи']); // insertion
    expect(corrector.corrections('закрупля')).toEqual(['закрепля']); // substitution
    expect(corrector.corrections('акаунт')).toEqual(['аккаунт']); // deletion
    expect(corrector.corrections('сутди')).toEqual(['студи']); // transposition
  });

  it('leaves short words, numbers and far-off words alone', () => {
    expect(corrector.corrections('кнал')).toEqual([]);
    expect(corrector.corrections('1234567')).toEqual([]);
    expect(corrector.corrections('монетизац')).toEqual([]);
  });

  it('measures one edit', () => {
    expect(withinOneEdit('abcd', 'abdc')).toBe(true);
    expect(withinOneEdit('abcd', 'abd')).toBe(true);
    expect(withinOneEdit('abcd', 'axcy')).toBe(false);
    expect(withinOneEdit('abcd', 'ab')).toBe(false);
  });
});
