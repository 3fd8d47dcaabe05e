import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { stripRemoteCredentials } from '../core/codeContext/remoteUrl';
import type { HistoryLookup, LoggedCommit } from '../infra/git/repoContext';

// VS Code's built-in Git extension (`vscode.git`, API version 1), typed with the few members used here: an optional
// source, never a dependency. Where it is disabled, missing or does not know a folder, the scan worker reads the
// git CLI instead (repoContext.ts), so both give the same RepoHistory.

interface GitCommit {
  readonly hash: string;
  readonly message: string;
  readonly authorDate?: Date;
  readonly commitDate?: Date;
  readonly shortStat?: { readonly files: number; readonly insertions: number; readonly deletions: number };
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD: { readonly name?: string; readonly commit?: string } | undefined;
    readonly remotes: readonly { readonly name: string; readonly fetchUrl?: string; readonly pushUrl?: string }[];
  };
  log(options?: { maxEntries?: number; range?: string; shortStats?: boolean }): Promise<GitCommit[]>;
  getBranch(name: string): Promise<{ readonly name?: string; readonly commit?: string }>;
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The Git extension's API when it is installed, enabled and initialized; undefined otherwise. */
export function gitExtensionApi(): GitApi | undefined {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext?.isActive || !ext.exports?.enabled) return undefined;
  try {
    const api = ext.exports.getAPI(1);
    return api.state === 'initialized' ? api : undefined;
  } catch {
    return undefined;
  }
}

/** Log pages: doubled until the oldest commit is older than the window (the API has no --since). */
const FIRST_PAGE = 200;
const MAX_PAGE = 12_800;

/**
 * The editor's answer to the scan worker's `git-history` requests, counting which source answered (the Git
 * extension, or the CLI because the extension is unavailable or does not have the folder's repository open).
 */
export class GitExtensionHistorySource {
  private counts = { extension: 0, cli: 0 };

  /** How many repository reads the Git extension answered and how many went to the git CLI (tests, the log). */
  get answered(): Readonly<{ extension: number; cli: number }> {
    return { ...this.counts };
  }

  readonly history = async (cwd: string, branchHint: string | null, sinceMs: number): Promise<HistoryLookup | null> => {
    const h = await gitExtensionHistory(cwd, branchHint, sinceMs).catch(() => null);
    if (h) this.counts.extension++;
    else this.counts.cli++;
    return h;
  };
}

/**
 * A directory's repository history from VS Code's Git extension (root, worktree, remote without credentials, the
 * branch, commits committed since `sinceMs` with line counts). Only repositories the extension already has open
 * (the workspace's, or ones the user opened): opening others would fill the Source Control view with every folder
 * a session ran in. null when the extension is unavailable or does not have the folder's repository (the worker
 * then asks the git CLI); `missing` when the folder is gone.
 */
export async function gitExtensionHistory(
  cwd: string,
  branchHint: string | null,
  sinceMs: number,
  api: GitApi | undefined = gitExtensionApi(),
): Promise<HistoryLookup | null> {
  if (!existsSync(cwd)) return { kind: 'missing' };
  if (!api) return null;
  const repo = api.getRepository(vscode.Uri.file(cwd));
  if (!repo) return null;
  const repoRoot = repo.rootUri.fsPath;
  let ref: string | undefined;
  let branch = repo.state.HEAD?.name ?? null;
  if (branchHint && branchHint !== 'HEAD' && !branchHint.startsWith('-')) {
    const b = await repo.getBranch(branchHint).catch(() => undefined);
    if (b?.commit) {
      ref = `refs/heads/${branchHint}`;
      branch = branchHint;
    }
  }
  if (!repo.state.HEAD?.commit && !ref)
    return {
      kind: 'repo',
      history: { repoRoot, worktree: worktreeOf(repoRoot), remoteUrl: remoteOf(repo), branch, base: null, commits: [] },
    };
  const sinceS = Math.floor(sinceMs / 1000);
  let logged: GitCommit[] = [];
  for (let n = FIRST_PAGE; n <= MAX_PAGE; n *= 2) {
    logged = await repo.log({ maxEntries: n, range: ref, shortStats: true });
    const oldest = logged.at(-1)?.commitDate;
    if (logged.length < n || (oldest && oldest.getTime() / 1000 < sinceS)) break;
  }
  const commits: LoggedCommit[] = [];
  let base: string | null = null;
  for (const c of logged) {
    const ct = Math.floor((c.commitDate ?? c.authorDate ?? new Date(0)).getTime() / 1000);
    if (ct < sinceS) {
      base ??= c.hash; // log is newest first: the first one before the window
      continue;
    }
    const at = Math.floor((c.authorDate ?? c.commitDate ?? new Date(0)).getTime() / 1000);
    commits.push({
      sha: c.hash,
      subject: c.message.split('\n', 1)[0] ?? '',
      authoredAt: new Date(at * 1000).toISOString().replace('.000Z', 'Z'),
      at,
      ct,
      added: c.shortStat?.insertions ?? 0,
      removed: c.shortStat?.deletions ?? 0,
    });
  }
  return {
    kind: 'repo',
    history: { repoRoot, worktree: worktreeOf(repoRoot), remoteUrl: remoteOf(repo), branch, base, commits },
  };
}

/** `origin`'s URL, else the first remote's, credentials stripped (as the CLI reader does). */
function remoteOf(repo: GitRepository): string | null {
  const remotes = repo.state.remotes;
  const r = remotes.find((x) => x.name === 'origin') ?? remotes[0];
  const url = r?.fetchUrl ?? r?.pushUrl;
  return url ? stripRemoteCredentials(url) : null;
}

/** A linked worktree has a `.git` file pointing into the main repository's `worktrees/` (a submodule's does not). */
function worktreeOf(root: string): string | null {
  try {
    const dotGit = path.join(root, '.git');
    if (!statSync(dotGit).isFile()) return null;
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim() ?? '';
    return /[\\/]worktrees[\\/][^\\/]+$/.test(gitdir) ? root : null;
  } catch {
    return null;
  }
}
