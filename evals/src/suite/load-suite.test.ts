import { describe, expect, it } from 'vitest';
import { EvalRunError } from '../errors.ts';
import { listSuites, parseSuite } from './load-suite.ts';
import { TASKS } from './schema.ts';

const VALID = `
id: tiny
title: Tiny
task: retrieval
knowledge: { paths: [kb.jsonl], collection: tiny }
cases: { path: cases.jsonl }
thresholds: { recall@5: 0.5 }
`;

function errorOf(text: string): EvalRunError {
  try {
    parseSuite(text, 'tiny.yaml');
  } catch (error) {
    if (error instanceof EvalRunError) return error;
    throw error;
  }
  throw new Error('expected the suite to be rejected');
}

describe('suite files', () => {
  it('parses a minimal retrieval suite and fills defaults', () => {
    const suite = parseSuite(VALID, 'tiny.yaml');
    expect(suite.task).toBe('retrieval');
    if (suite.task !== 'retrieval') return;
    expect(suite.retrieval.topK).toBe(10);
    expect(suite.cases.fields).toEqual({ id: 'id', query: 'query', relevant: 'relevant' });
    expect(suite.status).toBe('active');
    expect(suite.gate).toBe(true);
  });

  it('names the field of a wrong value', () => {
    const error = errorOf(VALID.replace('thresholds: { recall@5: 0.5 }', 'retrieval: { topK: many }'));
    expect(error.code).toBe('suite-invalid');
    expect(error.message).toMatch(/^tiny\.yaml: retrieval\.topK: /);
  });

  it('names a missing required field', () => {
    const error = errorOf(VALID.replace('cases: { path: cases.jsonl }\n', ''));
    expect(error.message).toBe('tiny.yaml: cases: required');
  });

  it('names a nested missing field', () => {
    const error = errorOf(
      VALID.replace('knowledge: { paths: [kb.jsonl], collection: tiny }', 'knowledge: { paths: [kb.jsonl] }'),
    );
    expect(error.message).toBe('tiny.yaml: knowledge.collection: required');
  });

  it('rejects unknown fields by name (a typo must not be ignored)', () => {
    const error = errorOf(`${VALID}treshold: 3\n`);
    expect(error.message).toBe('tiny.yaml: unknown field treshold');
  });

  it('names an unknown task', () => {
    const error = errorOf(VALID.replace('task: retrieval', 'task: magic'));
    expect(error.message).toContain(`task: must be one of ${TASKS.join(', ')} (got "magic")`);
    expect(TASKS).toEqual(expect.arrayContaining(['retrieval', 'routing', 'replay', 'summary']));
  });

  it('reports YAML syntax errors with their line', () => {
    const error = errorOf('id: tiny\ntitle: [unclosed\ntask: retrieval\n');
    expect(error.message).toMatch(/^tiny\.yaml: line \d+: /);
  });

  it('checks cross-field rules of routing suites', () => {
    const error = errorOf(`
id: tiny
title: Tiny
task: routing
model: classifier
cases: { path: cases.csv }
`);
    expect(error.message).toBe('tiny.yaml: training: required when model is classifier');
  });

  it('checks the id mapping declaration', () => {
    const error = errorOf(`${VALID}idMapping: { pattern: 'row-(\\d+)', format: 'rt-' }\n`);
    expect(error.message).toBe('tiny.yaml: idMapping.format: must contain {n}');
  });

  it('loads every shipped suite', () => {
    const suites = listSuites();
    expect(suites.map((suite) => suite.id)).toEqual(
      expect.arrayContaining([
        'rutube-retrieval',
        'rutube-topics',
        'rutube-replay',
        'rutube-xlsx',
        'bitext-routing',
        'banking77-routing',
        'clinc150-oos',
        'tweetsumm-summary',
        'demo-golden',
      ]),
    );
  });
});
