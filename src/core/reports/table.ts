/** Aligned plain-text tables for human CLI output (machine output is --json, never cut). */
export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Longest cell in terminal columns; a longer one is cut with '…' (its start for paths: `cut: 'start'`). */
  maxWidth?: number;
  cut?: 'start' | 'end';
  /** Shrunk (not below its header, nor 8 columns) when the table is wider than `TableOptions.width`. */
  flexible?: boolean;
  /** Left out when the table does not fit `TableOptions.width` even with flexible columns shrunk; 1 goes first. */
  dropOrder?: number;
}

export interface TableOptions {
  /** Fit the table into this many terminal columns (a TTY's width) by shrinking the flexible columns. */
  width?: number;
}

const GAP = 2;
const MIN_FLEX = 8;

const ASCII = /^[\x20-\x7e]*$/;
let stringWidth: ((s: string) => number) | undefined;

/**
 * Terminal columns a string takes: CJK and emoji are two wide (string-width, which follows Unicode's tables).
 * string-width is loaded on the first non-ASCII cell: its set-up costs ~30 ms of a 60 ms `cct sessions`.
 */
export function displayWidth(s: string): number {
  if (ASCII.test(s)) return s.length;
  stringWidth ??= (require('string-width') as { default: (s: string) => number }).default;
  return stringWidth(s);
}

/** `s` cut to at most `width` terminal columns, '…' marking where (whole graphemes only). */
export function truncateToWidth(s: string, width: number, cut: 'start' | 'end' = 'end'): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  const graphemes = ASCII.test(s) ? [...s] : [...new Intl.Segmenter().segment(s)].map((g) => g.segment);
  if (cut === 'start') graphemes.reverse();
  const kept: string[] = [];
  let used = 1; // the ellipsis
  for (const g of graphemes) {
    const w = displayWidth(g);
    if (used + w > width) break;
    kept.push(g);
    used += w;
  }
  return cut === 'start' ? `…${kept.reverse().join('')}` : `${kept.join('')}…`;
}

export function renderTable(
  allColumns: readonly Column[],
  allRows: readonly (readonly string[])[],
  allFooter?: readonly string[],
  opts: TableOptions = {},
): string {
  const natural = allColumns.map((c, i) => {
    const w = Math.max(
      displayWidth(c.header),
      ...[...allRows, ...(allFooter ? [allFooter] : [])].map((r) => displayWidth(r[i] ?? '')),
    );
    return c.maxWidth === undefined ? w : Math.min(w, Math.max(c.maxWidth, displayWidth(c.header)));
  });
  const keep = opts.width === undefined ? allColumns.map((_, i) => i) : columnsThatFit(allColumns, natural, opts.width);
  const columns = keep.map((i) => allColumns[i]!);
  const widths = keep.map((i) => natural[i]!);
  const pick = (r: readonly string[]) => keep.map((i) => r[i] ?? '');
  if (opts.width !== undefined) shrinkToFit(columns, widths, opts.width);
  const fmt = (cells: readonly string[]) =>
    cells
      .map((raw, i) => {
        const cell = truncateToWidth(raw, widths[i]!, columns[i]?.cut);
        const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell)));
        return columns[i]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP));
  const lines = [fmt(columns.map((c) => c.header)), rule, ...allRows.map((r) => fmt(pick(r)))];
  if (allFooter) lines.push(rule, fmt(pick(allFooter)));
  const hidden = allColumns.filter((_, i) => !keep.includes(i)).map((c) => c.header);
  if (hidden.length) lines.push(truncateToWidth(`(hidden to fit the terminal: ${hidden.join(', ')})`, opts.width!));
  return `${lines.join('\n')}\n`;
}

const minWidth = (c: Column, natural: number) =>
  c.flexible ? Math.min(natural, Math.max(MIN_FLEX, displayWidth(c.header))) : natural;

/** Indexes of the columns kept: droppable ones go, in dropOrder, while the rest cannot fit `target` even shrunk. */
function columnsThatFit(columns: readonly Column[], natural: readonly number[], target: number): number[] {
  const keep = columns.map((_, i) => i);
  const droppable = keep
    .filter((i) => columns[i]!.dropOrder !== undefined)
    .sort((a, b) => columns[a]!.dropOrder! - columns[b]!.dropOrder!);
  const least = () => keep.reduce((a, i) => a + minWidth(columns[i]!, natural[i]!), 0) + GAP * (keep.length - 1);
  for (const d of droppable) {
    if (least() <= target) break;
    keep.splice(keep.indexOf(d), 1);
  }
  return keep;
}

/** Takes the excess from the flexible columns, widest first, each down to max(header, MIN_FLEX). */
function shrinkToFit(columns: readonly Column[], widths: number[], target: number): void {
  let excess = widths.reduce((a, w) => a + w, 0) + GAP * (widths.length - 1) - target;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      if (!columns[i]!.flexible || widths[i]! <= Math.max(MIN_FLEX, displayWidth(columns[i]!.header))) continue;
      if (widest < 0 || widths[i]! > widths[widest]!) widest = i;
    }
    if (widest < 0) return; // numbers are never cut: the table stays wider than the terminal
    widths[widest]!--;
    excess--;
  }
}

/**
 * A models cell: short names (`claude-opus-4-5-20251101` → `opus-4-5`), at most `max` of them, then "+N more".
 * The full list stays in --json.
 */
export function fmtModels(models: readonly string[], max = 2): string {
  const short = [...new Set(models.map((m) => m.replace(/^claude-/, '').replace(/-\d{8}$/, '')))];
  const shown = short.slice(0, max).join(', ');
  return short.length > max ? `${shown} +${short.length - max} more` : shown;
}

export const fmtInt = (n: number): string => n.toLocaleString('en-US');
export const fmtUsd = (n: number | null, unpriced = false): string =>
  n === null ? 'unpriced' : `$${n.toFixed(2)}${unpriced ? '*' : ''}`;
