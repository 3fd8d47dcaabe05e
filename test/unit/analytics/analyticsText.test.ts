/**
 * Insight and anomaly text in English and Japanese (src/shared/analyticsText.ts) from the messageId and params core
 * analytics writes next to its English `message`: the English text is core's message exactly, over hand-made
 * fixtures that produce every message and over generated ones; every message has both languages; the Japanese
 * keeps nothing English but identifiers (session ids, tools, models, projects, flags).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildAnalytics } from '../../../src/core/analytics/analytics';
import type { Insight } from '../../../src/core/analytics/insights';
import type { AnalyticsRows, ToolCallRow, UsageRow } from '../../../src/core/analytics/rows';
import { SYNCED_NOT_COMPUTED } from '../../../src/core/analytics/syncedRows';
import type { Anomaly } from '../../../src/core/analytics/timeSeries';
import {
  ANALYTICS_MESSAGE_IDS,
  type AnalyticsMessage,
  type AnalyticsMessageId,
  CostAnomalyMessageSchema,
  InsightMessageSchema,
} from '../../../src/shared/analyticsMessages';
import { formatAnalyticsMessage, textLanguageOf } from '../../../src/shared/analyticsText';
import { notComputedText } from '../../../src/shared/notComputedText';
import { at, PRICES, usage } from './helpers';

const DAY = 86_400_000;
const t0 = at('2026-11-20T10:00:00Z');

const meta = (sessionId: string, projectPath: string | null) => ({
  sessionId,
  projectPath,
  entrypoint: 'cli',
  firstTs: null,
  lastTs: null,
  title: null,
});
const failing = (sessionId: string, n: number, tool = 'Bash', ts = t0): ToolCallRow[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${sessionId}-${tool}-${i}`,
    sessionId,
    name: tool,
    inputKey: '{"command":"npm test"}',
    ts: ts + i,
    isError: true,
    isSidechain: false,
  }));
const rows = (r: Partial<AnalyticsRows>): AnalyticsRows => ({
  sessions: [],
  usage: [],
  prompts: [],
  toolCalls: [],
  ...r,
});
const analyticsOf = (r: AnalyticsRows) => buildAnalytics(r, PRICES, { timeZone: 'UTC', now: t0 + DAY });

/**
 * Hand-made stores that, between them, make analytics say every message: expensive sessions for each reason,
 * a failing tool, unpriced models (named and without a model id), cache-ratio drops (with and without a project),
 * and cost anomalies (against a usual day, and against a $0 usual day without tokens).
 */
function fixtures(): AnalyticsRows[] {
  const reasons = rows({
    usage: [
      ...Array.from({ length: 10 }, (_, i) => usage({ ts: t0 + i * 1000, sessionId: `ok${i}`, input: 100_000 })),
      ...Array.from({ length: 4 }, (_, i) => usage({ ts: t0 + i, sessionId: 'nocache', input: 250_000 })),
      usage({ ts: t0, sessionId: 'pricey', model: 'big', input: 50_000 }),
    ],
    sessions: [
      ...Array.from({ length: 10 }, (_, i) => meta(`ok${i}`, '/w/alpha')),
      meta('nocache', '/w/alpha'),
      meta('pricey', '/w/alpha'),
    ],
    toolCalls: [...failing('nocache', 3), ...failing('ok1', 1, 'Read'), ...failing('ok2', 2, 'Read')],
  });
  const size = rows({
    // 'bulky': many small cached messages, 10× an ordinary session: expensive for its size alone
    usage: [
      ...Array.from({ length: 6 }, (_, i) => usage({ ts: t0 + i, sessionId: `s${i}`, input: 1_000, output: 500 })),
      ...Array.from({ length: 1200 }, (_, i) =>
        usage({ ts: t0 + i, sessionId: 'bulky', input: 1_000, cacheRead: 9_000, output: 1_234 }),
      ),
      // without a model id, and with one the price table lacks
      usage({ ts: t0, sessionId: 'x1', model: null, input: 1_500 }),
      usage({ ts: t0, sessionId: 'x2', model: 'mystery-1', input: 700, output: 300 }),
      usage({ ts: t0, sessionId: 'x3', model: 'mystery-1', input: 1_000_000 }),
    ],
    sessions: [...Array.from({ length: 6 }, (_, i) => meta(`s${i}`, null)), meta('bulky', null)],
  });
  const cache = rows({
    usage: [
      usage({ ts: t0 - 20 * DAY, sessionId: 'old', input: 200_000, cacheRead: 800_000 }),
      usage({ ts: t0, sessionId: 'new', input: 800_000, cacheRead: 200_000 }),
      // no project: 90 % → 42 %
      usage({ ts: t0 - 20 * DAY, sessionId: 'old2', input: 100_000, cacheRead: 900_000 }),
      usage({ ts: t0 - 1000, sessionId: 'new2', input: 580_000, cacheRead: 420_000 }),
    ],
    sessions: [meta('old', '/w/beta'), meta('new', '/w/beta')],
  });
  // Ten ordinary days of $1.00–$1.20, then a $9 day made by three sessions on alpha.
  const ordinary = [1, 1.1, 1.2, 1, 1.1, 1, 1.2, 1.1, 1, 1.1];
  const anomaly = rows({
    usage: [
      ...ordinary.map((c, i) => usage({ ts: t0 + i * DAY, sessionId: `d${i}`, input: c * 1_000_000 })),
      ...['big1', 'big2', 'big3'].map((sessionId) => usage({ ts: t0 + 10 * DAY, input: 3_000_000, sessionId })),
    ],
    sessions: ['big1', 'big2', 'big3'].map((s) => meta(s, '/work/alpha')),
  });
  // Five days with API messages but no tokens ($0, no tokens), then a priced day: beyond a $0 usual day.
  const fromZero = rows({
    usage: [
      ...[0, 1, 2, 3, 4].map((i) => usage({ ts: t0 + i * DAY, sessionId: `z${i}` })),
      usage({ ts: t0 + 5 * DAY, sessionId: 'spend', input: 2_000_000 }),
    ],
  });
  // Compacted repeatedly: one session (with a project), then three (one without usage, so no share of cost yet).
  const compactedOnce = rows({
    usage: [usage({ ts: t0, sessionId: 'c1', input: 1_000_000 }), usage({ ts: t0, sessionId: 'c2', input: 1_000_000 })],
    sessions: [meta('c1', '/w/gamma')],
    compactions: [0, 1].map((i) => ({ sessionId: 'c1', ts: t0 + i })),
  });
  const compactedMany = rows({
    usage: [usage({ ts: t0, sessionId: 'm1' })],
    compactions: ['m1', 'm1', 'm2', 'm2', 'm2', 'm3', 'm3'].map((sessionId, i) => ({ sessionId, ts: t0 + i })),
  });
  return [reasons, size, cache, anomaly, fromZero, compactedOnce, compactedMany];
}

/** Every message an insight or anomaly holds: its own and, for an expensive session, each reason. */
function messagesIn(x: AnalyticsMessage): AnalyticsMessage[] {
  return x.messageId === 'expensive_session' ? [x, ...x.params.reasons] : [x];
}

/** Every string param: the identifiers a translation keeps as they are. */
function identifiersIn(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(identifiersIn);
  if (x && typeof x === 'object') return Object.values(x).flatMap(identifiersIn);
  return [];
}

/** Latin words left in a Japanese text once identifiers, flags and the acronyms Japanese UI keeps are taken out. */
function englishWordsIn(text: string, identifiers: readonly string[]): string[] {
  let rest = text;
  for (const id of [...new Set(identifiers)].sort((a, b) => b.length - a.length))
    if (id) rest = rest.split(id).join(' ');
  rest = rest.replace(/--[a-z-]+/g, ' ');
  return (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['API', 'USD'].includes(w));
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('analytics text: insights and anomalies in English and Japanese', () => {
  const results = fixtures().map(analyticsOf);
  const insights: Insight[] = results.flatMap((a) => a.insights);
  const anomalies: Anomaly[] = results.flatMap((a) => a.anomalies);

  it('the fixtures make analytics say every message of the union (and the variants of each)', () => {
    const seen = new Set([...insights, ...anomalies].flatMap((x) => messagesIn(x).map((m) => m.messageId)));
    assert.deepEqual(
      [...ANALYTICS_MESSAGE_IDS].filter((id) => !seen.has(id)),
      [],
    );
    // the variants: no project, no model id, a $0 usual day, a day without usual tokens
    assert.ok(insights.some((i) => i.messageId === 'unpriced_model' && i.params.model === null));
    assert.ok(insights.some((i) => i.messageId === 'cache_ratio_drop' && i.params.project === null));
    assert.ok(insights.some((i) => i.messageId === 'expensive_session' && i.params.project === null));
    assert.ok(anomalies.some((a) => a.params.ratio === null && a.params.tokenRatio === null && !a.params.project));
    assert.ok(anomalies.some((a) => a.params.ratio !== null && a.params.tokenRatio !== null && a.params.project));
    const compacted = insights.filter((i) => i.messageId === 'repeated_compaction');
    assert.ok(compacted.some((i) => i.params.sessions === 1 && i.params.project !== null));
    assert.ok(
      compacted.some((i) => i.params.sessions > 1 && i.params.shareOfCost === null && i.params.project === null),
    );
  });

  it('English text equals core’s message for every insight and anomaly of the fixtures', () => {
    for (const i of insights) assert.equal(formatAnalyticsMessage(i, 'en'), i.message, i.messageId);
    for (const a of anomalies) assert.equal(formatAnalyticsMessage(a, 'en'), a.explanation);
    // and the cost_anomaly insight carries its anomaly's id and params
    const fromAnomaly = insights.filter((i) => i.kind === 'cost_anomaly');
    assert.equal(fromAnomaly.length, anomalies.length);
    for (const i of fromAnomaly) assert.equal(i.messageId, 'cost_anomaly');
  });

  it('params are what the protocol accepts (they cross to the webview and --json as they are)', () => {
    for (const i of insights)
      assert.doesNotThrow(() => InsightMessageSchema.parse({ messageId: i.messageId, params: i.params }), i.message);
    for (const a of anomalies) CostAnomalyMessageSchema.parse({ messageId: a.messageId, params: a.params });
  });

  it('Japanese text for the fixtures: Japanese sentences, no English left but identifiers and flags', () => {
    for (const x of [...insights, ...anomalies]) {
      const ja = formatAnalyticsMessage(x, 'ja');
      assert.match(ja, JAPANESE);
      assert.doesNotMatch(ja, /undefined|NaN|Infinity|\{|\}/);
      assert.deepEqual(englishWordsIn(ja, identifiersIn(x.params)), [], ja);
    }
  });

  it('numbers, money, percents and dates follow each language', () => {
    const a = anomalies.find((x) => x.params.project === '/work/alpha')!;
    assert.equal(
      formatAnalyticsMessage(a, 'ja'),
      '2026年11月30日: $9.00。普段の日（$1.10）の 8.2倍です。/work/alpha の 3 件のセッションがその 100% を占め、' +
        '普段の 1 日の 8.2倍のトークンを使いました',
    );
    const big: AnalyticsMessage = {
      messageId: 'expensive_session',
      params: {
        sessionId: 's',
        project: 'p',
        costUsd: 1.005,
        shareOfCost: 0.075,
        reasons: [{ messageId: 'session_size', params: { apiMessages: 1500, totalTokens: 12_345_678 } }],
      },
    };
    // English as core writes it: toFixed cents (1.005 is 1.00499… in binary: Intl alone would say $1.01), no
    // grouping of message counts, Math.round percents (0.075 × 100 = 7.5 → 8, where 0.075 itself is below 7.5 %)
    assert.equal(
      formatAnalyticsMessage(big, 'en'),
      'session s (p) cost $1.00, 8 % of all: its size: 1500 API messages, 12,345,678 tokens',
    );
    assert.equal(
      formatAnalyticsMessage(big, 'ja-JP'),
      'セッション s（p）のコストは $1.00 で全体の 8%。要因: 規模そのもの（API メッセージ 1,500 件、12,345,678 トークン）',
    );
    const dear: AnalyticsMessage = { ...a, params: { ...a.params, costUsd: 1234.5, ratio: null, tokenRatio: null } };
    assert.match(formatAnalyticsMessage(dear, 'en'), /^2026-11-30: \$1234\.50, far above your usual day \(\$1\.10\);/);
    assert.match(
      formatAnalyticsMessage(dear, 'ja'),
      /^2026年11月30日: \$1,234\.50。普段の日（\$1\.10）を大きく上回りました。/,
    );
  });

  it('every messageId has an English and a Japanese text (the union enumerated)', () => {
    const samples: { [K in AnalyticsMessageId]: Extract<AnalyticsMessage, { messageId: K }>[] } = {
      expensive_session: insights.filter((i) => i.messageId === 'expensive_session'),
      failing_tool: [
        {
          messageId: 'failing_tool',
          params: { tool: 'Read', errors: 1, withResult: 4, errorRate: 0.25, retries: 0, sessions: 1 },
        },
        {
          messageId: 'failing_tool',
          params: { tool: 'Bash', errors: 3, withResult: 3, errorRate: 1, retries: 2, sessions: 2 },
        },
      ],
      unpriced_model: [{ messageId: 'unpriced_model', params: { model: null, tokens: 1, sessions: 1 } }],
      cache_ratio_drop: [
        { messageId: 'cache_ratio_drop', params: { project: 'x', recentRatio: 0.2, previousRatio: 0.8 } },
      ],
      cost_anomaly: anomalies,
      repeated_compaction: [
        {
          messageId: 'repeated_compaction',
          params: { sessions: 1, compactions: 2, maxCompactions: 2, sessionId: 's', project: null, shareOfCost: 0.1 },
        },
        {
          messageId: 'repeated_compaction',
          params: {
            sessions: 3,
            compactions: 9,
            maxCompactions: 4,
            sessionId: 't',
            project: 'alpha',
            shareOfCost: null,
          },
        },
      ],
      long_context_without_cache: [
        { messageId: 'long_context_without_cache', params: { promptTokensPerMessage: 25_000.4, cacheHitRatio: 0.1 } },
      ],
      tool_failed: [
        { messageId: 'tool_failed', params: { tool: 'Bash', errors: 1, retries: 0 } },
        { messageId: 'tool_failed', params: { tool: 'Bash', errors: 2, retries: 1 } },
      ],
      pricier_model: [
        { messageId: 'pricier_model', params: { model: 'big', usualModel: 'm', costRatio: 10 } },
        { messageId: 'pricier_model', params: { model: 'big', usualModel: 'free', costRatio: null } },
      ],
      session_size: [{ messageId: 'session_size', params: { apiMessages: 1, totalTokens: 10 } }],
    };
    for (const id of ANALYTICS_MESSAGE_IDS) {
      const list: AnalyticsMessage[] = samples[id];
      assert.ok(list.length > 0, `a sample of ${id}`);
      for (const m of list) {
        const en = formatAnalyticsMessage(m, 'en');
        const ja = formatAnalyticsMessage(m, 'ja');
        assert.ok(en.length > 0 && !JAPANESE.test(en), `${id} en: ${en}`);
        assert.match(ja, JAPANESE, `${id} ja: ${ja}`);
        assert.notEqual(ja, en);
        assert.doesNotMatch(`${en} ${ja}`, /undefined|NaN|\{|\}/);
        assert.deepEqual(englishWordsIn(ja, identifiersIn(m.params)), [], `${id} ja: ${ja}`);
      }
    }
  });

  it('every “not computed yet” line analytics can give has a Japanese translation', () => {
    const a = analyticsOf(rows({}));
    const lines = [...a.notComputed, ...a.efficiency.notComputed, ...SYNCED_NOT_COMPUTED];
    assert.ok(lines.length >= SYNCED_NOT_COMPUTED.length);
    for (const line of lines) {
      const ja = notComputedText(line, 'ja');
      assert.match(ja, JAPANESE, line);
      assert.deepEqual(englishWordsIn(ja, line.match(/\w+_\w+/g) ?? []), [], ja);
      assert.equal(notComputedText(line, 'en'), line);
    }
  });

  it('a locale picks its language: ja, ja-JP, ja_JP.UTF-8 are Japanese; others English', () => {
    assert.deepEqual(['ja', 'ja-JP', 'JA_jp.UTF-8', 'en', 'en-US', 'C', 'fr', '', undefined].map(textLanguageOf), [
      'ja',
      'ja',
      'ja',
      'en',
      'en',
      'en',
      'en',
      'en',
      'en',
    ]);
  });

  it('generated stores: English equals core’s message, params parse, Japanese is whole (property)', () => {
    const session = fc.record({
      project: fc.constantFrom('/w/alpha', '/w/beta', 'C:\\w\\gamma', null),
      day: fc.integer({ min: 0, max: 40 }),
      model: fc.constantFrom('m', 'big', 'mystery-1', null),
      messages: fc.array(
        fc.record({
          input: fc.integer({ min: 0, max: 3_000_000 }),
          output: fc.integer({ min: 0, max: 200_000 }),
          cacheRead: fc.integer({ min: 0, max: 3_000_000 }),
          cacheCreation: fc.integer({ min: 0, max: 500_000 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      errors: fc.array(fc.record({ tool: fc.constantFrom('Bash', 'Read', 'mcp__db__query'), same: fc.boolean() }), {
        maxLength: 5,
      }),
    });
    fc.assert(
      fc.property(fc.array(session, { minLength: 1, maxLength: 25 }), (list) => {
        const usageRows: UsageRow[] = [];
        const calls: ToolCallRow[] = [];
        list.forEach((s, i) => {
          const sid = `g${i}`;
          const ts = t0 - s.day * DAY + i * 60_000;
          for (const [j, m] of s.messages.entries())
            usageRows.push(usage({ ts: ts + j, sessionId: sid, model: s.model, ...m, cache5m: m.cacheCreation }));
          for (const [j, e] of s.errors.entries())
            calls.push({
              id: `${sid}-c${j}`,
              sessionId: sid,
              name: e.tool,
              inputKey: e.same ? '{"a":1}' : `{"a":${j}}`,
              ts: ts + j,
              isError: j % 3 !== 2,
              isSidechain: false,
            });
        });
        const sessions = list.flatMap((s, i) => (s.project === null ? [] : [meta(`g${i}`, s.project)]));
        const a = analyticsOf(rows({ usage: usageRows, sessions, toolCalls: calls }));
        for (const x of a.insights) {
          assert.equal(formatAnalyticsMessage(x, 'en'), x.message);
          InsightMessageSchema.parse({ messageId: x.messageId, params: x.params });
          const ja = formatAnalyticsMessage(x, 'ja');
          assert.doesNotMatch(ja, /undefined|NaN|Infinity/);
          assert.deepEqual(englishWordsIn(ja, identifiersIn(x.params)), [], ja);
        }
        for (const x of a.anomalies) assert.equal(formatAnalyticsMessage(x, 'en'), x.explanation);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
