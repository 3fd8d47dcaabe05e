import type { Masked } from '../privacy/masker';
import type { RewriteMatch } from './rewrittenCommits';

/** A commit made during a session (on its branch, author or committer time inside the session window). */
export interface SessionCommit {
  sha: string;
  subject: Masked;
  authoredAt: string;
  /** Set when this commit replaced a recorded one that a rebase, amend or cherry-pick rewrote (rewrittenCommits.ts). */
  previousSha?: string;
  matchedBy?: RewriteMatch;
}

/** What git says about a session's repository (computed after a scan, cached in the store). Text is masked. */
export interface SessionGitContext {
  repoRoot: Masked;
  /** The linked worktree the session ran in, or null in the main working tree. */
  worktree: Masked | null;
  remoteUrl: Masked | null;
  branch: Masked | null;
  headStart: string | null;
  headEnd: string | null;
  commits: SessionCommit[];
  /** Summed over `commits` (git numstat; binary files count 0). */
  linesAdded: number;
  linesRemoved: number;
  /** The repository was gone at the last check: the rest is what was known before. */
  missing: boolean;
  /** `owner/repo` when the remote is on GitHub (or the configured Enterprise host), for the pull request lookup. */
  githubRepo?: Masked | null;
}

/** The `git` field of a `cct sessions --json` row (add fields, never rename). */
export interface SessionGitJson {
  repoRoot: Masked;
  worktree: Masked | null;
  remoteUrl: Masked | null;
  branch: Masked | null;
  headStart: string | null;
  headEnd: string | null;
  commits: SessionCommit[];
  filesTouched: string[];
  linesAdded: number;
  linesRemoved: number;
  /** Claude Code's own counts of the lines its tools changed (cost-state), where the transcript has them. */
  claudeLinesAdded: number | null;
  claudeLinesRemoved: number | null;
  missing: boolean;
  /** GitHub pull requests containing the commits (the opt-in lookup, `cct scan --github`); [] until looked up. */
  pullRequests: { number: number; title: Masked; state: string; url: Masked; mergedAt: string | null }[];
}
