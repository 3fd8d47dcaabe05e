import type { Masker } from '../privacy/masker';
import { salvageOversized } from '../transcript/salvageOversized';
import { parseLine, type ParseOutcome } from '../transcript/parseLine';
import { RECORD_SCHEMAS, type TranscriptRecord } from '../transcript/records';
import type { SplitLine } from '../transcript/lineSplitter';
import { Normalizer } from './normalizer';
import type { Diagnostic, DiscoveredFile, FileTailer, IngestStore, TranscriptSource } from './ports';

export interface ScanProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  currentFile?: string;
}

export interface ScanStats {
  /** Transcript files found under the roots. */
  files: number;
  /** Files that had new bytes (or were re-read after truncation/replacement). */
  filesRead: number;
  bytes: number;
  lines: number;
  /** Distinct sessions touched by this scan. */
  sessions: number;
  /** Rows NEW in the store after this scan (a warm rescan adds 0). */
  interactions: number;
  apiMessages: number;
  /** Lines that did not contribute, by reason (malformed, unknown type, synthetic, …). */
  skipped: Record<string, number>;
  /** Known record types deliberately not kept (attachments, api-request copies, …). */
  ignored: Record<string, number>;
  /** Files re-read from 0 because they shrank or were replaced. */
  reread: number;
  ms: number;
  cancelled?: boolean;
}

export interface CollectorOptions {
  onProgress?: (p: ScanProgress) => void;
  /** Checked between files: a cancelled scan commits what it has and stops (the next scan resumes). */
  signal?: { readonly aborted: boolean };
}

/**
 * The ingest pipeline: discover → tail new bytes → parse (tolerant) → normalize + mask → store, with the
 * cursor written in the same transaction as the rows it covers. Sequential by design: one file at a time
 * keeps memory flat and SQLite single-writer.
 */
export class Collector {
  constructor(
    private readonly store: IngestStore,
    private readonly source: TranscriptSource,
    private readonly tailer: FileTailer,
    private readonly masker: Masker,
  ) {}

  async scan(roots: readonly string[], opts: CollectorOptions = {}): Promise<ScanStats> {
    const t0 = performance.now();
    const before = this.store.counts();
    const files: DiscoveredFile[] = [];
    const seen = new Set<string>();
    for (const root of roots) {
      for (const f of await this.source.discover(root)) {
        if (!seen.has(f.path)) {
          seen.add(f.path);
          files.push(f);
        }
      }
    }
    const stats: ScanStats = { files: files.length, filesRead: 0, bytes: 0, lines: 0, sessions: 0, interactions: 0, apiMessages: 0, skipped: {}, ignored: {}, reread: 0, ms: 0 };
    const sessions = new Set<string>();
    const bytesTotal = files.reduce((a, f) => a + f.size, 0);
    let bytesDone = 0;
    let lastFlush = performance.now();
    let lastCommit = performance.now();
    let uncommitted = 0;
    // One transaction per ~32 MiB / 2 s instead of per chunk: commits (FTS segment merges, WAL writes) were
    // a third of a cold scan. Each batch still writes its file cursor with its rows, so a crash rolls back
    // rows and cursors together and a rerun reads exactly what was lost.
    this.store.bulk.begin();
    try {
      for (let i = 0; i < files.length; i++) {
        if (opts.signal?.aborted) {
          stats.cancelled = true;
          break;
        }
        const f = files[i]!;
        opts.onProgress?.({ filesDone: i, filesTotal: files.length, bytesDone, bytesTotal, currentFile: f.path });
        const before = stats.bytes;
        await this.ingestFile(f, stats, sessions);
        bytesDone += f.size;
        uncommitted += stats.bytes - before;
        if (uncommitted > 32 * 1024 * 1024 || performance.now() - lastCommit > 2000) {
          this.store.bulk.commit();
          // sql.js keeps the db in memory: persist every few seconds so a crash loses little.
          if (performance.now() - lastFlush > 5000) {
            this.store.flush();
            lastFlush = performance.now();
          }
          this.store.bulk.begin();
          uncommitted = 0;
          lastCommit = performance.now();
        }
      }
      if (!stats.cancelled) this.store.markPresent(files.map((f) => f.path));
      this.store.bulk.commit();
    } catch (e) {
      this.store.bulk.rollback();
      throw e;
    }
    this.store.flush();
    const after = this.store.counts();
    stats.sessions = sessions.size;
    stats.interactions = after.interactions - before.interactions;
    stats.apiMessages = after.apiMessages - before.apiMessages;
    stats.ms = Math.round(performance.now() - t0);
    opts.onProgress?.({ filesDone: files.length, filesTotal: files.length, bytesDone: bytesTotal, bytesTotal });
    return stats;
  }

  /** Ingests what is new in one file. Public for the live tailer (one changed file at a time). */
  async ingestFile(f: DiscoveredFile, stats: ScanStats, sessions = new Set<string>()): Promise<void> {
    const cursor = this.store.getCursor(f.path);
    // Warm path: unchanged size and mtime → not even opened.
    if (cursor && cursor.size === f.size && cursor.mtimeMs === f.mtimeMs) return;
    const normalizer = new Normalizer(this.masker, f);
    const diag = new Map<string, Diagnostic>();
    const bump = (reason: string, detail?: string, n = 1) => {
      const d = diag.get(reason);
      if (d) {
        d.count += n;
        if (detail) d.detail = detail;
      } else diag.set(reason, { reason, count: n, detail });
      stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
    };
    if (f.kind === 'subagent' && f.metaPath && f.agentId) {
      const meta = await this.source.readSubagentMeta(f.metaPath);
      if (meta?.toolUseId) normalizer.link({ toolUseId: meta.toolUseId, agentId: f.agentId, agentType: meta.agentType, file: f.path });
    }
    const onLine = (line: SplitLine) => {
      stats.lines++;
      let outcome: ParseOutcome;
      if (line.oversized) {
        bump('line_too_long', `${line.oversized.length} bytes at offset ${line.offset}`);
        outcome = salvage(line.oversized.head, line.oversized.tail, line.oversized.length);
      } else {
        outcome = parseLine(line.bytes!);
      }
      if (outcome.kind === 'record') {
        if (outcome.invalidUtf8) bump('invalid_utf8', `offset ${line.offset}`);
        normalizer.accept(outcome.record, line.offset);
      } else if (outcome.kind === 'ignored') {
        stats.ignored[outcome.type] = (stats.ignored[outcome.type] ?? 0) + 1;
      } else if (!line.oversized) {
        bump(outcome.reason, outcome.detail ? `offset ${line.offset}: ${outcome.detail.slice(0, 200)}` : `offset ${line.offset}`);
      }
    };
    const result = await this.tailer.read(f.path, cursor, onLine, (c) => {
      for (const [reason, n] of normalizer.notCounted) bump(reason, undefined, n);
      normalizer.notCounted.clear();
      const batch = normalizer.take();
      for (const sid of batch.sessions.keys()) sessions.add(sid);
      this.store.writeBatch(batch, { path: f.path, cursor: c, diagnostics: [...diag.values()] });
      diag.clear();
    });
    if (result.change === 'missing') return;
    if (result.change === 'truncated' || result.change === 'replaced') stats.reread++;
    if (result.bytesRead > 0) stats.filesRead++;
    stats.bytes += result.bytesRead;
  }
}

function salvage(head: Buffer, tail: Buffer, length: number): ParseOutcome {
  const rec = salvageOversized(head.toString('utf8'), tail.toString('utf8'), length);
  if (!rec) return { kind: 'skipped', reason: 'line_too_long' };
  const schema = RECORD_SCHEMAS[String(rec.type)];
  const r = schema?.safeParse(rec);
  return r?.success ? { kind: 'record', record: r.data as TranscriptRecord, invalidUtf8: false } : { kind: 'skipped', reason: 'line_too_long' };
}
