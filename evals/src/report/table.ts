import type { EvalResult } from '../result.ts';
import { thresholdDirection } from '../result.ts';

/** Pads by code points, so Cyrillic lines up. */
function pad(text: string, width: number, right = false): string {
  const length = [...text].length;
  const fill = ' '.repeat(Math.max(0, width - length));
  return right ? fill + text : text + fill;
}

export function renderTable(
  rows: readonly string[][],
  rightAligned: ReadonlySet<number> = new Set(),
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell].length);
    });
  }
  const lines = rows.map((row) =>
    row
      .map((cell, index) => pad(cell, widths[index]!, rightAligned.has(index)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(
    1,
    0,
    widths
      .map((width) => '─'.repeat(width))
      .join('  ')
      .trimEnd(),
  );
  return lines.join('\n');
}

export function formatValue(metric: string, value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return metric.endsWith('_ms') ? value.toFixed(2) : value.toFixed(4);
}

/** One suite's result as the terminal shows it. */
export function renderResult(result: EvalResult): string {
  const header = `${result.suite} (${result.task}, ${result.engine}) n=${result.n}  ${result.passed ? 'PASS' : 'FAIL'}  ${result.details.seconds}s`;
  const rows: string[][] = [['metric', 'value', 'threshold', '']];
  const names = [...new Set([...Object.keys(result.metrics), ...Object.keys(result.thresholds)])];
  for (const name of names) {
    const threshold = result.thresholds[name];
    const missed = result.details.belowThreshold.some((entry) => entry.metric === name);
    rows.push([
      name,
      formatValue(name, result.metrics[name]),
      threshold === undefined
        ? ''
        : `${thresholdDirection(name) === 'min' ? '≥' : '≤'} ${formatValue(name, threshold)}`,
      threshold === undefined ? '' : missed ? 'FAIL' : 'ok',
    ]);
  }
  const notes = result.details.notes.map((note) => `  · ${note}`).join('\n');
  return `${header}\n${renderTable(rows, new Set([1, 2]))}${notes ? `\n${notes}` : ''}`;
}

/** The gate's closing summary: one line per suite. */
export function renderSummary(
  results: ReadonlyArray<EvalResult | { suite: string; skipped: string }>,
): string {
  const rows: string[][] = [['suite', 'task', 'engine', 'n', 'verdict', 'seconds']];
  for (const result of results) {
    if ('skipped' in result) rows.push([result.suite, '', '', '', `skipped: ${result.skipped}`, '']);
    else {
      rows.push([
        result.suite,
        result.task,
        result.engine,
        String(result.n),
        result.passed
          ? 'pass'
          : `FAIL (${result.details.belowThreshold.map((entry) => `${entry.metric} ${formatValue(entry.metric, entry.value)}`).join(', ')})`,
        String(result.details.seconds),
      ]);
    }
  }
  return renderTable(rows, new Set([3, 5]));
}

/** Several engines' results side by side: per suite, one column per engine. */
export function renderEngines(results: readonly EvalResult[]): string {
  const engines = [...new Set(results.map((result) => result.engine))];
  const suites = [...new Set(results.map((result) => result.suite))];
  return suites
    .map((suite) => {
      const row = engines.map((engine) =>
        results.find((result) => result.suite === suite && result.engine === engine),
      );
      const names = [...new Set(row.flatMap((result) => (result ? Object.keys(result.metrics) : [])))];
      const rows: string[][] = [['metric', ...engines]];
      for (const name of names)
        rows.push([name, ...row.map((result) => formatValue(name, result?.metrics[name]))]);
      rows.push(['verdict', ...row.map((result) => (result ? (result.passed ? 'pass' : 'FAIL') : '—'))]);
      return `${suite}: engines side by side\n${renderTable(rows, new Set(engines.map((_, index) => index + 1)))}`;
    })
    .join('\n\n');
}
