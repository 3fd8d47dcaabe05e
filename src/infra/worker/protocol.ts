import type { ScanProgress, ScanStats } from '../../core/collector/collector';
import type { DriftWarning } from '../../core/collector/driftWarning';
import type { FileChunk } from '../../core/collector/fileReader';
import type { DiscoveredFile, FileCursor, TailResult } from '../../core/collector/ports';
import type { Level } from '../../core/privacy';
import type { HistoryLookup } from '../git/repoContext';
import type { Retention } from '../sqlite/applyRetention';
import type { BackendChoice } from '../sqlite/openDriver';
import type { WatchConfig } from './textWatch';

/** Row counts of the whole store after a scan. */
export interface StoreTotals {
  sessions: number;
  interactions: number;
  apiMessages: number;
}

/** Messages between the host and the scan worker (structured-clone plain objects). */
export interface ScanJobInput {
  dbPath: string;
  /** Config dirs or projects/ dirs. */
  roots: string[];
  backend?: BackendChoice;
  privacyLevel?: Level;
  /** Key for the masker's HMAC tags (the extension keeps it in SecretStorage). */
  hmacKey: string;
  /** The user's extra masking rules (already validated by the host; see validateCustomRules). */
  customRules?: unknown[];
  /** How long the ingest lease lasts without a heartbeat. */
  leaseMs?: number;
  /** Parse + mask in a nested worker while this one writes (uses a second core). Default off. */
  parallel?: boolean;
  /** With `parallel`: new bytes from which the nested worker is used (default 32 MiB; tests set 0). */
  parallelMinBytes?: number;
  /** Re-read every file from the start (after forgetting the cursors); archived rows stay. */
  rebuild?: boolean;
  /** Globs of project paths not ingested (the editor's `claudeTracer.tracking.excludeProjects`). */
  excludeProjects?: string[];
  /** Price rows over the built-in table (the editor's `claudeTracer.pricing.overrides`) for the session figures. */
  priceOverrides?: unknown[];
  /** Applied after the scan: sessions idle longer than this, or the oldest beyond this size, are deleted. */
  retention?: Retention;
  /** Owner of the ingest lease: the same across the workers of one scan (a restarted one takes the lease over). */
  leaseOwner?: string;
  /** Set by runScanInWorker: the watchdog's shared slots and the texts to skip. */
  watch?: Omit<WatchConfig, 'slot'>;
  /**
   * Opt-in GitHub pull request lookup after the git step (claudeTracer.github.enabled and signed in): the API base,
   * the web hosts whose remotes count, and the token (sent to GitHub only, never logged).
   */
  github?: { apiBaseUrl: string; webHosts: string[]; token: string };
  /**
   * The host answers `git-history` requests (the editor, from VS Code's Git extension): the worker asks it first
   * and reads the git CLI itself when the answer is null. Set by runScanInWorker when given a source.
   */
  gitFromHost?: boolean;
  /** Tests only: a rule on V8 that backtracks for hours on `hangme` followed by a's (makes a text hang for real). */
  hangRuleForTests?: boolean;
}

export type WorkerToHost =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'busy'; holder: string | undefined }
  | {
      type: 'done';
      stats: ScanStats;
      backend: string;
      totals: StoreTotals;
      pruned: number;
      /** Format drift under Claude Code versions the editor has not warned about (now marked warned in the store). */
      drift: DriftWarning[];
    }
  | { type: 'error'; message: string }
  /** What one directory's repository says about a branch since a time (gitFromHost). */
  | { type: 'git-history'; id: number; cwd: string; branchHint: string | null; sinceMs: number };

export type HostToWorker =
  | { type: 'cancel' }
  /** null: the host has no answer (no Git extension, or it does not know the folder): use the git CLI. */
  | { type: 'git-history'; id: number; answer: HistoryLookup | null };

/** Where the host reads a repository's history for the worker (the editor: VS Code's Git extension API). */
export type HostGitHistory = (cwd: string, branchHint: string | null, sinceMs: number) => Promise<HistoryLookup | null>;

/** workerData of a parse worker (mode 'parse'): the files to read, with their cursors. */
/** "Save Drift Sample": mask the sampled drift lines at the strict level and write them to `out`. */
export interface DriftSampleJobInput {
  mode: 'drift-sample';
  dbPath: string;
  out: string;
  hmacKey: string;
  customRules?: unknown[];
  /** The extension's version, written into the sample. */
  version: string;
}

export interface ParseJobInput {
  mode: 'parse';
  files: { file: DiscoveredFile; cursor: FileCursor | undefined }[];
  privacyLevel?: Level;
  hmacKey: string;
  customRules?: unknown[];
  watch?: WatchConfig;
  hangRuleForTests?: boolean;
}

export type ParseToWriter =
  | { type: 'chunk'; chunk: FileChunk }
  | { type: 'fileDone'; index: number; result: TailResult }
  | { type: 'end' }
  | { type: 'error'; message: string };

export type WriterToParse = { type: 'ack' } | { type: 'cancel' };
