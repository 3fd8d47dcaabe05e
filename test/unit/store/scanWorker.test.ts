import assert from 'node:assert/strict';
import type { ScanProgress } from '../../../src/core/collector/collector';
import { Collector } from '../../../src/core/collector/collector';
import { NodeFileTailer } from '../../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../../src/infra/fs/transcriptDiscovery';
import { Store } from '../../../src/infra/sqlite/store';
import { WorkerParallelReader } from '../../../src/infra/worker/parseWorkerReader';
import { runScanInWorker } from '../../../src/infra/worker/runScanInWorker';
import { guard, TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

const KEY = 'worker-test-key-0123456789abcdef';

/** 40 sessions × 50 turns: big enough for several progress events, small enough to stay fast. */
function fill(tree: TempTree): void {
  for (let s = 0; s < 40; s++) {
    const sid = `dddddddd-0000-4000-8000-${String(s).padStart(12, '0')}`;
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) {
      const ts = new Date(Date.UTC(2026, 10, 1, 0, s, i)).toISOString();
      lines.push(
        prompt({ uuid: `${sid}-u${i}`, sessionId: sid, ts, text: `question ${i} ${'lorem ipsum '.repeat(40)}` }),
      );
      lines.push(
        assistant({
          uuid: `${sid}-a${i}`,
          sessionId: sid,
          ts,
          msgId: `msg_${s}_${i}`,
          reqId: `req_${s}_${i}`,
          usage: { in: 3, out: 2 },
          block: { type: 'text', text: 'ok '.repeat(200) },
        }),
      );
    }
    tree.write(`-p${s % 3}/${sid}.jsonl`, jsonl(...lines));
  }
}

describe('scan in a worker_thread', function () {
  this.timeout(60_000);
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
    fill(tree);
  });
  afterEach(() => tree.dispose());

  it('reports format drift to the editor once per Claude Code version (the worker marks it warned)', async () => {
    const line = (v: string, n: number) =>
      `${JSON.stringify({ type: 'workspace-digest', version: v, sessionId: 'dddddddd-0000-4000-8000-000000000000', uuid: `drift-${n}` })}\n`;
    tree.append('-p0/dddddddd-0000-4000-8000-000000000000.jsonl', line('2.9.0', 1));
    const scan = async () => {
      const r = await runScanInWorker({ dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY }).result;
      assert.equal(r.status, 'done');
      return r.status === 'done' ? r.drift : [];
    };
    assert.deepEqual(await scan(), [
      { version: '2.9.0', reasons: [{ reason: 'unknown_type:workspace-digest', count: 1 }] },
    ]);
    tree.append('-p0/dddddddd-0000-4000-8000-000000000000.jsonl', line('2.9.0', 2));
    assert.deepEqual(await scan(), [], 'the same version: already warned');
    tree.append('-p0/dddddddd-0000-4000-8000-000000000000.jsonl', line('3.0.0', 3));
    assert.deepEqual(await scan(), [
      { version: '3.0.0', reasons: [{ reason: 'unknown_type:workspace-digest', count: 1 }] },
    ]);
  });

  it('applies the retention cap after the scan and rebuilds from what still exists', async () => {
    // The sessions are dated 2026-11-01; an age cap relative to now (later) removes them all, a huge one none.
    const keep = await runScanInWorker({
      dbPath: tree.db,
      roots: [`${tree.root}/cfg`],
      hmacKey: KEY,
      retention: { maxAgeDays: 100_000 },
    }).result;
    assert.equal(keep.status, 'done');
    if (keep.status !== 'done') return;
    assert.equal(keep.pruned, 0);
    const rebuilt = await runScanInWorker({ dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY, rebuild: true })
      .result;
    assert.equal(rebuilt.status, 'done');
    if (rebuilt.status !== 'done') return;
    assert.equal(rebuilt.stats.filesRead, 40, 'every file re-read');
    assert.deepEqual(rebuilt.totals, keep.totals, 'nothing duplicated');
    const ageDays = (Date.now() - Date.UTC(2026, 10, 1)) / 86_400_000;
    const pruned = await runScanInWorker({
      dbPath: tree.db,
      roots: [`${tree.root}/cfg`],
      hmacKey: KEY,
      retention: { maxAgeDays: Math.max(ageDays / 2, 1e-6) },
    }).result;
    assert.equal(pruned.status, 'done');
    if (pruned.status !== 'done') return;
    assert.equal(pruned.pruned, 40);
    assert.equal(pruned.totals.sessions, 0);
  });

  it('ingests off the main thread, reports progress, and leaves the main event loop free', async () => {
    const progress: ScanProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const job = runScanInWorker({ dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY }, (p) =>
      progress.push(p),
    );
    const r = await job.result;
    clearInterval(timer);
    assert.equal(r.status, 'done');
    if (r.status !== 'done') return;
    assert.equal(r.stats.files, 40);
    assert.equal(r.stats.apiMessages, 40 * 50);
    assert.equal(r.stats.interactions, 40 * 100);
    assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
    const last = progress.at(-1)!;
    assert.equal(last.filesDone, 40);
    assert.equal(last.bytesDone, last.bytesTotal);
    assert.ok(ticks > 0, 'the main thread kept running timers during the scan');
    assert.deepEqual(r.totals, { sessions: 40, interactions: 4000, apiMessages: 2000 });
    const store = await Store.open(tree.db);
    // 40 sessions × 50 messages × (3 in, 2 out)
    assert.deepEqual(store.counts().sessions, 40);
    assert.equal(
      store.usageGroups().reduce((a, g) => a + g.input, 0),
      40 * 50 * 3,
    );
    assert.equal(store.leaseHolder(), undefined, 'the worker released the ingest lease before answering');
    store.close();
  });

  it('reports busy instead of ingesting while another process holds the lease', async () => {
    const store = await Store.open(tree.db);
    assert.ok(store.acquireLease('vscode-window-1', 60_000));
    const r = await runScanInWorker({ dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY }).result;
    assert.deepEqual(r, { status: 'busy', holder: 'vscode-window-1' });
    assert.equal(store.counts().apiMessages, 0);
    store.releaseLease('vscode-window-1');
    store.close();
  });

  it('cancel stops after the current file; what was committed stays and a rerun finishes the job', async () => {
    const job = runScanInWorker({ dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY }, () => job.cancel());
    const r = await job.result;
    assert.equal(r.status, 'done');
    if (r.status !== 'done') return;
    assert.equal(r.stats.cancelled, true);
    assert.ok(r.stats.apiMessages < 2000);
    const again = await runScanInWorker({ dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY }).result;
    assert.equal(again.status, 'done');
    if (again.status !== 'done') return;
    assert.equal(r.stats.apiMessages + again.stats.apiMessages, 2000);
  });

  it('the parallel reader (parse + mask in a worker, write here) stores exactly what the serial path stores', async () => {
    const dump = (st: Store) =>
      ['sessions', 'interactions', 'texts', 'api_messages', 'tool_calls', 'file_cursors', 'ingest_diagnostics'].map(
        (t) =>
          st.db
            .prepare(`SELECT * FROM ${t} ORDER BY 1`)
            .all()
            .map((r) => ({ ...r, updated_at: undefined, id: undefined })),
      );
    const serial = await Store.open(`${tree.root}/serial.db`);
    const s1 = await new Collector(serial, fsTranscriptSource, new NodeFileTailer(), guard).scan([`${tree.root}/cfg`]);
    const parallel = await Store.open(`${tree.root}/parallel.db`);
    const reader = new WorkerParallelReader({ hmacKey: 'unit-test-key-0123456789abcdef' });
    const s2 = await new Collector(parallel, fsTranscriptSource, new NodeFileTailer(), guard, reader).scan(
      [`${tree.root}/cfg`],
      { parallelMinBytes: 0 },
    );
    assert.deepEqual({ ...s2, ms: 0 }, { ...s1, ms: 0 });
    assert.deepEqual(dump(parallel), dump(serial));
    serial.close();
    parallel.close();
  });
});
