import { Worker } from 'node:worker_threads';
import type { ScanProgress, ScanStats } from '../../core/collector/collector';
import type { ScanJobInput, StoreTotals, WorkerToHost } from './protocol';
import { workerEntry } from './workerEntry';

export type { ScanJobInput, StoreTotals } from './protocol';

export interface ScanDone {
  status: 'done';
  stats: ScanStats;
  backend: string;
  totals: StoreTotals;
  /** Sessions deleted by the retention cap after this scan. */
  pruned: number;
}

export interface ScanJob {
  /** Resolves with the scan's stats; `busy` when another process holds the ingest lease. */
  readonly result: Promise<ScanDone | { status: 'busy'; holder: string | undefined }>;
  /** Asks the worker to stop after the current file (what it ingested is committed). */
  cancel(): void;
}

/**
 * Runs a scan in a worker_thread so the caller's event loop (the extension host) stays free; progress
 * arrives as events. The worker is the bundled dist/worker/scanWorker.js next to the caller's bundle, or
 * the TypeScript source through tsx when running from source (tests, `npx tsx`).
 */
export function runScanInWorker(input: ScanJobInput, onProgress?: (p: ScanProgress) => void): ScanJob {
  const { file, execArgv } = workerEntry();
  const worker = new Worker(file, { workerData: input, execArgv });
  let settled = false;
  // The worker's message listener keeps it alive: end it once it has answered (its store is closed by then).
  const finish = () => {
    settled = true;
    void worker.terminate();
  };
  const result = new Promise<Awaited<ScanJob['result']>>((resolve, reject) => {
    worker.on('message', (m: WorkerToHost) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') {
        finish();
        resolve({ status: 'done', stats: m.stats, backend: m.backend, totals: m.totals, pruned: m.pruned });
      } else if (m.type === 'busy') {
        finish();
        resolve({ status: 'busy', holder: m.holder });
      } else if (m.type === 'error') {
        finish();
        reject(new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`scan worker exited with code ${code} before finishing`));
    });
  });
  return {
    result,
    cancel: () => worker.postMessage({ type: 'cancel' }),
  };
}
