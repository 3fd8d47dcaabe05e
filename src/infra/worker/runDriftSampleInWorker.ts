import { Worker } from 'node:worker_threads';
import type { DriftSampleJobInput } from './protocol';
import { workerEntry } from './workerEntry';

/**
 * "Save Drift Sample" in the editor: the scan worker bundle (which carries the store and the Privacy Guard) re-reads
 * and masks the sampled lines and writes the file, so the host's bundles do not carry the guard's rules for it.
 * Resolves with how many lines were written.
 */
export function runDriftSampleInWorker(input: Omit<DriftSampleJobInput, 'mode'>): Promise<{ lines: number }> {
  const { file, execArgv } = workerEntry();
  const worker = new Worker(file, {
    workerData: { ...input, mode: 'drift-sample' } satisfies DriftSampleJobInput,
    execArgv,
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { type: string; lines?: number; message?: string }) => {
      void worker.terminate();
      if (m.type === 'drift-sample-done') resolve({ lines: m.lines ?? 0 });
      else reject(new Error(m.message ?? 'drift sample failed'));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      reject(e);
    });
  });
}
