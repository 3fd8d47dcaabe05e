import type { Masked, MaskedText } from '../../core/privacy/masker';
import { fsRealPath } from '../fs/realPath';
import { relativizeFiles } from './codeContextStore';
import type { FtsEngine, SqlDriver, SqlRow } from './driver';
import type { IngestLease } from './ingestLease';
import * as Q from './queries';
import { type ScrubReport, scrubFreedPages, secureDeleteOn } from './secureDelete';
import { writeSessionFiles } from './sessionFiles';
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
export interface Remasker {
  remaskText(stored: string): MaskedText;
  remaskJson(storedJson: string): { text: Masked; counts: Record<string, number> };
}

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

const PHASES = ['texts', 'tool_calls', 'sessions'] as const;
type Phase = (typeof PHASES)[number];

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

const READ: Record<Phase, string> = {
  texts: `SELECT t.id AS k, t.key, t.interaction_id, t.kind, t.text, i.session_id FROM texts t
    LEFT JOIN interactions i ON i.id = t.interaction_id WHERE t.id > ? ORDER BY t.id LIMIT ?`,
  tool_calls: `SELECT id AS k, session_id, interaction_id, name, ts, input_json, result FROM tool_calls
    WHERE id > ? ORDER BY id LIMIT ?`,
  sessions: `SELECT session_id AS k, title, project_path, git_branch, claude_model_usage FROM sessions
    WHERE session_id > ? ORDER BY session_id LIMIT ?`,
};
const FIRST: Record<Phase, number | string> = { texts: -1, tool_calls: '', sessions: '' };

const ADD_FINDING = `INSERT INTO privacy_findings (row_key, session_id, category, count) VALUES (?,?,?,?)
ON CONFLICT(row_key, category) DO UPDATE SET count = privacy_findings.count + excluded.count`;

/** Runs (or resumes) the re-mask of the whole store. */
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

interface Writers {
  enqueue(entity: 'session' | 'interaction', id: string): void;
  finding(rowKey: string, sessionId: string | null, counts: Record<string, number>): void;
  ftsReplace(rowid: number, oldText: string, newText: string): void;
  db: SqlDriver;
  /** How many entities this batch queued that the run had not queued before. */
  newlyQueued(): number;
}

function writers(db: SqlDriver, fts: { engine: FtsEngine; writable: boolean }, queued: Set<string>): Writers {
  const now = Date.now();
  let fresh = 0;
  return {
    db,
    enqueue(entity, id) {
      const k = `${entity}\u0000${id}`;
      if (queued.has(k)) return;
      queued.add(k);
      fresh++;
      db.prepare(Q.ENQUEUE).run([entity, id, now]);
    },
    finding(rowKey, sessionId, counts) {
      for (const [cat, n] of Object.entries(counts)) db.prepare(ADD_FINDING).run([rowKey, sessionId, cat, n]);
    },
    ftsReplace(rowid, oldText, newText) {
      if (!fts.writable) {
        db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_stale', '1')").run();
        return;
      }
      // FTS5 needs the indexed text to delete it; FTS4 reads it from the content table (still the old row here)
      if (fts.engine === 'fts5') db.prepare(Q.DELETE_FTS5).run([rowid, oldText]);
      else db.prepare(Q.DELETE_FTS4).run([rowid]);
      db.prepare(Q.INSERT_FTS).run([rowid, newText]);
    },
    newlyQueued: () => fresh,
  };
}

type RowResult = { bytes: number; changed: boolean };

const utf8 = (s: unknown): number => (typeof s === 'string' ? Buffer.byteLength(s) : 0);

function countOf(r: MaskedText): Record<string, number> {
  const c: Record<string, number> = {};
  for (const f of r.findings) c[f.category] = (c[f.category] ?? 0) + 1;
  return c;
}

const ROW: Record<Phase, (r: SqlRow, guard: Remasker, w: Writers) => RowResult> = {
  texts(r, guard, w) {
    const old = String(r.text);
    const m = guard.remaskText(old);
    if (m.text === old) return { bytes: utf8(old), changed: false };
    // ftsReplace before the row changes: FTS4's delete reads the old text from the content table
    w.ftsReplace(Number(r.k), old, m.text);
    w.db.prepare('UPDATE texts SET text = ? WHERE id = ?').run([m.text, Number(r.k)]);
    const interaction = String(r.interaction_id);
    // the normalizer's row keys: a prompt counts under its interaction, a response block under its text key
    w.finding(r.kind === 'prompt' ? interaction : String(r.key), r.session_id as string | null, countOf(m));
    w.enqueue('interaction', interaction);
    return { bytes: utf8(old), changed: true };
  },
  tool_calls(r, guard, w) {
    const id = String(r.k);
    const bytes = utf8(r.input_json) + utf8(r.result);
    const input = typeof r.input_json === 'string' ? guard.remaskJson(r.input_json) : undefined;
    const result = typeof r.result === 'string' ? guard.remaskText(r.result) : undefined;
    const inputChanged = input !== undefined && input.text !== r.input_json;
    const resultChanged = result !== undefined && result.text !== r.result;
    if (!inputChanged && !resultChanged) return { bytes, changed: false };
    w.db
      .prepare('UPDATE tool_calls SET input_json = ?, result = ? WHERE id = ?')
      .run([input?.text ?? null, result?.text ?? null, id]);
    const sid = r.session_id as string | null;
    if (inputChanged) {
      w.finding(`tc:${id}`, sid, input.counts);
      // tool inputs travel with their interaction (outboxRows.ts); results stay local
      if (r.interaction_id !== null) w.enqueue('interaction', String(r.interaction_id));
      // the files it touched are read from the input: read them again from the new text
      w.db.prepare('DELETE FROM session_files WHERE tool_call_id = ?').run([id]);
      if (sid !== null)
        writeSessionFiles(
          w.db,
          [
            {
              id,
              sessionId: sid,
              interactionId: String(r.interaction_id ?? ''),
              name: String(r.name ?? ''),
              inputJson: input.text as Masked,
              ts: typeof r.ts === 'number' ? r.ts : undefined,
            },
          ],
          fsRealPath,
        );
      const root =
        sid === null ? undefined : w.db.prepare('SELECT repo_root FROM session_git WHERE session_id = ?').get([sid]);
      if (typeof root?.repo_root === 'string') relativizeFiles(w.db, sid!, root.repo_root);
    }
    if (resultChanged) w.finding(`tr:${id}`, sid, countOf(result));
    return { bytes, changed: true };
  },
  sessions(r, guard, w) {
    const id = String(r.k);
    const text = (v: unknown) => (typeof v === 'string' ? guard.remaskText(v) : undefined);
    const title = text(r.title);
    const project = text(r.project_path);
    const branch = text(r.git_branch);
    const usage = typeof r.claude_model_usage === 'string' ? guard.remaskJson(r.claude_model_usage) : undefined;
    const bytes = utf8(r.title) + utf8(r.project_path) + utf8(r.git_branch) + utf8(r.claude_model_usage);
    const differs = (m: { text: string } | undefined, was: unknown) => m !== undefined && m.text !== was;
    remaskGitContext(w.db, id, guard);
    const remote = differs(project, r.project_path) || differs(branch, r.git_branch);
    if (!remote && !differs(title, r.title) && !differs(usage, r.claude_model_usage)) return { bytes, changed: false };
    w.db
      .prepare(
        'UPDATE sessions SET title = ?, project_path = ?, git_branch = ?, claude_model_usage = ? WHERE session_id = ?',
      )
      .run([title?.text ?? null, project?.text ?? null, branch?.text ?? null, usage?.text ?? null, id]);
    if (title?.findings.length) w.finding(`title:${id}`, id, countOf(title));
    // the session row sent to the server carries the path and branch, not the title (outboxRows.ts)
    if (remote) w.enqueue('session', id);
    return { bytes, changed: true };
  },
};

/**
 * The session's git context (codeContextStore.ts) holds text git printed, masked when it was stored: paths, remote,
 * branch, commit subjects. Masked again with the session row. (Pull request titles in github_commit_prs are not:
 * they are fetched again within the hour they go stale.)
 */
function remaskGitContext(db: SqlDriver, sessionId: string, guard: Remasker): void {
  const g = db
    .prepare(
      'SELECT repo_root, worktree, remote_url, branch, github_repo, commits_json FROM session_git WHERE session_id = ?',
    )
    .get([sessionId]);
  if (!g) return;
  const text = (v: unknown) => (typeof v === 'string' ? guard.remaskText(v).text : null);
  // only the subjects are text: a sha or a time must stay what git said, whatever the rules think of hex strings
  let commits: string | null = null;
  try {
    const list = JSON.parse(String(g.commits_json ?? 'null')) as { subject?: unknown }[] | null;
    if (Array.isArray(list))
      commits = JSON.stringify(
        list.map((c) => (typeof c.subject === 'string' ? { ...c, subject: guard.remaskText(c.subject).text } : c)),
      );
  } catch {
    commits = null; // not JSON: nothing readable to keep
  }
  db.prepare(
    `UPDATE session_git SET repo_root = ?, worktree = ?, remote_url = ?, branch = ?, github_repo = ?, commits_json = ?
     WHERE session_id = ?`,
  ).run([
    text(g.repo_root),
    text(g.worktree),
    text(g.remote_url),
    text(g.branch),
    text(g.github_repo),
    commits,
    sessionId,
  ]);
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
