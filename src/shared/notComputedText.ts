import type { TextLanguage } from './analyticsText';

/**
 * What analytics cannot tell yet (AnalyticsResult.notComputed, in English), in Japanese. Keyed by the English line
 * as vscode.l10n bundles are; a line without a translation stays English (a unit test lists every line analytics
 * can give and fails on a missing one).
 */
const JA: Record<string, string> = {
  'tool error rates and retries (tool results are not synced)':
    'ツールのエラー率と再試行（ツールの結果は同期されません）',
  'subagent share and sidechain prompts in metadata sync mode (context_analysis is withheld; a subagent instruction there also ends a timed turn)':
    'メタデータ同期モードでのサブエージェントの割合とサイドチェーンのプロンプト（context_analysis は送られません。そこではサブエージェントへの指示でも時刻のあるターンが区切られます）',
  'topics in metadata sync mode (no prompt text)': 'メタデータ同期モードでのトピック（プロンプトの本文がありません）',
  'sessions that hit compaction (compaction boundaries are not synced)':
    'コンテキスト圧縮があったセッション（圧縮の境界は同期されません）',
};

export function notComputedText(line: string, lang: TextLanguage): string {
  return lang === 'ja' ? (JA[line] ?? line) : line;
}

/** The lines with a Japanese translation (for the test that every line analytics gives has one). */
export const TRANSLATED_NOT_COMPUTED: readonly string[] = Object.keys(JA);
