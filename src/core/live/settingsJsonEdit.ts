/**
 * Edits one top-level key of a JSON settings file (Claude Code's `settings.json`) as text in, text out: every other
 * key keeps its value and order, the indentation found in the file is kept (2 spaces when none), the final newline
 * too. A file that does not parse, or whose root is not an object, is refused: the caller leaves it untouched.
 */
export type SettingsEdit<T = unknown> =
  | { ok: true; text: string; previous: T | undefined; changed: boolean }
  | { ok: false; error: string };

export function parseSettingsObject(
  text: string | undefined,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text === undefined || text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `it is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : String(e)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: 'its top level is not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Sets `key` to `value` (undefined removes it). `text` undefined: the file does not exist yet. */
export function setTopLevelKey(text: string | undefined, key: string, value: unknown): SettingsEdit {
  const parsed = parseSettingsObject(text);
  if (!parsed.ok) return parsed;
  const obj = parsed.value;
  const previous = Object.hasOwn(obj, key) ? obj[key] : undefined;
  if (value === undefined) delete obj[key];
  else obj[key] = value; // an existing key keeps its position: JSON.parse keeps insertion order
  const out = `${JSON.stringify(obj, null, indentOf(text))}${text === undefined || text.endsWith('\n') ? '\n' : ''}`;
  return { ok: true, text: out, previous, changed: out !== text };
}

/** The indentation unit of a JSON text: the first indented line's leading whitespace. */
function indentOf(text: string | undefined): string | number {
  const m = text ? /\n([ \t]+)\S/.exec(text) : null;
  return m ? m[1]! : 2;
}
