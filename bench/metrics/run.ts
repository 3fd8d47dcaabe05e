/**
 * `npm run bench:metrics` — the Metrics view's metrics/get at 20,000 sessions (the dashboard's generated store,
 * test/helpers/generatedDashboardStore.ts): the real handler over the real store, cold (computeAnalytics + DTO) per
 * range, then the same request again (the report cache). Targets: a cold report within issue 11's full-refresh
 * budget (≤ 5 s), a repeated one ≤ 50 ms. Prints the hardware and the load: the machine is shared.
 *
 *   npm run bench:metrics -- [--sessions 20000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { Store } from '../../src/infra/sqlite/store';
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

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-metrics-'));
  const db = path.join(root, 'store.db');
  try {
    const store = await Store.open(db, 'node:sqlite');
    fillGeneratedStore(store, sessions);
    store.refreshSessionStats(PriceTable.builtin());
    const counts = store.counts();
    store.close();
    const router = new RequestRouter({ warn: () => {}, error: () => {}, debug: () => {} });
    const dashboardStore = new DashboardStore(db, quiet);
    registerMetricsHandlers(router, { store: dashboardStore, saveFile: async () => false });
    let id = 1;
    const get = async (range: string) => {
      const t0 = performance.now();
      const r = await router.dispatch({
        type: 'request',
        id: id++,
        method: 'metrics/get',
        params: { range, timeZone: 'UTC' },
      });
      if (!r.ok) throw new Error(r.error.message);
      return { ms: performance.now() - t0, bytes: JSON.stringify(r.result).length };
    };
    console.log(
      `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}, ` +
        `Node ${process.version}; store: ${counts.sessions} sessions, ${counts.apiMessages} API messages, ${counts.toolCalls} tool calls`,
    );
    for (const range of ['30d', 'all']) {
      const cold = await get(range);
      const warm = await get(range);
      console.log(
        `metrics/get ${range.padEnd(3)}: cold ${cold.ms.toFixed(0)} ms (target ≤ 5000), again ${warm.ms.toFixed(1)} ms (target ≤ 50), ` +
          `${(cold.bytes / 1024).toFixed(0)} KiB`,
      );
    }
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    dashboardStore.dispose();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
void main();
