import * as fs from 'node:fs';
import type { FileCursor, FileTailer, TailResult } from '../../core/collector/ports';
import { LineSplitter, type LineSplitterOptions, type SplitLine } from '../../core/transcript/lineSplitter';

export interface TailerOptions extends LineSplitterOptions {
  chunkBytes?: number;
}

/**
 * Reads only the bytes after a cursor, in fixed-size chunks through one reused buffer (a file is never one
 * string). File identity is (dev, ino): a different inode means the file was replaced, a size below the
 * cursor means it was truncated in place (the CLI does that after a stream error) — both re-read from 0,
 * which is safe because every store write is an upsert.
 */
export class NodeFileTailer implements FileTailer {
  private readonly chunkBytes: number;
  private readonly buf: Buffer;

  constructor(private readonly opts: TailerOptions = {}) {
    this.chunkBytes = opts.chunkBytes ?? 1024 * 1024;
    this.buf = Buffer.allocUnsafe(this.chunkBytes);
  }

  async read(
    path: string,
    cursor: FileCursor | undefined,
    onLine: (line: SplitLine) => void,
    onChunkDone: (cursorSoFar: FileCursor) => void | Promise<void>,
  ): Promise<TailResult> {
    // Synchronous I/O on purpose: the tailer runs in the scan worker or the CLI, where each awaited
    // open/fstat/read/close was a thread-pool round trip (~0.4 s of a 600-file cold scan).
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return {
          cursor: cursor ?? { path, dev: '0', ino: '0', offset: 0, size: 0, mtimeMs: 0 },
          bytesRead: 0,
          change: 'missing',
          carried: 0,
        };
      }
      throw e;
    }
    try {
      // fstat on the open descriptor: the identity and size we read are those of the file we actually hold.
      const st = fs.fstatSync(fd, { bigint: true });
      const dev = String(st.dev);
      const ino = String(st.ino);
      const size = Number(st.size);
      const mtimeMs = Number(st.mtimeMs);
      let change: TailResult['change'];
      let start: number;
      if (!cursor) {
        change = 'new';
        start = 0;
      } else if (cursor.dev !== dev || cursor.ino !== ino) {
        change = 'replaced';
        start = 0;
      } else if (size < cursor.offset) {
        change = 'truncated';
        start = 0;
      } else if (size === cursor.size && mtimeMs === cursor.mtimeMs) {
        return { cursor, bytesRead: 0, change: 'unchanged', carried: size - cursor.offset };
      } else {
        change = 'append';
        start = cursor.offset;
      }
      const splitter = new LineSplitter(start, this.opts);
      let pos = start;
      let bytesRead = 0;
      // Read up to the size seen at stat time; bytes appended meanwhile are picked up next time.
      while (pos < size) {
        const want = Math.min(this.chunkBytes, size - pos);
        const n = fs.readSync(fd, this.buf, 0, want, pos);
        if (n === 0) break;
        pos += n;
        bytesRead += n;
        splitter.push(this.buf.subarray(0, n), onLine);
        // Awaited: a consumer in another thread applies back-pressure here.
        await onChunkDone({ path, dev, ino, offset: splitter.completeEnd, size, mtimeMs });
      }
      const final: FileCursor = { path, dev, ino, offset: splitter.completeEnd, size, mtimeMs };
      if (bytesRead === 0) await onChunkDone(final);
      return { cursor: final, bytesRead, change, carried: splitter.carriedBytes };
    } finally {
      fs.closeSync(fd);
    }
  }
}
