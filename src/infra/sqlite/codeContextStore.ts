import type { SessionCommit, SessionGitContext, SessionGitJson } from '../../core/codeContext/gitContext';
import { lexical, normalizePath, relativeToRoot } from '../../core/codeContext/pathNormalizer';
import type { IngestBatch } from '../../core/collector/rows';
import type { Masked } from '../../core/privacy/masker';
import { localPathStyle } from '../fs/realPath';
import type { SqlDriver } from './driver';
import { storedPulls } from './githubPullsStore';
import { enqueueChangedGit, gitSyncSnapshot } from './sessionGitSync';

// session_git: the git context of each session, computed after a scan (infra/git/refreshCodeContext.ts) and kept
// with the session window it was computed for, so only sessions whose window changed are computed again.

/** Claude Code's own line counts, from the batch's cost-state records (the last one wins, like the cost). */
export function writeClaudeLines(db: SqlDriver, batch: IngestBatch): void {
  for (const s of batch.sessions.values()) {
    if (s.claudeLinesAdded === undefined && s.claudeLinesRemoved === undefined) continue;
    db.prepare(
      `INSERT INTO session_claude_lines (session_id, added, removed) VALUES (?,?,?) ON CONFLICT(session_id) DO UPDATE
       SET added = coalesce(excluded.added, added), removed = coalesce(excluded.removed, removed)`,
    ).run([s.sessionId, s.claudeLinesAdded ?? null, s.claudeLinesRemoved ?? null]);
  }
}

/** A session whose git context is due: never computed, or its window moved since. */
export interface PendingContext {
  sessionId: string;
  projectPath: string | null;
  gitBranch: string | null;
  firstTs: number;
  lastTs: number;
}

export function pendingGitContexts(db: SqlDriver): PendingContext[] {
  return db
    .prepare(
      `SELECT s.session_id, s.project_path, s.git_branch, s.first_ts, coalesce(s.last_ts, s.first_ts) AS last_ts
       FROM sessions s LEFT JOIN session_git g ON g.session_id = s.session_id
       WHERE s.first_ts IS NOT NULL
         AND (g.session_id IS NULL OR g.window_first_ts IS NOT s.first_ts OR g.window_last_ts IS NOT s.last_ts)
       ORDER BY s.first_ts`,
    )
    .all()
    .map((r) => ({
      sessionId: String(r.session_id),
      projectPath: r.project_path == null ? null : String(r.project_path),
      gitBranch: r.git_branch == null ? null : String(r.git_branch),
      firstTs: Number(r.first_ts),
      lastTs: Number(r.last_ts),
    }));
}

/**
 * Stores a session's context (null: not in a repository) for the window it was computed for, and the session's
 * touched files relative to the repository root. The session is queued for sync when what it syncs changed.
 */
export function saveGitContext(
  db: SqlDriver,
  p: PendingContext,
  ctx: SessionGitContext | null,
  now = Date.now(),
): void {
  db.transaction(() => {
    const before = gitSyncSnapshot(db, [p.sessionId]);
    db.prepare(
      `INSERT OR REPLACE INTO session_git (session_id, window_first_ts, window_last_ts, computed_at, missing, repo_root,
         worktree, remote_url, branch, head_start, head_end, commits_json, lines_added, lines_removed, github_repo)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ).run([
      p.sessionId,
      p.firstTs,
      p.lastTs,
      now,
      ctx?.missing ? 1 : 0,
      ctx?.repoRoot ?? null,
      ctx?.worktree ?? null,
      ctx?.remoteUrl ?? null,
      ctx?.branch ?? null,
      ctx?.headStart ?? null,
      ctx?.headEnd ?? null,
      ctx ? JSON.stringify(ctx.commits) : null,
      ctx?.linesAdded ?? null,
      ctx?.linesRemoved ?? null,
      ctx?.githubRepo ?? null,
    ]);
    if (ctx) relativizeFiles(db, p.sessionId, ctx.repoRoot);
    enqueueChangedGit(db, before, now);
  });
}

/**
 * The session's directory is gone: keep the context computed before (history), mark it missing, and note the
 * new window so it is not looked up again until the session changes. Without a previous context nothing is known.
 */
export function markGitMissing(db: SqlDriver, p: PendingContext, now = Date.now()): void {
  const had = db.prepare('SELECT 1 FROM session_git WHERE session_id = ? AND repo_root IS NOT NULL').get([p.sessionId]);
  if (had)
    db.prepare(
      'UPDATE session_git SET missing = 1, window_first_ts = ?, window_last_ts = ?, computed_at = ? WHERE session_id = ?',
    ).run([p.firstTs, p.lastTs, now, p.sessionId]);
  else saveGitContext(db, p, null, now);
}

/** The commits stored for a session (as last computed), [] when none. */
export function recordedCommits(db: SqlDriver, sessionId: string): SessionCommit[] {
  return parseCommits(
    db.prepare('SELECT commits_json FROM session_git WHERE session_id = ?').get([sessionId])?.commits_json,
  );
}

/**
 * Sessions with recorded commits in a repository that still exists, whose window ended at or after `sinceMs`:
 * the ones whose commits a later rebase or amend may have rewritten (refreshCodeContext checks them now and then).
 */
export function contextsWithCommits(db: SqlDriver, sinceMs: number): (PendingContext & { shas: string[] })[] {
  return db
    .prepare(
      `SELECT s.session_id, s.project_path, s.git_branch, s.first_ts, coalesce(s.last_ts, s.first_ts) AS last_ts,
         g.commits_json
       FROM session_git g JOIN sessions s ON s.session_id = g.session_id
       WHERE g.missing = 0 AND g.repo_root IS NOT NULL AND g.commits_json IS NOT NULL AND g.commits_json <> '[]'
         AND s.first_ts IS NOT NULL AND coalesce(s.last_ts, s.first_ts) >= ?`,
    )
    .all([sinceMs])
    .map((r) => ({
      sessionId: String(r.session_id),
      projectPath: r.project_path == null ? null : String(r.project_path),
      gitBranch: r.git_branch == null ? null : String(r.git_branch),
      firstTs: Number(r.first_ts),
      lastTs: Number(r.last_ts),
      shas: parseCommits(r.commits_json).map((c) => c.sha),
    }));
}

/** Marks missing every stored context whose repository root no longer exists (a cheap existence check). */
export function markVanishedRepos(db: SqlDriver, exists: (root: string) => boolean): number {
  const roots = db
    .prepare('SELECT DISTINCT repo_root FROM session_git WHERE missing = 0 AND repo_root IS NOT NULL')
    .all()
    .map((r) => String(r.repo_root));
  let n = 0;
  for (const root of roots) {
    if (exists(root)) continue;
    n += db.prepare('UPDATE session_git SET missing = 1 WHERE repo_root = ?').run([root]).changes;
  }
  return n;
}

/** Sets rel_path of the session's touched files from its repository root (both masked text as stored). */
export function relativizeFiles(db: SqlDriver, sessionId: string, repoRoot: string): void {
  const style = localPathStyle(repoRoot);
  const root = { path: lexical(repoRoot, style.windows), key: '' };
  root.key = style.caseInsensitive ? root.path.toLowerCase() : root.path;
  const rows = db.prepare('SELECT tool_call_id, path FROM session_files WHERE session_id = ?').all([sessionId]);
  const upd = db.prepare('UPDATE session_files SET rel_path = ? WHERE tool_call_id = ? AND path = ?');
  for (const r of rows) {
    const n = normalizePath(String(r.path), { style });
    const rel = n ? relativeToRoot(n, root) : undefined;
    upd.run([rel ?? null, String(r.tool_call_id), String(r.path)]);
  }
}

/** The `git` field of each session that has a context (sessions outside a repository are absent: null). */
export function gitJsonBySession(db: SqlDriver, onlySession?: string): Map<string, SessionGitJson> {
  const one = onlySession === undefined ? '' : 'WHERE session_id = ?';
  const oneG = onlySession === undefined ? '' : 'AND g.session_id = ?';
  const args = onlySession === undefined ? [] : [onlySession];
  const files = new Map<string, string[]>();
  for (const [sid, p] of db
    .prepare(
      `SELECT DISTINCT session_id, coalesce(rel_path, path) AS p FROM session_files ${one} ORDER BY session_id, p`,
    )
    .values(args)) {
    const list = files.get(String(sid)) ?? [];
    list.push(String(p));
    files.set(String(sid), list);
  }
  const pulls = storedPulls(db);
  const out = new Map<string, SessionGitJson>();
  for (const r of db
    .prepare(
      `SELECT g.*, l.added AS claude_lines_added, l.removed AS claude_lines_removed FROM session_git g
       LEFT JOIN session_claude_lines l ON l.session_id = g.session_id WHERE g.repo_root IS NOT NULL ${oneG}`,
    )
    .all(args)) {
    const sid = String(r.session_id);
    const commits = parseCommits(r.commits_json);
    const text = (v: unknown) => (v == null ? null : (String(v) as Masked));
    out.set(sid, {
      repoRoot: String(r.repo_root) as Masked,
      worktree: text(r.worktree),
      remoteUrl: text(r.remote_url),
      branch: text(r.branch),
      headStart: r.head_start == null ? null : String(r.head_start),
      headEnd: r.head_end == null ? null : String(r.head_end),
      commits,
      filesTouched: files.get(sid) ?? [],
      linesAdded: Number(r.lines_added ?? 0),
      linesRemoved: Number(r.lines_removed ?? 0),
      claudeLinesAdded: r.claude_lines_added == null ? null : Number(r.claude_lines_added),
      claudeLinesRemoved: r.claude_lines_removed == null ? null : Number(r.claude_lines_removed),
      missing: r.missing === 1,
      pullRequests: pullsOf(pulls, r.github_repo, commits),
    });
  }
  return out;
}

/** The pull requests containing any of the commits, once each, by number. */
function pullsOf(stored: Map<string, string>, repo: unknown, commits: SessionCommit[]): SessionGitJson['pullRequests'] {
  if (typeof repo !== 'string') return [];
  const byNumber = new Map<number, SessionGitJson['pullRequests'][number]>();
  for (const c of commits) {
    const json = stored.get(`${repo}\u0000${c.sha}`);
    if (!json) continue;
    try {
      for (const p of JSON.parse(json) as SessionGitJson['pullRequests'])
        if (!byNumber.has(p.number)) byNumber.set(p.number, p);
    } catch {
      /* a row that is not JSON names no pull request */
    }
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function parseCommits(v: unknown): SessionCommit[] {
  if (typeof v !== 'string') return [];
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? (a as SessionCommit[]) : [];
  } catch {
    return [];
  }
}
