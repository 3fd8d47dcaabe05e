import { Worker } from 'node:worker_threads';
import type { ScanProgress, ScanStats } from '../../core/collector/collector';
import type { DriftWarning } from '../../core/collector/driftWarning';
import type { HistoryLookup } from '../git/repoContext';
import type { HostGitHistory, HostToWorker, ScanJobInput, StoreTotals, WorkerToHost } from './protocol';
import { createWatchBuffer, DEFAULT_WATCHDOG, expiredSlot, takeStuckText } from './textWatch';
import { workerEntry } from './workerEntry';

export type { ScanJobInput, StoreTotals } from './protocol';

export interface ScanDone {
  status: 'done';
  /** Stats of the last worker (after a watchdog restart, what the earlier ones committed is in `totals`). */
  stats: ScanStats;
  backend: string;
  totals: StoreTotals;
  /** Sessions deleted by the retention cap after this scan. */
  pruned: number;
  /** One line per text the watchdog gave up on (stored as [REDACTED:unscanned]); empty normally. */
  diagnostics: string[];
  /** Format drift under Claude Code versions not warned about before (once per version). */
  drift: DriftWarning[];
}

export interface ScanJob {
  /** Resolves with the scan's stats; `busy` when another process holds the ingest lease. */
  readonly result: Promise<ScanDone | { status: 'busy'; holder: string | undefined }>;
  /** Asks the worker to stop after the current file (what it ingested is committed). */
  cancel(): void;
}

export interface WatchdogOptions {
  /** Deadline of one text: baseMs + perMbMs per MiB of it. Default 15 s + 2 s/MiB (the guard's own budget is 2 s + 0.4 s/MiB). */
  baseMs?: number;
  perMbMs?: number;
  /** How often the host looks (default 250 ms). */
  pollMs?: number;
  /** Worker restarts before the scan fails (default 20). */
  maxRestarts?: number;
}

/**
 * Runs a scan in a worker_thread so the caller's event loop (the extension host) stays free; progress
 * arrives as events. The worker is the bundled dist/worker/scanWorker.js next to the caller's bundle, or
 * the TypeScript source through tsx when running from source (tests, `npx tsx`).
 *
 * Watchdog: the worker publishes the text it is masking (textWatch.ts). One still being masked past its deadline
 * (a regex stuck in one execution: the guard's own budget is only checked between executions) gets the worker
 * terminated; a new worker takes the lease over and resumes from the committed cursors, skipping that text, which
 * is stored as [REDACTED:unscanned] (fail closed, never the raw text), with a diagnostic in the result.
 */
export function runScanInWorker(
  input: ScanJobInput,
  onProgress?: (p: ScanProgress) => void,
  watchdog: WatchdogOptions = {},
  /** The editor's git source (VS Code's Git extension): asked first for each repository, the CLI otherwise. */
  host: { gitHistory?: HostGitHistory } = {},
): ScanJob {
  const { file, execArgv } = workerEntry();
  const buffer = createWatchBuffer();
  const skip: string[] = [];
  const diagnostics: string[] = [];
  const leaseOwner = input.leaseOwner ?? `scan-worker:${process.pid}:${Date.now()}`;
  const baseMs = watchdog.baseMs ?? DEFAULT_WATCHDOG.baseMs;
  const perMbMs = watchdog.perMbMs ?? DEFAULT_WATCHDOG.perMbMs;
  const maxRestarts = watchdog.maxRestarts ?? 20;
  let worker: Worker | undefined;
  let cancelled = false;

  const result = new Promise<Awaited<ScanJob['result']>>((resolve, reject) => {
    let settled = false;
    let restarts = 0;
    const settle = (fn: () => void) => {
      settled = true;
      clearInterval(poll);
      // The worker's message listener keeps it alive: end it once it has answered (its store is closed by then).
      void worker?.terminate();
      fn();
    };
    const start = () => {
      const w = new Worker(file, {
        workerData: {
          ...input,
          // a restarted worker resumes: the first one already forgot the cursors of a rebuild
          rebuild: input.rebuild && restarts === 0,
          leaseOwner,
          watch: { buffer, baseMs, perMbMs, skip: [...skip] },
          gitFromHost: host.gitHistory !== undefined,
        } satisfies ScanJobInput,
        execArgv,
      });
      worker = w;
      if (cancelled) w.postMessage({ type: 'cancel' });
      w.on('message', (m: WorkerToHost) => {
        if (w !== worker || settled) return;
        if (m.type === 'progress') onProgress?.(m.progress);
        else if (m.type === 'git-history') {
          const answer = (a: HistoryLookup | null) =>
            w.postMessage({ type: 'git-history', id: m.id, answer: a } satisfies HostToWorker);
          host.gitHistory!(m.cwd, m.branchHint, m.sinceMs).then(answer, () => answer(null));
        } else if (m.type === 'done')
          settle(() =>
            resolve({
              status: 'done',
              stats: m.stats,
              backend: m.backend,
              totals: m.totals,
              pruned: m.pruned,
              diagnostics,
              drift: m.drift,
            }),
          );
        else if (m.type === 'busy') settle(() => resolve({ status: 'busy', holder: m.holder }));
        else if (m.type === 'error') settle(() => reject(new Error(m.message)));
      });
      w.on('error', (e) => {
        if (w === worker && !settled) settle(() => reject(e));
      });
      w.on('exit', (code) => {
        if (w === worker && !settled)
          settle(() => reject(new Error(`scan worker exited with code ${code} before finishing`)));
      });
    };
    let stopping = false;
    const poll = setInterval(() => {
      if (settled || stopping) return;
      const slot = expiredSlot(buffer, Date.now());
      if (slot === undefined) return;
      stopping = true;
      const stuck = worker;
      worker = undefined; // its late messages and its exit are ignored from now on
      void stuck?.terminate().then(() => {
        stopping = false;
        if (settled) return;
        // read once the worker is gone: the slot cannot change any more
        const text = takeStuckText(buffer, slot, Date.now());
        if (text) {
          skip.push(text.fingerprint);
          diagnostics.push(
            `a text of ${text.length} characters was still being masked after ${Math.round(baseMs + (text.length / 1_048_576) * perMbMs)} ms: the scan worker was stopped and restarted, the text stored as [REDACTED:unscanned]`,
          );
        }
        if (++restarts > maxRestarts) {
          settled = true;
          clearInterval(poll);
          reject(new Error(`scan worker stopped by its watchdog ${restarts} times; giving up`));
          return;
        }
        start();
      });
    }, watchdog.pollMs ?? 250);
    start();
  });
  return {
    result,
    cancel: () => {
      cancelled = true;
      worker?.postMessage({ type: 'cancel' });
    },
  };
}
