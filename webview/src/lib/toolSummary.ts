/**
 * One-line summaries of a tool call's input (the file it read, the command it ran) and the paths it touched,
 * read from the masked input JSON. Inputs cut short by the host may not parse: then there is no summary.
 */
const PATH_KEYS = ['file_path', 'notebook_path', 'path'];
const SUMMARY_KEYS = [
  'command',
  'file_path',
  'notebook_path',
  'pattern',
  'path',
  'url',
  'query',
  'description',
  'prompt',
];

function parse(input: string | null): Record<string, unknown> | null {
  if (!input) return null;
  try {
    const v: unknown = JSON.parse(input);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function toolSummary(input: string | null): string {
  const o = parse(input);
  if (!o) return '';
  for (const k of SUMMARY_KEYS) {
    const v = o[k];
    if (typeof v === 'string' && v.trim() !== '') return v.replace(/\s+/g, ' ').slice(0, 160);
  }
  return '';
}

/** Absolute paths named by the input (Read / Edit / Write / NotebookEdit ...). */
export function touchedPaths(input: string | null): string[] {
  const o = parse(input);
  if (!o) return [];
  return PATH_KEYS.map((k) => o[k]).filter(
    (v): v is string => typeof v === 'string' && (v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v)),
  );
}

/** Pretty JSON when it parses, the text as is otherwise (a truncated preview). */
export function prettyInput(input: string): string {
  const o = parse(input);
  return o ? JSON.stringify(o, null, 2) : input;
}
