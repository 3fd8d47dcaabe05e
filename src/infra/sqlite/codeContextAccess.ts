import type { SessionGitContext, SessionGitJson } from '../../core/codeContext/gitContext';
import {
  gitJsonBySession,
  markGitMissing,
  markVanishedRepos,
  type PendingContext,
  pendingGitContexts,
  saveGitContext,
} from './codeContextStore';
import type { SqlDriver } from './driver';
import {
  githubBackoffUntil,
  type PullLookup,
  pullLookupsDue,
  revalidatedPulls,
  savePulls,
  setGithubBackoff,
} from './githubPullsStore';
import { type FileTouch, filesOfSession, fileTouches } from './sessionFiles';

/** The store's code-context tables (session_files, session_git, github_commit_prs) behind `Store.codeContext`. */
export class CodeContextAccess {
  constructor(private readonly db: SqlDriver) {}

  /** Every touch of the file whose normalized key is `pathKey` (sessionFiles.ts), newest first. */
  fileTouches(pathKey: string): FileTouch[] {
    return fileTouches(this.db, pathKey);
  }

  filesOfSession(sessionId: string): string[] {
    return filesOfSession(this.db, sessionId);
  }

  /** Sessions whose git context is due (never computed, or their window moved). */
  pendingGitContexts(): PendingContext[] {
    return pendingGitContexts(this.db);
  }

  saveGitContext(p: PendingContext, ctx: SessionGitContext | null): void {
    saveGitContext(this.db, p, ctx);
  }

  markGitMissing(p: PendingContext): void {
    markGitMissing(this.db, p);
  }

  markVanishedRepos(exists: (root: string) => boolean): number {
    return markVanishedRepos(this.db, exists);
  }

  pullLookupsDue(staleBeforeMs: number, limit: number): PullLookup[] {
    return pullLookupsDue(this.db, staleBeforeMs, limit);
  }

  savePulls(l: PullLookup, prsJson: string, etag: string | null, now: number): void {
    savePulls(this.db, l, prsJson, etag, now);
  }

  revalidatedPulls(l: PullLookup, now: number): void {
    revalidatedPulls(this.db, l, now);
  }

  githubBackoffUntil(): number {
    return githubBackoffUntil(this.db);
  }

  setGithubBackoff(untilMs: number): void {
    setGithubBackoff(this.db, untilMs);
  }

  /** The `git` field of `cct sessions --json`, per session that has a repository. */
  gitJsonBySession(): Map<string, SessionGitJson> {
    return gitJsonBySession(this.db);
  }
}
