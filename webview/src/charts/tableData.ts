/** A chart's data as a table: what the table alternative shows and what CSV / JSON / copy export. */
export interface TableData {
  columns: string[];
  rows: (string | number | null)[][];
  /** How the on-screen table shows a column's numbers ($1.20, 12%); exports keep the raw numbers. */
  display?: (((n: number) => string) | undefined)[];
}

const csvCell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  // Cells a spreadsheet would run as a formula get a leading quote (CSV injection); quotes, commas, newlines quoted.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** RFC 4180 CSV with a header row and CRLF line ends. */
export function toCsv(t: TableData): string {
  return `${[t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** An array of objects keyed by column name (numbers stay numbers, missing values null). */
export function toJson(t: TableData): string {
  return `${JSON.stringify(
    t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null]))),
    null,
    2,
  )}\n`;
}

/** Tab-separated, for pasting into a spreadsheet or a document. */
export function toTsv(t: TableData): string {
  const cell = (v: string | number | null) => (v === null ? '' : String(v).replace(/[\t\r\n]+/g, ' '));
  return `${[t.columns, ...t.rows].map((r) => r.map(cell).join('\t')).join('\n')}\n`;
}
