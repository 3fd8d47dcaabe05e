/**
 * Worker-thread entry: the whole ingest (read, parse, mask, store) off the extension host's thread.
 * Bundled on its own (dist/worker/scanWorker.js); started by runScanInWorker.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Collector } from '../../core/collector/collector';
import { groupDriftByVersion } from '../../core/collector/driftWarning';
import { PriceTable } from '../../core/pricing/priceTable';
import { createPrivacyGuard } from '../../core/privacy';
import { validateCustomRules } from '../../core/privacy/validateCustomRules';
import { buildDriftSample, writeDriftSample } from '../fs/driftSample';
import { NodeFileTailer } from '../fs/fileTailer';
import { fsTranscriptSource } from '../fs/transcriptDiscovery';
import { refreshCodeContext } from '../git/refreshCodeContext';
import { type HistoryLookup, readRepoHistory } from '../git/repoContext';
import { refreshPullRequests } from '../github/refreshPullRequests';
import { applyRetention } from '../sqlite/applyRetention';
import { openExistingStore, Store } from '../sqlite/store';
import { runParseJob } from './parseWorker';
import { WorkerParallelReader } from './parseWorkerReader';
import type { DriftSampleJobInput, HostToWorker, ParseJobInput, ScanJobInput, WorkerToHost } from './protocol';
import { createWorkerGuard } from './workerGuard';

async function run(input: ScanJobInput): Promise<void> {
  const post = (m: WorkerToHost) => parentPort!.postMessage(m);
  const signal = { aborted: false };
  const gitAnswers = new Map<number, (a: HistoryLookup | null) => void>();
  parentPort!.on('message', (m: HostToWorker) => {
    if (m.type === 'cancel') signal.aborted = true;
    else if (m.type === 'git-history') {
      gitAnswers.get(m.id)?.(m.answer);
      gitAnswers.delete(m.id);
    }
  });
  // The editor's Git extension first (asked through the host), the git CLI where it has no answer.
  let gitId = 0;
  const readHistory = input.gitFromHost
    ? async (cwd: string, branchHint: string | null, sinceMs: number): Promise<HistoryLookup> => {
        const id = ++gitId;
        const answer = await new Promise<HistoryLookup | null>((resolve) => {
          gitAnswers.set(id, resolve);
          post({ type: 'git-history', id, cwd, branchHint, sinceMs });
        });
        return answer ?? readRepoHistory(cwd, branchHint, sinceMs);
      }
    : undefined;
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
          excludeProjects: input.excludeProjects,
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
        const prices = PriceTable.builtin(input.priceOverrides ?? []);
        store.refreshRollups(prices.thresholds());
        // The per-session figures the dashboard and `cct sessions --sort` sort on (issue 9).
        store.refreshSessionStats(prices);
        // What analytics computes over instead of every API message (issue 11).
        store.refreshAnalyticsRollups(prices);
        // After the ingest, not in it: git context of the sessions whose window changed (issue 13). Best effort:
        // git missing or failing leaves those sessions without context, never fails the scan.
        await refreshCodeContext(store, masker, input.github?.webHosts, { readHistory }).catch(() => undefined);
        // Opt-in: the pull requests of those commits (ETag cache, rate limits and back-off in refreshPullRequests).
        if (input.github)
          await refreshPullRequests(store, masker, {
            baseUrl: input.github.apiBaseUrl,
            token: input.github.token,
          }).catch(() => undefined);
        const { sessions, interactions, apiMessages } = store.counts();
        // Once per Claude Code version: marked here, shown by the host (log + notification).
        const drift = [...groupDriftByVersion(store.drift.unwarnedDrift('editor'))].map(([version, rs]) => ({
          version,
          reasons: rs.map((r) => ({ reason: r.reason, count: r.count })),
        }));
        if (drift.length)
          store.drift.markDriftWarned(
            drift.map((d) => d.version),
            'editor',
          );
        answer = {
          type: 'done',
          stats,
          backend: store.backend,
          totals: { sessions, interactions, apiMessages },
          pruned,
          drift,
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

/** "Save Drift Sample" (runDriftSampleInWorker.ts): this bundle has the store and the Privacy Guard already. */
async function driftSample(input: DriftSampleJobInput): Promise<void> {
  const strict = createPrivacyGuard({
    level: 'strict',
    hmacKey: input.hmacKey,
    customRules: validateCustomRules(input.customRules ?? []).valid, // the invalid ones the scans report
  });
  const store = await openExistingStore(input.dbPath);
  let lines: number;
  try {
    const sample = buildDriftSample(
      store.drift.driftSamplePositions(),
      store.drift.driftCounts(),
      strict,
      input.version,
    );
    writeDriftSample(input.out, sample);
    lines = sample.lines.length;
  } finally {
    store.close();
  }
  parentPort!.postMessage({ type: 'drift-sample-done', lines });
}

if (parentPort) {
  // One bundle, three jobs: a whole scan (the extension's), the parse half of a parallel scan, a drift sample.
  const data = workerData as ScanJobInput | ParseJobInput | DriftSampleJobInput;
  const job =
    'mode' in data && data.mode === 'parse'
      ? runParseJob(data, parentPort)
      : 'mode' in data && data.mode === 'drift-sample'
        ? driftSample(data)
        : run(data as ScanJobInput);
  job.catch((e: unknown) => {
    parentPort!.postMessage({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
    } satisfies WorkerToHost);
  });
}
