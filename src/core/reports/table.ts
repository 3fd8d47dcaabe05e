/** Aligned plain-text tables for human CLI output (machine output is --json). */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  footer?: readonly string[],
): string {
  const all = footer ? [...rows, footer] : rows;
  const widths = columns.map((c, i) => Math.max(c.header.length, ...all.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const lines = [fmt(columns.map((c) => c.header)), rule, ...rows.map(fmt)];
  if (footer) lines.push(rule, fmt(footer));
  return `${lines.join('\n')}\n`;
}

export const fmtInt = (n: number): string => n.toLocaleString('en-US');
export const fmtUsd = (n: number | null, unpriced = false): string =>
  n === null ? 'unpriced' : `$${n.toFixed(2)}${unpriced ? '*' : ''}`;
