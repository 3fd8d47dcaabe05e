import assert from 'node:assert/strict';
import { IngestScheduler, type ScanOutcome } from '../../../src/core/ingest/ingestScheduler';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a condition instead of a fixed time: the machine may be loaded (no timing assertions). */
async function until(what: string, pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}

/** A scan port whose scans finish when the test says so. */
function controllableScan() {
  const calls: string[] = [];
  const finishers: ((o: ScanOutcome<number>) => void)[] = [];
  let running = 0;
  let maxConcurrent = 0;
  return {
    calls,
    get maxConcurrent() {
      return maxConcurrent;
    },
    finish(o: ScanOutcome<number> = { status: 'done', stats: calls.length }) {
      finishers.shift()!(o);
    },
    run: (reason: string) => {
      calls.push(reason);
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      return new Promise<ScanOutcome<number>>((resolve) =>
        finishers.push((o) => {
          running--;
          resolve(o);
        }),
      );
    },
  };
}

describe('IngestScheduler', () => {
  it('coalesces a burst of changes into one scan', async () => {
    const scan = controllableScan();
    const s = new IngestScheduler<number>({ runScan: scan.run, debounceMs: 20, pollMs: 60_000 });
    try {
      for (let i = 0; i < 10; i++) s.request('change');
      await until('the scan starts', () => scan.calls.length === 1);
      await tick(60);
      assert.deepEqual(scan.calls, ['change']);
      scan.finish();
      await until('idle', () => s.current.kind === 'idle');
      assert.equal(s.current.last, 1);
    } finally {
      s.dispose();
    }
  });

  it('never runs two scans at once; changes during a scan give exactly one follow-up', async () => {
    const scan = controllableScan();
    const s = new IngestScheduler<number>({ runScan: scan.run, debounceMs: 5, pollMs: 60_000 });
    try {
      s.request('start');
      await until('the first scan starts', () => scan.calls.length === 1);
      s.request('change');
      s.request('change');
      void s.scanNow('command');
      await tick(30);
      assert.equal(scan.calls.length, 1, 'still one scan while the first runs');
      scan.finish();
      await until('the follow-up starts', () => scan.calls.length === 2);
      scan.finish();
      await until('idle', () => s.current.kind === 'idle');
      await tick(30);
      assert.equal(scan.calls.length, 2, 'one follow-up for everything that arrived meanwhile');
      assert.equal(scan.maxConcurrent, 1);
    } finally {
      s.dispose();
    }
  });

  it('a reason that changes the scan survives coalescing with ordinary requests', async () => {
    const scan = controllableScan();
    const s = new IngestScheduler<number>({
      runScan: scan.run,
      debounceMs: 20,
      pollMs: 60_000,
      mergeReasons: (pending, incoming) => (incoming === 'rebuild' ? incoming : pending),
    });
    try {
      s.request('change');
      const done = s.scanNow('rebuild');
      s.request('change');
      await until('the scan starts', () => scan.calls.length === 1);
      assert.deepEqual(scan.calls, ['rebuild'], 'the rebuild was not lost to the pending change');
      scan.finish();
      await until('the follow-up for the later change', () => scan.calls.length === 2);
      assert.deepEqual(scan.calls, ['rebuild', 'change']);
      scan.finish();
      assert.equal(await done, 1, 'scanNow resolves with the stats of its own scan, not of the follow-up');
    } finally {
      s.dispose();
    }
  });

  it('backs off while another process holds the lease, then retries', async () => {
    const scan = controllableScan();
    const states: string[] = [];
    const s = new IngestScheduler<number>({ runScan: scan.run, debounceMs: 5, pollMs: 60_000, busyRetryMs: 30 });
    s.onDidChangeState((st) => states.push(st.kind));
    try {
      s.request('start');
      await until('the scan starts', () => scan.calls.length === 1);
      scan.finish({ status: 'busy', holder: 'other-window' });
      await until('busy', () => s.current.kind === 'busy');
      if (s.current.kind === 'busy') assert.equal(s.current.holder, 'other-window');
      await until('the retry starts', () => scan.calls.length === 2);
      assert.deepEqual(scan.calls, ['start', 'retry']);
      scan.finish();
      await until('idle', () => states.at(-1) === 'idle');
      assert.deepEqual(states, ['scanning', 'busy', 'scanning', 'idle']);
    } finally {
      s.dispose();
    }
  });

  it('reports a failing scan as an error state, keeps the last good stats and retries', async () => {
    let n = 0;
    const s = new IngestScheduler<number>({
      runScan: async () => {
        n++;
        if (n === 2) throw new Error('disk full');
        return { status: 'done', stats: n };
      },
      debounceMs: 1,
      pollMs: 60_000,
      busyRetryMs: 20,
    });
    try {
      await s.scanNow('a');
      await s.scanNow('b');
      assert.equal(s.current.kind, 'error');
      if (s.current.kind === 'error') assert.match(s.current.message, /disk full/);
      assert.equal(s.current.last, 1);
      await until('the retry succeeds', () => s.current.kind === 'idle');
      const after = s.current as { kind: string; last?: number }; // re-read: the retry changed it
      assert.equal(after.kind, 'idle');
      assert.equal(after.last, 3);
    } finally {
      s.dispose();
    }
  });
});
