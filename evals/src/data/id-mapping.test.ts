import { describe, expect, it } from 'vitest';
import { createIdMapper, reverseMapping } from './id-mapping.ts';

describe('declared id mapping', () => {
  const mapper = createIdMapper({
    pattern: '#row-(\\d+)$',
    format: 'rt-{n}',
    number: { group: 1, add: -1, pad: 3 },
  });

  it('maps an XLSX row to the JSONL id (row N → rt-(N-1), zero-padded)', () => {
    expect(mapper('01_База_знаний.xlsx#row-2')).toBe('rt-001');
    expect(mapper('01_База_знаний.xlsx#row-11')).toBe('rt-010');
    expect(mapper('01_База_знаний.xlsx#row-327')).toBe('rt-326');
  });

  it('leaves ids that do not match as they are', () => {
    expect(mapper('faq-delivery')).toBe('faq-delivery');
    expect(createIdMapper(undefined)('anything#row-3')).toBe('anything#row-3');
  });

  it('maps case ids back to the collection ids for history labels', () => {
    const back = reverseMapping(['x.xlsx#row-2', 'x.xlsx#row-3', 'other'], mapper);
    expect(back('rt-001')).toEqual(['x.xlsx#row-2']);
    expect(back('other')).toEqual(['other']);
    expect(back('rt-999')).toEqual(['rt-999']);
  });

  it('maps ids by a declared table, and leaves ids the table does not name as they are', () => {
    const table = createIdMapper({
      ids: { 'faq.xlsx#q-70ef515167a6': 'rt-001' },
      number: { group: 1, add: 0, pad: 0 },
    });
    expect(table('faq.xlsx#q-70ef515167a6')).toBe('rt-001');
    expect(table('faq.xlsx#q-000000000000')).toBe('faq.xlsx#q-000000000000');
  });
});
