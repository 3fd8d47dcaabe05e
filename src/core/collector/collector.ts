import type { Masker } from '../privacy/masker';
import type { FileChunk, ParallelReader } from './fileReader';
import {
  cursorCovers,
  type DiscoveredFile,
  type FileCursor,
  type FileTailer,
  type IngestStore,
  type ScanProblem,
  type TailResult,
  type TranscriptSource,
} from './ports';
import { ProjectExclusion } from './projectExclusion';
import { emptyBatch } from './rows';

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
  /** Files not read because their session was forgotten (a tombstone). */
  forgotten: number;
  /** Files, directories and links that could not be read or followed (also stored as diagnostics of their path). */
  problems: ScanProblem[];
  ms: number;
  cancelled?: boolean;
}

export interface CollectorOptions {
  onProgress?: (p: ScanProgress) => void;
  /** Checked between files: a cancelled scan commits what it has and stops (the next scan resumes). */
  signal?: { readonly aborted: boolean };
  /** New bytes from which the parallel reader (when given) is used; below it a worker costs more than it saves. */
  parallelMinBytes?: number;
  /** Globs of project paths not to ingest (see ProjectExclusion). */
  excludeProjects?: readonly string[];
}

/**
 * The parse pipeline (tolerant parser, zod record schemas, normalizer) is loaded when a file has new bytes:
 * a rescan that finds nothing new never evaluates it (a quarter of a warm `cct scan` was that evaluation).
 */
let fileReader: Promise<typeof import('./fileReader')> | undefined;
const loadFileReader = () => (fileReader ??= import('./fileReader'));

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
    /** Optional: reads big scans in a parse worker (see src/infra/worker/parseWorkerReader.ts). */
    private readonly reader?: ParallelReader,
  ) {}

  async scan(roots: readonly string[], opts: CollectorOptions = {}): Promise<ScanStats> {
    const t0 = performance.now();
    const files: DiscoveredFile[] = [];
    const seen = new Set<string>();
    const problems: ScanProblem[] = [];
    for (const root of roots) {
      for (const f of await this.source.discover(root, (p) => problems.push(p))) {
        if (!seen.has(f.path)) {
          seen.add(f.path);
          files.push(f);
        }
      }
    }
    const stats: ScanStats = {
      files: files.length,
      filesRead: 0,
      bytes: 0,
      lines: 0,
      sessions: 0,
      interactions: 0,
      apiMessages: 0,
      skipped: {},
      ignored: {},
      reread: 0,
      forgotten: 0,
      problems,
      ms: 0,
    };
    const sessions = new Set<string>();
    const bytesTotal = files.reduce((a, f) => a + f.size, 0);
    let bytesDone = 0;
    let lastFlush = performance.now();
    let lastCommit = performance.now();
    let uncommitted = 0;
    // One transaction per ~32 MiB / 2 s instead of per chunk: commits (FTS segment merges, WAL writes) were
    // a third of a cold scan. Each batch still writes its file cursor with its rows, so a crash rolls back
    // rows and cursors together and a rerun reads exactly what was lost.
    const maybeCommit = () => {
      if (uncommitted < 32 * 1024 * 1024 && performance.now() - lastCommit < 2000) return;
      this.store.bulk.commit();
      // sql.js keeps the db in memory: persist every few seconds so a crash loses little.
      if (performance.now() - lastFlush > 5000) {
        this.store.flush();
        lastFlush = performance.now();
      }
      this.store.bulk.begin();
      uncommitted = 0;
      lastCommit = performance.now();
    };
    // Files with nothing new are settled here (size, mtime and identity as recorded), without being opened.
    const todo: { file: DiscoveredFile; cursor: FileCursor | undefined }[] = [];
    const cursors = this.store.allCursors?.();
    const forgotten = this.store.forgotten?.();
    const exclusion = new ProjectExclusion(opts.excludeProjects ?? [], (id) => this.store.sessionProjectPath?.(id));
    this.exclusion = exclusion;
    for (const f of files) {
      if (
        forgotten &&
        (forgotten.paths.has(f.path) || (f.sessionId !== undefined && forgotten.sessions.has(f.sessionId)))
      ) {
        // a forgotten session's own file: not read while its tombstone stands (Unforget resets its cursor)
        bytesDone += f.size;
        stats.forgotten++;
        continue;
      }
      const cursor = cursors ? cursors.get(f.path) : this.store.getCursor(f.path);
      if (cursorCovers(cursor, f)) bytesDone += f.size;
      else todo.push({ file: f, cursor });
    }
    // Counting rows scans whole tables: only worth it when some file has something to read.
    const before = todo.length > 0 ? this.store.counts() : undefined;
    const newBytes = todo.reduce((a, t) => a + t.file.size - Math.min(t.cursor?.offset ?? 0, t.file.size), 0);
    this.store.bulk.begin();
    try {
      for (const p of problems)
        this.store.writeBatch(emptyBatch(), { path: p.path, diagnostics: [{ reason: p.reason, count: 1 }] });
      if (this.reader && newBytes >= (opts.parallelMinBytes ?? 32 * 1024 * 1024)) {
        // Parse + mask in a worker, write here: the two halves of a cold scan overlap on two cores.
        let done = 0;
        await this.reader.read(
          todo,
          (c) => {
            this.writeChunk(c, stats, sessions);
            uncommitted += 1024 * 1024; // a chunk covers at most 1 MiB of the file
            maybeCommit();
          },
          (i, r) => {
            this.countFile(todo[i]!.file.path, r, stats);
            bytesDone += todo[i]!.file.size;
            done++;
            opts.onProgress?.({
              filesDone: files.length - todo.length + done,
              filesTotal: files.length,
              bytesDone,
              bytesTotal,
              currentFile: todo[i]!.file.path,
            });
          },
          opts.signal,
        );
        if (opts.signal?.aborted) stats.cancelled = true;
      } else {
        let lastYield = performance.now();
        const { readFileChunks } = todo.length > 0 ? await loadFileReader() : { readFileChunks: undefined! };
        for (let i = 0; i < todo.length; i++) {
          // File reads are synchronous: give the event loop a turn now and then, so a cancel message
          // (or anything else queued in this thread) is seen between files.
          if (i % 4 === 0 || performance.now() - lastYield > 50) {
            await new Promise<void>((r) => setImmediate(r));
            lastYield = performance.now();
          }
          if (opts.signal?.aborted) {
            stats.cancelled = true;
            break;
          }
          const { file: f, cursor } = todo[i]!;
          opts.onProgress?.({
            filesDone: files.length - todo.length + i,
            filesTotal: files.length,
            bytesDone,
            bytesTotal,
            currentFile: f.path,
          });
          const before = stats.bytes;
          const result = await readFileChunks(
            f,
            cursor,
            { tailer: this.tailer, source: this.source, masker: this.masker },
            (c) => this.writeChunk(c, stats, sessions),
          );
          this.countFile(f.path, result, stats);
          bytesDone += f.size;
          uncommitted += stats.bytes - before;
          maybeCommit();
        }
      }
      if (!stats.cancelled) this.store.markPresent(files.map((f) => f.path));
      this.store.bulk.commit();
    } catch (e) {
      this.store.bulk.rollback();
      throw e;
    }
    this.store.flush();
    stats.sessions = sessions.size;
    if (before) {
      const after = this.store.counts();
      stats.interactions = after.interactions - before.interactions;
      stats.apiMessages = after.apiMessages - before.apiMessages;
    }
    stats.ms = Math.round(performance.now() - t0);
    opts.onProgress?.({ filesDone: files.length, filesTotal: files.length, bytesDone: bytesTotal, bytesTotal });
    return stats;
  }

  private exclusion: ProjectExclusion | undefined;

  private writeChunk(c: FileChunk, stats: ScanStats, sessions: Set<string>): void {
    // rows of excluded projects never reach the store; the cursor below still moves past their lines
    if (this.exclusion?.active) c = { ...c, batch: this.exclusion.filter(c.batch) };
    stats.lines += c.lines;
    for (const [t, n] of Object.entries(c.ignored)) stats.ignored[t] = (stats.ignored[t] ?? 0) + n;
    for (const d of c.diagnostics) stats.skipped[d.reason] = (stats.skipped[d.reason] ?? 0) + d.count;
    for (const sid of c.batch.sessions.keys()) sessions.add(sid);
    this.store.writeBatch(c.batch, { path: c.path, cursor: c.cursor, diagnostics: c.diagnostics, drift: c.drift });
  }

  private countFile(path: string, result: TailResult, stats: ScanStats): void {
    if (result.change === 'missing') return;
    if (result.change === 'failed') {
      stats.problems.push({ path, reason: result.problem ?? 'failed' });
      return;
    }
    if (result.change === 'truncated' || result.change === 'replaced') stats.reread++;
    if (result.bytesRead > 0) stats.filesRead++;
    stats.bytes += result.bytesRead;
  }
}
