import { existsSync } from 'node:fs';
import type { SessionCommit, SessionGitContext } from '../../core/codeContext/gitContext';
import { githubRepoOf } from '../../core/codeContext/githubRemote';
import { matchRewritten } from '../../core/codeContext/rewrittenCommits';
import type { Masker } from '../../core/privacy/masker';
import type { PendingContext } from '../sqlite/codeContextStore';
import type { Store } from '../sqlite/store';
import { patchIds } from './patchIds';
import { type HistoryLookup, readRepoHistory, windowContext } from './repoContext';

export interface CodeContextReport {
  /** Sessions looked up (their window changed or was never computed). */
  sessions: number;
  inRepo: number;
  missing: number;
  /** Sessions whose recorded directory is masked text, which names no directory to ask git about. */
  unreadable: number;
  /** Stored contexts newly marked missing (their repository root is gone). */
  vanished: number;
  /** Finished sessions computed again because a recorded commit is no longer on their branch (rebase, amend). */
  rechecked: number;
  /** Recorded commits found again under a new sha by patch-id. */
  rewritten: number;
  ms: number;
}

export interface RefreshOptions {
  now?: () => number;
  /** How often finished sessions are checked for rewritten commits (default 10 minutes). */
  rewriteCheckEveryMs?: number;
  /** Only sessions that ended within this long are checked (default 30 days). */
  rewriteHorizonMs?: number;
  /** Where a repository's history is read (default the git CLI; the editor asks VS Code's Git extension first). */
  readHistory?: (cwd: string, branchHint: string | null, sinceMs: number) => Promise<HistoryLookup>;
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
  o: RefreshOptions = {},
): Promise<CodeContextReport> {
  const t0 = Date.now();
  const now = o.now ?? Date.now;
  const report: CodeContextReport = {
    sessions: 0,
    inRepo: 0,
    missing: 0,
    unreadable: 0,
    vanished: 0,
    rechecked: 0,
    rewritten: 0,
    ms: 0,
  };
  report.vanished = store.codeContext.markVanishedRepos((root) => !root.includes('«') && existsSync(root));
  const mask = (s: string) => masker.maskText(s).text;
  const githubRepoMasked = (remote: string | null) => {
    const repo = remote === null ? undefined : githubRepoOf(remote, githubHosts);
    return repo === undefined ? null : mask(repo);
  };
  // One git history per directory and branch, shared by its sessions (readRepoHistory).
  const groups: Groups = new Map();
  for (const p of store.codeContext.pendingGitContexts()) {
    report.sessions++;
    const cwd = p.projectPath;
    if (!cwd || cwd.includes('«') || cwd.includes('[REDACTED')) {
      report.unreadable++;
      store.codeContext.saveGitContext(p, null);
      continue;
    }
    groupOf(groups, cwd, p.gitBranch).sessions.push(p);
  }
  const histories = new Map<string, { since: number; found: HistoryLookup }>();
  const history = async (key: string, cwd: string, hint: string | null, since: number) => {
    const had = histories.get(key);
    if (had && had.since <= since) return had.found;
    const found = await (o.readHistory ?? readRepoHistory)(cwd, hint, since);
    histories.set(key, { since, found });
    return found;
  };
  if (now() - store.codeContext.rewriteCheckAt() >= (o.rewriteCheckEveryMs ?? 10 * 60_000)) {
    store.codeContext.setRewriteCheckAt(now());
    for (const p of await rewrittenSessions(store, groups, history, now() - (o.rewriteHorizonMs ?? 30 * 86_400_000))) {
      report.rechecked++;
      groups.get(groupKey(p.projectPath!, p.gitBranch))!.sessions.push(p);
    }
  }
  for (const [key, g] of groups) {
    const since = Math.min(...g.sessions.map((p) => p.firstTs));
    const found = await history(key, g.cwd, g.hint, since);
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
      const recorded = store.codeContext.recordedCommits(p.sessionId);
      const replaced = await rewrittenShas(g.cwd, recorded, c.commits);
      report.rewritten += replaced.size;
      const earlier = new Map(recorded.map((k) => [k.sha, k]));
      const ctx: SessionGitContext = {
        repoRoot: mask(c.repoRoot),
        worktree: c.worktree === null ? null : mask(c.worktree),
        remoteUrl: c.remoteUrl === null ? null : mask(c.remoteUrl),
        branch: c.branch === null ? null : mask(c.branch),
        headStart: c.headStart,
        headEnd: c.headEnd,
        commits: c.commits.map((k): SessionCommit => {
          const previousSha = replaced.get(k.sha);
          const kept = earlier.get(k.sha); // an earlier match carries forward
          return {
            sha: k.sha,
            subject: mask(k.subject),
            authoredAt: k.authoredAt,
            ...(previousSha
              ? { previousSha, matchedBy: 'patch-id' as const }
              : kept?.previousSha
                ? { previousSha: kept.previousSha, matchedBy: kept.matchedBy }
                : {}),
          };
        }),
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

type Groups = Map<string, { cwd: string; hint: string | null; sessions: PendingContext[] }>;
type History = (key: string, cwd: string, hint: string | null, since: number) => Promise<HistoryLookup>;

/** The transcript's branch when it is plain text (a masked one names no branch git knows). */
function hintOf(gitBranch: string | null): string | null {
  return gitBranch && !gitBranch.includes('«') ? gitBranch : null;
}

function groupKey(cwd: string, gitBranch: string | null): string {
  return `${cwd}\u0000${hintOf(gitBranch) ?? ''}`;
}

function groupOf(groups: Groups, cwd: string, gitBranch: string | null) {
  const key = groupKey(cwd, gitBranch);
  let g = groups.get(key);
  if (!g) {
    g = { cwd, hint: hintOf(gitBranch), sessions: [] };
    groups.set(key, g);
  }
  return g;
}

/**
 * Finished sessions (not already due) one of whose recorded commits is no longer on their branch: a rebase or an
 * amend rewrote it. Only where the session's branch still exists: a deleted branch (merged and removed) keeps the
 * history as recorded rather than borrowing HEAD's commits. One history read per directory and branch.
 */
async function rewrittenSessions(
  store: Store,
  groups: Groups,
  history: History,
  sinceMs: number,
): Promise<PendingContext[]> {
  const due = new Set([...groups.values()].flatMap((g) => g.sessions.map((p) => p.sessionId)));
  const checks = new Map<string, { cwd: string; hint: string; sessions: (PendingContext & { shas: string[] })[] }>();
  for (const c of store.codeContext.contextsWithCommits(sinceMs)) {
    const cwd = c.projectPath;
    const hint = hintOf(c.gitBranch);
    if (due.has(c.sessionId) || !cwd || cwd.includes('«') || cwd.includes('[REDACTED') || !hint || hint === 'HEAD')
      continue;
    const key = groupKey(cwd, hint);
    const g = checks.get(key) ?? { cwd, hint, sessions: [] };
    g.sessions.push(c);
    checks.set(key, g);
  }
  const out: PendingContext[] = [];
  for (const [key, g] of checks) {
    const found = await history(key, g.cwd, g.hint, Math.min(...g.sessions.map((p) => p.firstTs)));
    if (found.kind !== 'repo' || found.history.branch !== g.hint) continue;
    const onBranch = new Set(found.history.commits.map((k) => k.sha));
    for (const { shas, ...p } of g.sessions) {
      if (!shas.some((sha) => !onBranch.has(sha))) continue;
      groupOf(groups, g.cwd, p.gitBranch);
      out.push(p);
    }
  }
  return out;
}

/** For each fresh commit that replaces a recorded one no longer in the window, the recorded sha (by patch-id). */
async function rewrittenShas(
  cwd: string,
  recorded: readonly SessionCommit[],
  fresh: readonly { sha: string }[],
): Promise<Map<string, string>> {
  const freshShas = new Set(fresh.map((k) => k.sha));
  const vanished = recorded.filter((k) => !freshShas.has(k.sha));
  if (vanished.length === 0 || fresh.length === 0) return new Map();
  // the rewritten objects stay in the repository until git gc prunes them (reflog: 30 to 90 days)
  const ids = await patchIds(cwd, [...vanished.map((k) => k.sha), ...freshShas]);
  const withId = (k: { sha: string }) => ({ sha: k.sha, patchId: ids.get(k.sha) ?? null });
  return matchRewritten(recorded.map(withId), fresh.map(withId));
}
