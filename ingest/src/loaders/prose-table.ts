import { normaliseInline } from './prose-text.ts';

/**
 * A table as lines a person (and a search index) can read out of context: with a header row,
 * each row becomes `Header: value; Header: value`, so a chunk holding one row still says what
 * its numbers are; without one, the cells are joined by ` | `. Empty cells are left out.
 */
export function renderTable(
  header: readonly string[] | undefined,
  rows: readonly (readonly string[])[],
): string {
  const names = header?.map(normaliseInline);
  const hasHeader = names?.some((name) => name !== '') === true;
  const lines: string[] = [];
  for (const row of rows) {
    const cells = row.map(normaliseInline);
    if (cells.every((cell) => cell === '')) continue;
    if (names && hasHeader) {
      const pairs = cells.flatMap((cell, index) => {
        if (cell === '') return [];
        const name = names[index] ?? '';
        return [name ? `${name}: ${cell}` : cell];
      });
      lines.push(pairs.join('; '));
    } else {
      lines.push(cells.filter((cell) => cell !== '').join(' | '));
    }
  }
  return lines.join('\n');
}
