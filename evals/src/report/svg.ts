/** Small inline SVG charts for the HTML report: no scripts, no external files. */

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const COLORS = ['#2563eb', '#f97316', '#16a34a', '#9333ea'];

/**
 * Vertical bars: one group per bin, one bar per series (two series side by side when comparing).
 * Heights are shares of each series' total, so runs of different sizes compare.
 */
export function histogramSvg(
  bins: readonly string[],
  series: ReadonlyArray<{ name: string; counts: readonly number[] }>,
): string {
  const width = 560;
  const height = 200;
  const top = 16;
  const bottom = 40;
  const left = 36;
  const plotHeight = height - top - bottom;
  const groupWidth = (width - left - 8) / Math.max(bins.length, 1);
  const barWidth = Math.max(2, (groupWidth - 6) / Math.max(series.length, 1));
  const shares = series.map((entry) => {
    const total = entry.counts.reduce((sum, count) => sum + count, 0) || 1;
    return entry.counts.map((count) => count / total);
  });
  const maximum = Math.max(0.01, ...shares.flat());
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (maximum * tick) / 4;
    const y = top + plotHeight - (plotHeight * tick) / 4;
    parts.push(`<line x1="${left}" x2="${width - 4}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${left - 4}" y="${y + 4}" font-size="10" text-anchor="end" fill="#6b7280">${Math.round(value * 100)}%</text>`,
    );
  }
  bins.forEach((bin, binIndex) => {
    const x0 = left + binIndex * groupWidth + 3;
    series.forEach((entry, seriesIndex) => {
      const share = shares[seriesIndex]![binIndex] ?? 0;
      const barHeight = (plotHeight * share) / maximum;
      const count = entry.counts[binIndex] ?? 0;
      parts.push(
        `<rect x="${(x0 + seriesIndex * barWidth).toFixed(1)}" y="${(top + plotHeight - barHeight).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${COLORS[seriesIndex % COLORS.length]}"><title>${escapeHtml(entry.name)} · ${escapeHtml(bin)}: ${count} (${(share * 100).toFixed(1)}%)</title></rect>`,
      );
    });
    parts.push(
      `<text x="${(x0 + (groupWidth - 6) / 2).toFixed(1)}" y="${height - bottom + 14}" font-size="10" text-anchor="middle" fill="#374151">${escapeHtml(bin)}</text>`,
    );
  });
  const legend = series
    .map(
      (entry, index) =>
        `<rect x="${left + index * 150}" y="${height - 14}" width="10" height="10" fill="${COLORS[index % COLORS.length]}"/><text x="${left + index * 150 + 14}" y="${height - 5}" font-size="11" fill="#374151">${escapeHtml(entry.name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join('')}${legend}</svg>`;
}

/**
 * Horizontal bars of one metric per group (topic), 0…1, one bar per series.
 */
export function groupBarsSvg(
  groups: ReadonlyArray<{ name: string; values: ReadonlyArray<number | undefined>; n: number }>,
  seriesNames: readonly string[],
  metric: string,
): string {
  const rowHeight = 14 * Math.max(1, seriesNames.length) + 8;
  const labelWidth = 320;
  const barSpace = 300;
  const width = labelWidth + barSpace + 60;
  const height = groups.length * rowHeight + 30;
  const parts: string[] = [];
  groups.forEach((group, groupIndex) => {
    const y = groupIndex * rowHeight + 4;
    const label = group.name.length > 34 ? `${group.name.slice(0, 33)}…` : group.name;
    parts.push(
      `<text x="${labelWidth - 6}" y="${y + rowHeight / 2}" font-size="11" text-anchor="end" fill="#111827">${escapeHtml(label)} (${group.n})</text>`,
    );
    group.values.forEach((value, seriesIndex) => {
      if (value === undefined) return;
      const barWidth = Math.max(0, Math.min(1, value)) * barSpace;
      const barY = y + seriesIndex * 14;
      parts.push(
        `<rect x="${labelWidth}" y="${barY}" width="${barWidth.toFixed(1)}" height="12" fill="${COLORS[seriesIndex % COLORS.length]}"><title>${escapeHtml(seriesNames[seriesIndex] ?? '')} · ${escapeHtml(group.name)}: ${metric} ${value.toFixed(3)}</title></rect>`,
      );
      parts.push(
        `<text x="${labelWidth + barWidth + 4}" y="${barY + 10}" font-size="10" fill="#374151">${value.toFixed(3)}</text>`,
      );
    });
  });
  const axisY = groups.length * rowHeight + 8;
  for (let tick = 0; tick <= 4; tick++) {
    const x = labelWidth + (barSpace * tick) / 4;
    parts.push(`<line x1="${x}" x2="${x}" y1="0" y2="${axisY}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${x}" y="${axisY + 14}" font-size="10" text-anchor="middle" fill="#6b7280">${(tick / 4).toFixed(2)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join('')}</svg>`;
}

/**
 * A reliability diagram: stated confidence (x) against the share right (y) per confidence bin,
 * one dot per non-empty bin sized by its count, and the diagonal a calibrated model sits on.
 */
export function reliabilitySvg(
  series: ReadonlyArray<{
    name: string;
    bins: ReadonlyArray<{ n: number; confidence: number; accuracy: number }>;
  }>,
): string {
  const size = 240;
  const margin = 32;
  const plot = size - margin - 8;
  const x = (value: number) => margin + value * plot;
  const y = (value: number) => 8 + plot - value * plot;
  const parts: string[] = [
    `<rect x="${margin}" y="8" width="${plot}" height="${plot}" fill="none" stroke="#e5e7eb"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#9ca3af" stroke-dasharray="4 3"/>`,
  ];
  for (const tick of [0, 0.5, 1]) {
    parts.push(`<text x="${x(tick)}" y="${size - 12}" font-size="10" text-anchor="middle">${tick}</text>`);
    parts.push(`<text x="${margin - 4}" y="${y(tick) + 3}" font-size="10" text-anchor="end">${tick}</text>`);
  }
  parts.push(
    `<text x="${margin + plot / 2}" y="${size}" font-size="10" text-anchor="middle">stated confidence</text>`,
  );
  series.forEach((entry, index) => {
    const color = COLORS[index % COLORS.length]!;
    const total = entry.bins.reduce((sum, bin) => sum + bin.n, 0) || 1;
    const points = entry.bins.filter((bin) => bin.n > 0);
    parts.push(
      `<polyline fill="none" stroke="${color}" points="${points.map((bin) => `${x(bin.confidence).toFixed(1)},${y(bin.accuracy).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const bin of points) {
      const radius = 2 + 8 * Math.sqrt(bin.n / total);
      parts.push(
        `<circle cx="${x(bin.confidence).toFixed(1)}" cy="${y(bin.accuracy).toFixed(1)}" r="${radius.toFixed(1)}" fill="${color}" fill-opacity="0.6"><title>${escapeHtml(entry.name)}: ${bin.n} answers, stated ${bin.confidence.toFixed(2)}, right ${bin.accuracy.toFixed(2)}</title></circle>`,
      );
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 4}" role="img" aria-label="reliability diagram">${parts.join('')}</svg>`;
}
