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

const SEP = '\u001f';
const REC = '\u001e';

/**
 * Reads the repository of a session from the `git` CLI: root, worktree, remote (credentials stripped), the branch
 * (the transcript's `gitBranch` when that branch exists, else HEAD), HEAD at the session's start and end (the
 * newest commit on that branch committed by then) and the commits on it whose author or committer time lies in
 * [firstMs, lastMs], with their numstat line counts.
 */
export async function readRepoContext(
  cwd: string,
  window: { firstMs: number; lastMs: number },
  branchHint: string | null,
): Promise<RepoLookup> {
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
    return { kind: 'repo', context: { ...(await empty(cwd, root.stdout.trim())) } };
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
  const startS = Math.floor(window.firstMs / 1000);
  const endS = Math.ceil(window.lastMs / 1000);
  const before = await runGit(cwd, ['rev-list', '-1', `--before=${startS}`, ref, '--']);
  const headStart = before.ok && before.stdout.trim() ? before.stdout.trim() : null;
  // --since prunes by committer time; a commit authored in the window is committed at or after its author time.
  const log = await runGit(cwd, [
    'log',
    `--since=${startS}`,
    `--format=${REC}%H${SEP}%at${SEP}%ct${SEP}%aI${SEP}%s`,
    '--numstat',
    '--no-renames',
    ref,
    '--',
  ]);
  const commits: RawRepoContext['commits'] = [];
  let headEnd: string | null = null;
  if (log.ok) {
    for (const rec of log.stdout.split(REC)) {
      if (!rec.trim()) continue;
      const [header = '', ...stat] = rec.split('\n');
      const [sha = '', at = '', ct = '', authoredAt = '', subject = ''] = header.split(SEP);
      const a = Number(at);
      const c = Number(ct);
      if (headEnd === null && c <= endS) headEnd = sha;
      const inWindow = (t: number) => t >= startS && t <= endS;
      if (!inWindow(a) && !inWindow(c)) continue;
      let added = 0;
      let removed = 0;
      for (const line of stat) {
        const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
        if (!m) continue;
        added += m[1] === '-' ? 0 : Number(m[1]);
        removed += m[2] === '-' ? 0 : Number(m[2]);
      }
      commits.push({ sha, subject, authoredAt, added, removed });
    }
  }
  commits.reverse(); // oldest first
  return {
    kind: 'repo',
    context: { repoRoot, worktree, remoteUrl, branch, headStart, headEnd: headEnd ?? headStart, commits },
  };
}

async function empty(cwd: string, repoRoot: string): Promise<RawRepoContext> {
  const head = await runGit(cwd, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return {
    repoRoot,
    worktree: null,
    remoteUrl: await remoteOf(cwd),
    branch: head.ok ? head.stdout.trim() || null : null,
    headStart: null,
    headEnd: null,
    commits: [],
  };
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
