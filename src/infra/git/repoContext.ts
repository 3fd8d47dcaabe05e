import { existsSync } from 'node:fs';
import { stripRemoteCredentials } from '../../core/codeContext/remoteUrl';
import { runGit } from './gitCli';

/** Raw (unmasked) facts git gives about one session's repository. */
export interface RawRepoContext {
  repoRoot: string;
  worktree: string | null;
  remoteUrl: string | null;
  branch: string | null;
  headStart: string | null;
  headEnd: string | null;
  commits: { sha: string; subject: string; authoredAt: string; added: number; removed: number }[];
}

export type RepoLookup =
  | { kind: 'repo'; context: RawRepoContext }
  /** The session's directory is gone (or its repository): keep what was known, mark it missing. */
  | { kind: 'missing' }
  /** The directory exists and is not inside a repository (or git is not installed / failed). */
  | { kind: 'none' };

/** One commit of a branch's history as git logs it (times in seconds). */
export interface LoggedCommit {
  sha: string;
  subject: string;
  authoredAt: string;
  at: number;
  ct: number;
  added: number;
  removed: number;
}

/**
 * What one directory's repository says about one branch since a time: read once for every session of that
 * directory and branch (windowContext cuts each session's part), so a refresh costs a few git runs per
 * repository and branch, not per session.
 */
export interface RepoHistory {
  repoRoot: string;
  worktree: string | null;
  remoteUrl: string | null;
  branch: string | null;
  /** The newest commit committed before `sinceS` (HEAD at the start of a window before any logged commit). */
  base: string | null;
  /** Newest first, as git log lists them. */
  commits: LoggedCommit[];
}

export type HistoryLookup = { kind: 'repo'; history: RepoHistory } | { kind: 'missing' } | { kind: 'none' };

const SEP = '\u001f';
const REC = '\u001e';

/**
 * Reads a directory's repository from the `git` CLI: root, worktree, remote (credentials stripped), the branch (the
 * transcript's `gitBranch` when that branch exists, else HEAD) and its commits committed since `sinceMs` (a commit
 * authored in a window is committed at or after its author time), with numstat line counts.
 */
export async function readRepoHistory(cwd: string, branchHint: string | null, sinceMs: number): Promise<HistoryLookup> {
  if (!existsSync(cwd)) return { kind: 'missing' };
  const top = await runGit(cwd, [
    'rev-parse',
    '--show-toplevel',
    '--absolute-git-dir',
    '--path-format=absolute',
    '--git-common-dir',
    '--abbrev-ref',
    'HEAD',
  ]);
  if (!top.ok) {
    // an empty repository has no HEAD to abbreviate: still a repository, without commits
    const root = await runGit(cwd, ['rev-parse', '--show-toplevel']);
    if (!root.ok) return { kind: 'none' };
    const head = await runGit(cwd, ['symbolic-ref', '--short', '-q', 'HEAD']);
    return {
      kind: 'repo',
      history: {
        repoRoot: root.stdout.trim(),
        worktree: null,
        remoteUrl: await remoteOf(cwd),
        branch: head.ok ? head.stdout.trim() || null : null,
        base: null,
        commits: [],
      },
    };
  }
  const [repoRoot = '', gitDir = '', commonDir = '', head = ''] = top.stdout.split('\n').map((l) => l.trim());
  const worktree = gitDir && commonDir && gitDir !== commonDir ? repoRoot : null;
  const remoteUrl = await remoteOf(cwd);
  let ref = 'HEAD';
  let branch: string | null = head === 'HEAD' ? null : head;
  if (branchHint && branchHint !== 'HEAD' && !branchHint.startsWith('-')) {
    const exists = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${branchHint}^{commit}`]);
    if (exists.ok) {
      ref = `refs/heads/${branchHint}`;
      branch = branchHint;
    }
  }
  const sinceS = Math.floor(sinceMs / 1000);
  const before = await runGit(cwd, ['rev-list', '-1', `--before=${sinceS}`, ref, '--']);
  const base = before.ok && before.stdout.trim() ? before.stdout.trim() : null;
  const log = await runGit(cwd, [
    'log',
    `--since=${sinceS}`,
    `--format=${REC}%H${SEP}%at${SEP}%ct${SEP}%aI${SEP}%s`,
    '--numstat',
    '--no-renames',
    ref,
    '--',
  ]);
  const commits: LoggedCommit[] = [];
  if (log.ok) {
    for (const rec of log.stdout.split(REC)) {
      if (!rec.trim()) continue;
      const [header = '', ...stat] = rec.split('\n');
      const [sha = '', at = '', ct = '', authoredAt = '', subject = ''] = header.split(SEP);
      let added = 0;
      let removed = 0;
      for (const line of stat) {
        const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
        if (!m) continue;
        added += m[1] === '-' ? 0 : Number(m[1]);
        removed += m[2] === '-' ? 0 : Number(m[2]);
      }
      commits.push({ sha, subject, authoredAt, at: Number(at), ct: Number(ct), added, removed });
    }
  }
  return { kind: 'repo', history: { repoRoot, worktree, remoteUrl, branch, base, commits } };
}

/**
 * One session's part of a history: HEAD at its start and end (the newest commit committed by then) and the
 * commits whose author or committer time lies in [firstMs, lastMs], oldest first.
 */
export function windowContext(h: RepoHistory, window: { firstMs: number; lastMs: number }): RawRepoContext {
  const startS = Math.floor(window.firstMs / 1000);
  const endS = Math.ceil(window.lastMs / 1000);
  const inWindow = (t: number) => t >= startS && t <= endS;
  const headStart = h.commits.find((c) => c.ct < startS)?.sha ?? h.base;
  const headEnd = h.commits.find((c) => c.ct <= endS)?.sha ?? headStart;
  const commits = h.commits
    .filter((c) => inWindow(c.at) || inWindow(c.ct))
    .reverse()
    .map(({ sha, subject, authoredAt, added, removed }) => ({ sha, subject, authoredAt, added, removed }));
  return {
    repoRoot: h.repoRoot,
    worktree: h.worktree,
    remoteUrl: h.remoteUrl,
    branch: h.branch,
    headStart,
    headEnd,
    commits,
  };
}

/** One session alone (readRepoHistory from its start, then its window). */
export async function readRepoContext(
  cwd: string,
  window: { firstMs: number; lastMs: number },
  branchHint: string | null,
): Promise<RepoLookup> {
  const h = await readRepoHistory(cwd, branchHint, window.firstMs);
  return h.kind === 'repo' ? { kind: 'repo', context: windowContext(h.history, window) } : h;
}

/** `origin`'s URL, else the first remote's, credentials stripped; null without remotes. */
async function remoteOf(cwd: string): Promise<string | null> {
  const r = await runGit(cwd, ['remote']);
  if (!r.ok) return null;
  const names = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const name = names.includes('origin') ? 'origin' : names[0];
  if (!name) return null;
  const url = await runGit(cwd, ['remote', 'get-url', name]);
  return url.ok && url.stdout.trim() ? stripRemoteCredentials(url.stdout.trim()) : null;
}
