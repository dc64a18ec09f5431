/**
 * What every `pnpm bench …` shares: nearest-rank percentiles, RSS, the printed tables, and the
 * seeded generator behind generated corpora and pages (so two runs measure the same input).
 */
export { seededRandom } from '../ingest/src/random.ts';

/** Nearest-rank percentile of a sample; NaN for an empty one. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

export function rssMegabytes(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

/** A Markdown table under a title, columns padded to their widest cell. */
export function printTable(
  title: string,
  header: string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
) {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  process.stdout.write(
    `\n${title}\n${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n`,
  );
  for (const row of cells.slice(1)) process.stdout.write(`${line(row)}\n`);
}
