import { describe, expect, it } from 'vitest';
import { parseJsonl, selectRecords } from './records.ts';

const records = Array.from({ length: 200 }, (_, index) => ({ id: index, text: `utterance ${index}` }));

describe('record selection', () => {
  it('splits into complementary holdout and rest by hash of a key', () => {
    const holdout = selectRecords(records, { holdout: { key: 'text', fraction: 0.2, part: 'holdout' } });
    const rest = selectRecords(records, { holdout: { key: 'text', fraction: 0.2, part: 'rest' } });
    expect(holdout.length + rest.length).toBe(records.length);
    expect(holdout.some((record) => rest.includes(record))).toBe(false);
    expect(holdout.length).toBeGreaterThan(20);
    expect(holdout.length).toBeLessThan(60);
  });

  it('samples deterministically, keeping the original order', () => {
    const first = selectRecords(records, { sample: 30, sampleKey: 'text' });
    const second = selectRecords([...records], { sample: 30, sampleKey: 'text' });
    expect(first).toEqual(second);
    expect(first).toHaveLength(30);
    const ids = first.map((record) => record.id as number);
    expect(ids).toEqual([...ids].sort((left, right) => left - right));
  });

  it('names the line of a broken JSONL record', () => {
    expect(() => parseJsonl('{"a":1}\n{oops}\n', 'cases.jsonl')).toThrow(/cases\.jsonl: line 2: /);
  });
});
