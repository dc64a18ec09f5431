import { describe, expect, it } from 'vitest';
import { entityCoverage, keyEntities } from './entities.ts';

describe('entity coverage', () => {
  it('finds numbers, links, handles and names that do not start a sentence', () => {
    const entities = keyEntities(
      'Customer says the Apple Watch stopped after update 12.4. Agent asks to DM @AppleSupport via https://apple.co/x',
      { ignore: ['Customer', 'Agent'] },
    );
    expect(entities).toEqual(
      expect.arrayContaining(['apple', 'watch', '12.4', '@applesupport', 'https://apple.co/x', 'dm']),
    );
    expect(entities).not.toContain('customer');
    expect(entities).not.toContain('agent');
  });

  it('is the share of the reference entities the candidate mentions', () => {
    const reference = 'The order 10452378 from Moscow was late';
    // entities: 10452378, moscow
    expect(entityCoverage('order 10452378 is late', reference)).toBe(0.5);
    expect(entityCoverage('order 10452378 from moscow', reference)).toBe(1);
    expect(entityCoverage('anything', 'nothing to find here')).toBe(1);
  });
});
