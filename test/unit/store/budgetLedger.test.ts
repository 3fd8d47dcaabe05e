import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { billingBlocks } from '../../../src/core/analytics/billingBlocks';
import { ledgerKey } from '../../../src/core/analytics/budgets';
import { periodSpend } from '../../../src/core/analytics/periodSpend';
import { priceUsage } from '../../../src/core/analytics/pricedUsage';
import { claimBudgetKeys, claimedBudgetKeys, pruneBudgetKeys } from '../../../src/infra/sqlite/budgetLedger';
import { periodUsageGroups, recentUsageRows } from '../../../src/infra/sqlite/budgetReads';
import type { SqlDriver } from '../../../src/infra/sqlite/driver';
import { Store } from '../../../src/infra/sqlite/store';
import { UsageWatchStore } from '../../../src/infra/sqlite/usageWatchStore';
import { PRICES } from '../analytics/helpers';

const run = promisify(execFile);
const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-06T00:00:00Z');

function insertUsage(
  db: SqlDriver,
  rows: { key: string; session: string; ts: number; input: number; model?: string }[],
) {
  const st = db.prepare('INSERT INTO api_messages(key, session_id, ts, model, input) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) st.run([r.key, r.session, r.ts, r.model ?? 'm', r.input]);
  });
}

describe('budget notification ledger and usage reads (store)', () => {
  let tmp: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-budgets-'));
    file = path.join(tmp, 'store.db');
    store = await Store.open(file, 'node:sqlite');
  });
  afterEach(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('claims each (period, threshold) once: a second claim, a reload (new connection) and a prune of other periods keep it', () => {
    const k50 = ledgerKey('daily', '2026-12-06', 50);
    const k80 = ledgerKey('daily', '2026-12-06', 80);
    assert.deepEqual(claimBudgetKeys(store.db, [k50], 1), [k50]);
    assert.deepEqual(claimBudgetKeys(store.db, [k50, k80], 2), [k80]);
    const reloaded = new UsageWatchStore(file);
    assert.deepEqual(reloaded.claim([k50, k80], 3), []);
    claimBudgetKeys(store.db, [ledgerKey('daily', '2026-12-05', 50), ledgerKey('monthly', '2026-11', 100)], 4);
    assert.equal(pruneBudgetKeys(store.db, ['daily:2026-12-06', 'monthly:2026-12']), 2);
    assert.deepEqual(claimedBudgetKeys(store.db), [k50, k80].sort());
    reloaded.dispose();
  });

  it('several windows evaluating at the same instant: every threshold is claimed by exactly one of them', async function () {
    this.timeout(120_000);
    const keys = [50, 80, 100].flatMap((t) => [
      ledgerKey('daily', '2026-12-06', t),
      ledgerKey('monthly', '2026-12', t),
    ]);
    const startAt = Date.now() + 4000; // after every child has started and opened the store
    const child = path.join(__dirname, 'budgetClaimChild.ts');
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ['--import', 'tsx', child, file, String(startAt), JSON.stringify(keys)], {
          cwd: path.join(__dirname, '..', '..', '..'),
        }),
      ),
    );
    const won = results.map((r) => (JSON.parse(r.stdout.trim()) as { won: string[] | null }).won);
    assert.ok(
      won.every((w) => w !== null),
      'every evaluator got through the busy store',
    );
    const all = won.flatMap((w) => w ?? []);
    assert.deepEqual([...all].sort(), [...keys].sort(), `each key won exactly once: ${JSON.stringify(won)}`);
  });

  it('reads a period of the ledger grouped for pricing, and the session that spent most', () => {
    insertUsage(store.db, [
      { key: 'a1', session: 'a', ts: T0 + HOUR, input: 2_000_000 },
      { key: 'a2', session: 'a', ts: T0 + 2 * HOUR, input: 1_000_000 },
      { key: 'b1', session: 'b', ts: T0 + 3 * HOUR, input: 100_000, model: 'big' },
      { key: 'old', session: 'c', ts: T0 - 1, input: 9_000_000 }, // the day before
      { key: 'next', session: 'c', ts: T0 + 24 * HOUR, input: 9_000_000 }, // the day after
    ]);
    const s = periodSpend(periodUsageGroups(store.db, T0, T0 + 24 * HOUR, []), PRICES);
    assert.ok(Math.abs(s.costUsd - 4) < 1e-9, String(s.costUsd));
    assert.deepEqual(s.topSession, { sessionId: 'a', costUsd: 3 });
  });

  it('recent usage: the running block as the full history puts it (its start depends on blocks back to the last 5-hour gap)', () => {
    // Continuous use every 2 hours for 3 days, then now: blocks chain from the first message, not from "a day ago".
    const rows = Array.from({ length: 37 }, (_, i) => ({
      key: `k${i}`,
      session: 's',
      ts: T0 + 30 * 60_000 + i * 2 * HOUR,
      input: 1000,
    }));
    // Two days before it all, after a gap: an older row that need not be read.
    rows.push({ key: 'older', session: 's', ts: T0 - 50 * HOUR, input: 1000 });
    insertUsage(store.db, rows);
    const now = rows[36]!.ts + 60_000;
    const all = store.db
      .prepare('SELECT session_id, ts, model, input FROM api_messages ORDER BY ts')
      .all()
      .map((r) => ({
        sessionId: String(r.session_id),
        ts: Number(r.ts),
        model: String(r.model),
        speed: null,
        input: Number(r.input),
        output: 0,
        cache5m: 0,
        cache1h: 0,
        cacheCreation: 0,
        cacheRead: 0,
        isSidechain: false,
      }));
    const expected = billingBlocks(priceUsage(all, PRICES), now).find((b) => b.active);
    const recent = recentUsageRows(store.db, now);
    // only the running block's rows are read whole
    assert.equal(recent.length, expected?.apiMessages, `read ${recent.length} of ${all.length}`);
    const got = billingBlocks(priceUsage(recent, PRICES), now).find((b) => b.active);
    assert.ok(expected && got);
    assert.equal(got.startMs, expected.startMs);
    assert.equal(got.totalTokens, expected.totalTokens);
    // five hours after the last message nothing runs
    assert.deepEqual(recentUsageRows(store.db, rows[36]!.ts + 5 * HOUR), []);
  });
});
