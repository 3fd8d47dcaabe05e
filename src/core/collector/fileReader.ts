import type { Masker } from '../privacy/masker';
import type { SplitLine } from '../transcript/lineSplitter';
import { type ParseOutcome, parseLine } from '../transcript/parseLine';
import { recordSchemaFor, type TranscriptRecord } from '../transcript/records';
import { salvageOversized } from '../transcript/salvageOversized';
import { type DriftSighting, DriftTally, driftVersion, isDriftReason } from './formatDrift';
import { Normalizer } from './normalizer';
import type { Diagnostic, DiscoveredFile, FileCursor, FileTailer, TailResult, TranscriptSource } from './ports';
import { emptyBatch, type IngestBatch } from './rows';

/** The rows of one tailer chunk of one file, with the cursor just past them: what one writeBatch stores. */
export interface FileChunk {
  path: string;
  batch: IngestBatch;
  /** Absent when the file could not be read: the cursor stays where it was, so the next scan tries again. */
  cursor?: FileCursor;
  diagnostics: Diagnostic[];
  /** Lines of this chunk the format drifted under, by reason and Claude Code version (formatDrift.ts). */
  drift: DriftSighting[];
  lines: number;
  ignored: Record<string, number>;
}

/**
 * Tail → parse (tolerant) → normalize + mask, for one file from its cursor. Pure of the store, so it runs
 * the same in the writer's thread or in a parse worker (see Collector's `reader` option).
 */
export async function readFileChunks(
  f: DiscoveredFile,
  cursor: FileCursor | undefined,
  deps: { tailer: FileTailer; source: TranscriptSource; masker: Masker },
  onChunk: (c: FileChunk) => void | Promise<void>,
): Promise<TailResult> {
  const normalizer = new Normalizer(deps.masker, f);
  let diag = new Map<string, Diagnostic>();
  let lines = 0;
  let ignored: Record<string, number> = {};
  const drift = new DriftTally();
  const bump = (reason: string, detail?: string, n = 1) => {
    const d = diag.get(reason);
    if (d) {
      d.count += n;
      if (detail) d.detail = detail;
    } else diag.set(reason, { reason, count: n, detail });
  };
  if (f.kind === 'subagent' && f.metaPath && f.agentId) {
    const meta = await deps.source.readSubagentMeta(f.metaPath);
    if (meta?.toolUseId)
      normalizer.link({ toolUseId: meta.toolUseId, agentId: f.agentId, agentType: meta.agentType, file: f.path });
  }
  // Line numbers only when this read starts at byte 0 (an appended read gives the byte offset alone); they count
  // non-empty lines, as the splitter drops blank ones (the CLI writes none). The byte offset is always exact.
  let lineNo = 0;
  let fromStart: boolean | undefined;
  const where = (line: SplitLine) => (fromStart ? `line ${lineNo}, byte ${line.offset}` : `byte ${line.offset}`);
  const onLine = (line: SplitLine) => {
    lines++;
    lineNo++;
    fromStart ??= line.offset === 0;
    let outcome: ParseOutcome;
    if (line.oversized) {
      bump('line_too_long', `${where(line)}: ${line.oversized.length} bytes`);
      outcome = salvage(line.oversized.head, line.oversized.tail, line.oversized.length);
    } else {
      outcome = parseLine(line.bytes!);
    }
    if (outcome.kind === 'record') {
      if (outcome.invalidUtf8) bump('invalid_utf8', where(line));
      normalizer.accept(outcome.record, line.offset);
    } else if (outcome.kind === 'ignored') {
      ignored[outcome.type] = (ignored[outcome.type] ?? 0) + 1;
    } else if (!line.oversized) {
      bump(outcome.reason, outcome.detail ? `${where(line)}: ${outcome.detail.slice(0, 200)}` : where(line));
      if (isDriftReason(outcome.reason)) drift.note(outcome.reason, driftVersion(outcome.version), line.offset);
    }
  };
  // An error thrown by the consumer (the store) is not this file's: it must stop the scan, so it is re-thrown.
  let sinkError: { error: unknown } | undefined;
  try {
    return await deps.tailer.read(f.path, cursor, onLine, async (c) => {
      for (const [reason, n] of normalizer.notCounted) bump(reason, undefined, n);
      normalizer.notCounted.clear();
      const chunk: FileChunk = {
        path: f.path,
        batch: normalizer.take(),
        cursor: c,
        diagnostics: [...diag.values()],
        drift: [...drift.take(), ...normalizer.drift.take()],
        lines,
        ignored,
      };
      diag = new Map();
      lines = 0;
      ignored = {};
      try {
        await onChunk(chunk);
      } catch (error) {
        sinkError = { error };
        throw error;
      }
    });
  } catch (e) {
    if (sinkError && sinkError.error === e) throw e;
    // The file could not be read (EACCES, EIO, EISDIR, …) or held something the pipeline could not handle: one
    // diagnostic for this file, the rows since its last chunk dropped with no cursor (the next scan retries from
    // the old one), and the scan goes on with the other files (issue 14 §3). Only the code, never the message.
    const reason = fileFailureReason(e);
    await onChunk({
      path: f.path,
      batch: emptyBatch(),
      diagnostics: [{ reason, count: 1 }],
      drift: [],
      lines: 0,
      ignored: {},
    });
    return {
      cursor: cursor ?? { path: f.path, dev: '0', ino: '0', offset: 0, size: 0, mtimeMs: 0 },
      bytesRead: 0,
      change: 'failed',
      carried: 0,
      problem: reason,
    };
  }
}

/** `unreadable:<errno code>` for file-system errors, `failed:<error name>` for anything else. */
export function fileFailureReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return `unreadable:${code}`;
  const name = e instanceof Error ? e.name : typeof e;
  return `failed:${name.replace(/[^A-Za-z0-9_]/g, '').slice(0, 40) || 'Error'}`;
}

function salvage(head: Buffer, tail: Buffer, length: number): ParseOutcome {
  const rec = salvageOversized(head.toString('utf8'), tail.toString('utf8'), length);
  if (!rec) return { kind: 'skipped', reason: 'line_too_long' };
  const schema = recordSchemaFor(String(rec.type));
  const r = schema?.safeParse(rec);
  return r?.success
    ? { kind: 'record', record: r.data as TranscriptRecord, invalidUtf8: false }
    : { kind: 'skipped', reason: 'line_too_long' };
}

/**
 * Reads many files elsewhere (a parse worker) and streams their chunks back in file order; the collector
 * only writes. `results` gives each file's TailResult in the same order as `files`.
 */
export interface ParallelReader {
  read(
    files: readonly { file: DiscoveredFile; cursor: FileCursor | undefined }[],
    onChunk: (c: FileChunk) => void,
    onFileDone: (index: number, r: TailResult) => void,
    /** Checked between files: stop early (chunks already delivered stay valid). */
    signal?: { readonly aborted: boolean },
  ): Promise<void>;
}
