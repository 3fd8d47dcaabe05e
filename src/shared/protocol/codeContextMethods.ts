import * as z from 'zod';
import { defineMethod } from './rpc';

/**
 * The Session detail's code context (issue 13): repository, branch, HEAD, commits, touched files and pull requests,
 * from the store's session_git / session_files / github_commit_prs. Text is masked (the remote URL too).
 */
const SessionId = z.string().min(1).max(200);
const Count = z.number().int().nonnegative();

export const CodeContextSchema = z.object({
  /** Repository root (masked). */
  repoRoot: z.string(),
  worktree: z.string().nullable(),
  /** Remote URL, credentials stripped, then masked. */
  remoteUrl: z.string().nullable(),
  /** The repository as the Sessions filter names it (remote URL, else root). */
  repository: z.string(),
  branch: z.string().nullable(),
  headStart: z.string().nullable(),
  headEnd: z.string().nullable(),
  /** The repository root no longer exists (history kept). */
  missing: z.boolean(),
  commits: z.array(z.object({ sha: z.string(), subject: z.string(), authoredAt: z.string() })),
  linesAdded: Count,
  linesRemoved: Count,
  /** Claude Code's own counts of the lines its tools changed, where the transcript has them. */
  claudeLinesAdded: Count.nullable(),
  claudeLinesRemoved: Count.nullable(),
  pullRequests: z.array(
    z.object({ number: Count, title: z.string(), state: z.string(), url: z.string(), mergedAt: z.string().nullable() }),
  ),
});
export type CodeContext = z.infer<typeof CodeContextSchema>;

/** One file a session's tools touched: `path` is what session/openFile takes, `display` relative to the root. */
export const TouchedFileSchema = z.object({ path: z.string(), display: z.string() });
export type TouchedFile = z.infer<typeof TouchedFileSchema>;

/** `git` null: no repository (or its context is not computed yet). Files are listed either way. */
export const sessionCodeContext = defineMethod(
  'session/codeContext',
  z.object({ sessionId: SessionId }),
  z.object({ git: CodeContextSchema.nullable(), files: z.array(TouchedFileSchema) }),
);

/**
 * Opens one of the session's pull requests in the browser (openExternal through the host). The host opens only an
 * https URL of that session's stored pull requests on an allowed GitHub host; anything else answers invalidParams.
 */
export const sessionOpenPullRequest = defineMethod(
  'session/openPullRequest',
  z.object({ sessionId: SessionId, url: z.string().min(1).max(2000) }),
  z.object({ opened: z.boolean() }),
);

export const CODE_CONTEXT_METHODS = [sessionCodeContext, sessionOpenPullRequest] as const;
