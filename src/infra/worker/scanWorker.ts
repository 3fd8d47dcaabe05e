/**
 * Worker-thread entry: the whole ingest (read, parse, mask, store) off the extension host's thread.
 * Bundled on its own (dist/worker/scanWorker.js); started by runScanInWorker.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Collector } from '../../core/collector/collector';
import { PriceTable } from '../../core/pricing/priceTable';
import { NodeFileTailer } from '../fs/fileTailer';
import { fsTranscriptSource } from '../fs/transcriptDiscovery';
import { refreshCodeContext } from '../git/refreshCodeContext';
import { applyRetention } from '../sqlite/applyRetention';
import { Store } from '../sqlite/store';
import { runParseJob } from './parseWorker';
import { WorkerParallelReader } from './parseWorkerReader';
import type { HostToWorker, ParseJobInput, ScanJobInput, WorkerToHost } from './protocol';
import { createWorkerGuard } from './workerGuard';

async function run(input: ScanJobInput): Promise<void> {
  const post = (m: WorkerToHost) => parentPort!.postMessage(m);
  const signal = { aborted: false };
  parentPort!.on('message', (m: HostToWorker) => {
    if (m.type === 'cancel') signal.aborted = true;
  });
  const store = await Store.open(input.dbPath, input.backend ?? 'auto');
  const owner = input.leaseOwner ?? `scan-worker:${process.pid}:${Date.now()}`;
  const leaseMs = input.leaseMs ?? 60_000;
  // The host ends this worker as soon as it gets the answer: release the lease and close the store first.
  let answer: WorkerToHost;
  try {
    if (!store.acquireLease(owner, leaseMs)) {
      answer = { type: 'busy', holder: store.leaseHolder() };
    } else {
      const beat = setInterval(() => store.heartbeat(owner, leaseMs), Math.max(1000, leaseMs / 4));
      try {
        if (input.rebuild) store.forgetCursors();
        const masker = createWorkerGuard({ ...input, watch: input.watch && { ...input.watch, slot: 0 } });
        // One core for the extension's scan: a nested parse worker would take the user's second core too.
        const reader = input.parallel
          ? new WorkerParallelReader({
              privacyLevel: input.privacyLevel,
              hmacKey: input.hmacKey,
              customRules: input.customRules,
              watch: input.watch && { ...input.watch, slot: 1 },
              hangRuleForTests: input.hangRuleForTests,
            })
          : undefined;
        const collector = new Collector(store, fsTranscriptSource, new NodeFileTailer(), masker, reader);
        let last = 0;
        const stats = await collector.scan(input.roots, {
          signal,
          parallelMinBytes: input.parallelMinBytes,
          onProgress: (progress) => {
            // Throttled: the host needs a moving bar, not a message per file.
            const now = Date.now();
            if (now - last >= 100 || progress.filesDone === progress.filesTotal) {
              last = now;
              post({ type: 'progress', progress });
            }
          },
        });
        const pruned = applyRetention(store, input.retention);
        store.refreshRollups(PriceTable.builtin().thresholds());
        // After the ingest, not in it: git context of the sessions whose window changed (issue 13). Best effort:
        // git missing or failing leaves those sessions without context, never fails the scan.
        await refreshCodeContext(store, masker).catch(() => undefined);
        const { sessions, interactions, apiMessages } = store.counts();
        answer = {
          type: 'done',
          stats,
          backend: store.backend,
          totals: { sessions, interactions, apiMessages },
          pruned,
        };
      } finally {
        clearInterval(beat);
        store.releaseLease(owner);
      }
    }
  } finally {
    store.close();
  }
  post(answer);
}

if (parentPort) {
  // One bundle, two jobs: a whole scan (the extension's), or the parse half of a parallel scan.
  const data = workerData as ScanJobInput | ParseJobInput;
  const job = 'mode' in data && data.mode === 'parse' ? runParseJob(data, parentPort) : run(data as ScanJobInput);
  job.catch((e: unknown) => {
    parentPort!.postMessage({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
    } satisfies WorkerToHost);
  });
}
