/**
 * The Metrics view's DTO (store → computeAnalytics → src/core/metrics/metricsReport.ts) on a real store: the real-CLI fixtures
 * scanned by `cct scan` (truths in test/unit/fixtures/expected.ts), and planted ledger rows around the end of daylight
 * saving time in New York (2026-11-01 02:00 EDT → 01:00 EST) with hand-computed costs and savings.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rangeStartMs } from '../../../src/core/metrics/metricsRange';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { LocalCalendar } from '../../../src/core/reports/timeBuckets';
import { Store } from '../../../src/infra/sqlite/store';
import { MetricsReportSchema } from '../../../src/shared/protocol';
import { metricsFromStore } from '../../../src/vscode/dashboard/metricsFromStore';
import { runCct } from '../../helpers/cct';
import { CLI_TREE, EXPECTED_CLI } from '../fixtures/expected';

const prices = PriceTable.builtin();
const expected = Object.values(EXPECTED_CLI);
const sum = (f: (e: (typeof expected)[0]) => number) => expected.reduce((n, e) => n + f(e), 0);
const close = (a: number | null, b: number, msg?: string) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} ≉ ${b}`);

describe('metrics: aggregates of the real-CLI fixtures', () => {
  let tmp = '';
  let store: Store;
  // the fixtures were recorded at 2026-11-28T23:40:36Z–23:40:51Z (a Saturday, UTC)
  const NOW = Date.parse('2026-11-29T12:00:00Z');
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-metrics-'));
    const db = path.join(tmp, 'store.db');
    const r = await runCct(['scan', '--root', CLI_TREE, '--db', db, '--json'], { HOME: os.tmpdir() });
    assert.equal(r.code, 0, r.err);
    store = await Store.open(db);
  });
  after(() => {
    store?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const metrics = async (range: '7d' | '30d' | '90d' | 'all', timeZone: string) =>
    MetricsReportSchema.parse(await metricsFromStore(store, { range, timeZone, weekStartsOn: 1, nowMs: NOW, prices }));

  it('totals, models and projects equal the hand-summed truths', async () => {
    const m = await metrics('7d', 'UTC');
    const tokens = {
      input: sum((e) => e.tokens.input),
      output: sum((e) => e.tokens.output),
      cacheCreation: sum((e) => e.tokens.cacheCreation),
      cacheRead: sum((e) => e.tokens.cacheRead),
    };
    assert.deepEqual(m.totals.tokens, {
      ...tokens,
      total: tokens.input + tokens.output + tokens.cacheCreation + tokens.cacheRead,
    });
    assert.equal(
      m.totals.apiMessages,
      sum((e) => e.apiMessages),
    );
    assert.equal(m.totals.sessions, expected.length);
    assert.deepEqual(m.totals.unpricedModels, []);
    assert.deepEqual([...m.models].sort(), ['claude-haiku-5-5', 'claude-opus-5-5', 'claude-sonnet-4-5-20250929']);
    // stacked by model on the one local day of the fixtures; the day rows add up to the totals
    assert.deepEqual(m.days, [
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    assert.deepEqual(new Set(m.daily.map((d) => d.date)), new Set(['2026-11-28']));
    assert.equal(
      m.daily.reduce((n, d) => n + d.tokens, 0),
      m.totals.tokens.total,
    );
    close(
      m.daily.reduce((n, d) => n + (d.costUsd ?? 0), 0),
      m.totals.costUsd!,
      'daily cost sums to the total',
    );
    const sonnet = m.daily.find((d) => d.model === 'claude-sonnet-4-5-20250929')!;
    // the parallel session alone: in 520, out 90, cw 1040 (5m), cr 1500 at $3/$15/$3.75/$0.30 per M
    assert.equal(sonnet.tokens, 520 + 90 + 1040 + 1500);
    close(sonnet.costUsd, (520 * 3 + 90 * 15 + 1040 * 3.75 + 1500 * 0.3) / 1e6, 'sonnet cost');

    const byProject = Object.fromEntries(m.projects.map((p) => [p.project, p]));
    const projectTokens = (p: string) =>
      expected
        .filter((e) => e.projectPath === p)
        .reduce((n, e) => n + e.tokens.input + e.tokens.output + e.tokens.cacheCreation + e.tokens.cacheRead, 0);
    for (const p of ['alpha', 'beta', 'gamma'].map((x) => `/tmp/cct-fixture-home/work/${x}`)) {
      assert.equal(byProject[p]?.tokens, projectTokens(p), p);
      assert.equal(byProject[p]?.sessions, expected.filter((e) => e.projectPath === p).length, p);
    }
    close(
      m.projects.reduce((n, p) => n + (p.costUsd ?? 0), 0),
      m.totals.costUsd!,
      'projects sum to the total',
    );
  });

  it('cache efficiency: hit ratio from the truths, savings priced per model', async () => {
    const m = await metrics('30d', 'UTC');
    const cr = sum((e) => e.tokens.cacheRead);
    assert.equal(m.cache.cacheRead, cr);
    close(m.cache.hitRatio, cr / sum((e) => e.tokens.input + e.tokens.cacheRead + e.tokens.cacheCreation));
    // reads saved: every cache-read token at the (input − cache read) rate; sonnet 1500 @ 2.70, haiku (the agent
    // subagent's 400) @ 0.09, the rest opus @ 3.80 per M — and the fail session's fast-mode step (560 reads) at 2×
    const haikuReads = 400;
    const sonnetReads = 1500;
    const fastReads = 560;
    close(
      m.cache.readSavedUsd,
      (sonnetReads * 2.7 + haikuReads * 0.09 + (cr - sonnetReads - haikuReads) * 3.8 + fastReads * 3.8) / 1e6,
    );
    assert.ok(m.cache.writePremiumUsd > 0);
    close(m.cache.netSavedUsd, m.cache.readSavedUsd - m.cache.writePremiumUsd);
  });

  it('tool usage and error rate: the failing and denied calls are the errors', async () => {
    const m = await metrics('90d', 'UTC');
    const calls: Record<string, number> = {};
    for (const e of expected) for (const [t, n] of Object.entries(e.toolCalls)) calls[t] = (calls[t] ?? 0) + n;
    assert.deepEqual(Object.fromEntries(m.tools.map((t) => [t.tool, t.calls])), calls);
    assert.deepEqual(Object.fromEntries(m.tools.filter((t) => t.errors > 0).map((t) => [t.tool, t.errors])), {
      Bash: 1,
      Read: 1,
      Write: 1,
    });
    const read = m.tools.find((t) => t.tool === 'Read')!;
    close(read.errorRate, 1 / read.withResult);
  });

  it('session lengths: every fixture session took under five minutes', async () => {
    const m = await metrics('all', 'UTC');
    const lengths = Object.fromEntries(m.sessionLengths.map((b) => [b.bucket, b.sessions]));
    assert.equal(lengths.lt5m, store.counts().sessions);
    assert.equal(
      m.sessionLengths.reduce((n, b) => n + b.sessions, 0),
      store.counts().sessions,
    );
    assert.deepEqual(m.days, ['2026-11-28', '2026-11-29']);
  });

  it('heatmap in the user time zone: Saturday 23h UTC is Saturday 18h in New York and Sunday 8h in Tokyo', async () => {
    for (const [tz, weekday, hour, date] of [
      ['UTC', 6, 23, '2026-11-28'],
      ['America/New_York', 6, 18, '2026-11-28'],
      ['Asia/Tokyo', 0, 8, '2026-11-29'],
    ] as const) {
      const m = await metrics('7d', tz);
      const busy = m.heatmap.filter((c) => c.apiMessages > 0);
      assert.deepEqual(
        busy.map((c) => [c.weekday, c.hour, c.apiMessages]),
        [[weekday, hour, sum((e) => e.apiMessages)]],
        tz,
      );
      assert.equal(m.heatmap.length, 168);
      assert.deepEqual([...new Set(m.daily.map((d) => d.date))], [date], tz);
    }
  });

  it('the sql.js backend reads the same aggregates (metrics and privacy report)', async () => {
    const other = await Store.open(store.db.path, 'sql.js');
    try {
      const o = { range: '30d' as const, timeZone: 'UTC', weekStartsOn: 1 as const, nowMs: NOW, prices };
      const since = rangeStartMs('30d', new LocalCalendar('UTC'), NOW);
      const a = await metricsFromStore(store, o);
      const b = await metricsFromStore(other, o);
      assert.deepEqual(b, a);
      assert.deepEqual(other.privacyReportRows(since), store.privacyReportRows(since));
    } finally {
      other.close();
    }
  });

  it('a range outside the data is empty, not an error', async () => {
    const later = Date.parse('2027-03-01T00:00:00Z');
    const m = await metricsFromStore(store, { range: '7d', timeZone: 'UTC', weekStartsOn: 1, nowMs: later, prices });
    assert.equal(m.totals.apiMessages, 0);
    assert.equal(m.totals.costUsd, null);
    assert.equal(m.days.length, 7);
    assert.deepEqual(m.daily, []);
    assert.equal(
      m.sessionLengths.reduce((n, b) => n + b.sessions, 0),
      0,
    );
  });
});

describe('metrics: a range across the end of DST (America/New_York, 2026-11-01)', () => {
  let tmp = '';
  let store: Store;
  const NY = 'America/New_York';
  const NOW = Date.parse('2026-11-29T17:00:00Z'); // 12:00 EST
  // [ts, model, input, output, cache5m, cacheRead]
  const planted: [string, string, number, number, number, number][] = [
    ['2026-10-31T03:59:00Z', 'claude-opus-5-5', 1_000_000, 0, 0, 0], // Oct 30, 23:59 EDT: before the 30-day range
    ['2026-10-31T04:00:00Z', 'claude-opus-5-5', 0, 100_000, 0, 0], // Oct 31, 00:00 EDT: its first instant
    ['2026-11-01T05:30:00Z', 'claude-opus-5-5', 0, 0, 100_000, 1_000_000], // Nov 1, 01:30 EDT
    ['2026-11-01T06:30:00Z', 'claude-haiku-5-5', 90_000, 0, 0, 0], // Nov 1, 01:30 EST (the repeated hour)
    ['2026-11-02T04:59:00Z', 'mystery-model-9', 500, 0, 0, 0], // Nov 1, 23:59 EST: unpriced
  ];
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-metrics-dst-'));
    store = await Store.open(path.join(tmp, 'store.db'));
    store.db
      .prepare(`INSERT INTO sessions (session_id, project_path, first_ts, last_ts) VALUES ('s1', '/w/p', ?, ?)`)
      .run([Date.parse(planted[0]![0]), Date.parse(planted[4]![0])]);
    const insert = store.db.prepare(
      `INSERT INTO api_messages (key, session_id, origin_session, ts, model, input, output, cache_5m, cache_creation, cache_read)
       VALUES (?, 's1', 's1', ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [i, [ts, model, input, output, c5, cr]] of planted.entries())
      insert.run([`k${i}`, Date.parse(ts), model, input, output, c5, c5, cr]);
  });
  after(() => {
    store?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('30 local days start at midnight EDT; the repeated 01:00 hour holds both messages; costs by hand', async () => {
    const cal = new LocalCalendar(NY);
    const since = rangeStartMs('30d', cal, NOW)!;
    assert.equal(new Date(since).toISOString(), '2026-10-31T04:00:00.000Z');
    const m = await metricsFromStore(store, { range: '30d', timeZone: NY, weekStartsOn: 1, nowMs: NOW, prices });
    assert.equal(m.days.length, 30);
    assert.equal(m.days[0], '2026-10-31');
    assert.equal(m.days[29], '2026-11-29');
    assert.equal(m.totals.apiMessages, 4);
    assert.deepEqual(
      m.daily.map((d) => [d.date, d.model, d.apiMessages]),
      [
        ['2026-10-31', 'claude-opus-5-5', 1],
        ['2026-11-01', 'claude-haiku-5-5', 1],
        ['2026-11-01', 'claude-opus-5-5', 1],
        ['2026-11-01', 'mystery-model-9', 1],
      ],
    );
    // opus: 100k out × $20/M = $2; 100k 5m writes × $5/M + 1M reads × $0.20/M = $0.70; haiku 90k in × $0.10/M = $0.009 (under its 100k long-context threshold)
    close(m.daily[0]!.costUsd, 2);
    close(m.daily[2]!.costUsd, 0.7);
    close(m.daily[1]!.costUsd, 0.009);
    assert.equal(m.daily[3]!.costUsd, null);
    close(m.totals.costUsd, 2.709);
    assert.deepEqual(m.totals.unpricedModels, ['mystery-model-9']);
    // Sunday 01:xx twice (EDT then EST), Sunday 23:xx once, Saturday 00:xx once
    const busy = m.heatmap.filter((c) => c.apiMessages > 0).map((c) => [c.weekday, c.hour, c.apiMessages]);
    assert.deepEqual(busy, [
      [0, 1, 2],
      [0, 23, 1],
      [6, 0, 1],
    ]);
    // saved: 1M reads × (4 − 0.2) = $3.80; premium: 100k writes × (5 − 4) = $0.10
    close(m.cache.readSavedUsd, 3.8);
    close(m.cache.writePremiumUsd, 0.1);
    close(m.cache.netSavedUsd, 3.7);
    assert.equal(m.projects.length, 1);
    close(m.projects[0]!.costUsd, 2.709);
  });
});
