import type { TranscriptFileInfo } from '../transcript/transcriptFile';
import type { DriftSighting } from './formatDrift';
import type { IngestBatch } from './rows';

/** Where a file was read up to; identity = (dev, ino) so a replaced file is noticed. */
export interface FileCursor {
  path: string;
  dev: string;
  ino: string;
  /** Byte offset just past the last complete line ingested. */
  offset: number;
  size: number;
  mtimeMs: number;
}

export interface Diagnostic {
  reason: string;
  count: number;
  detail?: string;
}

/** The collector's view of the store (implemented by src/infra/sqlite/store.ts). */
export interface IngestStore {
  getCursor(path: string): FileCursor | undefined;
  /** Every cursor at once (one query instead of one per file on a rescan). */
  allCursors?(): Map<string, FileCursor>;
  /** Writes rows, diagnostics and (optionally) the new cursor in ONE transaction: crash → rerun gives same rows. */
  writeBatch(
    batch: IngestBatch,
    file: { path: string; cursor?: FileCursor; diagnostics?: Diagnostic[]; drift?: DriftSighting[] },
  ): void;
  /**
   * Forgotten sessions (tombstones): the scan skips their own files unread, by path or by the session id the file's
   * name carries (the store drops rows of theirs other files carry).
   */
  forgotten?(): { sessions: ReadonlySet<string>; paths: ReadonlySet<string> };
  /** The stored project path of a session (excluded projects: a chunk whose lines name none). */
  sessionProjectPath?(sessionId: string): string | null | undefined;
  /** Marks files not seen in this discovery as gone (their rows stay: the store is the archive). */
  markPresent(paths: readonly string[]): void;
  /** Makes everything written so far durable (sql.js persists its file here). */
  flush(): void;
  counts(): { sessions: number; interactions: number; apiMessages: number };
  /** Groups many writeBatch calls into one transaction (each batch still carries its own cursor). */
  bulk: { begin(): void; commit(): void; rollback(): void };
}

/** A transcript file as discovery found it. */
export interface FoundFile {
  path: string;
  size: number;
  /** Whole milliseconds, as the tailer records it in the cursor. */
  mtimeMs: number;
  /** File identity when discovery knows it: a replaced file of the same size and mtime is still re-read. */
  dev?: string;
  ino?: string;
}

/** True when the cursor already covers the file as found (same size, mtime and identity): nothing to open. */
export function cursorCovers(cursor: FileCursor | undefined, f: FoundFile): boolean {
  return (
    !!cursor &&
    cursor.size === f.size &&
    cursor.mtimeMs === f.mtimeMs &&
    (f.ino === undefined || (cursor.ino === f.ino && cursor.dev === f.dev))
  );
}

export interface DiscoveredFile extends TranscriptFileInfo, FoundFile {}

/** A path under a root that discovery or reading could not use: reported, stored as a diagnostic, never silent. */
export interface ScanProblem {
  path: string;
  /** A diagnostic reason: `unreadable:<errno code>`, `symlink_loop`, `dangling_symlink`, `failed:<error name>`. */
  reason: string;
}

/** Finds transcript files and reads subagent meta files; implemented in src/infra/fs. */
export interface TranscriptSource {
  /**
   * `root` is a config dir or a projects/ dir; returns [] when it has no projects. Directories and links it cannot
   * follow go to `onProblem` (the rest is still returned).
   */
  discover(root: string, onProblem?: (p: ScanProblem) => void): Promise<DiscoveredFile[]>;
  readSubagentMeta(metaPath: string): Promise<{ toolUseId?: string; agentType?: string } | undefined>;
}

/** Reads new bytes of one file from a cursor; implemented in src/infra/fs. */
export interface FileTailer {
  /**
   * Streams complete lines after `cursor` (or from 0 when the file was replaced/truncated) to `onLines`,
   * chunk by chunk; returns the new cursor and what happened.
   */
  read(
    path: string,
    cursor: FileCursor | undefined,
    onLine: (line: import('../transcript/lineSplitter').SplitLine) => void,
    onChunkDone: (cursorSoFar: FileCursor) => void | Promise<void>,
  ): Promise<TailResult>;
}

export interface TailResult {
  cursor: FileCursor;
  bytesRead: number;
  /**
   * 'new' first read; 'append' more bytes; 'unchanged'; 'truncated' / 'replaced' → re-read from 0; 'failed': the
   * file could not be read (see `problem`), its cursor did not move.
   */
  change: 'new' | 'append' | 'unchanged' | 'truncated' | 'replaced' | 'missing' | 'failed';
  /** Why the file failed ('failed' only): a diagnostic reason such as `unreadable:EACCES`. */
  problem?: string;
  /** Bytes of an unterminated last line left for next time. */
  carried: number;
}
