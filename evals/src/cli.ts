#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import { ablationMarkdown, runAblation } from './ablation.ts';
import { readRecords, stringField, stringListField } from './data/records.ts';
import { EvalRunError } from './errors.ts';
import { type GoldenQuestion, runCollectionGate } from './gate/collection-gate.ts';
import { nestedMarkdown, readVariants, runNested } from './nested.ts';
import { fromWorkingDirectory } from './paths.ts';
import { type ReportRun, renderReport } from './report/html.ts';
import { renderEngines, renderResult, renderSummary, renderTable } from './report/table.ts';
import type { EvalResult } from './result.ts';
import { runSuite } from './runner.ts';
import { findSuite, listSuites } from './suite/load-suite.ts';

const USAGE = `Naparnik evals

  pnpm evals list
  pnpm evals run <suite…> [--kb <path>] [--cases <path>] [--history <path>]
                          [--engine offline|claude|openai-compatible[,…]] [--record [--simulate] | --replay]
                          [--cassette <file>] [--json <file>] [--report <dir>] [--compare <result.json>]
                          [--service]    assist, replay and redteam suites sent over HTTP to a running
                                         service on knowledge and history ingested by the CLIs
  pnpm evals report <result.json> [<other result.json>] --report <dir> [--labels A,B]
  pnpm evals ablation [<retrieval suite>]   the retriever's ablation table (Markdown)
  pnpm evals nested <retrieval suite> --variants <file.json>
                                       retriever settings chosen by nested k-fold: each variant's
                                       k-fold figure and the honest figure of choosing among them
  pnpm evals gate                      the offline gate: every active gate suite against its thresholds
  pnpm evals gate --collection <name> [--golden <file.jsonl>] [--since <ISO time>] [--top 5] [--data-dir <dir>]
                                       re-run the golden questions whose documents the last ingest changed

Exit codes: 0 passed, 1 a metric below its threshold (or a golden question lost), 2 usage or data error.`;

const options = {
  kb: { type: 'string' },
  cases: { type: 'string' },
  history: { type: 'string' },
  engine: { type: 'string' },
  record: { type: 'boolean' },
  replay: { type: 'boolean' },
  simulate: { type: 'boolean' },
  cassette: { type: 'string' },
  service: { type: 'boolean' },
  json: { type: 'string' },
  report: { type: 'string' },
  compare: { type: 'string' },
  labels: { type: 'string' },
  variants: { type: 'string' },
  collection: { type: 'string' },
  golden: { type: 'string' },
  since: { type: 'string' },
  top: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

const log = (message: string) => process.stderr.write(`${message}\n`);

function readResults(file: string): EvalResult[] {
  const value = JSON.parse(readFileSync(fromWorkingDirectory(file), 'utf8')) as EvalResult | EvalResult[];
  return Array.isArray(value) ? value : [value];
}

function writeReport(directory: string, runs: ReportRun[]): string {
  const target = fromWorkingDirectory(directory);
  mkdirSync(target, { recursive: true });
  const file = path.join(target, 'index.html');
  writeFileSync(file, renderReport(runs));
  runs.forEach((run, index) => {
    writeFileSync(
      path.join(target, `results-${index + 1}.json`),
      `${JSON.stringify(run.results, null, 2)}\n`,
    );
  });
  return file;
}

async function commandList(): Promise<number> {
  const rows = [['suite', 'task', 'status', 'gate', 'title']];
  for (const suite of listSuites()) {
    rows.push([suite.id, suite.task, suite.status, suite.gate ? 'yes' : 'no', suite.title]);
  }
  process.stdout.write(`${renderTable(rows)}\n`);
  return 0;
}

async function commandRun(suiteIds: string[], values: Values): Promise<number> {
  if (suiteIds.length === 0)
    throw new EvalRunError('usage', 'name at least one suite (pnpm evals list shows them)');
  const suites = suiteIds.map((id) => findSuite(id));
  if (suites.length > 1 && (values.kb || values.cases || values.history)) {
    throw new EvalRunError('usage', '--kb, --cases and --history apply to one suite at a time');
  }
  const engines = values.engine ? values.engine.split(',').map((engine) => engine.trim()) : [undefined];
  if (values.cassette && (suites.length > 1 || engines.length > 1))
    throw new EvalRunError('usage', '--cassette applies to one suite and one engine');
  const results: EvalResult[] = [];
  const byEngine = new Map<string, EvalResult[]>();
  for (const engine of engines) {
    for (const suite of suites) {
      log(`running ${suite.id}${engine ? ` on ${engine}` : ''}…`);
      const result = await runSuite(suite, {
        ...(values.kb ? { knowledge: fromWorkingDirectory(values.kb) } : {}),
        ...(values.cases ? { cases: fromWorkingDirectory(values.cases) } : {}),
        ...(values.history ? { history: fromWorkingDirectory(values.history) } : {}),
        ...(engine ? { engine } : {}),
        model: { record: values.record, replay: values.replay, simulate: values.simulate },
        ...(values.cassette ? { cassette: fromWorkingDirectory(values.cassette) } : {}),
        ...(values.service ? { service: true } : {}),
        log,
      });
      results.push(result);
      byEngine.set(result.engine, [...(byEngine.get(result.engine) ?? []), result]);
      process.stdout.write(`${renderResult(result)}\n\n`);
    }
  }
  if (byEngine.size > 1) process.stdout.write(`${renderEngines(results)}\n\n`);
  if (values.json) {
    const file = fromWorkingDirectory(values.json);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
    log(`results: ${file}`);
  }
  if (values.report && byEngine.size > 1) {
    // Engines side by side: one run per engine, the first the baseline the Δ column compares to.
    const runs: ReportRun[] = [...byEngine].map(([engine, list]) => ({ label: engine, results: list }));
    log(`report: ${writeReport(values.report, runs)}`);
  } else if (values.report) {
    const runs: ReportRun[] = values.compare
      ? [
          {
            label: values.labels?.split(',')[0] ?? path.basename(values.compare),
            results: readResults(values.compare),
          },
          { label: values.labels?.split(',')[1] ?? 'this run', results },
        ]
      : [{ label: values.labels ?? 'this run', results }];
    log(`report: ${writeReport(values.report, runs)}`);
  }
  return results.every((result) => result.passed) ? 0 : 1;
}

async function commandReport(files: string[], values: Values): Promise<number> {
  if (files.length < 1 || files.length > 2)
    throw new EvalRunError('usage', 'report takes one or two result files');
  if (!values.report) throw new EvalRunError('usage', 'report needs --report <dir>');
  const labels = values.labels?.split(',') ?? files.map((file) => path.basename(file, '.json'));
  const runs = files.map((file, index) => ({ label: labels[index] ?? file, results: readResults(file) }));
  log(`report: ${writeReport(values.report, runs)}`);
  return 0;
}

/**
 * Every active suite marked `gate: true`, offline, and on the model engines it lists in
 * `gateEngines` from their cassettes; pending suites are listed as skipped.
 */
async function commandOfflineGate(): Promise<number> {
  const started = performance.now();
  const outcomes: Array<EvalResult | { suite: string; skipped: string }> = [];
  for (const suite of listSuites()) {
    if (!suite.gate) continue;
    if (suite.status === 'pending') {
      outcomes.push({ suite: suite.id, skipped: suite.pendingReason ?? 'pending' });
      continue;
    }
    log(`gate: ${suite.id}…`);
    const result = await runSuite(suite, { engine: 'offline', log });
    process.stdout.write(`${renderResult(result)}\n\n`);
    outcomes.push(result);
    for (const engine of suite.gateEngines) {
      log(`gate: ${suite.id} on ${engine}, replayed from its cassette…`);
      const replayed = await runSuite(suite, { engine, model: { replay: true }, log });
      process.stdout.write(`${renderResult(replayed)}\n\n`);
      outcomes.push(replayed);
    }
  }
  process.stdout.write(`${renderSummary(outcomes)}\n`);
  const results = outcomes.filter((outcome): outcome is EvalResult => !('skipped' in outcome));
  const failed = results.filter((result) => !result.passed).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n${results.length - failed} passed, ${failed} failed\n`);
  log(`offline gate: ${seconds} s`);
  return failed === 0 ? 0 : 1;
}

function goldenFor(collection: string, file: string | undefined): GoldenQuestion[] {
  if (file) {
    const where = fromWorkingDirectory(file);
    return readRecords({ path: where }, (given) => given).map((record, index) => ({
      id: String(record.id ?? `#${index + 1}`),
      query: stringField(record, 'query', `${where} record ${index + 1}`),
      relevant: stringListField(record, 'relevant', `${where} record ${index + 1}`),
    }));
  }
  const suite = listSuites().find(
    (candidate) =>
      candidate.task === 'retrieval' && candidate.knowledge.collection === collection && !candidate.history,
  );
  if (suite?.task !== 'retrieval') {
    throw new EvalRunError(
      'usage',
      `no golden questions for collection ${collection}: pass --golden <file.jsonl>`,
    );
  }
  return readRecords(suite.cases).map((record, index) => ({
    id: String(record[suite.cases.fields.id] ?? `#${index + 1}`),
    query: stringField(record, suite.cases.fields.query, `${suite.id} case ${index + 1}`),
    relevant: stringListField(record, suite.cases.fields.relevant, `${suite.id} case ${index + 1}`),
  }));
}

async function commandCollectionGate(values: Values): Promise<number> {
  const collection = values.collection!;
  const top = values.top ? Number(values.top) : 5;
  if (!Number.isInteger(top) || top < 1) throw new EvalRunError('usage', '--top must be a positive integer');
  if (values.since && Number.isNaN(Date.parse(values.since)))
    throw new EvalRunError('usage', '--since must be an ISO time');
  const config = loadIngestConfig();
  const dataDir = values['data-dir'] ? fromWorkingDirectory(values['data-dir']) : config.dataDir;
  const kb = await openKnowledgeBase({ dataDir, config: { ...config, dataDir } });
  try {
    if (!(await kb.store.getCollection(collection))) {
      throw new EvalRunError('usage', `collection ${collection} does not exist in ${dataDir}`);
    }
    const golden = goldenFor(collection, values.golden);
    const result = await runCollectionGate({
      kb,
      collection,
      golden,
      top,
      ...(values.since ? { since: values.since } : {}),
    });
    process.stdout.write(
      `collection ${collection}: last ingest from ${result.since ?? '(nothing ingested)'}; ${result.changedDocuments.length} documents changed, ${result.removedDocuments.length} relevant documents gone\n`,
    );
    process.stdout.write(`${result.checked.length} of ${golden.length} golden questions depend on them\n`);
    if (result.checked.length > 0) {
      const rows = [['question', 'relevant', `top ${top}`, '']];
      for (const entry of result.checked) {
        rows.push([
          entry.question.id,
          entry.question.relevant.join(' '),
          entry.ranked.slice(0, top).join(' '),
          entry.verdict === 'ok' ? 'ok' : entry.verdict === 'lost' ? 'LOST' : 'still failing',
        ]);
      }
      process.stdout.write(`${renderTable(rows)}\n`);
      process.stdout.write(
        `${Object.entries(result.metrics)
          .map(([name, value]) => `${name} ${value.toFixed(4)}`)
          .join('  ')}\n`,
      );
    }
    const lost = result.checked.filter((entry) => entry.verdict === 'lost').length;
    const still = result.checked.filter((entry) => entry.verdict === 'still-failing').length;
    if (still > 0)
      process.stdout.write(`${still} golden questions were failing before this ingest and still are\n`);
    process.stdout.write(`\n${result.checked.length - lost - still} passed, ${lost} failed\n`);
    return lost === 0 ? 0 : 1;
  } finally {
    await kb.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new EvalRunError('usage', (error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || parsed.values.help ? 0 : 2;
  }
  switch (command) {
    case 'list':
      return commandList();
    case 'run':
      return commandRun(rest, parsed.values);
    case 'report':
      return commandReport(rest, parsed.values);
    case 'ablation': {
      const suite = findSuite(rest[0] ?? 'rutube-retrieval');
      process.stdout.write(`${ablationMarkdown(await runAblation(suite, log))}\n`);
      return 0;
    }
    case 'nested': {
      if (!rest[0] || !parsed.values.variants)
        throw new EvalRunError(
          'usage',
          `nested needs a retrieval suite and --variants <file.json>\n\n${USAGE}`,
        );
      const suite = findSuite(rest[0]);
      if (suite.task !== 'retrieval') throw new EvalRunError('usage', `${suite.id} is not a retrieval suite`);
      const report = await runNested(suite, readVariants(parsed.values.variants), log);
      process.stdout.write(`${nestedMarkdown(report)}\n`);
      return 0;
    }
    case 'gate':
      return parsed.values.collection ? commandCollectionGate(parsed.values) : commandOfflineGate();
    default:
      throw new EvalRunError('usage', `unknown command "${command}"\n\n${USAGE}`);
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof EvalRunError) process.stderr.write(`${error.code}: ${error.message}\n`);
      else
        process.stderr.write(
          `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      process.exitCode = 2;
    },
  );
}
