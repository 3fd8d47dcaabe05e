import { Worker } from 'node:worker_threads';
import type { FileChunk, ParallelReader } from '../../core/collector/fileReader';
import type { DiscoveredFile, FileCursor, TailResult } from '../../core/collector/ports';
import type { Level } from '../../core/privacy';
import type { ParseJobInput, ParseToWriter } from './protocol';
import type { WatchConfig } from './textWatch';
import { workerEntry } from './workerEntry';

/**
 * ParallelReader backed by one parse worker: it parses and masks, this thread writes. On two cores the two
 * halves overlap; the worker stays at most a few chunks ahead (acks are credits).
 */
export class WorkerParallelReader implements ParallelReader {
  constructor(
    private readonly opts: {
      privacyLevel?: Level;
      hmacKey: string;
      customRules?: unknown[];
      /** The scan worker's watchdog, when a scan worker runs this reader (slot 1). */
      watch?: WatchConfig;
      hangRuleForTests?: boolean;
    },
  ) {}

  read(
    files: readonly { file: DiscoveredFile; cursor: FileCursor | undefined }[],
    onChunk: (c: FileChunk) => void,
    onFileDone: (index: number, r: TailResult) => void,
    signal?: { readonly aborted: boolean },
  ): Promise<void> {
    const { file, execArgv } = workerEntry();
    const data: ParseJobInput = {
      mode: 'parse',
      files: [...files],
      privacyLevel: this.opts.privacyLevel,
      hmacKey: this.opts.hmacKey,
      customRules: this.opts.customRules,
      watch: this.opts.watch,
      hangRuleForTests: this.opts.hangRuleForTests,
    };
    const worker = new Worker(file, { workerData: data, execArgv });
    return new Promise<void>((resolve, reject) => {
      let finished = false;
      const finish = (err?: Error) => {
        if (finished) return;
        finished = true;
        void worker.terminate();
        if (err) reject(err);
        else resolve();
      };
      worker.on('message', (m: ParseToWriter) => {
        if (finished) return;
        try {
          if (m.type === 'chunk') {
            onChunk(m.chunk);
            worker.postMessage({ type: signal?.aborted ? 'cancel' : 'ack' });
          } else if (m.type === 'fileDone') onFileDone(m.index, m.result);
          else if (m.type === 'end') finish();
          else if (m.type === 'error') finish(new Error(m.message));
        } catch (e) {
          finish(e instanceof Error ? e : new Error(String(e)));
        }
      });
      worker.on('error', (e) => finish(e));
      worker.on('exit', (code) => finish(code === 0 ? undefined : new Error(`parse worker exited with code ${code}`)));
    });
  }
}
