import { SAFETY_FLAG_KINDS as DETECTED_KINDS } from '@naparnik/ingest/safety';
import { describe, expect, it } from 'vitest';
import { SAFETY_FLAG_KINDS } from './index.ts';

// The contract stays free of ingest (the extension bundles it), so it spells the kinds out itself.
describe('safety flag kinds', () => {
  it('are the kinds the detector reports, no more and no fewer', () => {
    expect([...SAFETY_FLAG_KINDS]).toEqual([...DETECTED_KINDS]);
  });
});
