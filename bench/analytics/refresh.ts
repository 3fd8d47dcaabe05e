/**
 * One analytics refresh in a fresh process. Prints its phase times and this process's peak RSS as JSON.
 *
 *   node --import tsx bench/analytics/refresh.ts --db FILE [--tz ZONE] --mode rows|build|cold|incremental
 *
 * rows        the row-by-row path (every API message read, validated and computed: what cct insights did before)
 * build       the one-time rollup build of a store that has none (what the first scan after the upgrade does)
 * cold        rollups current (a scan refreshed them): read cells and facts, compute everything
 * incremental cold first (not timed), then one new session of `--messages` API messages written (not timed: the
 *             scan's work), then timed: the rollups refreshed for it, the long-lived source reloading that session
 *             only, everything recomputed
 */
import { analyticsOf, buildAnalytics } from '../../src/core/analytics/analytics';
import { AnalyticsIndex } from '../../src/core/analytics/analyticsIndex';
import { TopicModel } from '../../src/core/analytics/topics/topicModel';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { readAnalyticsRows, readTopicDocs } from '../../src/infra/sqlite/analyticsReads';
import { staleAnalyticsSessions } from '../../src/infra/sqlite/analyticsRollups';
import { StoreAnalyticsSource, tuneAnalyticsReader } from '../../src/infra/sqlite/analyticsSource';
import { Store } from '../../src/infra/sqlite/store';
import { TEXT_SEED } from './syntheticStore';
import { sessionText, vocabulary } from './topicTexts';

async function main() {
  const argv = process.argv.slice(2);
  const arg = (n: string, d?: string) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
  const db = arg('--db');
  if (!db) throw new Error('--db FILE is required');
  const tz = arg('--tz', 'Asia/Tokyo')!;
  const mode = arg('--mode', 'cold')!;
  const prices = PriceTable.builtin();
  const now = Date.now();
  // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours too.
  const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => Math.round((b.user - a.user + b.system - a.system) / 1000);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const store = await Store.open(db);
  const figures: Record<string, unknown> = { mode, backend: store.backend };
  if (mode === 'rows') {
    const rows = readAnalyticsRows(store.db);
    rows.topicDocs = readTopicDocs(store.db);
    const a = buildAnalytics(rows, prices, { timeZone: tz, now });
    Object.assign(figures, {
      usageRows: rows.usage.length,
      sessions: rows.sessions.length,
      insights: a.insights.length,
    });
  } else if (mode === 'build') {
    store.db.exec("DELETE FROM meta WHERE key = 'analytics_tiers'");
    const r = store.refreshAnalyticsRollups(prices);
    Object.assign(figures, { sessions: r.changed.length });
  } else {
    // The analytics worker's connection, as the worker opens it.
    tuneAnalyticsReader(store.db);
    if (staleAnalyticsSessions(store.db, prices.thresholds()) > 0)
      throw new Error('rollups are not current: run --mode build first');
    const source = new StoreAnalyticsSource(store.db, prices);
    // What the analytics worker keeps between refreshes: the source's rollups, the per-session work over them
    // (AnalyticsIndex) and the topic model.
    const state = { index: new AnalyticsIndex(prices, tz), topics: new TopicModel() };
    let a = analyticsOf(source.read({}), prices, { timeZone: tz, now }, state);
    Object.assign(figures, { cells: count(store, 'analytics_cells'), sessions: count(store, 'analytics_sessions') });
    if (mode === 'incremental') {
      // The new session is written first (the scan's work, which bench:transcripts measures); the analytics refresh
      // after it is timed: its rollups, the source's reload, the recomputation.
      const sid = addSession(store, Number(arg('--messages', '100')));
      const ci = process.cpuUsage();
      const ti = performance.now();
      const phase = (from: NodeJS.CpuUsage) => cpu(from, process.cpuUsage());
      const refreshed = store.refreshAnalyticsRollups(prices);
      const afterRefresh = process.cpuUsage();
      const input = source.read({});
      const afterRead = process.cpuUsage();
      a = analyticsOf(input, prices, { timeZone: tz, now }, state);
      Object.assign(figures, {
        phasesCpuMs: { rollups: cpu(ci, afterRefresh), read: cpu(afterRefresh, afterRead), compute: phase(afterRead) },
      });
      Object.assign(figures, {
        newSession: sid,
        refreshedSessions: refreshed.changed.length,
        reloadedSessions: source.lastRead?.reloadedSessions,
        topicUpdate: state.topics.lastUpdate,
        incrementalMs: Math.round(performance.now() - ti),
        incrementalCpuMs: cpu(ci, process.cpuUsage()),
      });
      store.db.exec(`DELETE FROM texts WHERE interaction_id IN (SELECT id FROM interactions WHERE session_id = '${sid}');
        DELETE FROM api_messages WHERE session_id = '${sid}'; DELETE FROM interactions WHERE session_id = '${sid}';
        DELETE FROM tool_calls WHERE session_id = '${sid}'; DELETE FROM sessions WHERE session_id = '${sid}';`);
      store.refreshAnalyticsRollups(prices);
    }
    Object.assign(figures, { insights: a.insights.length, blocks: a.blocks.length, days: a.daily.length });
  }
  store.close();
  Object.assign(figures, {
    totalMs: Math.round(performance.now() - t0),
    totalCpuMs: cpu(c0, process.cpuUsage()),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const count = (store: Store, table: string) =>
  Number(store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);

/**
 * A new session like the synthetic store's (1 prompt in 5 interactions, a tool call every other message), now, with
 * the text and tool targets of the session after the v5 store's last (topicTexts.ts): a new topic document.
 */
function addSession(store: Store, messages: number): string {
  const db = store.db;
  const sid = `bench-new-${process.pid}-${Date.now()}`;
  const text = sessionText(vocabulary(TEXT_SEED), TEXT_SEED, 20_000);
  let prompt = 0;
  let call = 0;
  let ts = Date.now() - messages * 45_000;
  db.transaction(() => {
    for (let i = 0; i < messages; i++) {
      ts += 45_000;
      if (i % 5 === 0) {
        db.prepare('INSERT INTO interactions (id, session_id, kind, ts, is_sidechain) VALUES (?,?,?,?,0)').run([
          `p:${sid}:${i}`,
          sid,
          'prompt',
          ts,
        ]);
        const p = text.prompts[prompt++];
        if (p !== undefined)
          db.prepare("INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES (?,?,0,'prompt',?)").run([
            `p:${sid}:${i}:text:0`,
            `p:${sid}:${i}`,
            p,
          ]);
        continue;
      }
      db.prepare(
        'INSERT INTO api_messages (key, session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain) VALUES (?,?,?,?,?,?,?,?,?,?,?,0)',
      ).run([`${sid}:${i}`, sid, ts, 'claude-sonnet-4-5', 'standard', 300, 900, 1000, 0, 1000, 40_000]);
      if (i % 2 === 0)
        db.prepare(
          'INSERT INTO tool_calls (id, session_id, interaction_id, name, input_json, ts, is_error, is_sidechain) VALUES (?,?,?,?,?,?,0,0)',
        ).run([
          `t:${sid}:${i}`,
          sid,
          `r:${sid}:${i}`,
          'Bash',
          text.toolInputs[call++] ?? `{"command":"step ${i % 7}"}`,
          ts,
        ]);
    }
    db.prepare(
      'INSERT INTO sessions (session_id, project_path, entrypoint, first_ts, last_ts, updated_at) VALUES (?,?,?,?,?,?)',
    ).run([sid, '/home/dev/project-new', 'cli', ts - messages * 45_000, ts, Date.now()]);
  });
  return sid;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
