import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Masker } from '../../core/privacy/masker';

/** Where a drifted line was seen (formatDrift.ts in the store keeps these, never the text). */
export interface DriftPosition {
  reason: string;
  version: string;
  path: string;
  offset: number;
}

export interface DriftSampleLine {
  reason: string;
  claudeCodeVersion: string;
  /** The file's name only (its directory is the user's project path). */
  file: string;
  byteOffset: number;
  /** The line, parsed and masked (keys and string values); `text` when it is not JSON (or was cut at the cap). */
  record?: unknown;
  text?: string;
  /** Why the line could not be read back: the file is gone, shorter, or changed at that offset. */
  unavailable?: string;
}

export interface DriftSample {
  kind: 'claude-code-tracer drift sample';
  createdAt: string;
  tracerVersion: string;
  privacyLevel: 'strict';
  counts: { reason: string; claudeCodeVersion: string; count: number }[];
  lines: DriftSampleLine[];
}

/** A sampled line longer than this is cut (and then masked as text). */
const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Re-reads each sampled line from its transcript and masks it with `strict` (a Masker built at the strict level):
 * every string value and every key, so a secret anywhere in a record of a type ingest does not know is masked. The
 * result is what "Save Drift Sample" writes for a bug report.
 */
export function buildDriftSample(
  positions: readonly DriftPosition[],
  counts: readonly { reason: string; version: string; count: number }[],
  strict: Masker,
  tracerVersion: string,
  now = new Date(),
): DriftSample {
  return {
    kind: 'claude-code-tracer drift sample',
    createdAt: now.toISOString(),
    tracerVersion,
    privacyLevel: 'strict',
    counts: counts.map((c) => ({ reason: c.reason, claudeCodeVersion: c.version, count: c.count })),
    lines: positions.map((p) => {
      const base = {
        reason: p.reason,
        claudeCodeVersion: p.version,
        file: path.basename(p.path),
        byteOffset: p.offset,
      };
      const line = readLineAt(p.path, p.offset);
      if (typeof line !== 'string') return { ...base, unavailable: line.unavailable };
      try {
        return { ...base, record: maskDeep(JSON.parse(line), strict) };
      } catch {
        return { ...base, text: strict.maskText(line).text };
      }
    }),
  };
}

/** Writes the sample (0600: masked, but still the user's transcript). */
export function writeDriftSample(file: string, sample: DriftSample): void {
  writeFileSync(file, `${JSON.stringify(sample, null, 2)}\n`, { mode: 0o600 });
}

function maskDeep(v: unknown, m: Masker): unknown {
  if (typeof v === 'string') return m.maskText(v).text;
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, m));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [m.maskText(k).text, maskDeep(x, m)]));
  return v;
}

/** The line starting at `offset` (which must be a line start), without its newline. */
function readLineAt(file: string, offset: number): string | { unavailable: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return { unavailable: (e as { code?: string }).code ?? 'unreadable' };
  }
  try {
    if (offset > 0) {
      const prev = Buffer.alloc(1);
      if (readSync(fd, prev, 0, 1, offset - 1) !== 1 || prev[0] !== 0x0a)
        return { unavailable: 'the file changed at this offset' };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let at = offset;
    const buf = Buffer.alloc(64 * 1024);
    while (total < MAX_LINE_BYTES) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      const part = Buffer.from(buf.subarray(0, nl === -1 ? n : nl));
      chunks.push(part);
      total += part.length;
      at += n;
      if (nl !== -1) break;
    }
    if (total === 0) return { unavailable: 'the file is shorter now' };
    return Buffer.concat(chunks).subarray(0, MAX_LINE_BYTES).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
