import type { TextLanguage } from '../../shared/analyticsText';

/**
 * `cct insights`' human output in English and Japanese (the insight lines themselves come from
 * formatAnalyticsMessage). Numbers stay as the tables print them; only words change.
 */
export interface InsightsText {
  heading(sessions: number, cost: string, timeZone: string): string;
  /** `--remote` / `--remote --team`: where the rows came from, under the heading. */
  source: { mine: string; team: string };
  nothing: string;
  severity: Record<'high' | 'medium' | 'low', string>;
  unpriced: string;
  efficiency: string;
  value: string;
  tokensPerPrompt: string;
  costPerPrompt: string;
  costPerSessionMean: string;
  costPerSessionMedian: string;
  cacheHitRatio: string;
  cachingSaved: string;
  outputPerInput: string;
  toolCallsPerTurn: string;
  retries: string;
  subagentShare: string;
  firstResponse: string;
  turnMedian(timedTurns: string): string;
  turnP90: string;
  compactedSessions: string;
  compactedCost: string;
  /** "2 (22.2 %), 3 compactions": sessions, their share, all compactions. */
  compacted(sessions: string, share: string, compactions: number, compactionsText: string): string;
  tool: string;
  calls: string;
  errors: string;
  errorRate: string;
  retriesHeader: string;
  topic: string;
  sessions: string;
  costUsd: string;
  time: string;
  days(n: number): string;
  patterns(activeDays: number, longest: string, current: string, medianSession: string): string;
  activeBlock(soFar: string, projected: string, end: string): string;
  notComputed(lines: string): string;
  seconds(n: number | string): string;
  minutes(n: string): string;
  hours(n: string): string;
  listSeparator: string;
}

const en: InsightsText = {
  heading: (n, cost, tz) => `Insights (${n} sessions, ${cost}; time zone ${tz})`,
  source: {
    mine: 'over the sessions synced from all your machines (Supabase)',
    team: 'over the synced sessions you may read as a team owner or admin (Supabase)',
  },
  nothing: 'nothing stands out',
  severity: { high: 'high', medium: 'medium', low: 'low' },
  unpriced: 'unpriced',
  efficiency: 'Efficiency',
  value: 'Value',
  tokensPerPrompt: 'tokens per prompt',
  costPerPrompt: 'cost per prompt',
  costPerSessionMean: 'cost per session (mean)',
  costPerSessionMedian: 'cost per session (median)',
  cacheHitRatio: 'cache hit ratio',
  cachingSaved: 'caching saved (net)',
  outputPerInput: 'output ÷ input',
  toolCallsPerTurn: 'tool calls per turn',
  retries: 'tool retries after an error',
  subagentShare: 'subagent share of cost',
  firstResponse: 'median time to first response',
  turnMedian: (n) => `turn duration, median (${n} timed turns)`,
  turnP90: 'turn duration, 90th percentile',
  compactedSessions: 'sessions that hit compaction',
  compactedCost: 'cost of those sessions',
  compacted: (n, share, c, ct) => `${n} (${share}), ${ct} compaction${c === 1 ? '' : 's'}`,
  tool: 'Tool',
  calls: 'Calls',
  errors: 'Errors',
  errorRate: 'Error rate',
  retriesHeader: 'Retries',
  topic: 'Topic',
  sessions: 'Sessions',
  costUsd: 'Cost (USD)',
  time: 'Time',
  days: (n) => `${n} day${n === 1 ? '' : 's'}`,
  patterns: (active, longest, current, median) =>
    `active days ${active}; longest streak ${longest}; current streak ${current}; median session ${median}`,
  activeBlock: (soFar, projected, end) => `active 5-hour block: ${soFar} so far, projected ${projected} by ${end}`,
  notComputed: (lines) => `not computed yet: ${lines}`,
  seconds: (n) => `${n} s`,
  minutes: (n) => `${n} min`,
  hours: (n) => `${n} h`,
  listSeparator: '; ',
};

const ja: InsightsText = {
  heading: (n, cost, tz) => `インサイト（${n} セッション、${cost}、タイムゾーン ${tz}）`,
  source: {
    mine: 'すべてのマシンから同期したセッション（Supabase）が対象',
    team: 'チームのオーナーまたは管理者として読める同期済みセッション（Supabase）が対象',
  },
  nothing: '目立った点はありません',
  severity: { high: '高', medium: '中', low: '低' },
  unpriced: '価格なし',
  efficiency: '効率',
  value: '値',
  tokensPerPrompt: 'プロンプトあたりのトークン',
  costPerPrompt: 'プロンプトあたりのコスト',
  costPerSessionMean: 'セッションあたりのコスト（平均）',
  costPerSessionMedian: 'セッションあたりのコスト（中央値）',
  cacheHitRatio: 'キャッシュヒット率',
  cachingSaved: 'キャッシュによる節約（正味）',
  outputPerInput: '出力 ÷ 入力',
  toolCallsPerTurn: 'ターンあたりのツール呼び出し',
  retries: 'エラー後のツール再試行',
  subagentShare: 'サブエージェントのコスト割合',
  firstResponse: '最初の応答までの時間（中央値）',
  turnMedian: (n) => `ターンの所要時間（中央値、時刻のある ${n} ターン）`,
  turnP90: 'ターンの所要時間（90 パーセンタイル）',
  compactedSessions: 'コンテキスト圧縮があったセッション',
  compactedCost: 'それらのセッションのコスト',
  compacted: (n, share, _c, ct) => `${n}（${share}）、圧縮 ${ct} 回`,
  tool: 'ツール',
  calls: '呼び出し',
  errors: 'エラー',
  errorRate: 'エラー率',
  retriesHeader: '再試行',
  topic: 'トピック',
  sessions: 'セッション',
  costUsd: 'コスト (USD)',
  time: '時間',
  days: (n) => `${n} 日`,
  patterns: (active, longest, current, median) =>
    `利用日数 ${active}、最長連続 ${longest}、現在の連続 ${current}、セッションの長さの中央値 ${median}`,
  activeBlock: (soFar, projected, end) => `実行中の 5 時間ブロック: これまで ${soFar}、${end} までの予測 ${projected}`,
  notComputed: (lines) => `未集計: ${lines}`,
  seconds: (n) => `${n} 秒`,
  minutes: (n) => `${n} 分`,
  hours: (n) => `${n} 時間`,
  listSeparator: '／',
};

export function insightsText(lang: TextLanguage): InsightsText {
  return lang === 'ja' ? ja : en;
}
