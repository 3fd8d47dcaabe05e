import { isUtf8 } from 'node:buffer';
import { IGNORED_TYPES, recordSchemaFor, type TranscriptRecord } from './records';

export type ParseOutcome =
  | { kind: 'record'; record: TranscriptRecord; invalidUtf8: boolean }
  | { kind: 'ignored'; type: string }
  /**
   * `reason` is a stable key for the skipped-lines histogram. Neither it nor `detail` ever holds text of the line
   * (issue 14 §6): both are stored and shown as they are, and the line is exactly what failed to be masked.
   * `version`: the line's `version` field as found (unvalidated: formatDrift.driftVersion checks it), when it parsed.
   */
  | { kind: 'skipped'; reason: string; detail?: string; version?: unknown };

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
    // JSON.parse's message quotes the line (all of a short one): keep its length and the error position only.
    const at = e instanceof Error ? /at position (\d+)/.exec(e.message) : null;
    const length = Buffer.byteLength(text);
    return {
      kind: 'skipped',
      reason: 'invalid_json',
      detail: at ? `${length} bytes, error at character ${at[1]}` : `${length} bytes`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'skipped', reason: 'not_an_object' };
  const { type, version } = value as { type?: unknown; version?: unknown };
  if (typeof type !== 'string') return { kind: 'skipped', reason: 'no_type', version };
  const schema = recordSchemaFor(type);
  if (!schema) {
    if (IGNORED_TYPES.has(type)) return { kind: 'ignored', type };
    return { kind: 'skipped', reason: `unknown_type:${typeNameOrMark(type)}`, version };
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    // The field path (schema keys, indices) and zod's issue code; zod's message may quote the value.
    const issue = r.error.issues[0];
    return {
      kind: 'skipped',
      reason: `schema:${type}`,
      detail: issue ? `${issue.path.map(pathPart).join('.')} ${issue.code}` : undefined,
      version,
    };
  }
  return { kind: 'record', record: r.data, invalidUtf8 };
}

/**
 * Record types are lower-case kebab/snake words under 40 characters (claude-data.md §3.1); anything else in a `type`
 * may be any text the line holds, even a secret, so it is not repeated (the histogram shows `unknown_type:?`).
 * Schema v8 (src/infra/sqlite/migrations.ts) applies the same rule to reasons stored before.
 */
const TYPE_NAME = /^[a-z][a-z0-9_-]{0,38}$/;
export function typeNameOrMark(type: string): string {
  return TYPE_NAME.test(type) ? type : '?';
}

function pathPart(p: PropertyKey): string {
  if (typeof p === 'number') return String(p);
  return typeof p === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(p) ? p : '?';
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
