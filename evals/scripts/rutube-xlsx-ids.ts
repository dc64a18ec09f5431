/**
 * Prints the `idMapping.ids` table of suites/rutube-xlsx.yaml: each document the FAQ loader makes
 * of 01_База_знаний.xlsx (ids from question hashes) → the kb.jsonl id of the same entry. kb.jsonl
 * follows the sheet row for row (rt-001 is row 2); a row repeating an earlier row's question and
 * answer is skipped by the loader, so each document is the first row of its question and answer.
 * Run after changing how the loader names rows: `node evals/scripts/rutube-xlsx-ids.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseQuestion } from '../../ingest/src/loaders/faq-table.ts';
import { xlsxLoader } from '../../ingest/src/loaders/xlsx.ts';

const datasets = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/datasets/rutube-support',
);
const workbook = path.join(datasets, 'original', '01_База_знаний.xlsx');
const documents = await xlsxLoader.load({
  path: workbook,
  relativePath: path.basename(workbook),
  bytes: new Uint8Array(readFileSync(workbook)),
});
const entries = readFileSync(path.join(datasets, 'kb.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; question: string; answer: string });
const seen = new Set<string>();
const firsts = entries.filter((entry) => {
  const key = `${normaliseQuestion(entry.question)}\n${normaliseQuestion(entry.answer)}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
});
if (firsts.length !== documents.length)
  throw new Error(`${documents.length} documents, ${firsts.length} entries`);
const lines = documents.map((document, index) => {
  const entry = firsts[index]!;
  if (
    normaliseQuestion(String(document.sections[0]?.metadata?.question)) !== normaliseQuestion(entry.question)
  )
    throw new Error(`document ${index} is not ${entry.id}`);
  return `    "${document.documentId}": ${entry.id}`;
});

// Every case must still be answerable: a relevant entry the loader skipped has its twin kept.
const mapped = new Set(firsts.map((entry) => entry.id));
const cases = readFileSync(path.join(datasets, 'cases-dev.jsonl'), 'utf8').trim().split('\n');
const orphans = cases.filter(
  (line) => !(JSON.parse(line) as { relevant: string[] }).relevant.some((id) => mapped.has(id)),
);
process.stderr.write(
  `${documents.length} documents; ${orphans.length} cases without a kept relevant entry\n`,
);
process.stdout.write(`  ids:\n${lines.join('\n')}\n`);
