import type { SessionCommit, SessionGitContext, SessionGitJson } from '../../core/codeContext/gitContext';
import {
  contextsWithCommits,
  gitJsonBySession,
  markGitMissing,
  markVanishedRepos,
  type PendingContext,
  pendingGitContexts,
  recordedCommits,
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
import { type FileTouch, filesOfSession, fileTouches, touchedFilesOf } from './sessionFiles';

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

  recordedCommits(sessionId: string): SessionCommit[] {
    return recordedCommits(this.db, sessionId);
  }

  /** Sessions with commits in a live repository whose window ended at or after `sinceMs` (rewrite check). */
  contextsWithCommits(sinceMs: number): (PendingContext & { shas: string[] })[] {
    return contextsWithCommits(this.db, sinceMs);
  }

  /** meta `git_rewrite_check_at`: when the last check for rewritten commits ran (ms, 0 never). */
  rewriteCheckAt(): number {
    return Number(this.db.prepare("SELECT value FROM meta WHERE key = 'git_rewrite_check_at'").get()?.value ?? 0) || 0;
  }

  setRewriteCheckAt(ms: number): void {
    this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('git_rewrite_check_at', ?)").run([String(ms)]);
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

  /** One session's git context (the Session detail's code context); undefined outside a repository / not computed. */
  gitJsonOf(sessionId: string): SessionGitJson | undefined {
    return gitJsonBySession(this.db, sessionId).get(sessionId);
  }

  /** The files the session's tools touched, absolute (as stored) and relative to the repository root where known. */
  touchedFiles(sessionId: string): { path: string; relPath: string | null }[] {
    return touchedFilesOf(this.db, sessionId);
  }
}
