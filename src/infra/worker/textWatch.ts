/**
 * The scan worker's watchdog, shared-memory half. The worker publishes, in a SharedArrayBuffer slot, the text it is
 * masking (a fingerprint, its length) and when the host should give up on it; the host polls the slots and
 * terminates a worker whose text is past its deadline (a regex stuck in one execution never returns to the event
 * loop, so the worker cannot report it itself). The next worker skips that text: [REDACTED:unscanned].
 */
import type { TextWatch } from '../../core/privacy';

/** Slot fields (Float64): deadline (epoch ms, 0 = idle), fingerprint high, fingerprint low, text length. */
const FIELDS = 4;
/** Slot 0: the scan worker's own masker; slot 1: its nested parse worker's (parallel scans). */
export const WATCH_SLOTS = 2;

/** Watchdog settings; a deadline is base + perMb per MiB of the text (well past the guard's own time budget). */
export interface WatchConfig {
  buffer: SharedArrayBuffer;
  slot: number;
  baseMs: number;
  perMbMs: number;
  /** Fingerprints of texts that stopped an earlier worker: not scanned again. */
  skip: string[];
}

export const DEFAULT_WATCHDOG = { baseMs: 15_000, perMbMs: 2_000 };

export function createWatchBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(WATCH_SLOTS * FIELDS * Float64Array.BYTES_PER_ELEMENT);
}

/**
 * Identifies a text without reading all of it: its length, and FNV-1a over up to 32 chars at each end and 96
 * evenly spaced ones (every char of a text up to 160). Two texts with the same fingerprint are both skipped after
 * a hang: over-masking, never a leak.
 */
function fingerprintParts(text: string): [number, number] {
  const n = text.length;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ n;
  const mix = (c: number) => {
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  };
  if (n <= 160) for (let i = 0; i < n; i++) mix(text.charCodeAt(i));
  else {
    for (let i = 0; i < 32; i++) mix(text.charCodeAt(i));
    for (let i = n - 32; i < n; i++) mix(text.charCodeAt(i));
    const step = (n - 64) / 96;
    for (let k = 0; k < 96; k++) mix(text.charCodeAt(32 + Math.floor(k * step)));
  }
  return [h1 >>> 0, h2 >>> 0];
}

export function textFingerprint(text: string): string {
  const [a, b] = fingerprintParts(text);
  return `${text.length}:${a.toString(16)}:${b.toString(16)}`;
}

/** Worker side: a TextWatch that publishes each text in its slot. */
export class SharedTextWatch implements TextWatch {
  private readonly view: Float64Array;
  private readonly at: number;
  private readonly skip: ReadonlySet<string>;

  constructor(private readonly config: WatchConfig) {
    this.view = new Float64Array(config.buffer);
    this.at = config.slot * FIELDS;
    this.skip = new Set(config.skip);
  }

  begin(text: string): boolean {
    const [a, b] = fingerprintParts(text);
    if (this.skip.size && this.skip.has(`${text.length}:${a.toString(16)}:${b.toString(16)}`)) return true;
    const v = this.view;
    v[this.at + 1] = a;
    v[this.at + 2] = b;
    v[this.at + 3] = text.length;
    // the deadline last: the host reads a slot only once its deadline is set and past
    v[this.at] = Date.now() + this.config.baseMs + (text.length / 1_048_576) * this.config.perMbMs;
    return false;
  }

  end(): void {
    this.view[this.at] = 0;
  }
}

/** Host side: the slot whose text is past its deadline, if any. */
export function expiredSlot(buffer: SharedArrayBuffer, now: number): number | undefined {
  const v = new Float64Array(buffer);
  for (let s = 0; s < WATCH_SLOTS; s++) {
    const d = v[s * FIELDS]!;
    if (d > 0 && d < now) return s;
  }
  return undefined;
}

/** Host side, once the worker is terminated: the stuck text of a slot (still past its deadline), and clears it. */
export function takeStuckText(
  buffer: SharedArrayBuffer,
  slot: number,
  now: number,
): { fingerprint: string; length: number } | undefined {
  const v = new Float64Array(buffer);
  const at = slot * FIELDS;
  const d = v[at]!;
  const out =
    d > 0 && d < now
      ? {
          fingerprint: `${v[at + 3]!}:${v[at + 1]!.toString(16)}:${v[at + 2]!.toString(16)}`,
          length: v[at + 3]!,
        }
      : undefined;
  v.fill(0, at, at + FIELDS);
  return out;
}
