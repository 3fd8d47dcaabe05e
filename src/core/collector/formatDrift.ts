/**
 * Format drift: lines ingest could not read because Claude Code's format moved (a record type it does not know, a
 * record missing a field ingest needs), as opposed to damaged lines (invalid JSON, oversized). Each is counted by
 * reason and by the Claude Code version that wrote it (the line's `version`), with a few byte offsets kept as a
 * sample (positions only, never text: "Save Drift Sample" re-reads and masks the lines when the user asks).
 */
export interface DriftSighting {
  reason: string;
  /** The writer's Claude Code version as a version string, or `unknown` (absent, or not version-shaped). */
  version: string;
  count: number;
  /** Byte offsets of the first lines seen (at most DRIFT_OFFSETS_PER_CHUNK). */
  offsets: number[];
}

/** Offsets kept per reason and version in one chunk; the store keeps at most DRIFT_SAMPLES_KEPT overall. */
export const DRIFT_OFFSETS_PER_CHUNK = 3;
export const DRIFT_SAMPLES_KEPT = 5;

/** Reasons that mean "the format changed" (parseLine.ts and the normalizer's counts). */
export function isDriftReason(reason: string): boolean {
  return (
    reason.startsWith('unknown_type:') ||
    reason.startsWith('schema:') ||
    reason === 'no_type' ||
    reason === 'no_session' ||
    reason === 'assistant_without_message_id'
  );
}

const VERSION = /^\d{1,4}(?:\.\d{1,6}){1,3}(?:[-+][0-9A-Za-z.-]{1,24})?$/;

/** A line's `version` when it looks like one (a version is shown and stored; anything else may be any text). */
export function driftVersion(v: unknown): string {
  return typeof v === 'string' && VERSION.test(v) ? v : 'unknown';
}

/** Counts drift sightings of one chunk of one file. */
export class DriftTally {
  private readonly by = new Map<string, DriftSighting>();

  note(reason: string, version: string, offset: number): void {
    const k = `${reason}\u0000${version}`;
    let s = this.by.get(k);
    if (!s) {
      s = { reason, version, count: 0, offsets: [] };
      this.by.set(k, s);
    }
    s.count++;
    if (s.offsets.length < DRIFT_OFFSETS_PER_CHUNK) s.offsets.push(offset);
  }

  take(): DriftSighting[] {
    const out = [...this.by.values()];
    this.by.clear();
    return out;
  }
}
