import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyOverrides, runSuite } from './runner.ts';
import { parseSuite } from './suite/load-suite.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'evals-runner-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const kb = path.join(directory, 'kb.jsonl');
writeFileSync(
  kb,
  [
    { id: 'faq-1', question: 'Как подключить монетизацию?', answer: 'Подайте заявку в Студии.' },
    { id: 'faq-2', question: 'Как поменять пароль?', answer: 'В настройках профиля.' },
    { id: 'faq-3', question: 'Как запустить трансляцию?', answer: 'В Студии, раздел трансляций.' },
  ]
    .map((entry) => JSON.stringify({ ...entry, kind: 'faq', language: 'ru' }))
    .join('\n'),
);
const cases = path.join(directory, 'cases.jsonl');
writeFileSync(
  cases,
  [
    { id: 'c-1', query: 'Здравствуйте, хочу подключить монетизацию', relevant: ['faq-1'], topic: 'money' },
    { id: 'c-2', query: 'забыл пароль, как поменять', relevant: ['faq-2'], topic: 'account' },
    { id: 'c-3', query: 'как начать стрим', relevant: ['faq-3'], topic: 'live' },
  ]
    .map((entry) => JSON.stringify(entry))
    .join('\n'),
);

const suite = parseSuite(
  `
id: tiny
title: Tiny
task: retrieval
knowledge: { paths: [${JSON.stringify(kb)}], collection: tiny }
cases: { path: ${JSON.stringify(cases)} }
breakdown: topic
thresholds: { recall@5: 0.6, recall@1: 0.99 }
`,
  'tiny.yaml',
);

const assist = parseSuite(
  `
id: tiny-assist
title: Tiny assist
task: assist
knowledge: { paths: [${JSON.stringify(kb)}], collection: tiny }
cases: { path: ${JSON.stringify(cases)}, fields: { id: id, query: query, relevant: relevant, topic: topic } }
`,
  'tiny-assist.yaml',
);

describe('runner', () => {
  it('produces the issue’s JSON contract, deterministically', async () => {
    const first = await runSuite(suite);
    expect(Object.keys(first)).toEqual([
      'suite',
      'task',
      'engine',
      'n',
      'metrics',
      'thresholds',
      'passed',
      'failures',
      'details',
    ]);
    expect(first).toMatchObject({ suite: 'tiny', task: 'retrieval', engine: 'offline', n: 3 });
    expect(first.metrics['recall@5']).toBe(1);
    expect(first.details.breakdown?.groups.map((group) => group.name).sort()).toEqual([
      'account',
      'live',
      'money',
    ]);
    const second = await runSuite(suite);
    const strip = (result: typeof first) => ({
      ...result,
      metrics: Object.fromEntries(Object.entries(result.metrics).filter(([name]) => !name.endsWith('_ms'))),
      details: { ...result.details, seconds: 0, notes: [], distributions: [] },
    });
    expect(strip(second)).toEqual(strip(first));
  });

  it('fails when a metric is below its threshold and says which', async () => {
    const result = await runSuite({ ...suite, thresholds: { 'recall@1': 1.01 } });
    expect(result.passed).toBe(false);
    expect(result.details.belowThreshold.map((entry) => entry.metric)).toEqual(['recall@1']);
  });

  it('splits the figures by whether the history had answered the case’s document before', async () => {
    const history = path.join(directory, 'history.jsonl');
    writeFileSync(
      history,
      `${JSON.stringify({ id: 'h-1', query: 'не помню пароль, где сменить', relevant: ['faq-2'], topic: 'account' })}\n`,
    );
    const withHistory = parseSuite(
      `
id: tiny-history
title: Tiny with history
task: retrieval
knowledge: { paths: [${JSON.stringify(kb)}], collection: tiny }
cases: { path: ${JSON.stringify(cases)} }
history: { path: ${JSON.stringify(history)} }
`,
      'tiny-history.yaml',
    );
    const result = await runSuite(withHistory);
    const note = result.details.notes.find((line) => line.startsWith('by history'));
    expect(note).toContain('answered before 1: recall@1 1.0000');
    expect(note).toContain('never answered 2:');
    const none = await runSuite(suite);
    expect(none.details.notes.some((line) => line.startsWith('by history'))).toBe(false);

    const assisted = await runSuite(
      parseSuite(
        `
id: tiny-assist-history
title: Tiny assist with history
task: assist
knowledge: { paths: [${JSON.stringify(kb)}], collection: tiny }
cases: { path: ${JSON.stringify(cases)}, fields: { id: id, query: query, relevant: relevant, topic: topic } }
history: { path: ${JSON.stringify(history)}, fields: { id: id, query: query, relevant: relevant } }
`,
        'tiny-assist-history.yaml',
      ),
    );
    const assistNote = assisted.details.notes.find((line) => line.startsWith('by history'));
    expect(assistNote).toContain('answered before 1: cited@1 1.0000');
    expect(assistNote).toContain('never answered 2:');
  });

  it('replaces the suite’s paths with the command line’s', () => {
    const changed = applyOverrides(suite, {
      knowledge: '/elsewhere/kb.csv',
      cases: '/elsewhere/cases.jsonl',
    });
    expect(changed.task === 'retrieval' && changed.knowledge.paths).toEqual(['/elsewhere/kb.csv']);
    expect(changed.cases.path).toBe('/elsewhere/cases.jsonl');
    expect(suite.cases.path).toBe(cases);
  });

  it('writes what an assist suite got back for every case: suggestions with their text, confidence and citations', async () => {
    const result = await runSuite(assist);
    const outputs = result.details.outputs ?? [];
    expect(outputs.map((output) => output.id)).toEqual(['c-1', 'c-2', 'c-3']);
    const password = outputs[1]!;
    expect(password).toMatchObject({
      input: 'забыл пароль, как поменять',
      expected: { documents: ['faq-2'], topic: 'account' },
    });
    expect(password.suggestions[0]?.cites).toEqual(['faq-2']);
    expect(password.suggestions[0]?.text).toContain('В настройках профиля');
    expect(password.suggestions[0]?.confidence.level).toMatch(/^(high|medium|low)$/);
  });

  it('sends an assist suite to a listening service with --service and scores what came back over HTTP as in-process', async () => {
    const overHttp = await runSuite(assist, { service: true });
    const inProcess = await runSuite(assist);
    expect(overHttp.details.notes.join('\n')).toContain('service over HTTP');
    expect(overHttp.metrics).toMatchObject({
      'cited@1': inProcess.metrics['cited@1'],
      'cited@3': inProcess.metrics['cited@3'],
      answered_rate: inProcess.metrics.answered_rate,
    });
    expect(overHttp.details.outputs?.map((output) => output.suggestions)).toEqual(
      inProcess.details.outputs?.map((output) => output.suggestions),
    );
  }, 120_000);

  it('refuses --service for a suite that sends no conversations, naming it', async () => {
    await expect(runSuite(suite, { service: true })).rejects.toThrow(
      /--service: suite tiny does not send conversations/,
    );
  });
});
