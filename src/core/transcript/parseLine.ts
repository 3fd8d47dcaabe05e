import { isUtf8 } from 'node:buffer';
import { IGNORED_TYPES, RECORD_SCHEMAS, type TranscriptRecord } from './records';

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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'skipped', reason: 'not_an_object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'skipped', reason: 'no_type' };
  const schema = RECORD_SCHEMAS[type];
  if (!schema) {
    if (IGNORED_TYPES.has(type)) return { kind: 'ignored', type };
    return { kind: 'skipped', reason: `unknown_type:${type.slice(0, 40)}` };
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { kind: 'skipped', reason: `schema:${type}`, detail: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined };
  }
  return { kind: 'record', record: r.data, invalidUtf8 };
}
