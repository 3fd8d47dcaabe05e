import { existsSync } from 'node:fs';
import type { SessionGitContext } from '../../core/codeContext/gitContext';
import type { Masker } from '../../core/privacy/masker';
import type { Store } from '../sqlite/store';
import { readRepoContext } from './repoContext';

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
 * looked at) and caches the masked result in the store. What git prints (paths, remote, branch, subjects) is
 * masked like transcript text before it is stored.
 */
export async function refreshCodeContext(store: Store, masker: Masker): Promise<CodeContextReport> {
  const t0 = Date.now();
  const report: CodeContextReport = { sessions: 0, inRepo: 0, missing: 0, unreadable: 0, vanished: 0, ms: 0 };
  report.vanished = store.markVanishedRepos((root) => !root.includes('«') && existsSync(root));
  const mask = (s: string) => masker.maskText(s).text;
  for (const p of store.pendingGitContexts()) {
    report.sessions++;
    const cwd = p.projectPath;
    if (!cwd || cwd.includes('«') || cwd.includes('[REDACTED')) {
      report.unreadable++;
      store.saveGitContext(p, null);
      continue;
    }
    const hint = p.gitBranch && !p.gitBranch.includes('«') ? p.gitBranch : null;
    const found = await readRepoContext(cwd, { firstMs: p.firstTs, lastMs: p.lastTs }, hint);
    if (found.kind === 'missing') {
      report.missing++;
      store.markGitMissing(p);
      continue;
    }
    if (found.kind === 'none') {
      store.saveGitContext(p, null);
      continue;
    }
    report.inRepo++;
    const c = found.context;
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
    };
    store.saveGitContext(p, ctx);
  }
  report.ms = Date.now() - t0;
  return report;
}
