import type { TextLanguage } from './analyticsText';

/**
 * What analytics cannot tell yet (AnalyticsResult.notComputed, in English), in Japanese. Keyed by the English line
 * as vscode.l10n bundles are; a line without a translation stays English (a unit test lists every line analytics
 * can give and fails on a missing one).
 */
const JA: Record<string, string> = {
  'sessions that hit compaction (boundaries are stored since schema v14; analytics does not read them yet)':
    'コンパクションに達したセッション（境界はスキーマ v14 から保存されていますが、分析はまだ読み込みません）',
  'per-turn latency beyond the first response (streamed block times are merged per API message)':
    '最初の応答より後のターンごとの待ち時間（ストリーミングされたブロックの時刻は API メッセージごとにまとめられます）',
  "official rate_limits next to the Metrics view's block estimate (the status bar's limits item shows both)":
    'メトリクスビューのブロック推定と並べた公式の rate_limits（ステータスバーの制限項目には両方が表示されます）',
  'tool error rates and retries (tool results are not synced)':
    'ツールのエラー率と再試行（ツールの結果は同期されません）',
  'subagent share and sidechain prompts in metadata sync mode (context_analysis is withheld)':
    'メタデータ同期モードでのサブエージェントの割合とサイドチェーンのプロンプト（context_analysis は送られません）',
  'topics in metadata sync mode (no prompt text)': 'メタデータ同期モードでのトピック（プロンプトの本文がありません）',
};

export function notComputedText(line: string, lang: TextLanguage): string {
  return lang === 'ja' ? (JA[line] ?? line) : line;
}

/** The lines with a Japanese translation (for the test that every line analytics gives has one). */
export const TRANSLATED_NOT_COMPUTED: readonly string[] = Object.keys(JA);
