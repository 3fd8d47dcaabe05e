/**
 * `npm run bench:metrics` — the Metrics view's metrics/get at 20,000 sessions (the dashboard's generated store,
 * test/helpers/generatedDashboardStore.ts, its analytics rollups refreshed as a scan leaves them): the real handler
 * over the real store, cold (analytics + DTO) per range, then the same request again (the report cache), then `all`
 * after one new session (storeChanged, as app.ts does after a scan). Twice: analytics and DTO in this thread (the sql.js
 * fallback's path, and every path before the worker), then in the AnalyticsService worker (the extension's path;
 * here the worker runs its TypeScript source through tsx, so its start is slower than the bundle's). For each request
 * the longest stall of this thread (a 5 ms timer's largest gap): what the extension host would freeze for.
 * Targets: a cold report within issue 11's full-refresh budget (≤ 5 s), a repeated one ≤ 50 ms, incremental ≤ 300 ms.
 * Prints the hardware and the load: the machine is shared.
 *
 *   npm run bench:metrics -- [--sessions 20000] [--mode thread|worker]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { Store } from '../../src/infra/sqlite/store';
import { AnalyticsService } from '../../src/infra/worker/analyticsService';
import { DashboardStore } from '../../src/vscode/dashboard/dashboardStore';
import { registerMetricsHandlers } from '../../src/vscode/dashboard/metricsHandlers';
import { RequestRouter } from '../../src/vscode/dashboard/requestRouter';
import type { Logger } from '../../src/vscode/logger';
import { fillGeneratedStore } from '../../test/helpers/generatedDashboardStore';

const argv = process.argv.slice(2);
const sessions = Number(argv.includes('--sessions') ? argv[argv.indexOf('--sessions') + 1] : 20_000);
const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => quiet,
} as unknown as Logger;

const modes = argv.includes('--mode')
  ? [argv[argv.indexOf('--mode') + 1] as 'thread' | 'worker']
  : (['thread', 'worker'] as const);

/** The longest gap of a 5 ms timer while fn runs: how long this thread could not answer anything. */
async function stalls<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; blockedMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    longest = Math.max(longest, t - last);
    last = t;
  }, 5);
  const t0 = performance.now();
  try {
    const value = await fn();
    const t1 = performance.now();
    return { value, ms: t1 - t0, blockedMs: Math.max(longest, t1 - last) };
  } finally {
    clearInterval(timer);
  }
}

async function run(db: string, mode: 'thread' | 'worker') {
  const router = new RequestRouter({ warn: () => {}, error: () => {}, debug: () => {} });
  const dashboardStore = new DashboardStore(db, quiet);
  const service = mode === 'worker' ? new AnalyticsService(db) : undefined;
  registerMetricsHandlers(router, {
    store: dashboardStore,
    analytics: service && (() => service),
    saveFile: async () => false,
  });
  let id = 1;
  const get = (range: string) =>
    stalls(async () => {
      const r = await router.dispatch({
        type: 'request',
        id: id++,
        method: 'metrics/get',
        params: { range, timeZone: 'UTC' },
      });
      if (!r.ok) throw new Error(r.error.message);
      return JSON.stringify(r.result).length;
    });
  const fig = (x: { ms: number; blockedMs: number }) =>
    `${x.ms.toFixed(0)} ms (host blocked ${x.blockedMs.toFixed(0)})`;
  for (const range of ['30d', 'all']) {
    const cold = await get(range);
    const warm = await get(range);
    console.log(
      `${mode.padEnd(6)} metrics/get ${range.padEnd(3)}: cold ${fig(cold)} (target ≤ 5000), again ${warm.ms.toFixed(1)} ms (target ≤ 50), ` +
        `${(cold.value / 1024).toFixed(0)} KiB`,
    );
  }
  // One new session, written and rolled up by another connection (the scan worker's), then what app.ts does.
  const writer = await Store.open(db, 'node:sqlite');
  const sid = `bench-new-${mode}`;
  const ts = Date.now() - 3_600_000;
  writer.db.transaction(() => {
    writer.db
      .prepare('INSERT INTO sessions (session_id, project_path, first_ts, last_ts, updated_at) VALUES (?,?,?,?,?)')
      .run([sid, '/w/new', ts, ts, Date.now()]);
    writer.db
      .prepare(
        "INSERT INTO api_messages (key, session_id, ts, model, input, output) VALUES (?, ?, ?, 'claude-sonnet-4-5', 1000, 500)",
      )
      .run([`${sid}:1`, sid, ts]);
  });
  writer.refreshAnalyticsRollups(PriceTable.builtin());
  writer.close();
  dashboardStore.invalidate();
  const inc = await stalls(async () => {
    const changed = service?.storeChanged();
    const r = await get('all');
    await changed;
    return r;
  });
  console.log(`${mode.padEnd(6)} metrics/get all after one new session: ${fig(inc)} (target ≤ 300)`);
  service?.dispose();
  dashboardStore.dispose();
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-metrics-'));
  const db = path.join(root, 'store.db');
  try {
    const store = await Store.open(db, 'node:sqlite');
    fillGeneratedStore(store, sessions);
    store.refreshSessionStats(PriceTable.builtin());
    store.refreshAnalyticsRollups(PriceTable.builtin());
    const counts = store.counts();
    store.close();
    console.log(
      `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}, ` +
        `Node ${process.version}; store: ${counts.sessions} sessions, ${counts.apiMessages} API messages, ${counts.toolCalls} tool calls`,
    );
    for (const mode of modes) await run(db, mode);
    console.log(`peak RSS (this thread and the worker) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
void main();
