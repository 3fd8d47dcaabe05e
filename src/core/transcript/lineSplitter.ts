/**
 * Splits a byte stream into JSONL lines without ever building one big string.
 * - Works on Buffers; only complete lines (ending in \n) are emitted. The unterminated rest is carried
 *   and `completeEnd` tells the caller where the last complete line ended, so a cursor never points
 *   into the middle of a half-written line.
 * - A line longer than `maxLineBytes` is not kept whole: we keep its first `keepBytes` and last `keepBytes`
 *   (enough to salvage ids and usage, which sit at the start and end of an assistant line) and count it.
 */
export interface SplitLine {
  /** The whole line (without \n / \r\n) — or, for an oversized line, undefined. */
  bytes?: Buffer;
  /** For an oversized line: head and tail slices, plus its full length. */
  oversized?: { head: Buffer; tail: Buffer; length: number };
  /** Byte offset of the first byte of the line in the file. */
  offset: number;
}

export interface LineSplitterOptions {
  maxLineBytes?: number;
  keepBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
const DEFAULT_KEEP_BYTES = 64 * 1024;
const NL = 0x0a;

export class LineSplitter {
  private readonly maxLineBytes: number;
  private readonly keepBytes: number;
  /** Pieces of the current unterminated line (normal mode). */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Oversize mode: head kept, rolling tail kept, total length counted. */
  private overHead: Buffer | undefined;
  private overTail: Buffer = Buffer.alloc(0);
  private overLen = 0;
  private lineStart: number;
  private _completeEnd: number;

  constructor(startOffset: number, opts: LineSplitterOptions = {}) {
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.keepBytes = Math.min(opts.keepBytes ?? DEFAULT_KEEP_BYTES, this.maxLineBytes);
    this.lineStart = startOffset;
    this._completeEnd = startOffset;
  }

  /** Offset just past the last complete line seen: where a cursor may safely resume. */
  get completeEnd(): number {
    return this._completeEnd;
  }

  /** Bytes of an unterminated last line currently carried. */
  get carriedBytes(): number {
    return this.overHead ? this.overLen : this.pendingLen;
  }

  /**
   * Feeds the next chunk (must directly follow the previous one in the file). Emitted `bytes` may be a view
   * into `chunk`: consume them synchronously inside `emit`.
   */
  push(chunk: Buffer, emit: (line: SplitLine) => void): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NL, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (nl !== -1 && this.pendingLen === 0 && !this.overHead && end - pos <= this.maxLineBytes) {
        // Fast path: the whole line is inside this chunk — no copy.
        const offset = this.lineStart;
        const line = stripCr(chunk.subarray(pos, end));
        this.lineStart += end - pos + 1;
        this._completeEnd = this.lineStart;
        if (line.length > 0) emit({ offset, bytes: line });
        pos = nl + 1;
        continue;
      }
      if (end > pos || nl !== -1) this.append(chunk.subarray(pos, end));
      if (nl === -1) break;
      this.finishLine(emit);
      this._completeEnd = this.lineStart;
      pos = nl + 1;
    }
  }

  private append(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.overHead) {
      this.overLen += piece.length;
      this.rollTail(piece);
      return;
    }
    if (this.pendingLen + piece.length > this.maxLineBytes) {
      // Switch to oversize mode: keep the head, then only a rolling tail.
      const all = Buffer.concat([...this.pending, piece]);
      this.overHead = Buffer.from(all.subarray(0, this.keepBytes));
      this.overLen = all.length;
      this.overTail = Buffer.alloc(0);
      this.rollTail(all);
      this.pending = [];
      this.pendingLen = 0;
      return;
    }
    // Copy: the caller's chunk buffer may be reused for the next read.
    this.pending.push(Buffer.from(piece));
    this.pendingLen += piece.length;
  }

  private rollTail(piece: Buffer): void {
    const k = this.keepBytes;
    if (piece.length >= k) this.overTail = Buffer.from(piece.subarray(piece.length - k));
    else {
      const merged = Buffer.concat([this.overTail, piece]);
      this.overTail = merged.length > k ? Buffer.from(merged.subarray(merged.length - k)) : merged;
    }
  }

  private finishLine(emit: (line: SplitLine) => void): void {
    const offset = this.lineStart;
    if (this.overHead) {
      const length = this.overLen;
      emit({ offset, oversized: { head: this.overHead, tail: stripCr(this.overTail), length } });
      this.lineStart += length + 1;
      this.overHead = undefined;
      this.overTail = Buffer.alloc(0);
      this.overLen = 0;
      return;
    }
    const len = this.pendingLen;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, len);
    this.pending = [];
    this.pendingLen = 0;
    this.lineStart += len + 1;
    const line = stripCr(bytes);
    if (line.length > 0) emit({ offset, bytes: line });
  }
}

function stripCr(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
}
