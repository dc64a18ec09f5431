import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuite } from '../runner.ts';
import { parseSuite } from '../suite/load-suite.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'evals-redaction-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const templates = path.join(directory, 'templates.jsonl');
writeFileSync(
  templates,
  [
    { id: 'phone', language: 'ru', text: 'Перезвоните на {phone}, заказ {order}' },
    // No cue: a bare first name is not found, so name recall is 0 and the report must say so.
    { id: 'bare-name', language: 'ru', text: 'Привет, {name_first} тут' },
  ]
    .map((entry) => JSON.stringify(entry))
    .join('\n'),
);
const real = path.join(directory, 'real.jsonl');
writeFileSync(
  real,
  [
    {
      id: 'r-1',
      query: 'Где мой заказ 89161234567?',
      turns: [{ speaker: 'customer', text: 'тел. 8 916 123 45 67' }],
    },
    { id: 'r-2', query: 'Как сменить пароль?', turns: [] },
  ]
    .map((entry) => JSON.stringify(entry))
    .join('\n'),
);

const suite = parseSuite(
  `
id: tiny-redaction
title: Tiny redaction
task: redaction
cases: { path: ${JSON.stringify(templates)}, seed: 1, count: 10 }
realText:
  - { name: tiny-real, path: ${JSON.stringify(real)}, fields: [query, turns], language: ru }
thresholds: { recall.phone: 0.99, recall.name: 0.5 }
`,
  'tiny-redaction.yaml',
);

describe('the redaction task', () => {
  it('scores recall per kind, decoys and real text, and fails a threshold it misses', async () => {
    const result = await runSuite(suite);
    expect(result.n).toBe(10);
    expect(result.metrics['recall.phone']).toBe(1);
    expect(result.metrics['recall.name']).toBe(0);
    expect(result.metrics.decoys_kept).toBe(1);
    expect(result.metrics.precision).toBe(1);
    // Three real messages (a query and a turn of r-1, the query of r-2); only the turn has a phone.
    expect(result.metrics['real.tiny-real.clean_rate']).toBeCloseTo(2 / 3, 4);
    expect(result.passed).toBe(false);
    expect(result.details.belowThreshold.map((entry) => entry.metric)).toEqual(['recall.name']);
    expect(result.failures[0]).toMatchObject({ expected: expect.stringMatching(/^name «/u) });
    expect(result.details.notes.join('\n')).toContain(
      'tiny-real: 3 real messages, 1 with something masked, 1 spans (phone 1)',
    );
  });

  it('takes no --history', async () => {
    await expect(runSuite(suite, { history: real })).rejects.toThrow(/takes no history/u);
  });
});
