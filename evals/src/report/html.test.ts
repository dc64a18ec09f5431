import { describe, expect, it } from 'vitest';
import type { EvalResult } from '../result.ts';
import { renderReport } from './html.ts';

function result(recall: number): EvalResult {
  return {
    suite: 'rutube-retrieval',
    task: 'retrieval',
    engine: 'offline',
    n: 2,
    metrics: { 'recall@5': recall },
    thresholds: { 'recall@5': 0.5 },
    passed: recall >= 0.5,
    failures: [{ id: 'case-1', input: '<script>x</script>', expected: ['rt-1'], got: ['rt-2'] }],
    details: {
      title: 'RUTUBE',
      belowThreshold: [],
      notes: [],
      seconds: 1,
      breakdown: { field: 'topic1', groups: [{ name: 'ВИДЕО', n: 2, metrics: { 'recall@5': recall } }] },
      distributions: [
        {
          name: 'rank',
          bins: [
            { label: '1', count: 1 },
            { label: '2', count: 1 },
          ],
        },
      ],
    },
  };
}

describe('HTML report', () => {
  it('draws a reliability diagram for results that carry one, with a dot per non-empty bin', () => {
    const calibrated = result(0.8);
    calibrated.details.reliability = [
      { label: '0.1–0.2', n: 0, confidence: 0, accuracy: 0 },
      { label: '0.8–0.9', n: 10, confidence: 0.85, accuracy: 0.9 },
      { label: '0.9–1.0', n: 5, confidence: 0.95, accuracy: 1 },
    ];
    const html = renderReport([{ label: 'now', results: [calibrated] }]);
    expect(html).toContain('aria-label="reliability diagram"');
    expect(html.match(/<circle /gu)).toHaveLength(2);
    expect(renderReport([{ label: 'now', results: [result(0.8)] }])).not.toContain('reliability diagram');
  });

  it('is self-contained: inline SVG charts, no scripts, no external resources', () => {
    const html = renderReport([{ label: 'now', results: [result(0.8)] }]);
    expect(html).toContain('<svg');
    expect(html).toContain('ВИДЕО');
    expect(html).not.toMatch(/<script|src="http|href="http|<link /u);
    expect(html).toContain('&lt;script&gt;');
  });

  it('compares two runs side by side with the difference', () => {
    const html = renderReport([
      { label: 'v1', results: [result(0.6)] },
      { label: 'v2', results: [result(0.8)] },
    ]);
    expect(html).toContain('v1 vs v2');
    expect(html).toContain('<th>Δ</th>');
    expect(html).toContain('+0.2000');
  });
});
