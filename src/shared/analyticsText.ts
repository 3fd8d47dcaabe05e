import type { AnalyticsMessage, AnalyticsMessageId, ExpensiveReason } from './analyticsMessages';

/**
 * An insight's or anomaly's text in the user's language, from its messageId and params (analyticsMessages.ts).
 * Each language writes whole sentences in its own word order; only numbers, names and an expensive session's
 * reasons (each a whole clause) are put into them. The English text equals core analytics' `message` exactly
 * (test/unit/analytics/analyticsText.test.ts), so the CLI's --json and the UI never disagree.
 * Runs in the webview too: no node:* and no vscode here.
 */
export type TextLanguage = 'en' | 'ja';

/** 'ja', 'ja-JP', 'ja_JP.UTF-8' → 'ja'; anything else → 'en'. */
export function textLanguageOf(locale: string | undefined): TextLanguage {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function formatAnalyticsMessage(m: AnalyticsMessage, locale: string): string {
  const lang = textLanguageOf(locale);
  return say(lang, m);
}

type ParamsOf<K extends AnalyticsMessageId> = Extract<AnalyticsMessage, { messageId: K }>['params'];
/** One sentence per message: numbers formatted by `n`, an expensive session's reasons by `reason`. */
type Catalog = {
  [K in AnalyticsMessageId]: (p: ParamsOf<K>, n: NumberText, reason: (r: ExpensiveReason) => string) => string;
};

interface NumberText {
  /** A whole number with the language's digit grouping (tokens). */
  int(x: number): string;
  /** A small count as prose writes it (sessions, errors, API messages). */
  count(x: number): string;
  /** Dollars and cents. */
  usd(x: number): string;
  /** A ratio as a whole percent. */
  pct(x: number): string;
  /** A multiple with one decimal: "4.0×" / "4.0倍". */
  times(x: number): string;
  /** A local date YYYY-MM-DD. */
  date(d: string): string;
}

// Rounded first, with the rounding core uses (toFixed, Math.round), then formatted: Intl alone rounds the shortest
// decimal form (1.005 → "1.01" where toFixed gives "1.00"), and English must equal core's message digit for digit.
const fixed = (x: number, digits: number) => Number(x.toFixed(digits));
const percentOf = (x: number) => Math.round(x * 100);

function numberText(lang: TextLanguage): NumberText {
  if (lang === 'ja') {
    const int = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 0 });
    const usd = new Intl.NumberFormat('ja-JP', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    const pct = new Intl.NumberFormat('ja-JP', { style: 'percent', maximumFractionDigits: 0 });
    const one = new Intl.NumberFormat('ja-JP', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const date = new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    return {
      int: (x) => int.format(Math.round(x)),
      count: (x) => int.format(x),
      usd: (x) => usd.format(fixed(x, 2)),
      pct: (x) => pct.format(percentOf(x) / 100),
      times: (x) => `${one.format(fixed(x, 1))}倍`,
      date: (d) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? date.format(new Date(`${d}T00:00:00Z`)) : d),
    };
  }
  // English as core has always written it: grouped token counts, ungrouped small counts and dollars, "20 %".
  const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, useGrouping: false });
  const usd = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    useGrouping: false,
  });
  const one = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    useGrouping: false,
  });
  return {
    int: (x) => int.format(Math.round(x)),
    count: (x) => plain.format(x),
    usd: (x) => usd.format(fixed(x, 2)),
    pct: (x) => `${plain.format(percentOf(x))} %`,
    times: (x) => `${one.format(fixed(x, 1))}×`,
    date: (d) => d,
  };
}

const s = (n: number) => (n === 1 ? '' : 's');

const EN: Catalog = {
  expensive_session: (p, n, reason) =>
    `session ${p.sessionId}${p.project !== null ? ` (${p.project})` : ''} cost ${n.usd(p.costUsd)}, ` +
    `${n.pct(p.shareOfCost)} of all: ${p.reasons.map(reason).join('; ')}`,
  long_context_without_cache: (p, n) =>
    `long context without cache (${n.int(p.promptTokensPerMessage)} prompt tokens per message, ${n.pct(p.cacheHitRatio)} from cache)`,
  tool_failed: (p, n) =>
    p.retries
      ? `${p.tool} failed ${n.count(p.errors)} time${s(p.errors)}, retried ${n.count(p.retries)}×`
      : `${p.tool} failed ${n.count(p.errors)} time${s(p.errors)}`,
  pricier_model: (p, n) =>
    `${p.model} costs ${p.costRatio === null ? 'Infinity×' : n.times(p.costRatio)} per token what this project usually uses (${p.usualModel})`,
  session_size: (p, n) => `its size: ${n.count(p.apiMessages)} API messages, ${n.int(p.totalTokens)} tokens`,
  failing_tool: (p, n) =>
    p.retries
      ? `${p.tool} failed ${n.count(p.errors)} of ${n.count(p.withResult)} calls (${n.pct(p.errorRate)}), ${n.count(p.retries)} retried with the same input, in ${n.count(p.sessions)} session${s(p.sessions)}`
      : `${p.tool} failed ${n.count(p.errors)} of ${n.count(p.withResult)} calls (${n.pct(p.errorRate)}), in ${n.count(p.sessions)} session${s(p.sessions)}`,
  unpriced_model: (p, n) =>
    `${p.model ?? '(unknown)'} has no price: ${n.int(p.tokens)} tokens in ${n.count(p.sessions)} session${s(p.sessions)} are missing from every cost (add it with --prices)`,
  cache_ratio_drop: (p, n) =>
    `${p.project ?? '(no project)'}: cache hit ratio fell to ${n.pct(p.recentRatio)} in the last 7 days from ${n.pct(p.previousRatio)} in the 28 before`,
  repeated_compaction: (p, n) => {
    const top = `session ${p.sessionId}${p.project !== null ? ` (${p.project})` : ''}`;
    const what =
      p.sessions === 1
        ? `${top} compacted ${n.count(p.maxCompactions)} times`
        : `${n.count(p.sessions)} sessions compacted repeatedly: ${n.count(p.compactions)} compactions, up to ${n.count(p.maxCompactions)} in ${top}`;
    return (
      `${what}${p.shareOfCost === null ? '' : `, ${n.pct(p.shareOfCost)} of all cost`}; each compaction replaces the ` +
      'conversation with a summary: a new session per task keeps the context small'
    );
  },
  cost_anomaly: (p, n) => {
    const day =
      p.ratio === null
        ? `${p.date}: ${n.usd(p.costUsd)}, far above your usual day (${n.usd(p.baselineCostUsd)})`
        : `${p.date}: ${n.usd(p.costUsd)}, ${n.times(p.ratio)} your usual day (${n.usd(p.baselineCostUsd)})`;
    const project = p.project ?? '(no project)';
    const who = `${n.count(p.sessions)} session${s(p.sessions)} on ${project} made ${n.pct(p.projectShare)}`;
    return p.tokenRatio === null
      ? `${day}; ${who}`
      : `${day}; ${who} and used ${n.times(p.tokenRatio)} your usual daily tokens`;
  },
};

const JA: Catalog = {
  expensive_session: (p, n, reason) =>
    p.project !== null
      ? `セッション ${p.sessionId}（${p.project}）のコストは ${n.usd(p.costUsd)} で全体の ${n.pct(p.shareOfCost)}。要因: ${p.reasons.map(reason).join('／')}`
      : `セッション ${p.sessionId} のコストは ${n.usd(p.costUsd)} で全体の ${n.pct(p.shareOfCost)}。要因: ${p.reasons.map(reason).join('／')}`,
  long_context_without_cache: (p, n) =>
    `キャッシュを使わない長いコンテキスト（1 メッセージあたりプロンプト ${n.int(p.promptTokensPerMessage)} トークン、キャッシュから ${n.pct(p.cacheHitRatio)}）`,
  tool_failed: (p, n) =>
    p.retries
      ? `${p.tool} が ${n.count(p.errors)} 回失敗し、${n.count(p.retries)} 回再試行`
      : `${p.tool} が ${n.count(p.errors)} 回失敗`,
  pricier_model: (p, n) =>
    p.costRatio === null
      ? `${p.model} のトークン単価は、このプロジェクトで普段使う ${p.usualModel}（無料）より高い`
      : `${p.model} のトークン単価は、このプロジェクトで普段使う ${p.usualModel} の ${n.times(p.costRatio)}`,
  session_size: (p, n) =>
    `規模そのもの（API メッセージ ${n.count(p.apiMessages)} 件、${n.int(p.totalTokens)} トークン）`,
  failing_tool: (p, n) =>
    p.retries
      ? `${n.count(p.sessions)} 件のセッションで ${p.tool} が ${n.count(p.withResult)} 回中 ${n.count(p.errors)} 回失敗しました（${n.pct(p.errorRate)}）。うち ${n.count(p.retries)} 回は同じ入力での再試行です`
      : `${n.count(p.sessions)} 件のセッションで ${p.tool} が ${n.count(p.withResult)} 回中 ${n.count(p.errors)} 回失敗しました（${n.pct(p.errorRate)}）`,
  unpriced_model: (p, n) =>
    `${p.model ?? '（モデル不明）'} には価格がありません。${n.count(p.sessions)} 件のセッションの ${n.int(p.tokens)} トークンがどのコストにも含まれていません（--prices で追加できます）`,
  cache_ratio_drop: (p, n) =>
    `${p.project ?? '（プロジェクトなし）'}: キャッシュヒット率が、その前の 28 日間の ${n.pct(p.previousRatio)} から直近 7 日間は ${n.pct(p.recentRatio)} に下がりました`,
  repeated_compaction: (p, n) => {
    const top = `セッション ${p.sessionId}${p.project !== null ? `（${p.project}）` : ''}`;
    const what =
      p.sessions === 1
        ? `${top} のコンテキストが ${n.count(p.maxCompactions)} 回圧縮されました`
        : `${n.count(p.sessions)} 件のセッションでコンテキストが繰り返し圧縮されました（計 ${n.count(p.compactions)} 回、最多は ${top} の ${n.count(p.maxCompactions)} 回）`;
    const share = p.shareOfCost === null ? '' : `。これらのセッションは全コストの ${n.pct(p.shareOfCost)} を占めます`;
    return `${what}${share}。圧縮のたびに会話は要約に置き換わります。作業ごとに新しいセッションを始めるとコンテキストを小さく保てます`;
  },
  cost_anomaly: (p, n) => {
    const day =
      p.ratio === null
        ? `${n.date(p.date)}: ${n.usd(p.costUsd)}。普段の日（${n.usd(p.baselineCostUsd)}）を大きく上回りました`
        : `${n.date(p.date)}: ${n.usd(p.costUsd)}。普段の日（${n.usd(p.baselineCostUsd)}）の ${n.times(p.ratio)}です`;
    const project = p.project ?? '（プロジェクトなし）';
    return p.tokenRatio === null
      ? `${day}。${project} の ${n.count(p.sessions)} 件のセッションがその ${n.pct(p.projectShare)} を占めました`
      : `${day}。${project} の ${n.count(p.sessions)} 件のセッションがその ${n.pct(p.projectShare)} を占め、普段の 1 日の ${n.times(p.tokenRatio)}のトークンを使いました`;
  },
};

const CATALOGS: Record<TextLanguage, Catalog> = { en: EN, ja: JA };
const NUMBERS: Partial<Record<TextLanguage, NumberText>> = {};

function say(lang: TextLanguage, m: AnalyticsMessage): string {
  let n = NUMBERS[lang];
  if (!n) {
    n = numberText(lang);
    NUMBERS[lang] = n;
  }
  // The catalog is indexed by the same id as the params' type: TypeScript cannot correlate the two through a union.
  const line = CATALOGS[lang][m.messageId] as (
    p: AnalyticsMessage['params'],
    n: NumberText,
    reason: (r: ExpensiveReason) => string,
  ) => string;
  return line(m.params, n, (r) => say(lang, r));
}
