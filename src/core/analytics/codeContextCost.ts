import type { UsageTotals } from './totals';

/** What code context says about one session (the store's session_git and github_commit_prs, masked). */
export interface SessionCodeContext {
  repoRoot: string;
  branch: string | null;
  pullRequests: readonly { number: number; title: string; state: string; url: string }[];
}

export interface BranchCost {
  repo: string;
  branch: string | null;
  sessions: number;
  tokens: number;
  costUsd: number | null;
}

export interface PullRequestCost {
  number: number;
  title: string;
  state: string;
  url: string;
  repo: string;
  sessions: number;
  tokens: number;
  costUsd: number | null;
  sessionIds: string[];
}

/**
 * Cost per repository branch and per pull request: the sessions' costs (analytics' bySession) summed by their
 * code context. A session counts once per branch; a session whose commits are in two pull requests counts in
 * both (each PR's figure is what the sessions behind it cost, so PR rows do not sum to the total).
 */
export function costByCodeContext(
  bySession: readonly (UsageTotals & { key: string })[],
  contextOf: (sessionId: string) => SessionCodeContext | undefined,
): { sessions: number; branches: BranchCost[]; pullRequests: PullRequestCost[] } {
  const branches = new Map<string, BranchCost>();
  const pulls = new Map<string, PullRequestCost>();
  const addCost = (a: number | null, c: number | null) => (c === null ? a : (a ?? 0) + c);
  let sessions = 0;
  for (const s of bySession) {
    const ctx = contextOf(s.key);
    if (!ctx) continue;
    sessions++;
    const bk = `${ctx.repoRoot}\u0000${ctx.branch ?? ''}`;
    const b = branches.get(bk) ?? { repo: ctx.repoRoot, branch: ctx.branch, sessions: 0, tokens: 0, costUsd: null };
    b.sessions++;
    b.tokens += s.totalTokens;
    b.costUsd = addCost(b.costUsd, s.costUsd);
    branches.set(bk, b);
    for (const pr of ctx.pullRequests) {
      const pk = `${ctx.repoRoot}\u0000${pr.number}`;
      const p = pulls.get(pk) ?? {
        ...pr,
        repo: ctx.repoRoot,
        sessions: 0,
        tokens: 0,
        costUsd: null,
        sessionIds: [],
      };
      p.sessions++;
      p.tokens += s.totalTokens;
      p.costUsd = addCost(p.costUsd, s.costUsd);
      p.sessionIds.push(s.key);
      pulls.set(pk, p);
    }
  }
  const byCost = <T extends { costUsd: number | null; tokens: number }>(a: T, b: T) =>
    (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.tokens - a.tokens;
  return {
    sessions,
    branches: [...branches.values()].sort(
      (a, b) => byCost(a, b) || a.repo.localeCompare(b.repo) || (a.branch ?? '').localeCompare(b.branch ?? ''),
    ),
    pullRequests: [...pulls.values()]
      .map((p) => ({ ...p, sessionIds: [...p.sessionIds].sort() }))
      .sort((a, b) => byCost(a, b) || a.repo.localeCompare(b.repo) || a.number - b.number),
  };
}
