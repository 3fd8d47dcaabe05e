import { isUtf8 } from 'node:buffer';
import { IGNORED_TYPES, recordSchemaFor, type TranscriptRecord } from './records';

export type ParseOutcome =
  | { kind: 'record'; record: TranscriptRecord; invalidUtf8: boolean }
  | { kind: 'ignored'; type: string }
  /** `reason` is a stable key for the skipped-lines histogram. */
  | { kind: 'skipped'; reason: string; detail?: string };

/**
 * One line → one outcome; never throws. Invalid UTF-8 is decoded with U+FFFD replacement (and flagged) rather
 * than dropped, because the rest of the line (ids, usage) is usually fine.
 */
export function parseLine(bytes: Buffer): ParseOutcome {
  const quick = ignoredTypeOf(bytes);
  if (quick) return { kind: 'ignored', type: quick };
  const invalidUtf8 = !isUtf8(bytes);
  const text = bytes.toString('utf8');
  return parseText(text, invalidUtf8);
}

export function parseText(text: string, invalidUtf8 = false): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { kind: 'skipped', reason: 'invalid_json', detail: e instanceof Error ? e.message : String(e) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'skipped', reason: 'not_an_object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'skipped', reason: 'no_type' };
  const schema = recordSchemaFor(type);
  if (!schema) {
    if (IGNORED_TYPES.has(type)) return { kind: 'ignored', type };
    return { kind: 'skipped', reason: `unknown_type:${type.slice(0, 40)}` };
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return {
      kind: 'skipped',
      reason: `schema:${type}`,
      detail: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined,
    };
  }
  return { kind: 'record', record: r.data, invalidUtf8 };
}

const TYPE_KEY = Buffer.from('"type":"');
const QUOTE = 0x22;

/**
 * Most bytes of a transcript are records we do not keep (api-request copies, attachments, snapshots).
 * A raw `"type":"…"` can only be a real key (quotes inside JSON strings are escaped), so if a line's
 * type values include a known-ignored type and none of the types we parse, the line is ignored without
 * JSON.parse. Anything else (or doubt) goes through the full parser.
 */
export function ignoredTypeOf(bytes: Buffer): string | undefined {
  let ignored: string | undefined;
  let at = bytes.indexOf(TYPE_KEY);
  while (at !== -1) {
    const start = at + TYPE_KEY.length;
    const end = bytes.indexOf(QUOTE, start);
    if (end === -1 || end - start > 40) return undefined;
    const value = bytes.toString('latin1', start, end);
    if (recordSchemaFor(value)) return undefined;
    if (ignored === undefined && IGNORED_TYPES.has(value)) ignored = value;
    at = bytes.indexOf(TYPE_KEY, end);
  }
  return ignored;
}
