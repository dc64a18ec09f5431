import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { EvalRunError } from '../errors.ts';
import { SUITES_DIR } from '../paths.ts';
import { type Suite, suiteSchema, TASKS } from './schema.ts';

/** `retrieval.topK`, `levels[1].caseField`: a field as a person finds it in the file. */
export function formatFieldPath(fieldPath: readonly PropertyKey[]): string {
  let formatted = '';
  for (const part of fieldPath) {
    if (typeof part === 'number') formatted += `[${part}]`;
    else formatted += formatted === '' ? String(part) : `.${String(part)}`;
  }
  return formatted || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const atTask = issue.path.length === 0 || (issue.path.length === 1 && issue.path[0] === 'task');
  if ((issue.code === 'invalid_union' || issue.code === 'invalid_value') && atTask) {
    const task = (input as { task?: unknown } | null)?.task;
    return `task: must be one of ${TASKS.join(', ')}${task === undefined ? '' : ` (got ${JSON.stringify(task)})`}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${formatFieldPath(issue.path)}: ` : '';
    return `${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `${formatFieldPath(issue.path)}: required`;
  }
  return `${formatFieldPath(issue.path)}: ${issue.message}`;
}

/** Parses and checks a suite's YAML text. Errors name the file, the field and, for syntax, the line. */
export function parseSuite(text: string, source: string): Suite {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const offset = error.pos[0];
    const line = text.slice(0, offset).split('\n').length;
    throw new EvalRunError('suite-invalid', `${source}: line ${line}: ${error.message.split('\n')[0]}`);
  }
  const input = document.toJS() as unknown;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EvalRunError('suite-invalid', `${source}: a suite is a YAML mapping (id, title, task, …)`);
  }
  const parsed = suiteSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvalRunError('suite-invalid', `${source}: ${describeIssue(issue, input)}`);
  }
  return parsed.data;
}

export function loadSuiteFile(file: string): Suite {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvalRunError('suite-not-found', `${file}: cannot read (${(error as Error).message})`);
  }
  const suite = parseSuite(text, path.relative(process.cwd(), file) || file);
  const expected = path.basename(file).replace(/\.ya?ml$/u, '');
  if (suite.id !== expected) {
    throw new EvalRunError(
      'suite-invalid',
      `${file}: id: must match the file name ("${expected}"), got "${suite.id}"`,
    );
  }
  return suite;
}

/** The suites in `evals/suites/`, by id. */
export function listSuites(directory = SUITES_DIR): Suite[] {
  return readdirSync(directory)
    .filter((name) => /\.ya?ml$/u.test(name))
    .sort()
    .map((name) => loadSuiteFile(path.join(directory, name)));
}

/** A suite by id (from `evals/suites/`) or by path to a YAML file. */
export function findSuite(idOrPath: string, directory = SUITES_DIR): Suite {
  if (/\.ya?ml$/u.test(idOrPath)) return loadSuiteFile(path.resolve(idOrPath));
  const file = ['.yaml', '.yml']
    .map((extension) => path.join(directory, `${idOrPath}${extension}`))
    .find((candidate) => {
      try {
        readFileSync(candidate);
        return true;
      } catch {
        return false;
      }
    });
  if (!file) {
    const known = readdirSync(directory)
      .filter((name) => /\.ya?ml$/u.test(name))
      .map((name) => name.replace(/\.ya?ml$/u, ''));
    throw new EvalRunError('suite-not-found', `no suite "${idOrPath}" (known: ${known.join(', ')})`);
  }
  return loadSuiteFile(file);
}
