import type { EvalResult } from '../result.ts';
import { thresholdDirection } from '../result.ts';
import { escapeHtml, groupBarsSvg, histogramSvg, reliabilitySvg } from './svg.ts';
import { formatValue } from './table.ts';

/**
 * A self-contained HTML report: one section per suite with its metrics against thresholds, a
 * per-topic (per-label) breakdown chart, score distributions and the failing cases. Given two
 * runs (prompt v1 vs v2, offline vs Claude, before vs after an FAQ edit) every table and chart
 * shows them side by side, with the difference.
 */
export interface ReportRun {
  label: string;
  results: readonly EvalResult[];
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#111827;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}h3{font-size:14px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #e5e7eb;padding:3px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:600}
.up{color:#15803d}.down{color:#b91c1c}.muted{color:#6b7280}.charts{display:flex;flex-wrap:wrap;gap:16px}
details{margin:8px 0}pre{white-space:pre-wrap;margin:0;font:12px/1.4 ui-monospace,monospace}`;

function verdict(result: EvalResult | undefined): string {
  if (!result) return '<span class="muted">—</span>';
  return result.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>';
}

function delta(metric: string, before: number | undefined, after: number | undefined): string {
  if (before === undefined || after === undefined) return '';
  const difference = after - before;
  if (Math.abs(difference) < 1e-9) return '<span class="muted">0</span>';
  const better = thresholdDirection(metric) === 'min' ? difference > 0 : difference < 0;
  const sign = difference > 0 ? '+' : '−';
  return `<span class="${better ? 'up' : 'down'}">${sign}${formatValue(metric, Math.abs(difference))}</span>`;
}

function metricsTable(runs: readonly ReportRun[], results: ReadonlyArray<EvalResult | undefined>): string {
  const names = [
    ...new Set(
      results.flatMap((result) =>
        result ? [...Object.keys(result.metrics), ...Object.keys(result.thresholds)] : [],
      ),
    ),
  ];
  const thresholds = results.find(Boolean)?.thresholds ?? {};
  const head = `<tr><th>metric</th>${runs.map((run) => `<th>${escapeHtml(run.label)}</th>`).join('')}${runs.length === 2 ? '<th>Δ</th>' : ''}<th>threshold</th></tr>`;
  const rows = names.map((name) => {
    const values = results.map((result) => result?.metrics[name]);
    const threshold = thresholds[name];
    const cells = values.map((value) => `<td class="num">${formatValue(name, value)}</td>`).join('');
    const change = runs.length === 2 ? `<td class="num">${delta(name, values[0], values[1])}</td>` : '';
    const limit =
      threshold === undefined
        ? ''
        : `${thresholdDirection(name) === 'min' ? '≥' : '≤'} ${formatValue(name, threshold)}`;
    return `<tr><td>${escapeHtml(name)}</td>${cells}${change}<td class="num">${limit}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

function breakdownSection(
  runs: readonly ReportRun[],
  results: ReadonlyArray<EvalResult | undefined>,
): string {
  const first = results.find((result) => result?.details.breakdown)?.details.breakdown;
  if (!first || first.groups.length === 0) return '';
  const metric =
    Object.keys(first.groups[0]!.metrics).find((name) => ['recall@5', 'accuracy', 'f1'].includes(name)) ??
    Object.keys(first.groups[0]!.metrics)[0]!;
  const groups = first.groups.slice(0, 40).map((group) => ({
    name: group.name,
    n: group.n,
    values: results.map(
      (result) =>
        result?.details.breakdown?.groups.find((other) => other.name === group.name)?.metrics[metric],
    ),
  }));
  const more =
    first.groups.length > 40
      ? `<p class="muted">${first.groups.length - 40} smaller groups not drawn.</p>`
      : '';
  return `<h3>${escapeHtml(metric)} by ${escapeHtml(first.field)}</h3>${groupBarsSvg(
    groups,
    runs.map((run) => run.label),
    metric,
  )}${more}`;
}

function distributionSection(
  runs: readonly ReportRun[],
  results: ReadonlyArray<EvalResult | undefined>,
): string {
  const first = results.find(Boolean);
  if (!first) return '';
  const charts = first.details.distributions.map((distribution) => {
    const series = results.flatMap((result, index) => {
      const own = result?.details.distributions.find((other) => other.name === distribution.name);
      return own ? [{ name: runs[index]!.label, counts: own.bins.map((bin) => bin.count) }] : [];
    });
    return `<div><h3>${escapeHtml(distribution.name)}</h3>${histogramSvg(
      distribution.bins.map((bin) => bin.label),
      series,
    )}</div>`;
  });
  return `<div class="charts">${charts.join('')}</div>`;
}

function reliabilitySection(
  runs: readonly ReportRun[],
  results: ReadonlyArray<EvalResult | undefined>,
): string {
  const series = results.flatMap((result, index) =>
    result?.details.reliability ? [{ name: runs[index]!.label, bins: result.details.reliability }] : [],
  );
  if (series.length === 0) return '';
  return `<h3>reliability: stated confidence against share right (the diagonal is perfect calibration)</h3>${reliabilitySvg(series)}`;
}

function failuresSection(runs: readonly ReportRun[], results: ReadonlyArray<EvalResult | undefined>): string {
  return results
    .map((result, index) => {
      if (!result || result.failures.length === 0) return '';
      const rows = result.failures
        .map(
          (failure) =>
            `<tr><td>${escapeHtml(failure.id)}</td><td>${escapeHtml(failure.input ?? '')}</td><td><pre>${escapeHtml(JSON.stringify(failure.expected, null, 1))}</pre></td><td><pre>${escapeHtml(JSON.stringify(failure.got, null, 1))}</pre></td></tr>`,
        )
        .join('');
      return `<details><summary>${escapeHtml(runs[index]!.label)}: first ${result.failures.length} failing cases</summary><table><tr><th>id</th><th>input</th><th>expected</th><th>got</th></tr>${rows}</table></details>`;
    })
    .join('');
}

function confusionSection(
  runs: readonly ReportRun[],
  results: ReadonlyArray<EvalResult | undefined>,
): string {
  return results
    .map((result, index) => {
      const confusions = result?.details.confusions;
      if (!confusions?.length) return '';
      const rows = confusions
        .map(
          (entry) =>
            `<tr><td>${escapeHtml(entry.gold)}</td><td>${escapeHtml(entry.predicted)}</td><td class="num">${entry.count}</td></tr>`,
        )
        .join('');
      return `<details><summary>${escapeHtml(runs[index]!.label)}: most frequent confusions</summary><table><tr><th>gold</th><th>predicted</th><th>cases</th></tr>${rows}</table></details>`;
    })
    .join('');
}

export function renderReport(runs: readonly ReportRun[]): string {
  // Two runs get a Δ column; three or four (engines side by side) are columns without one.
  if (runs.length === 0 || runs.length > 4) throw new Error('a report shows one to four runs');
  const suiteIds = [...new Set(runs.flatMap((run) => run.results.map((result) => result.suite)))];
  const overview = `<table><tr><th>suite</th><th>task</th>${runs.map((run) => `<th>${escapeHtml(run.label)}</th>`).join('')}</tr>${suiteIds
    .map((id) => {
      const results = runs.map((run) => run.results.find((result) => result.suite === id));
      const task = results.find(Boolean)?.task ?? '';
      return `<tr><td><a href="#${escapeHtml(id)}">${escapeHtml(id)}</a></td><td>${task}</td>${results.map((result) => `<td>${verdict(result)}${result ? ` <span class="muted">n=${result.n}</span>` : ''}</td>`).join('')}</tr>`;
    })
    .join('')}</table>`;
  const sections = suiteIds.map((id) => {
    const results = runs.map((run) => run.results.find((result) => result.suite === id));
    const first = results.find(Boolean)!;
    const notes = results
      .map((result, index) =>
        result
          ? `<p class="muted">${escapeHtml(runs[index]!.label)}: ${escapeHtml(result.engine)} · ${result.details.seconds} s · ${escapeHtml(result.details.notes.join(' · '))}</p>`
          : '',
      )
      .join('');
    return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(id)} — ${escapeHtml(first.details.title)}</h2>${notes}${metricsTable(runs, results)}${breakdownSection(runs, results)}${distributionSection(runs, results)}${reliabilitySection(runs, results)}${confusionSection(runs, results)}${failuresSection(runs, results)}</section>`;
  });
  const title =
    runs.length === 1
      ? `Naparnik evals: ${runs[0]!.label}`
      : `Naparnik evals: ${runs.map((run) => run.label).join(' vs ')}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${overview}${sections.join('')}</body></html>\n`;
}
