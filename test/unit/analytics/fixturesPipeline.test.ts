/**
 * The real Claude Code fixtures (test/fixtures/claude/cli) through the whole pipeline: `cct scan` into a real store,
 * then `cct insights` and `cct report blocks`, checked against the hand-summed truths of expected.ts and against
 * the existing `cct report daily` (an independent path: ledger groups priced by sessionSummary).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolStats } from '../../../src/core/analytics/efficiency';
import { factsOfRows } from '../../../src/core/analytics/sessionFacts';
import { digest, readAnalyticsRows } from '../../../src/infra/sqlite/analyticsReads';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { CLI_TREE, EXPECTED_CLI, ids } from '../fixtures/expected';

const cct = (argv: string[]) => runCct(argv, { HOME: os.tmpdir() });
const expected = Object.values(EXPECTED_CLI);
const sum = (f: (e: (typeof expected)[0]) => number) => expected.reduce((n, e) => n + f(e), 0);
const TOKENS = sum((e) => e.tokens.input + e.tokens.output + e.tokens.cacheCreation + e.tokens.cacheRead);

describe('analytics: real-CLI fixtures through scan → store → cct insights / report blocks', () => {
  let tmp = '';
  let db = '';
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-analytics-'));
    db = path.join(tmp, 'store.db');
    const scan = await cct(['scan', '--root', CLI_TREE, '--db', db, '--json']);
    assert.equal(scan.code, 0, scan.err);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('efficiency totals equal the hand-summed truths; tool errors are the failing, denied calls', async () => {
    const r = await cct(['insights', '--db', db, '--json', '--tz', 'UTC']);
    assert.equal(r.code, 0, r.err);
    const a = JSON.parse(r.out);
    assert.equal(a.efficiency.totalTokens, TOKENS);
    assert.equal(
      a.efficiency.apiMessages,
      sum((e) => e.apiMessages),
    );
    assert.equal(
      a.efficiency.userPrompts,
      sum((e) => e.userPrompts),
    );
    assert.equal(
      a.efficiency.toolCalls,
      sum((e) => Object.values(e.toolCalls).reduce((x, y) => x + y, 0)),
    );
    assert.equal(a.efficiency.sessions, expected.length);
    const errors = Object.fromEntries(
      a.efficiency.tools.map((t: { tool: string; errors: number }) => [t.tool, t.errors]),
    );
    // fail: Bash + Read fail; denied: Write refused by permissions
    assert.deepEqual(errors, { Bash: 1, Read: 1, Write: 1, Agent: 0, Edit: 0 });
    const cacheRead = sum((e) => e.tokens.cacheRead);
    const prompt = sum((e) => e.tokens.input + e.tokens.cacheRead + e.tokens.cacheCreation);
    assert.ok(Math.abs(a.efficiency.cacheHitRatio - cacheRead / prompt) < 1e-12);
    // The subagent lines of the agent and bgagent sessions are sidechain usage with a cost of their own.
    assert.ok(a.efficiency.subagentCostShare > 0 && a.efficiency.subagentCostShare < 1);
    for (const k of ['insights', 'anomalies', 'efficiency', 'daily', 'weekly', 'blocks', 'byProject', 'byModel'])
      assert.ok(k in a, `--json has ${k}`);
    // The most expensive session leads, with its id as evidence.
    assert.equal(a.insights[0].kind, 'expensive_session');
    assert.deepEqual(a.insights[0].evidence.sessionIds, [ids.tools]);
  });

  it('compaction and turn latency: the compact fixture’s /compact; each turn ends at its last API message (checked by SQL)', async () => {
    const a = JSON.parse((await cct(['insights', '--db', db, '--json', '--tz', 'UTC'])).out);
    const compactCost = a.bySession.find((s: { key: string }) => s.key === ids.compact).costUsd;
    assert.ok(compactCost > 0);
    // one manual /compact in the compact session (a subagent's would not count); its cost and share
    assert.deepEqual(a.efficiency.compaction, {
      sessions: 1,
      shareOfSessions: 1 / expected.length,
      compactions: 1,
      costUsd: compactCost,
      shareOfCost: compactCost / a.totals.costUsd,
    });
    assert.ok(!a.insights.some((i: { kind: string }) => i.kind === 'repeated_compaction'), 'once is not repeated');
    assert.ok(!a.efficiency.notComputed.some((x: string) => /compaction|turn/.test(x)));
    const store = await Store.open(db);
    try {
      // the compact session: prompts at 23:40:40.147 and 23:40:41.686 (the /compact command, its output and the
      // summary are not prompts), answered at 40.260 and 41.774
      const rows = readAnalyticsRows(store.db);
      const compact = factsOfRows(rows.usage, rows.prompts, rows.toolCalls, rows.compactions).find(
        (f) => f.sessionId === ids.compact,
      )!;
      assert.deepEqual([compact.compactions, compact.turnMs], [1, [113, 88]]);
      // every turn, by a window query over the store: prompt → last API message before the next prompt
      const bySql = store.db
        .prepare(
          `WITH p AS (SELECT session_id, ts, lead(ts) OVER (PARTITION BY session_id ORDER BY ts) AS next
             FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0 AND ts IS NOT NULL)
           SELECT (SELECT max(a.ts) FROM api_messages a WHERE a.session_id = p.session_id AND a.ts >= p.ts
             AND (p.next IS NULL OR a.ts < p.next)) - p.ts AS d FROM p`,
        )
        .values()
        .map((r) => r[0])
        .filter((d): d is number => d !== null)
        .map(Number)
        .sort((x, y) => x - y);
      assert.equal(a.efficiency.timedTurns, bySql.length);
      assert.ok(bySql.length >= sum((e) => e.userPrompts) - 2, `${bySql.length} timed turns`);
      const mid = bySql.length >> 1;
      const median = bySql.length % 2 ? bySql[mid] : (bySql[mid - 1]! + bySql[mid]!) / 2;
      assert.equal(a.efficiency.medianTurnMs, median);
      assert.equal(a.efficiency.p90TurnMs, bySql[Math.ceil(0.9 * bySql.length) - 1]);
      assert.ok(a.efficiency.medianTurnMs >= a.efficiency.medianFirstResponseMs);
    } finally {
      store.close();
    }
    const human = (await cct(['insights', '--db', db, '--tz', 'UTC', '--no-topics'])).out;
    assert.match(
      human,
      new RegExp(`sessions that hit compaction +1 \\(${(100 / expected.length).toFixed(1)} %\\), 1 compaction\\b`),
    );
    assert.match(human, /turn duration, median \(\d+ timed turns\) +\d+\.\d s/);
    // Everything is computed over the local store: no empty "not computed yet:" line.
    assert.doesNotMatch(human, /not computed yet/);
  });

  it('topics: every session with a prompt in exactly one topic (or unclustered), labelled, with its cost; --no-topics skips them', async () => {
    const a = JSON.parse((await cct(['insights', '--db', db, '--json', '--tz', 'UTC'])).out);
    const seen = [...a.topics.flatMap((t: { sessionIds: string[] }) => t.sessionIds), ...a.topicModel.unclustered];
    assert.equal(new Set(seen).size, seen.length, 'no session in two topics');
    assert.equal(seen.length, expected.filter((e) => e.userPrompts > 0).length);
    for (const t of a.topics) assert.ok(t.label && t.terms.length > 0, JSON.stringify(t));
    const topicCost = a.topics.reduce((n: number, t: { costUsd: number | null }) => n + (t.costUsd ?? 0), 0);
    assert.ok(Math.abs(topicCost - a.totals.costUsd) < 1e-12, 'every costed session has a topic here');
    // Secrets are masked before storage; no mask tag or secret piece becomes a topic term.
    assert.ok(!a.topics.some((t: { terms: string[] }) => t.terms.some((x) => /ghp|redacted|github_token/i.test(x))));
    const off = JSON.parse((await cct(['insights', '--db', db, '--json', '--no-topics'])).out);
    assert.equal(off.topics, null);
  });

  it('the cost agrees with cct report daily, and days sum to the totals in every zone tried', async () => {
    const daily = JSON.parse((await cct(['report', 'daily', '--db', db, '--json', '--tz', 'UTC'])).out);
    for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kathmandu']) {
      const a = JSON.parse((await cct(['insights', '--db', db, '--json', '--tz', tz])).out);
      assert.ok(
        Math.abs(a.totals.costUsd - daily.totals.costUsd) < 1e-12,
        `${tz}: ${a.totals.costUsd} vs ${daily.totals.costUsd}`,
      );
      const days = a.daily.reduce((n: number, d: { totalTokens: number }) => n + d.totalTokens, 0);
      assert.equal(days, TOKENS, tz);
      const heat = a.heatmap.reduce((n: number, c: { totalTokens: number }) => n + c.totalTokens, 0);
      assert.equal(heat, TOKENS, tz);
    }
    // The fixtures ran at 23:40 UTC on 2026-11-28: already the 29th in Tokyo.
    const tokyo = JSON.parse((await cct(['insights', '--db', db, '--json', '--tz', 'Asia/Tokyo'])).out);
    assert.deepEqual(
      tokyo.daily.map((d: { date: string }) => d.date),
      ['2026-11-29'],
    );
  });

  it('report blocks: one block holding everything; active with a projection when --now is inside it', async () => {
    const r = await cct(['report', 'blocks', '--db', db, '--json', '--now', '2026-11-29T01:00:00Z']);
    assert.equal(r.code, 0, r.err);
    const { blocks } = JSON.parse(r.out);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].totalTokens, TOKENS);
    assert.equal(blocks[0].start, '2026-11-28T23:00:00.000Z');
    assert.equal(blocks[0].active, true);
    assert.equal(blocks[0].projection.remainingMinutes, 180);
    assert.ok(blocks[0].projection.costUsd > blocks[0].costUsd);
    const later = JSON.parse(
      (await cct(['report', 'blocks', '--db', db, '--json', '--now', '2026-11-30T00:00:00Z'])).out,
    );
    assert.equal(later.blocks[0].active, false);
    const human = await cct(['report', 'blocks', '--db', db, '--tz', 'Asia/Tokyo', '--now', '2026-11-29T01:00:00Z']);
    assert.match(human.out, /^Block start +Models/);
    assert.match(human.out, /2026-11-29 08:00 \(active\)/);
  });

  it('report weekly and insights weekly honour --week-start (Saturday 2026-11-28: Monday weeks start the 23rd, Sunday weeks the 22nd)', async () => {
    const week = async (...args: string[]) =>
      JSON.parse((await cct(['report', 'weekly', '--db', db, '--json', '--tz', 'UTC', ...args])).out).weekly[0].period;
    assert.equal(await week(), '2026-11-23');
    assert.equal(await week('--week-start', 'sun'), '2026-11-22');
    assert.equal(await week('--week-start', 'Saturday'), '2026-11-28');
    const a = JSON.parse((await cct(['insights', '--db', db, '--json', '--tz', 'UTC', '--week-start', 'sunday'])).out);
    assert.equal(a.weekly[0].week, '2026-11-22');
    assert.equal(a.weekStartsOn, 0);
    const bad = await cct(['report', 'weekly', '--db', db, '--week-start', 'funday']);
    assert.equal(bad.code, 2);
    const daily = await cct(['report', 'daily', '--db', db, '--week-start', 'sun']);
    assert.equal(daily.code, 2, 'a week start means nothing to a daily report');
  });

  it('--project, --since and --until narrow the rows', async () => {
    const alpha = JSON.parse((await cct(['insights', '--db', db, '--json', '--project', 'work/ALPHA'])).out);
    const alphaTokens = expected
      .filter((e) => e.projectPath?.endsWith('/alpha'))
      .reduce((n, e) => n + e.tokens.input + e.tokens.output + e.tokens.cacheCreation + e.tokens.cacheRead, 0);
    assert.equal(alpha.efficiency.totalTokens, alphaTokens);
    const none = JSON.parse(
      (await cct(['insights', '--db', db, '--json', '--since', '2026-11-30', '--tz', 'UTC'])).out,
    );
    assert.equal(none.efficiency.totalTokens, 0);
    assert.deepEqual(none.insights, []);
    // Everything happened on 2026-11-28 between 23:40 and 23:41 UTC: a bare --until date includes its whole day.
    const tokens = async (...args: string[]) =>
      JSON.parse((await cct(['insights', '--db', db, '--json', '--tz', 'UTC', ...args])).out).efficiency.totalTokens;
    assert.equal(await tokens('--until', '2026-11-28'), TOKENS);
    assert.equal(await tokens('--until', '2026-11-27'), 0);
    const part = await tokens('--until', '2026-11-28T23:40:45Z');
    assert.ok(part > 0 && part < TOKENS, `${part}`);
    assert.equal(part + (await tokens('--since', '2026-11-28T23:40:45Z')), TOKENS, 'since/until split, nothing lost');
  });

  it('bad flags are usage errors (exit 2) and say what is wrong', async () => {
    for (const [args, msg] of [
      [['--tz', 'Mars/Olympus'], /unknown time zone/],
      [['--since', '2026-11-29', '--until', '2026-11-28'], /--until must be after --since/],
      [['--week-start', 'someday'], /--week-start/],
      [['--k', '-1'], /--k must be a positive number/],
    ] as const) {
      const r = await cct(['insights', '--db', db, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, msg);
    }
    const r = await cct(['report', 'daily', '--db', db, '--project', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--project works with 'cct report blocks' and 'cct insights' only/);
  });

  it('retries through the store: the same failing call again counts, a different input does not', async () => {
    const copy = path.join(tmp, 'retry.db');
    fs.copyFileSync(db, copy);
    const store = await Store.open(copy);
    try {
      const failing = store.db
        .prepare("SELECT session_id, input_json, ts FROM tool_calls WHERE name = 'Bash' AND is_error = 1")
        .get()!;
      const ins = store.db.prepare(
        "INSERT INTO tool_calls (id, session_id, name, input_json, ts, is_error, is_sidechain) VALUES (?, ?, 'Bash', ?, ?, ?, 0)",
      );
      ins.run(['retry-1', failing.session_id!, failing.input_json!, Number(failing.ts) + 1000, 0]);
      ins.run(['other-1', failing.session_id!, '{"command":"ls /"}', Number(failing.ts) + 500, 1]); // another input fails in between
      const bash = toolStats(readAnalyticsRows(store.db).toolCalls).find((t) => t.tool === 'Bash')!;
      assert.equal(bash.retries, 1);
      assert.notEqual(digest('{"command":"a"}'), digest('{"command":"b"}'));
      assert.equal(digest(String(failing.input_json)), digest(String(failing.input_json)));
    } finally {
      store.close();
    }
  });

  it('reading page by page gives the same rows as one page, whatever the page size', async () => {
    const store = await Store.open(db);
    try {
      const whole = readAnalyticsRows(store.db, {}, { pageSize: 1_000_000 });
      for (const pageSize of [1, 2, 7, 29, 30])
        assert.deepEqual(
          readAnalyticsRows(store.db, { project: 'beta' }, { pageSize }),
          readAnalyticsRows(store.db, { project: 'beta' }, { pageSize: 1_000_000 }),
        );
      for (const pageSize of [1, 3, 28, 29])
        assert.deepEqual(readAnalyticsRows(store.db, {}, { pageSize }), whole, `page size ${pageSize}`);
      assert.equal(
        whole.usage.length,
        sum((e) => e.apiMessages),
      );
    } finally {
      store.close();
    }
  });

  it('a malformed store row is an error naming the table and row, not a NaN in a sum', async () => {
    const copy = path.join(tmp, 'bad.db');
    fs.copyFileSync(db, copy);
    const store = await Store.open(copy);
    try {
      store.db.exec("UPDATE api_messages SET input = 'lots' WHERE rowid = (SELECT min(rowid) FROM api_messages)");
      assert.throws(() => readAnalyticsRows(store.db), /unreadable api_messages row 0: \[4\]/);
    } finally {
      store.close();
    }
  });
});
