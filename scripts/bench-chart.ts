/**
 * Line charts for `pnpm bench …` output: one small SVG per metric, both axes logarithmic (the
 * benches grow sizes tenfold), one line per series. Written to `.bench-data/` (gitignored); the
 * printed tables stay the record.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COLORS = ['#2563eb', '#f97316', '#16a34a', '#9333ea'];

export interface ChartPanel {
  title: string;
  unit: string;
  series: ReadonlyArray<{ name: string; points: ReadonlyArray<{ x: number; y: number }> }>;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function decades(minimum: number, maximum: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(minimum)); exponent <= Math.ceil(Math.log10(maximum)); exponent++)
    ticks.push(10 ** exponent);
  return ticks;
}

function format(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1_000) return `${value / 1_000}k`;
  return value >= 1 ? String(value) : value.toPrecision(1);
}

function panelSvg(panel: ChartPanel, offsetX: number, xLabel: string): string {
  const width = 300;
  const height = 220;
  const left = 46;
  const top = 28;
  const plotWidth = width - left - 12;
  const plotHeight = height - top - 40;
  const points = panel.series.flatMap((series) => series.points).filter((point) => point.y > 0);
  if (points.length === 0) return '';
  const xTicks = decades(
    Math.min(...points.map((point) => point.x)),
    Math.max(...points.map((point) => point.x)),
  );
  const yTicks = decades(
    Math.min(...points.map((point) => point.y)),
    Math.max(...points.map((point) => point.y)),
  );
  const scale = (value: number, ticks: number[], span: number) =>
    ((Math.log10(value) - Math.log10(ticks[0]!)) / (Math.log10(ticks.at(-1)!) - Math.log10(ticks[0]!) || 1)) *
    span;
  const x = (value: number) => offsetX + left + scale(value, xTicks, plotWidth);
  const y = (value: number) => top + plotHeight - scale(value, yTicks, plotHeight);
  const parts = [
    `<text x="${offsetX + left}" y="16" font-size="12" font-weight="600" fill="#111827">${escapeXml(panel.title)} (${escapeXml(panel.unit)})</text>`,
  ];
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${offsetX + left}" x2="${offsetX + left + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`,
      `<text x="${offsetX + left - 4}" y="${y(tick) + 3}" font-size="9" text-anchor="end" fill="#6b7280">${format(tick)}</text>`,
    );
  }
  for (const tick of xTicks) {
    parts.push(
      `<text x="${x(tick)}" y="${top + plotHeight + 14}" font-size="9" text-anchor="middle" fill="#6b7280">${format(tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${offsetX + left + plotWidth / 2}" y="${height - 8}" font-size="10" text-anchor="middle" fill="#374151">${escapeXml(xLabel)}</text>`,
  );
  panel.series.forEach((series, index) => {
    const color = COLORS[index % COLORS.length]!;
    const drawn = series.points.filter((point) => point.y > 0);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${drawn.map((point) => `${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const point of drawn)
      parts.push(
        `<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(series.name)}: ${point.y} ${escapeXml(panel.unit)} at ${point.x}</title></circle>`,
      );
  });
  return parts.join('');
}

/** Panels side by side with one legend; returns the SVG text. */
export function panelsSvg(panels: readonly ChartPanel[], xLabel: string): string {
  const width = 300 * panels.length;
  const names = [...new Set(panels.flatMap((panel) => panel.series.map((series) => series.name)))];
  const legend = names
    .map(
      (name, index) =>
        `<rect x="${10 + index * 180}" y="232" width="10" height="10" fill="${COLORS[index % COLORS.length]}"/><text x="${24 + index * 180}" y="241" font-size="11" fill="#111827">${escapeXml(name)}</text>`,
    )
    .join('');
  const body = panels.map((panel, index) => panelSvg(panel, index * 300, xLabel)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="252" viewBox="0 0 ${width} 252" role="img" font-family="sans-serif">${body}${legend}</svg>`;
}

/** Where bench charts go: `<repository>/.bench-data/` (gitignored). */
export const BENCH_OUTPUT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '.bench-data',
);

export function writeChart(fileName: string, svg: string): string {
  mkdirSync(BENCH_OUTPUT_DIR, { recursive: true });
  const file = path.join(BENCH_OUTPUT_DIR, fileName);
  writeFileSync(file, svg);
  return file;
}
