/**
 * One full analytics refresh in a fresh process (what `cct insights` does after its flags): open the store, read and
 * validate the rows, compute everything. Prints the phase times and this process's peak RSS as JSON.
 *
 *   node --import tsx bench/analytics/refresh.ts --db FILE [--tz ZONE]
 */
import { buildAnalytics } from '../../src/core/analytics/analytics';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { readAnalyticsRows } from '../../src/infra/sqlite/analyticsReads';
import { Store } from '../../src/infra/sqlite/store';

async function main() {
  const argv = process.argv.slice(2);
  const arg = (n: string, d?: string) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
  const db = arg('--db');
  if (!db) throw new Error('--db FILE is required');
  const tz = arg('--tz', 'Asia/Tokyo')!;
  const t0 = performance.now();
  const store = await Store.open(db);
  const t1 = performance.now();
  const rows = readAnalyticsRows(store.db);
  const t2 = performance.now();
  store.close();
  const a = buildAnalytics(rows, PriceTable.builtin(), { timeZone: tz, now: Date.now() });
  const t3 = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      backend: store.backend,
      sessions: rows.sessions.length,
      usageRows: rows.usage.length,
      prompts: rows.prompts.length,
      toolCalls: rows.toolCalls.length,
      openMs: Math.round(t1 - t0),
      readMs: Math.round(t2 - t1),
      computeMs: Math.round(t3 - t2),
      totalMs: Math.round(t3 - t0),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      insights: a.insights.length,
      blocks: a.blocks.length,
      days: a.daily.length,
    })}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
