/** English and Japanese UI strings; the host's locale picks one. */
const en = {
  title: 'Claude Code Tracer',
  waiting: 'Waiting for the extension…',
  live: 'Live session',
  noLive: 'No live Claude Code session',
  roots: 'Claude Code folders',
  found: 'found',
  missing: 'not found',
  store: 'Local store',
  storeNone: 'not opened yet',
  version: 'Version',
  activation: 'Activated in',
  refresh: 'Refresh',
  sessions: 'sessions',
  interactions: 'interactions',
  interactionsHelp:
    'An interaction is one prompt you sent, or one response Claude returned with its text and tool calls. ' +
    'A turn in which Claude uses tools has several responses.',
  apiMessages: 'API messages',
  apiMessagesHelp: 'Responses of the Claude API, each counted once for tokens and cost.',
  scanning: 'Scanning transcripts',
  files: 'files',
  busyElsewhere: 'Another window or `cct scan` is ingesting; this window reads.',
  scanError: 'Last scan failed',
  lastScan: 'Last scan',
  starting: 'Starting…',
} as const;

type Key = keyof typeof en;

const ja: Record<Key, string> = {
  title: 'Claude Code Tracer',
  waiting: '拡張機能を待っています…',
  live: '実行中のセッション',
  noLive: '実行中の Claude Code セッションはありません',
  roots: 'Claude Code フォルダー',
  found: 'あり',
  missing: 'なし',
  store: 'ローカルストア',
  storeNone: '未オープン',
  version: 'バージョン',
  activation: '起動時間',
  refresh: '更新',
  sessions: 'セッション',
  interactions: 'インタラクション',
  interactionsHelp:
    'インタラクションは、送信したプロンプト 1 件、または Claude が返した応答 1 件（本文とツール呼び出しを含む）です。' +
    'Claude がツールを使うターンには応答が複数あります。',
  apiMessages: 'API メッセージ',
  apiMessagesHelp: 'Claude API の応答。トークンとコストのためにそれぞれ 1 回だけ数えます。',
  scanning: 'トランスクリプトをスキャン中',
  files: 'ファイル',
  busyElsewhere: '別のウィンドウまたは `cct scan` が取り込み中です。このウィンドウは読み取りのみです。',
  scanError: '前回のスキャンに失敗しました',
  lastScan: '前回のスキャン',
  starting: '起動中…',
};

export type Messages = Record<Key, string>;

export function messagesFor(locale: string | undefined): Messages {
  return locale?.toLowerCase().startsWith('ja') ? ja : en;
}
