/**
 * The rollup path (store cells + per-session facts, cached topic terms) gives what the row-by-row implementation gives
 * (frozen in ./reference) on the same messages: on the real-CLI fixtures scanned by `cct scan`, and on generated
 * stores (fast-check) whose messages straddle DST changes, zones with :30 and :45 offsets (Kolkata, Kathmandu, Lord
 * Howe's 30-minute DST), tool retries and the 7-day cache-ratio split. Then one session added or changed: the
 * incremental refresh reloads only that session and still matches a fresh computation.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  type AnalyticsOptions,
  type AnalyticsResult,
  analyticsOf,
  buildAnalytics,
} from '../../../src/core/analytics/analytics';
import { AnalyticsIndex } from '../../../src/core/analytics/analyticsIndex';
import type { AnalyticsRows, SessionFacts } from '../../../src/core/analytics/rows';
import { inputOfRows } from '../../../src/core/analytics/sessionFacts';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { readAnalyticsRows, readTopicDocs } from '../../../src/infra/sqlite/analyticsReads';
import { StoreAnalyticsSource } from '../../../src/infra/sqlite/analyticsSource';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { CLI_TREE } from '../fixtures/expected';
import { buildAnalytics as referenceAnalytics } from './reference/analytics';

const ZONES = [
  'UTC',
  'Asia/Tokyo',
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
];
const PRICES = PriceTable.builtin();

/** Deep equality, numbers within 1e-9 relative (a cell's cost is priced once over its sums, a row's per row). */
function assertSame(actual: unknown, expected: unknown, where = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tol = 1e-9 * Math.max(1, Math.abs(expected), Math.abs(actual));
    if (!(actual === expected || Math.abs(actual - expected) <= tol)) assert.fail(`${where}: ${actual} ≠ ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: not an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => {
      assertSame(actual[i], e, `${where}[${i}]`);
    });
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${where}: not an object`);
    const keys = Object.keys(expected).sort();
    assert.deepEqual(Object.keys(actual).sort(), keys, `${where}: keys`);
    for (const k of keys)
      assertSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  assert.equal(actual, expected, `${where}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

/**
 * The reference lists an anomaly's sessions of equal cost ($0 ones) in the order its rows came, which differs between
 * rows and cells; the rollup path orders those by id. Compared as sets there, everything else in order.
 */
function normalized<
  T extends {
    anomalies: { evidence: { sessionIds: string[] } }[];
    insights: { kind: string; evidence: { sessionIds: string[] } }[];
  },
>(a: T): T {
  for (const x of a.anomalies) x.evidence.sessionIds.sort();
  for (const x of a.insights) if (x.kind === 'cost_anomaly') x.evidence.sessionIds.sort();
  return a;
}

/** What came after the reference was frozen: per-turn latency, compactions and their insight (split off to compare). */
function laterParts(a: AnalyticsResult) {
  const { timedTurns, medianTurnMs, p90TurnMs, compaction, ...efficiency } = a.efficiency;
  const compacted = a.insights.filter((i) => i.kind === 'repeated_compaction');
  return {
    earlier: { ...a, efficiency, insights: a.insights.filter((i) => i.kind !== 'repeated_compaction') },
    later: { timedTurns, medianTurnMs, p90TurnMs, compaction, compacted },
  };
}

/** An insight's or anomaly's messageId and params (added after the reference was frozen), and the rest. */
function textOf(a: AnalyticsResult) {
  const text = (x: { messageId: string; params: unknown }) => ({ messageId: x.messageId, params: x.params });
  return { insights: a.insights.map(text), anomalies: a.anomalies.map(text) };
}
function withoutText<T extends Pick<AnalyticsResult, 'insights' | 'anomalies'>>(a: T) {
  return {
    ...a,
    insights: a.insights.map(({ messageId: _id, params: _p, ...rest }) => rest),
    anomalies: a.anomalies.map(({ messageId: _id, params: _p, ...rest }) => rest),
  };
}

/**
 * The rollup path's result against the frozen reference over the same rows, and — for the fields added after the
 * reference was frozen (the Metrics view's bySession, dailyByModel, sessionLengths; turn latency, compactions and the
 * repeated-compaction insight; insights' and anomalies' messageId and params) — against today's row path.
 */
function assertEquivalent(actual: AnalyticsResult, rows: AnalyticsRows, opts: AnalyticsOptions, where: string): void {
  const { earlier, later } = laterParts(actual);
  // notComputed is a note of what is missing, which has changed since the reference was frozen: not compared.
  const { bySession, dailyByModel, sessionLengths, notComputed: _now, ...rest } = earlier;
  const { notComputed: _then, ...reference } = referenceAnalytics(rows, PRICES, opts);
  // efficiency.notComputed likewise
  assertSame(
    normalized({ ...withoutText(rest), efficiency: { ...rest.efficiency, notComputed: [] } }),
    normalized({ ...reference, efficiency: { ...reference.efficiency, notComputed: [] } }),
    where,
  );
  const fromRows = buildAnalytics(rows, PRICES, opts);
  assertSame(
    { bySession, dailyByModel, sessionLengths, ...later },
    {
      bySession: fromRows.bySession,
      dailyByModel: fromRows.dailyByModel,
      sessionLengths: fromRows.sessionLengths,
      ...laterParts(fromRows).later,
    },
    `${where} (fields after the reference)`,
  );
  assertSame(textOf(actual), textOf(fromRows), `${where} (messageId and params)`);
}

/** The per-session facts both paths keep for the new metrics: compactions and turn durations, session by session. */
function assertSameFacts(fromRollups: SessionFacts[], rows: AnalyticsRows, where: string): void {
  const pick = (facts: readonly SessionFacts[]) =>
    facts
      .map((f) => ({ sessionId: f.sessionId, compactions: f.compactions, turnMs: f.turnMs }))
      .filter((f) => f.compactions !== 0 || f.turnMs.length > 0)
      .sort((a, b) => a.sessionId.localeCompare(b.sessionId));
  assertSame(pick(fromRollups), pick(inputOfRows(rows).facts), `${where} (facts)`);
}

function compare(store: Store, timeZone: string, now: number, project?: string, weekStartsOn?: 0 | 1 | 6) {
  const rows = readAnalyticsRows(store.db, { project });
  rows.topicDocs = readTopicDocs(store.db, { project });
  const opts = { timeZone, now, weekStartsOn };
  const expected = referenceAnalytics(rows, PRICES, opts);
  const source = new StoreAnalyticsSource(store.db, PRICES);
  const input = source.read({ project });
  const actual = analyticsOf(input, PRICES, opts);
  assert.equal(source.lastRead?.path, 'rollups');
  assertEquivalent(actual, rows, opts, `${timeZone}${project ? ` ${project}` : ''}`);
  assertSameFacts(input.facts, rows, `${timeZone}${project ? ` ${project}` : ''}`);
  return { actual, expected };
}

describe('analytics: rollups give the row-by-row results', () => {
  describe('real-CLI fixtures (cct scan refreshes the rollups)', () => {
    let tmp = '';
    let store: Store;
    before(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-rollups-'));
      const db = path.join(tmp, 'store.db');
      const scan = await runCct(['scan', '--root', CLI_TREE, '--db', db, '--json'], { HOME: os.tmpdir() });
      assert.equal(scan.code, 0, scan.err);
      store = await Store.open(db);
    });
    after(() => {
      store.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('in every zone, with topics, insights, blocks and the heatmap', () => {
      for (const tz of ZONES) {
        const { actual } = compare(store, tz, Date.parse('2026-12-06T00:00:00Z'));
        assert.ok(actual.efficiency.apiMessages > 0 && actual.topics && actual.topics.topics.length > 0);
        // the compact fixture's /compact, and a timed turn per answered prompt, on the rollup path too
        assert.equal(actual.efficiency.compaction?.sessions, 1);
        assert.ok(actual.efficiency.timedTurns > 0);
      }
    });

    it('with a project filter and another week start', () => {
      const project = readAnalyticsRows(store.db).sessions.find((s) => s.projectPath)?.projectPath;
      assert.ok(project);
      compare(store, 'Asia/Tokyo', Date.parse('2026-12-06T00:00:00Z'), project.slice(-6), 0);
    });
  });

  describe('generated stores (property)', () => {
    const MODELS = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'mystery-model'];
    const TOOLS = ['Bash', 'Read', 'Edit'];
    const WORDS = [
      'migrate database schema',
      'fix login bug',
      'write unit tests',
      'データベース移行',
      'refactor parser',
    ];
    // Around the 2026 DST changes (US 03-08/11-01, EU 03-29/10-25, Lord Howe 04-05/10-04), 35+ days apart.
    const BASES = ['2026-03-07T20:00:00Z', '2026-03-29T00:30:00Z', '2026-04-04T14:45:00Z', '2026-11-01T05:10:00Z'];
    const message = fc.record({
      // Mostly minutes apart (several messages per quarter-hour cell), sometimes hours (gaps, new blocks).
      gapMs: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 600_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 * 3_600_000 }) },
      ),
      // Mostly one model on the main thread, so quarter-hour cells hold several messages.
      model: fc.constantFrom(MODELS[0]!, MODELS[0]!, MODELS[0]!, ...MODELS),
      side: fc.constantFrom(false, false, false, true),
      input: fc.integer({ min: 0, max: 3000 }),
      output: fc.integer({ min: 0, max: 4000 }),
      cacheWrite: fc.integer({ min: 0, max: 50_000 }),
      cacheRead: fc.integer({ min: 0, max: 250_000 }),
      prompt: fc.boolean(),
      // A compaction boundary just before the message: main thread (timed or not), or a subagent's (not counted).
      compact: fc.constantFrom(null, null, null, null, 'main', 'main', 'untimed', 'side'),
      tool: fc.option(
        fc.record({
          name: fc.constantFrom(...TOOLS),
          arg: fc.integer({ min: 0, max: 2 }),
          err: fc.option(fc.boolean()),
        }),
      ),
    });
    const session = fc.record({
      base: fc.constantFrom(...BASES),
      offsetMs: fc.integer({ min: 0, max: 40 * 86_400_000 }),
      project: fc.integer({ min: 0, max: 3 }),
      words: fc.constantFrom(...WORDS),
      messages: fc.array(message, { minLength: 1, maxLength: 12 }),
    });
    type Gen = typeof session extends fc.Arbitrary<infer T> ? T : never;

    function write(store: Store, sessions: Gen[], from = 0, updatedAt = 1) {
      const db = store.db;
      const insS = db.prepare(
        'INSERT OR REPLACE INTO sessions (session_id, project_path, entrypoint, first_ts, last_ts, title, updated_at) VALUES (?,?,?,?,?,?,?)',
      );
      const insI = db.prepare(
        'INSERT OR REPLACE INTO interactions (id, session_id, kind, ts, is_sidechain, model) VALUES (?,?,?,?,?,?)',
      );
      const insX = db.prepare('INSERT OR REPLACE INTO texts (key, interaction_id, ord, kind, text) VALUES (?,?,0,?,?)');
      const insA = db.prepare(
        'INSERT OR REPLACE INTO api_messages (key, session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
      );
      const insC = db.prepare(
        'INSERT OR REPLACE INTO compactions (id, session_id, origin_session, ts, trigger, is_sidechain) VALUES (?,?,?,?,?,?)',
      );
      const insT = db.prepare(
        'INSERT OR REPLACE INTO tool_calls (id, session_id, interaction_id, name, input_json, ts, is_error, is_sidechain) VALUES (?,?,?,?,?,?,?,?)',
      );
      db.transaction(() =>
        sessions.forEach((s, k) => {
          const sid = `s${String(from + k).padStart(4, '0')}`;
          let ts = Date.parse(s.base) + s.offsetMs;
          const first = ts;
          s.messages.forEach((m, i) => {
            ts += m.gapMs;
            if (m.compact)
              insC.run([
                `c:${sid}:${i}`,
                sid,
                sid,
                m.compact === 'untimed' ? null : ts - 2,
                i % 2 ? 'auto' : 'manual',
                m.compact === 'side' ? 1 : 0,
              ]);
            if (m.prompt) {
              insI.run([`p:${sid}:${i}`, sid, 'prompt', ts - 1, 0, null]);
              insX.run([
                `x:${sid}:${i}`,
                `p:${sid}:${i}`,
                'prompt',
                `${s.words} step ${i} in src/${s.words.split(' ')[0]}.ts`,
              ]);
            }
            const key = `${sid}:${i}`;
            insA.run([
              key,
              sid,
              ts,
              m.model,
              'standard',
              m.input,
              m.output,
              m.cacheWrite,
              0,
              m.cacheWrite,
              m.cacheRead,
              m.side ? 1 : 0,
            ]);
            if (m.tool) {
              const err = m.tool.err === null ? null : m.tool.err ? 1 : 0;
              insT.run([
                `t:${key}`,
                sid,
                `r:${key}`,
                m.tool.name,
                `{"command":"run ${m.tool.arg}"}`,
                ts,
                err,
                m.side ? 1 : 0,
              ]);
            }
          });
          insS.run([sid, `/home/dev/project-${s.project}`, k % 2 ? 'cli' : 'sdk-cli', first, ts, null, updatedAt]);
        }),
      );
    }

    it('every zone, then one new and one changed session refreshed incrementally', async () => {
      let repeated = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(session, { minLength: 1, maxLength: 14 }),
          session,
          fc.constantFrom(...ZONES),
          async (sessions, extra, tz) => {
            const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-rollups-gen-'));
            const store = await Store.open(path.join(tmp, 'store.db'));
            try {
              write(store, sessions);
              const first = store.refreshAnalyticsRollups(PRICES, 1000);
              assert.equal(first.changed.length, sessions.length);
              const now = Date.parse('2026-12-01T00:00:00Z');
              const source = new StoreAnalyticsSource(store.db, PRICES);
              // What the analytics worker keeps: the source's rollups and the index of per-session work over them.
              const index = new AnalyticsIndex(PRICES, tz);
              const opts = { timeZone: tz, now };
              analyticsOf(source.read({}), PRICES, opts, { index });
              // One new session, and the first one rewritten (its updated_at moves past its rollup).
              write(store, [extra], sessions.length, 2000);
              write(store, [extra], 0, 2000);
              const again = store.refreshAnalyticsRollups(PRICES, 3000);
              assert.deepEqual(again.changed.sort(), [`s${String(sessions.length).padStart(4, '0')}`, 's0000'].sort());
              const input = source.read({});
              assert.equal(source.lastRead?.reloadedSessions, 2, 'only the two sessions reloaded');
              const rows = readAnalyticsRows(store.db);
              rows.topicDocs = readTopicDocs(store.db);
              const actual = analyticsOf(input, PRICES, opts);
              assertEquivalent(actual, rows, opts, tz);
              assertSameFacts(input.facts, rows, tz);
              if (actual.insights.some((i) => i.kind === 'repeated_compaction')) repeated++;
              // The kept index redoes the two sessions only, and gives what a fresh computation gives.
              assert.equal(index.update(input.perSession!).changedSessions, 2);
              assertEquivalent(analyticsOf(input, PRICES, opts, { index }), rows, opts, `${tz} (kept index)`);
              // A session gone (forgotten): its contribution leaves every sum, its rows the blocks.
              if (sessions.length > 1) {
                store.db.exec(`DELETE FROM api_messages WHERE session_id = 's0001'; DELETE FROM tool_calls WHERE session_id = 's0001';
                  DELETE FROM interactions WHERE session_id = 's0001'; DELETE FROM compactions WHERE session_id = 's0001';
                  DELETE FROM sessions WHERE session_id = 's0001';`);
                assert.deepEqual(store.refreshAnalyticsRollups(PRICES, 4000).removed, ['s0001']);
                const fewer = readAnalyticsRows(store.db);
                fewer.topicDocs = readTopicDocs(store.db);
                assertEquivalent(
                  analyticsOf(source.read({}), PRICES, opts, { index }),
                  fewer,
                  opts,
                  `${tz} (one gone)`,
                );
              }
              compare(store, tz, now, 'project-1');
            } finally {
              store.close();
              fs.rmSync(tmp, { recursive: true, force: true });
            }
          },
        ),
        { numRuns: 25, seed: 11, endOnFailure: true },
      );
      assert.ok(repeated > 0, 'some generated store had a session compacted repeatedly');
    });
  });
});
