/**
 * metrics/get answered through the analytics worker (AnalyticsService, a real worker thread) over real stores: the
 * report equals the in-thread one for every range and a DST zone, and while the worker computes a large store the
 * host's event loop keeps turning (a 10 ms timer keeps firing); in-thread, the same request blocks it throughout.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { Store } from '../../../src/infra/sqlite/store';
import { AnalyticsService } from '../../../src/infra/worker/analyticsService';
import { DashboardStore } from '../../../src/vscode/dashboard/dashboardStore';
import { metricsFromStore } from '../../../src/vscode/dashboard/metricsFromStore';
import { registerMetricsHandlers } from '../../../src/vscode/dashboard/metricsHandlers';
import { RequestRouter } from '../../../src/vscode/dashboard/requestRouter';
import type { Logger } from '../../../src/vscode/logger';
import { runCct } from '../../helpers/cct';
import { fillGeneratedStore } from '../../helpers/generatedDashboardStore';
import { CLI_TREE } from '../fixtures/expected';

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as unknown as Logger;
const ranges = ['7d', '30d', '90d', 'all'] as const;

/** The handler as the extension registers it: a router, the dashboard's store connection and the worker. */
function host(db: string, nowMs: number) {
  const router = new RequestRouter({ warn() {}, error() {}, debug() {} });
  const store = new DashboardStore(db, quiet);
  const service = new AnalyticsService(db);
  let asked = 0;
  const reg = registerMetricsHandlers(router, {
    store,
    now: () => nowMs,
    analyticsSettings: () => ({ timeZone: '', weekStartsOn: 1 }),
    analytics: () => {
      asked++;
      return service;
    },
    saveFile: async () => false,
  });
  let id = 1;
  return {
    asked: () => asked,
    async get(range: string, timeZone: string) {
      const r = await router.dispatch({
        type: 'request',
        id: id++,
        method: 'metrics/get',
        params: { range, timeZone },
      });
      if (!r.ok) throw new Error(r.error.message);
      return r.result;
    },
    dispose() {
      reg.dispose();
      service.dispose();
      store.dispose();
    },
  };
}

describe('metrics: metrics/get through the analytics worker', () => {
  const tmp: string[] = [];
  const dir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-metrics-worker-'));
    tmp.push(d);
    return d;
  };
  after(() => {
    for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
  });

  it('gives the in-thread report for every range, in UTC and across New York DST (the real-CLI fixtures)', async () => {
    const db = path.join(dir(), 'store.db');
    const scan = await runCct(['scan', '--root', CLI_TREE, '--db', db, '--json'], { HOME: os.tmpdir() });
    assert.equal(scan.code, 0, scan.err);
    const NOW = Date.parse('2026-11-29T12:00:00Z');
    const h = host(db, NOW);
    const store = await Store.open(db);
    try {
      for (const timeZone of ['UTC', 'America/New_York'])
        for (const range of ranges) {
          const viaWorker = await h.get(range, timeZone);
          const here = await metricsFromStore(store, {
            range,
            timeZone,
            weekStartsOn: 1,
            nowMs: NOW,
            prices: PriceTable.builtin(),
          });
          assert.deepEqual(viaWorker, here, `${range} ${timeZone}`);
          assert.ok((viaWorker as typeof here).totals.apiMessages > 0 || range !== 'all');
        }
      assert.equal(h.asked(), ranges.length * 2, 'every cold request went to the worker');
    } finally {
      store.close();
      h.dispose();
    }
  });

  it("keeps the host's event loop turning while the worker computes a large store", async function () {
    this.timeout(180_000);
    const db = path.join(dir(), 'store.db');
    const store = await Store.open(db, 'node:sqlite');
    // Stale rollups: the worker reads every row, as a store the scans have not refreshed would be read.
    fillGeneratedStore(store, 8000);
    store.refreshSessionStats(PriceTable.builtin());
    store.close();
    const h = host(db, Date.UTC(2026, 11, 6));
    try {
      let last = performance.now();
      let longest = 0;
      let ticks = 0;
      const timer = setInterval(() => {
        const t = performance.now();
        longest = Math.max(longest, t - last);
        last = t;
        ticks++;
      }, 10);
      const t0 = performance.now();
      try {
        await h.get('all', 'UTC');
      } finally {
        clearInterval(timer);
      }
      const took = performance.now() - t0;
      longest = Math.max(longest, performance.now() - last);
      // No absolute times (a shared machine): the longest stall must be a small part of the request, which it
      // would fill almost entirely if analytics ran in this thread.
      assert.ok(
        longest < took / 2 && ticks >= 5,
        `host blocked ${longest.toFixed(0)} ms of a ${took.toFixed(0)} ms request (${ticks} ticks)`,
      );
    } finally {
      h.dispose();
    }
  });
});
