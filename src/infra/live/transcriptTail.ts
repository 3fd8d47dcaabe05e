import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LiveSessionStats, type LiveStatsSnapshot } from '../../core/live/liveSessionStats';
import type { PriceTable } from '../../core/pricing/priceTable';
import { LineSplitter } from '../../core/transcript/lineSplitter';
import { parseLine } from '../../core/transcript/parseLine';

const CHUNK = 256 * 1024;

/**
 * Follows one live session's transcript: each read parses only the bytes appended since the last one (complete lines;
 * a half-written last line waits for the next read). A file that shrank (rewritten) is read again from the start.
 */
export class TranscriptTail {
  private offset = 0;
  private stats: LiveSessionStats;
  private splitter = new LineSplitter(0);

  constructor(
    readonly file: string,
    private readonly prices: PriceTable,
  ) {
    this.stats = new LiveSessionStats(prices);
  }

  async read(): Promise<LiveStatsSnapshot> {
    const fh = await fs.open(this.file, 'r');
    try {
      const { size } = await fh.stat();
      if (size < this.offset) {
        this.offset = 0;
        this.stats = new LiveSessionStats(this.prices);
        this.splitter = new LineSplitter(0);
      }
      const buf = Buffer.allocUnsafe(CHUNK);
      while (this.offset < size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - this.offset), this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.splitter.push(buf.subarray(0, bytesRead), (line) => {
          if (!line.bytes) return; // an oversized line carries no usage we could trust whole
          const o = parseLine(line.bytes);
          if (o.kind === 'record') this.stats.apply(o.record);
        });
      }
    } finally {
      await fh.close();
    }
    return this.stats.snapshot();
  }
}

/** Claude Code's project-dir name for a cwd (non-alphanumerics → '-'). */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/**
 * `<root>/projects/<enc(cwd)>/<sessionId>.jsonl`; where the encoded name does not exist (long paths are shortened by
 * the CLI), any project dir holding that session's file. Undefined until the CLI has written its first line.
 */
export async function findTranscript(
  roots: readonly string[],
  cwd: string,
  sessionId: string,
): Promise<string | undefined> {
  const name = `${sessionId}.jsonl`;
  for (const root of roots) {
    const direct = path.join(root, 'projects', projectDirName(cwd), name);
    if (await exists(direct)) return direct;
  }
  for (const root of roots) {
    const dirs = await fs.readdir(path.join(root, 'projects')).catch(() => [] as string[]);
    for (const d of dirs) {
      const f = path.join(root, 'projects', d, name);
      if (await exists(f)) return f;
    }
  }
  return undefined;
}

async function exists(f: string): Promise<boolean> {
  try {
    await fs.access(f);
    return true;
  } catch {
    return false;
  }
}
