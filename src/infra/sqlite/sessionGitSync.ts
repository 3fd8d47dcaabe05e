import type { Masked } from '../../core/privacy/masker';
import type { RemoteSessionRow, SessionPullRequest } from '../../core/sync/rows';
import type { SqlDriver } from './driver';
import { ENQUEUE } from './queries';

// The code context a session row carries to Supabase (issue 13): read from session_git and github_commit_prs when
// the outbox builds the row, and the session re-queued whenever one of these fields changes after its ingest (the
// git step runs after the scan that queued the row, and the GitHub lookup later still).

export type SessionGitSyncFields = Pick<
  RemoteSessionRow,
  'git_remote_url' | 'git_branch' | 'git_head_start' | 'git_head_end' | 'git_commit_shas' | 'git_pull_requests'
>;

export const NO_GIT_FIELDS: SessionGitSyncFields = {
  git_remote_url: null,
  git_branch: null,
  git_head_start: null,
  git_head_end: null,
  git_commit_shas: null,
  git_pull_requests: null,
};

/** A full (SHA-1 or SHA-256) object name, as the server's check accepts it. */
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The synced git fields of each given session that has a repository (others are absent: NO_GIT_FIELDS). */
export function gitSyncFields(db: SqlDriver, sessionIds: readonly string[]): Map<string, SessionGitSyncFields> {
  const out = new Map<string, SessionGitSyncFields>();
  const rows = db
    .prepare(
      `SELECT session_id, remote_url, branch, head_start, head_end, commits_json, github_repo FROM session_git
       WHERE repo_root IS NOT NULL AND session_id IN (SELECT value FROM json_each(?))`,
    )
    .all([JSON.stringify(sessionIds)]);
  const pullsOf = db.prepare(
    'SELECT sha, prs_json FROM github_commit_prs WHERE repo = ? AND sha IN (SELECT value FROM json_each(?))',
  );
  for (const r of rows) {
    const shas = commitShas(r.commits_json);
    let pulls: SessionPullRequest[] | null = null;
    if (typeof r.github_repo === 'string' && shas.length) {
      const byNumber = new Map<number, SessionPullRequest>();
      const answers = pullsOf.all([r.github_repo, JSON.stringify(shas)]);
      // which commits were looked up at all: none yet is null ("not known"), answered with none is []
      if (answers.length) pulls = [];
      const order = new Map(shas.map((s, i) => [s, i]));
      answers.sort((a, b) => (order.get(String(a.sha)) ?? 0) - (order.get(String(b.sha)) ?? 0));
      for (const a of answers)
        for (const p of parsePulls(a.prs_json))
          if (!byNumber.has(p.number)) byNumber.set(p.number, { number: p.number, state: p.state, url: p.url });
      if (pulls) pulls.push(...[...byNumber.values()].sort((a, b) => a.number - b.number));
    }
    const text = (v: unknown) => (v == null ? null : (String(v) as Masked));
    const sha = (v: unknown) => (typeof v === 'string' && SHA.test(v) ? v : null);
    out.set(String(r.session_id), {
      git_remote_url: text(r.remote_url),
      git_branch: text(r.branch),
      git_head_start: sha(r.head_start),
      git_head_end: sha(r.head_end),
      git_commit_shas: shas,
      git_pull_requests: pulls,
    });
  }
  return out;
}

/** What the sessions would sync now, to compare before and after a change (the session's part as JSON). */
export function gitSyncSnapshot(db: SqlDriver, sessionIds: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  const fields = gitSyncFields(db, sessionIds);
  for (const id of sessionIds) m.set(id, JSON.stringify(fields.get(id) ?? NO_GIT_FIELDS));
  return m;
}

/** Queues every session whose synced git fields differ from `before` (a snapshot taken before the change). */
export function enqueueChangedGit(db: SqlDriver, before: Map<string, string>, now = Date.now()): number {
  const after = gitSyncSnapshot(db, [...before.keys()]);
  const enqueue = db.prepare(ENQUEUE);
  let n = 0;
  for (const [id, was] of before) {
    if (after.get(id) === was) continue;
    if (!db.prepare('SELECT 1 FROM sessions WHERE session_id = ?').get([id])) continue;
    enqueue.run(['session', id, now]);
    n++;
  }
  return n;
}

/** The sessions (with a GitHub repository `repo`) whose recorded commits include `sha`. */
export function sessionsWithCommit(db: SqlDriver, repo: string, sha: string): string[] {
  return db
    .prepare(
      `SELECT DISTINCT g.session_id
       FROM session_git g, json_each(CASE WHEN json_valid(g.commits_json) THEN g.commits_json ELSE '[]' END) c
       WHERE g.github_repo = ? AND json_extract(c.value, '$.sha') = ?`,
    )
    .all([repo, sha])
    .map((r) => String(r.session_id));
}

function commitShas(v: unknown): string[] {
  if (typeof v !== 'string') return [];
  try {
    const a = JSON.parse(v) as unknown;
    if (!Array.isArray(a)) return [];
    return a
      .map((c) => (typeof c === 'object' && c !== null ? (c as { sha?: unknown }).sha : undefined))
      .filter((s): s is string => typeof s === 'string' && SHA.test(s));
  } catch {
    return [];
  }
}

function parsePulls(v: unknown): { number: number; state: string; url: Masked }[] {
  try {
    const a = JSON.parse(String(v)) as unknown;
    if (!Array.isArray(a)) return [];
    return a.filter(
      (p): p is { number: number; state: string; url: Masked } =>
        typeof p === 'object' &&
        p !== null &&
        Number.isInteger((p as { number?: unknown }).number) &&
        typeof (p as { state?: unknown }).state === 'string' &&
        typeof (p as { url?: unknown }).url === 'string',
    );
  } catch {
    return [];
  }
}
