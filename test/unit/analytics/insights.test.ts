import assert from 'node:assert/strict';
import { insights } from '../../../src/core/analytics/insights';
import type { SessionMeta, ToolCallRow } from '../../../src/core/analytics/rows';
import { factsOfRows } from '../../../src/core/analytics/sessionFacts';
import { formatAnalyticsMessage } from '../../../src/shared/analyticsText';
import { at, indexed, usage } from './helpers';

const meta = (sessionId: string, projectPath: string): SessionMeta => ({
  sessionId,
  projectPath,
  entrypoint: 'cli',
  firstTs: null,
  lastTs: null,
  title: null,
});
const t0 = at('2026-11-20T10:00:00Z');
const DAY = 86_400_000;

describe('analytics: insights (ranked, with evidence)', () => {
  it('explains the expensive sessions: long context without cache, a failing tool retried, a pricier model than the project uses', () => {
    const usageRows = [
      // ten ordinary sessions on alpha with model m: $0.10 each
      ...Array.from({ length: 10 }, (_, i) => usage({ ts: t0 + i * 1000, sessionId: `ok${i}`, input: 100_000 })),
      // 'nocache': 4 messages of 250 k uncached prompt tokens → $1.00, cache ratio 0
      ...Array.from({ length: 4 }, (_, i) => usage({ ts: t0 + i, sessionId: 'nocache', input: 250_000 })),
      // 'pricey': model big on a project that uses m → 50 k input × $10 = $0.50
      usage({ ts: t0, sessionId: 'pricey', model: 'big', input: 50_000 }),
    ];
    const sessions = [
      ...Array.from({ length: 10 }, (_, i) => meta(`ok${i}`, '/w/alpha')),
      meta('nocache', '/w/alpha'),
      meta('pricey', '/w/alpha'),
    ];
    const calls: ToolCallRow[] = [1, 2, 3].map((i) => ({
      id: `c${i}`,
      sessionId: 'nocache',
      name: 'Bash',
      inputKey: '{"command":"npm test"}',
      ts: t0 + i,
      isError: true,
      isSidechain: false,
    }));
    const facts = factsOfRows(usageRows, [], calls);
    const list = insights(indexed(usageRows, { facts, sessions }), facts, []);
    const top = list.filter((i) => i.kind === 'expensive_session');
    assert.deepEqual(
      top.map((i) => i.evidence.sessionIds[0]),
      ['nocache', 'pricey'],
      'only sessions above twice the median, most expensive first',
    );
    const [a, b] = top as [(typeof top)[0], (typeof top)[0]];
    assert.equal(a.severity, 'high'); // $1.00 of $2.50
    assert.equal(a.evidence.numbers.shareOfCost, 0.4);
    assert.match(a.message, /long context without cache \(250,000 prompt tokens per message, 0 % from cache\)/);
    assert.match(a.message, /Bash failed 3 times, retried 2×/);
    assert.match(b.message, /big costs 10\.0× per token what this project usually uses \(m\)/);
    const tool = list.find((i) => i.kind === 'failing_tool')!;
    assert.equal(tool.message, 'Bash failed 3 of 3 calls (100 %), 2 retried with the same input, in 1 session');
    assert.deepEqual(tool.evidence.sessionIds, ['nocache']);
    // Ranked: high before medium; within a severity, larger score first.
    const ranks = list.map((i) => ({ high: 0, medium: 1, low: 2 })[i.severity]);
    assert.deepEqual(
      ranks,
      [...ranks].sort((x, y) => x - y),
    );
  });

  it('names unpriced models with their tokens and sessions, and projects whose cache ratio dropped', () => {
    const rows = [
      usage({ ts: t0, sessionId: 'u1', model: 'mystery-1', input: 700, output: 300 }),
      // beta: 80 % from cache a month ago, 20 % in the last week
      usage({ ts: t0 - 20 * DAY, sessionId: 'old', input: 200_000, cacheRead: 800_000 }),
      usage({ ts: t0, sessionId: 'new', input: 800_000, cacheRead: 200_000 }),
    ];
    const sessions = [meta('old', '/w/beta'), meta('new', '/w/beta')];
    const list = insights(indexed(rows, { sessions }), [], []);
    const unpriced = list.find((i) => i.kind === 'unpriced_model')!;
    assert.match(unpriced.message, /^mystery-1 has no price: 1,000 tokens in 1 session/);
    assert.deepEqual(unpriced.evidence.sessionIds, ['u1']);
    const drop = list.find((i) => i.kind === 'cache_ratio_drop')!;
    assert.equal(drop.message, 'beta: cache hit ratio fell to 20 % in the last 7 days from 80 % in the 28 before');
    assert.equal(drop.severity, 'high');
    assert.deepEqual(drop.evidence.sessionIds, ['new']);
  });

  it('sessions compacted repeatedly: one insight with each session and its count as evidence', () => {
    const rows = [
      usage({ ts: t0, sessionId: 'long', input: 3_000_000 }), // $3
      usage({ ts: t0, sessionId: 'twice', input: 1_000_000 }), // $1
      usage({ ts: t0, sessionId: 'once', input: 4_000_000 }), // $4
      usage({ ts: t0, sessionId: 'side', input: 2_000_000 }), // $2
    ];
    const boundaries = [
      ...Array.from({ length: 4 }, (_, i) => ({ sessionId: 'long', ts: t0 + i })),
      { sessionId: 'twice', ts: t0 },
      { sessionId: 'twice', ts: null },
      { sessionId: 'once', ts: t0 },
    ];
    const facts = factsOfRows(rows, [], [], boundaries);
    const alpha = [meta('long', '/w/alpha')];
    const list = insights(indexed(rows, { facts, sessions: alpha }), facts, []);
    const c = list.filter((i) => i.kind === 'repeated_compaction');
    assert.equal(c.length, 1);
    assert.deepEqual(c[0]!.evidence, {
      sessionIds: ['long', 'twice'],
      numbers: {
        sessions: 2,
        compactions: 6,
        maxCompactions: 4,
        costUsd: 4,
        shareOfCost: 0.4,
        'compactions.long': 4,
        'compactions.twice': 2,
      },
    });
    assert.equal(c[0]!.severity, 'medium');
    assert.equal(
      c[0]!.message,
      '2 sessions compacted repeatedly: 6 compactions, up to 4 in session long (alpha), 40 % of all cost; each compaction replaces the conversation with a summary: a new session per task keeps the context small',
    );
    // Its messageId and params say the same in English (and so in Japanese: analyticsText.test.ts).
    assert.equal(formatAnalyticsMessage(c[0]!, 'en'), c[0]!.message);
    assert.match(formatAnalyticsMessage(c[0]!, 'ja'), /^2 件のセッションでコンテキストが繰り返し圧縮されました/);
    // one session twice: low; none at or above a threshold of 5; unknown compactions (null) never an insight
    const oneFacts = factsOfRows(rows, [], [], boundaries.slice(4));
    const one = insights(indexed(rows, { facts: oneFacts }), oneFacts, []);
    assert.deepEqual(
      one.filter((i) => i.kind === 'repeated_compaction').map((i) => [i.severity, i.message.split(';')[0]]),
      [['low', 'session twice compacted 2 times, 10 % of all cost']],
    );
    for (const i of one) assert.equal(formatAnalyticsMessage(i, 'en'), i.message);
    const none = insights(indexed(rows, { facts }), facts, [], { minCompactions: 5 });
    assert.ok(!none.some((i) => i.kind === 'repeated_compaction'));
    const unknownFacts = factsOfRows(rows, [], []);
    const unknown = insights(indexed(rows, { facts: unknownFacts }), unknownFacts, []);
    assert.ok(!unknown.some((i) => i.kind === 'repeated_compaction'));
  });

  it('nothing to say about nothing', () => {
    assert.deepEqual(insights(indexed([]), [], []), []);
  });
});
