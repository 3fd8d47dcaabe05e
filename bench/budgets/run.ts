/**
 * What budgets and the limits estimate read on each evaluation (after a scan, every minute), on a heavy store:
 * `--messages N` API messages (default 1,000,000) spread over `--days D` (default 180) in `--sessions S` sessions
 * (default 20,000), the last ones up to now. Prints median and p95 of each read with its target.
 * `node --import tsx bench/budgets/run.ts [--messages N] [--days D] [--sessions S]`
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { budgetPeriods } from '../../src/core/analytics/budgets';
import { periodSpend } from '../../src/core/analytics/periodSpend';
import { estimateLimits } from '../../src/core/live/limitsEstimate';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { LocalCalendar, systemTimeZone } from '../../src/core/reports/timeBuckets';
import { claimBudgetKeys } from '../../src/infra/sqlite/budgetLedger';
import { periodUsageGroups, recentUsageRows } from '../../src/infra/sqlite/budgetReads';
import { Store } from '../../src/infra/sqlite/store';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const MESSAGES = Number(arg('messages', '1000000'));
const DAYS = Number(arg('days', '180'));
const SESSIONS = Number(arg('sessions', '20000'));
const RUNS = 15;
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001'];

function time(label: string, targetMs: number, fn: () => unknown): void {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  const ok = p(0.95) <= targetMs ? 'ok' : 'OVER';
  console.log(
    `${label.padEnd(52)} median ${p(0.5).toFixed(1).padStart(7)} ms   p95 ${p(0.95).toFixed(1).padStart(7)} ms   target p95 ≤ ${targetMs} ms  ${ok}`,
  );
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-budgets-'));
  try {
    const store = await Store.open(path.join(dir, 'store.db'), 'node:sqlite');
    const now = Date.now();
    const span = DAYS * 86_400_000;
    let t = performance.now();
    const ins = store.db.prepare(
      'INSERT INTO api_messages(key, session_id, ts, model, input, output, cache_read, cache_creation, cache_5m) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    store.db.transaction(() => {
      for (let i = 0; i < MESSAGES; i++) {
        // Sessions in time order, each a run of consecutive messages.
        const ts = now - span + Math.floor((i / MESSAGES) * span);
        const session = Math.floor((i / MESSAGES) * SESSIONS);
        ins.run([
          `k${i}`,
          `s${session}`,
          ts,
          MODELS[i % 3]!,
          3 + (i % 50),
          200 + (i % 700),
          20_000 + (i % 9000),
          1500,
          1500,
        ]);
      }
    });
    console.log(
      `generated ${MESSAGES} API messages, ${SESSIONS} sessions over ${DAYS} days in ${(performance.now() - t).toFixed(0)} ms`,
    );
    console.log(
      `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.versions.node}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const prices = PriceTable.builtin();
    const cal = new LocalCalendar(systemTimeZone());
    const periods = budgetPeriods(cal, now);
    const perDay = Math.round(MESSAGES / DAYS);
    t = performance.now();
    const month = periodSpend(
      periodUsageGroups(store.db, periods.monthly.startMs, periods.monthly.endMs, prices.thresholds()),
      prices,
    );
    console.log(
      `this month: $${month.costUsd.toFixed(2)} (${(performance.now() - t).toFixed(0)} ms cold); ~${perDay} messages a day`,
    );
    time('daily spend (grouped read + pricing)', 20, () =>
      periodSpend(periodUsageGroups(store.db, periods.daily.startMs, periods.daily.endMs, prices.thresholds()), prices),
    );
    time('monthly spend, cold (every 5 min: whole month read)', 500, () =>
      periodSpend(
        periodUsageGroups(store.db, periods.monthly.startMs, periods.monthly.endMs, prices.thresholds()),
        prices,
      ),
    );
    const before = periodUsageGroups(store.db, periods.monthly.startMs, periods.daily.startMs, prices.thresholds());
    time('monthly spend, warm (earlier days kept, today read)', 30, () =>
      periodSpend(
        [...before, ...periodUsageGroups(store.db, periods.daily.startMs, periods.daily.endMs, prices.thresholds())],
        prices,
      ),
    );
    time('limits estimate (recent rows back to a 5 h gap + blocks)', 50, () =>
      estimateLimits(recentUsageRows(store.db, now), prices, now),
    );
    let n = 0;
    time('ledger claim (3 thresholds, already claimed)', 5, () =>
      claimBudgetKeys(
        store.db,
        ['a', 'b', 'c'].map((k) => `budget_notified:daily:x:${k}${n++ > 0 ? '' : ''}`),
        now,
      ),
    );
    store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
