import { existsSync } from 'node:fs';
import type { SessionGitContext } from '../../core/codeContext/gitContext';
import { githubRepoOf } from '../../core/codeContext/githubRemote';
import type { Masker } from '../../core/privacy/masker';
import type { PendingContext } from '../sqlite/codeContextStore';
import type { Store } from '../sqlite/store';
import { readRepoHistory, windowContext } from './repoContext';

export interface CodeContextReport {
  /** Sessions looked up (their window changed or was never computed). */
  sessions: number;
  inRepo: number;
  missing: number;
  /** Sessions whose recorded directory is masked text, which names no directory to ask git about. */
  unreadable: number;
  /** Stored contexts newly marked missing (their repository root is gone). */
  vanished: number;
  ms: number;
}

/**
 * After a scan, off the ingest path: asks git about every session whose window changed (or that was never
 * looked at), once per directory and branch, and caches the masked result in the store. What git prints (paths, remote, branch, subjects) is
 * masked like transcript text before it is stored.
 */
export async function refreshCodeContext(
  store: Store,
  masker: Masker,
  /** Web hosts whose remotes are GitHub repositories (github.com, and a GitHub Enterprise host when set). */
  githubHosts: readonly string[] = ['github.com'],
): Promise<CodeContextReport> {
  const t0 = Date.now();
  const report: CodeContextReport = { sessions: 0, inRepo: 0, missing: 0, unreadable: 0, vanished: 0, ms: 0 };
  report.vanished = store.codeContext.markVanishedRepos((root) => !root.includes('«') && existsSync(root));
  const mask = (s: string) => masker.maskText(s).text;
  const githubRepoMasked = (remote: string | null) => {
    const repo = remote === null ? undefined : githubRepoOf(remote, githubHosts);
    return repo === undefined ? null : mask(repo);
  };
  // One git history per directory and branch, shared by its sessions (readRepoHistory).
  const groups = new Map<string, { cwd: string; hint: string | null; sessions: PendingContext[] }>();
  for (const p of store.codeContext.pendingGitContexts()) {
    report.sessions++;
    const cwd = p.projectPath;
    if (!cwd || cwd.includes('«') || cwd.includes('[REDACTED')) {
      report.unreadable++;
      store.codeContext.saveGitContext(p, null);
      continue;
    }
    const hint = p.gitBranch && !p.gitBranch.includes('«') ? p.gitBranch : null;
    const key = `${cwd}\u0000${hint ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { cwd, hint, sessions: [] };
      groups.set(key, g);
    }
    g.sessions.push(p);
  }
  for (const g of groups.values()) {
    const since = Math.min(...g.sessions.map((p) => p.firstTs));
    const found = await readRepoHistory(g.cwd, g.hint, since);
    for (const p of g.sessions) {
      if (found.kind === 'missing') {
        report.missing++;
        store.codeContext.markGitMissing(p);
        continue;
      }
      if (found.kind === 'none') {
        store.codeContext.saveGitContext(p, null);
        continue;
      }
      report.inRepo++;
      const c = windowContext(found.history, { firstMs: p.firstTs, lastMs: p.lastTs });
      const ctx: SessionGitContext = {
        repoRoot: mask(c.repoRoot),
        worktree: c.worktree === null ? null : mask(c.worktree),
        remoteUrl: c.remoteUrl === null ? null : mask(c.remoteUrl),
        branch: c.branch === null ? null : mask(c.branch),
        headStart: c.headStart,
        headEnd: c.headEnd,
        commits: c.commits.map((k) => ({ sha: k.sha, subject: mask(k.subject), authoredAt: k.authoredAt })),
        linesAdded: c.commits.reduce((n, k) => n + k.added, 0),
        linesRemoved: c.commits.reduce((n, k) => n + k.removed, 0),
        missing: false,
        githubRepo: githubRepoMasked(c.remoteUrl),
      };
      store.codeContext.saveGitContext(p, ctx);
    }
  }
  report.ms = Date.now() - t0;
  return report;
}
