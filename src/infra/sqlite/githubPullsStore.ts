import type { SqlDriver } from './driver';
import { enqueueChangedGit, gitSyncSnapshot, sessionsWithCommit } from './sessionGitSync';

// github_commit_prs: the pull requests containing each commit of a session (opt-in GitHub lookup,
// infra/github/refreshPullRequests.ts), keyed by the repository (masked `owner/repo`) and sha, with the ETag.

export interface PullLookup {
  repo: string;
  sha: string;
  etag: string | null;
}

/**
 * Commits of sessions in a GitHub repository that have no stored answer, or one fetched before `staleBeforeMs`
 * (revalidated with its ETag), newest session first. A repository name with a masked span is not looked up.
 */
export function pullLookupsDue(db: SqlDriver, staleBeforeMs: number, limit: number): PullLookup[] {
  const known = new Map<string, { etag: string | null; at: number }>();
  for (const r of db.prepare('SELECT repo, sha, etag, fetched_at FROM github_commit_prs').all())
    known.set(`${r.repo}\u0000${r.sha}`, { etag: r.etag == null ? null : String(r.etag), at: Number(r.fetched_at) });
  const out: PullLookup[] = [];
  const seen = new Set<string>();
  for (const r of db
    .prepare(
      `SELECT github_repo, commits_json FROM session_git
       WHERE github_repo IS NOT NULL AND instr(github_repo, '«') = 0 AND commits_json IS NOT NULL AND commits_json <> '[]'
       ORDER BY window_last_ts DESC`,
    )
    .all()) {
    let commits: { sha?: unknown }[] = [];
    try {
      commits = JSON.parse(String(r.commits_json)) as { sha?: unknown }[];
    } catch {
      continue;
    }
    for (const c of commits) {
      if (typeof c.sha !== 'string') continue;
      const k = `${r.github_repo}\u0000${c.sha}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const had = known.get(k);
      if (had && had.at >= staleBeforeMs) continue;
      out.push({ repo: String(r.github_repo), sha: c.sha, etag: had?.etag ?? null });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** Stores a commit's pull requests; the sessions that made the commit are queued for sync when theirs changed. */
export function savePulls(db: SqlDriver, l: PullLookup, prsJson: string, etag: string | null, now: number): void {
  db.transaction(() => {
    const before = gitSyncSnapshot(db, sessionsWithCommit(db, l.repo, l.sha));
    db.prepare(
      `INSERT INTO github_commit_prs (repo, sha, prs_json, etag, fetched_at) VALUES (?,?,?,?,?)
       ON CONFLICT(repo, sha) DO UPDATE SET prs_json = excluded.prs_json, etag = excluded.etag, fetched_at = excluded.fetched_at`,
    ).run([l.repo, l.sha, prsJson, etag, now]);
    enqueueChangedGit(db, before, now);
  });
}

/** A 304: the stored answer holds; only its time moves. */
export function revalidatedPulls(db: SqlDriver, l: PullLookup, now: number): void {
  db.prepare('UPDATE github_commit_prs SET fetched_at = ? WHERE repo = ? AND sha = ?').run([now, l.repo, l.sha]);
}

/** The stored pull requests per commit of a repository: `repo\0sha` → JSON array text. */
export function storedPulls(db: SqlDriver): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of db.prepare('SELECT repo, sha, prs_json FROM github_commit_prs').all())
    m.set(`${r.repo}\u0000${r.sha}`, String(r.prs_json));
  return m;
}

export function githubBackoffUntil(db: SqlDriver): number {
  return Number(db.prepare("SELECT value FROM meta WHERE key = 'github_backoff_until'").get()?.value ?? 0) || 0;
}

export function setGithubBackoff(db: SqlDriver, untilMs: number): void {
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('github_backoff_until', ?)").run([String(untilMs)]);
}
