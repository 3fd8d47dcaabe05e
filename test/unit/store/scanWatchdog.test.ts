import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Store } from '../../../src/infra/sqlite/store';
import { runScanInWorker } from '../../../src/infra/worker/runScanInWorker';
import { TempTree } from '../transcript/engine';
import { jsonl, prompt } from '../transcript/lines';

const KEY = 'watchdog-test-key-0123456789abcdef';
/** With ScanJobInput.hangRuleForTests, masking this text backtracks in one V8 regex execution for hours. */
const HANG = `please hangme${'a'.repeat(48)} now`;

function session(tree: TempTree, s: number, texts: string[]): void {
  const sid = `ffffffff-0000-4000-8000-${String(s).padStart(12, '0')}`;
  const lines = texts.map((text, i) =>
    prompt({ uuid: `${sid}-u${i}`, sessionId: sid, ts: new Date(Date.UTC(2026, 10, 1, 0, s, i)).toISOString(), text }),
  );
  tree.write(`-p/${sid}.jsonl`, jsonl(...lines));
}

/** Every stored text, and whether a needle is anywhere in the database files (main, WAL). */
async function stored(tree: TempTree): Promise<{ texts: string[]; unscanned: number }> {
  const store = await Store.open(tree.db);
  try {
    const texts = store.db
      .prepare('SELECT * FROM texts')
      .all()
      .map((r) => JSON.stringify(r));
    assert.equal(store.leaseHolder(), undefined, 'the last worker released the ingest lease');
    return { texts, unscanned: texts.filter((t) => t.includes('[REDACTED:unscanned]')).length };
  } finally {
    store.close();
  }
}

function rawBytesContain(tree: TempTree, needle: string): boolean {
  return fs
    .readdirSync(tree.root)
    .filter((f) => f.startsWith('store.db'))
    .some((f) => fs.readFileSync(`${tree.root}/${f}`).includes(needle));
}

describe('scan worker watchdog (a text stuck in one regex execution)', function () {
  this.timeout(60_000);
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
    session(tree, 0, ['first session, nothing secret']);
    session(tree, 1, ['before the hang', HANG, 'after the hang in the same file']);
    session(tree, 2, ['last session, also fine']);
  });
  afterEach(() => tree.dispose());

  for (const parallel of [false, true]) {
    it(`terminates the worker, stores the text as [REDACTED:unscanned] and goes on (${parallel ? 'nested parse worker' : 'serial'})`, async () => {
      const job = runScanInWorker(
        {
          dbPath: tree.db,
          roots: [`${tree.root}/cfg`],
          hmacKey: KEY,
          hangRuleForTests: true,
          parallel,
          parallelMinBytes: 0,
        },
        undefined,
        { baseMs: 1500, perMbMs: 0, pollMs: 50 },
      );
      const r = await job.result;
      assert.equal(r.status, 'done');
      if (r.status !== 'done') return;
      assert.equal(r.diagnostics.length, 1, r.diagnostics.join('\n'));
      assert.match(r.diagnostics[0]!, new RegExp(`a text of ${HANG.length} characters .* \\[REDACTED:unscanned\\]`));
      assert.deepEqual(r.totals, { sessions: 3, interactions: 5, apiMessages: 0 });
      const { texts, unscanned } = await stored(tree);
      assert.equal(unscanned, 1);
      for (const t of ['first session', 'before the hang', 'after the hang in the same file', 'last session'])
        assert.ok(
          texts.some((x) => x.includes(t)),
          `${t} stored as is`,
        );
      assert.ok(!rawBytesContain(tree, 'hangme'), 'the stuck text is nowhere in the database');
    });
  }

  it('a rebuild that meets the stuck text again: unscanned again, nothing duplicated', async () => {
    const opts = { baseMs: 1500, perMbMs: 0, pollMs: 50 };
    const input = { dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY, hangRuleForTests: true };
    const first = await runScanInWorker(input, undefined, opts).result;
    assert.equal(first.status, 'done');
    const rebuilt = await runScanInWorker({ ...input, rebuild: true }, undefined, opts).result;
    assert.equal(rebuilt.status, 'done');
    if (rebuilt.status !== 'done') return;
    assert.equal(rebuilt.diagnostics.length, 1);
    assert.deepEqual(rebuilt.totals, { sessions: 3, interactions: 5, apiMessages: 0 });
    assert.equal((await stored(tree)).unscanned, 1);
    assert.ok(!rawBytesContain(tree, 'hangme'));
  });

  it('a scan without a stuck text: no restart, no diagnostic, nothing unscanned', async () => {
    session(tree, 1, ['before', 'hangme without the run of a', 'after']);
    const r = await runScanInWorker(
      { dbPath: tree.db, roots: [`${tree.root}/cfg`], hmacKey: KEY, hangRuleForTests: true },
      undefined,
      { baseMs: 1500, perMbMs: 0, pollMs: 50 },
    ).result;
    assert.equal(r.status, 'done');
    if (r.status !== 'done') return;
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.stats.interactions, 5);
    assert.equal((await stored(tree)).unscanned, 0);
  });
});
