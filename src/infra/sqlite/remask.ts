import { dropRollupTerms } from './analyticsRollups';
import type { FtsEngine, SqlDriver } from './driver';
import type { IngestLease } from './ingestLease';
import { FIRST, PHASES, type Phase, READ, type Remasker, ROW, writers } from './remaskRows';
import { type ScrubReport, scrubFreedPages, secureDeleteOn } from './secureDelete';
import { refreshStatsPreviews } from './sessionStats';

/**
 * The archive re-mask: every stored text column that came from a transcript is masked again under today's rules
 * (the guard's remaskText / remaskJson: tags already there stay, new findings get the tag ingest would give them),
 * the FTS index follows, changed rows go back in the sync outbox, and the freed bytes are scrubbed at the end.
 *
 * The columns, from migrations.ts: texts.text (prompts, responses, thinking; FTS), tool_calls.input_json and
 * tool_calls.result, sessions.title / project_path / git_branch / claude_model_usage. (Tool names, subagent types,
 * versions and the transcript file paths are not masked at ingest either; ingest_diagnostics holds no text since v8.)
 *
 * Work goes in bounded transactions (BATCH_ROWS rows or BATCH_BYTES, whichever first), each committing its rows
 * with the cursor (meta `remask_cursor`), so a crash or a cancel resumes where it stopped under the same rules.
 * Each batch takes the ingest lease and (node:sqlite) gives it back after, so a scan in another window waits one
 * batch at most; on sql.js every connection is a private copy of the file, so the lease is kept for the whole run.
 */

/** What the re-mask needs of the Privacy Guard. */
export interface RemaskProgress {
  phase: Phase;
  rows: number;
  rowsTotal: number;
  bytes: number;
  bytesTotal: number;
  changed: number;
}

export interface RemaskReport {
  level: string;
  rulesHash: string;
  /** Rows read (all three tables) and how many had text that changed. */
  rows: number;
  changed: number;
  /** Sync entities queued again (interactions whose texts or tool inputs changed, sessions whose path/branch did). */
  requeued: number;
  /** UTF-8 bytes of stored text scanned. */
  bytes: number;
  ms: number;
  /** This run continued one that had stopped (crash or cancel). */
  resumed: boolean;
  cancelled: boolean;
  /** The scrub after a complete run (undefined when cancelled). */
  scrub?: ScrubReport;
}

export interface RemaskOptions {
  guard: Remasker;
  level: string;
  rulesHash: string;
  lease: IngestLease;
  leaseOwner: string;
  signal?: AbortSignal;
  onProgress?: (p: RemaskProgress) => void;
  /** Rows per transaction (default 500). */
  batchRows?: number;
  /** Called once per wait when a scan (or a crashed run, until its lease expires) holds the ingest lease. */
  onLeaseWait?: (holder: string | undefined) => void;
  /** Gives up when the lease stays taken this long (default 10 min). */
  leaseWaitMs?: number;
  /** sql.js: save the in-memory image at most this often during the run (default 5 s; each save writes the file). */
  flushEveryMs?: number;
  /** Test hook: after each committed batch. */
  afterBatch?: (batch: number) => void;
}

export const REMASK_CURSOR_KEY = 'remask_cursor';
export const REMASK_LAST_KEY = 'remask_last';
const BATCH_BYTES = 16 * 1_048_576;
const LEASE_TTL_MS = 60_000;
/** sql.js: how often the in-memory image is saved during a run (each save writes the whole file). */
const SQLJS_FLUSH_MS = 5_000;

interface Cursor {
  phase: Phase;
  /** Last key done in this phase (texts.id, tool_calls.id, sessions.session_id); null before the first. */
  after: number | string | null;
  level: string;
  rulesHash: string;
  startedAt: number;
  rows: number;
  changed: number;
  requeued: number;
  bytes: number;
  ms: number;
}

export async function remaskArchive(
  db: SqlDriver,
  fts: { engine: FtsEngine; writable: boolean },
  opts: RemaskOptions,
): Promise<RemaskReport> {
  const t0 = Date.now();
  const batchRows = opts.batchRows ?? 500;
  const holdWholeRun = db.backend === 'sql.js';
  const saved = readCursor(db);
  const resumed = saved !== undefined && saved.rulesHash === opts.rulesHash;
  const cur: Cursor = resumed
    ? saved
    : {
        phase: 'texts',
        after: null,
        level: opts.level,
        rulesHash: opts.rulesHash,
        startedAt: t0,
        rows: 0,
        changed: 0,
        requeued: 0,
        bytes: 0,
        ms: 0,
      };
  const msBefore = cur.ms;
  const totals = storeTotals(db);
  /** Entities this process queued (a resumed run counts again what the run before it queued). */
  const queued = new Set<string>();
  const restoreSecureDelete = secureDeleteOn(db);
  let holding = false;
  let lastFlush = Date.now();
  const release = () => {
    if (holding) opts.lease.release(opts.leaseOwner);
    holding = false;
  };
  const report = (cancelled: boolean, scrub?: ScrubReport): RemaskReport => ({
    level: cur.level,
    rulesHash: cur.rulesHash,
    rows: cur.rows,
    changed: cur.changed,
    requeued: cur.requeued,
    bytes: cur.bytes,
    ms: msBefore + (Date.now() - t0),
    resumed,
    cancelled,
    scrub,
  });
  try {
    for (let batch = 0; ; batch++) {
      if (opts.signal?.aborted) {
        db.flush();
        return report(true);
      }
      if (!holding) {
        if (!(await takeLease(opts))) return report(true);
        holding = true;
      } else opts.lease.heartbeat(opts.leaseOwner, LEASE_TTL_MS, Date.now());
      const done = db.transaction(() => {
        const more = remaskBatch(db, fts, opts.guard, cur, batchRows, queued);
        cur.ms = msBefore + (Date.now() - t0);
        writeCursor(db, cur);
        return !more;
      });
      if (!holdWholeRun) release();
      else if (Date.now() - lastFlush >= (opts.flushEveryMs ?? SQLJS_FLUSH_MS)) {
        db.flush();
        lastFlush = Date.now();
      }
      opts.afterBatch?.(batch);
      opts.onProgress?.({
        phase: cur.phase,
        rows: cur.rows,
        rowsTotal: totals.rows,
        bytes: cur.bytes,
        bytesTotal: totals.bytes,
        changed: cur.changed,
      });
      if (done) break;
      await new Promise((r) => setImmediate(r));
    }
    if (!holding) {
      if (!(await takeLease(opts))) return report(true);
      holding = true;
    }
    const last = { at: Date.now(), level: cur.level, rulesHash: cur.rulesHash, rows: cur.rows, changed: cur.changed };
    db.transaction(() => {
      refreshStatsPreviews(db); // the dashboard's per-session preview is a copy of a title or prompt
      dropRollupTerms(db); // topic terms are words of the old text: gone now, recomputed at the next refresh
      db.prepare('DELETE FROM meta WHERE key = ?').run([REMASK_CURSOR_KEY]);
      db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run([
        REMASK_LAST_KEY,
        JSON.stringify({ ...last, requeued: cur.requeued, bytes: cur.bytes }),
      ]);
    });
    const scrub = scrubFreedPages(db, fts);
    return report(false, scrub);
  } finally {
    restoreSecureDelete();
    release();
  }
}

/** The re-mask left half-done (a crash or a cancel), if any. */
export function pendingRemask(db: SqlDriver): { level: string; rulesHash: string; rows: number } | undefined {
  const c = readCursor(db);
  return c && { level: c.level, rulesHash: c.rulesHash, rows: c.rows };
}

/** Waits for the ingest lease (a scan holds it); false when cancelled meanwhile. */
async function takeLease(opts: RemaskOptions): Promise<boolean> {
  const deadline = Date.now() + (opts.leaseWaitMs ?? 600_000);
  let told = false;
  while (!opts.lease.acquire(opts.leaseOwner, LEASE_TTL_MS, Date.now())) {
    if (!told) opts.onLeaseWait?.(opts.lease.holder(Date.now()));
    told = true;
    if (opts.signal?.aborted) return false;
    if (Date.now() > deadline)
      throw new Error(
        `another process (${opts.lease.holder(Date.now()) ?? '?'}) kept the ingest lease; the re-mask stopped and resumes next time`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/** One batch of the current phase; moves to the next phase when this one is exhausted. Returns whether work is left. */
function remaskBatch(
  db: SqlDriver,
  fts: { engine: FtsEngine; writable: boolean },
  guard: Remasker,
  cur: Cursor,
  batchRows: number,
  queued: Set<string>,
): boolean {
  const rows = db.prepare(READ[cur.phase]).all([cur.after ?? FIRST[cur.phase], batchRows]);
  const w = writers(db, fts, queued);
  let bytes = 0;
  for (const r of rows) {
    const n = ROW[cur.phase](r, guard, w);
    cur.rows++;
    cur.bytes += n.bytes;
    bytes += n.bytes;
    if (n.changed) cur.changed++;
    cur.after = r.k as number | string;
    if (bytes >= BATCH_BYTES) break;
  }
  cur.requeued += w.newlyQueued();
  if (bytes >= BATCH_BYTES || rows.length === batchRows) return true;
  const next = PHASES.indexOf(cur.phase) + 1;
  if (next >= PHASES.length) return false;
  cur.phase = PHASES[next]!;
  cur.after = null;
  return true;
}

function readCursor(db: SqlDriver): Cursor | undefined {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').get([REMASK_CURSOR_KEY])?.value;
  if (typeof v !== 'string') return undefined;
  try {
    const c = JSON.parse(v) as Cursor;
    return PHASES.includes(c.phase) && typeof c.rulesHash === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

function writeCursor(db: SqlDriver, cur: Cursor): void {
  db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run([REMASK_CURSOR_KEY, JSON.stringify(cur)]);
}

/** Rows and UTF-8 bytes the re-mask will read (for progress). */
function storeTotals(db: SqlDriver): { rows: number; bytes: number } {
  const one = (sql: string) => db.prepare(sql).get() ?? {};
  const t = one('SELECT count(*) AS n, coalesce(sum(length(CAST(text AS BLOB))), 0) AS b FROM texts');
  const c = one(
    'SELECT count(*) AS n, coalesce(sum(length(CAST(input_json AS BLOB))), 0) + coalesce(sum(length(CAST(result AS BLOB))), 0) AS b FROM tool_calls',
  );
  const s = one(
    `SELECT count(*) AS n, coalesce(sum(length(CAST(title AS BLOB))), 0) + coalesce(sum(length(CAST(project_path AS BLOB))), 0)
       + coalesce(sum(length(CAST(git_branch AS BLOB))), 0) + coalesce(sum(length(CAST(claude_model_usage AS BLOB))), 0) AS b FROM sessions`,
  );
  return {
    rows: Number(t.n) + Number(c.n) + Number(s.n),
    bytes: Number(t.b) + Number(c.b) + Number(s.b),
  };
}

export type { Remasker } from './remaskRows';
