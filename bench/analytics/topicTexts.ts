/**
 * Synthetic masked session text for the analytics benchmark: what topic clustering reads per session (its first
 * prompts and a few tool targets), so the 20,000-session store costs topics what a real user's does. Prompts mix
 * English, code identifiers (camelCase, snake_case, paths) and Japanese, with an occasional mask tag, drawn from a
 * vocabulary of about 3,500 words: 60 latent topics of Zipf-like sizes, each with its own 40 words, 6 file paths
 * and 3 commands, plus a 1,000-word pool every topic draws from (the noise). Deterministic for a seed.
 */
import { mulberry32 } from '../../src/core/random/mulberry32';

export const TOPIC_COUNT = 60;
const CORE_EN = 30;
const CORE_JA = 10;
const GENERIC = 1000;

/** Real words, a few per topic, so the labels a human reads in the bench output say something. */
const DEV_WORDS = (
  'database migration schema login button parser tokenizer webhook cache queue worker deploy docker kubernetes ' +
  'terraform billing invoice payment stripe search index query router middleware session cookie token oauth ' +
  'upload image thumbnail resize email template notification websocket stream logger metrics dashboard chart ' +
  'export import backup restore sync conflict merge rebase branch release version changelog lint format ' +
  'typecheck compiler bundler webpack vite plugin theme dark mode layout sidebar modal dialog form validation ' +
  'locale translation timezone calendar scheduler cron retry timeout proxy gateway certificate encryption ' +
  'password permission role admin tenant profile avatar comment thread reaction feed pagination cursor sort ' +
  'filter report pdf csv spreadsheet parser lexer grammar ast interpreter benchmark profiler memory leak ' +
  'crash stacktrace sentry alert incident oncall runbook fixture snapshot mock coverage flaky regression'
).split(' ');

const JA_WORDS = (
  'データベース マイグレーション スキーマ ログイン ボタン パーサー テスト キャッシュ キュー デプロイ 請求 ' +
  '決済 検索 索引 通知 画像 設定 認証 権限 管理 画面 一覧 詳細 登録 削除 更新 追加 修正 確認 表示 入力 ' +
  '出力 変換 保存 読込 同期 競合 翻訳 時刻 予定 再試行 証明書 暗号化 暗号 利用者 会員 投稿 返信 並替 ' +
  '絞込 帳票 性能 計測 障害 監視 警告 手順 移行 構成 環境 本番 開発 検証 依存 型定義 例外 処理 接続 ' +
  '送信 受信 分割 結合 集計 履歴 差分 変更 互換 速度 容量 上限 制限 順序 形式 文字 数値 日付'
).split(' ');

const SYL_EN =
  'ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu'.split(
    ' ',
  );
const CODA_EN = ['', 'n', 'r', 'l', 'x', 'm', 'k', 't'];
const SYL_KANA =
  'カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ ホ マ ミ ム メ モ ラ リ ル レ ロ バ ビ ブ ベ ボ パ ピ プ ペ ポ'.split(
    ' ',
  );
const EN_GLUE = 'the in for and with on please fix add update check why does it is when after'.split(' ');
const JA_PARTICLES = ['の', 'を', 'が', 'で', 'に', 'と', 'は'];
const JA_ENDINGS = ['して', 'してください', 'したい', 'が失敗する', 'を直して', 'を確認して', 'がおかしい'];
const MASKS = ['«email:3f2a9c1e»', '«ghp_…github_token:303de14c»', '[REDACTED:password:3c84cae3]', '«ipv4:77ab01f2»'];

export interface Vocabulary {
  topics: { en: string[]; ja: string[]; paths: string[]; commands: string[] }[];
  generic: string[];
  /** The pool's Japanese words. */
  genericJa: string[];
  /** Cumulative Zipf weights of the topics (topic t has weight 1 / (t + 1)^0.8). */
  cumulative: number[];
}

/** The vocabulary of a seed: pseudo-words (so topics do not share words by accident) and real dev words. */
export function vocabulary(seed: number): Vocabulary {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const used = new Set<string>();
  const fresh = (make: () => string) => {
    for (;;) {
      const w = make();
      if (w && !used.has(w)) {
        used.add(w);
        return w;
      }
    }
  };
  // Pseudo-words that the English stemmer leaves alone (no -s, -ed, -ing ending), at least five letters.
  const en = () =>
    fresh(() => {
      const w = Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(SYL_EN)).join('') + pick(CODA_EN);
      return w.length < 5 || /(s|ed|ing)$/.test(w) ? '' : w;
    });
  const kana = () => fresh(() => Array.from({ length: 3 + Math.floor(rnd() * 3) }, () => pick(SYL_KANA)).join(''));
  const dev = [...new Set(DEV_WORDS)];
  const topics = Array.from({ length: TOPIC_COUNT }, (_, t) => {
    const real = [dev[(2 * t) % dev.length]!, dev[(2 * t + 1) % dev.length]!];
    for (const w of real) used.add(w);
    const words = [...real, ...Array.from({ length: CORE_EN - real.length }, en)];
    const ja = [JA_WORDS[t % JA_WORDS.length]!, ...Array.from({ length: CORE_JA - 1 }, kana)];
    const camel = (a: string, b: string) => a + b[0]!.toUpperCase() + b.slice(1);
    const paths = Array.from({ length: 6 }, (_, i) => {
      const [a, b, c] = [words[i]!, words[(i + 7) % CORE_EN]!, words[(i + 13) % CORE_EN]!];
      return [`src/${a}/${camel(b, c)}.ts`, `test/${a}/${b}_${c}.test.ts`, `packages/${a}-${b}/lib/${c}.py`][i % 3]!;
    });
    const commands = [
      `npm run ${words[3]}`,
      `pytest tests/test_${words[4]}_${words[5]}.py`,
      `git diff src/${words[0]} -- ${words[6]}`,
    ];
    return { en: words, ja, paths, commands };
  });
  const generic = Array.from({ length: GENERIC }, (_, i) => (i % 5 === 4 ? kana() : en()));
  let sum = 0;
  const cumulative = topics.map((_, t) => (sum += 1 / (t + 1) ** 0.8));
  const genericJa = generic.filter((_, i) => i % 5 === 4);
  return { topics, generic, genericJa, cumulative: cumulative.map((c) => c / sum) };
}

export interface SessionText {
  /** The latent topic the text was drawn from (for a purity check; never stored). */
  topic: number;
  /** The first prompts (one to three). */
  prompts: string[];
  /** Tool inputs as the store keeps them (input_json): file paths and commands. */
  toolInputs: string[];
}

/** The text of session `index` (its own PRNG stream, so any session can be drawn alone). */
export function sessionText(v: Vocabulary, seed: number, index: number): SessionText {
  const rnd = mulberry32((seed * 2_654_435_761 + index * 40_503) >>> 0);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  const topic = Math.max(
    0,
    v.cumulative.findIndex((c) => r <= c),
  );
  const t = v.topics[topic]!;
  // 65 % of a prompt's words are the topic's own; the rest come from the pool every topic shares.
  const word = (ja: boolean) =>
    rnd() < 0.65 ? (ja ? pick(t.ja) : pick(t.en)) : ja ? pick(v.genericJa) : pick(v.generic);
  const english = () => {
    const out: string[] = [];
    for (let i = 0, n = 6 + Math.floor(rnd() * 20); i < n; i++) {
      const x = rnd();
      if (x < 0.25) out.push(pick(EN_GLUE));
      else if (x < 0.33) out.push(`${word(false)}${word(false).replace(/^./, (c) => c.toUpperCase())}`);
      else if (x < 0.37) out.push(`${word(false)}_${word(false)}`);
      else if (x < 0.41) out.push(pick(t.paths));
      else if (x < 0.43) out.push(pick(MASKS));
      else out.push(word(false));
    }
    return out.join(' ');
  };
  const japanese = (mixed: boolean) => {
    let s = '';
    for (let i = 0, n = 3 + Math.floor(rnd() * 6); i < n; i++) {
      s += mixed && rnd() < 0.4 ? ` ${word(false)} ` : word(true);
      s += pick(JA_PARTICLES);
    }
    return s + (mixed && rnd() < 0.3 ? ` ${pick(t.paths)} ` : '') + pick(JA_ENDINGS);
  };
  const lang = rnd();
  const prompts = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () =>
    lang < 0.5 ? english() : lang < 0.75 ? japanese(false) : japanese(true),
  );
  const toolInputs = Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => {
    const x = rnd();
    const other = v.topics[Math.floor(rnd() * v.topics.length)]!;
    if (x < 0.55) return JSON.stringify({ file_path: pick(x < 0.45 ? t.paths : other.paths) });
    if (x < 0.85) return JSON.stringify({ command: pick(t.commands) });
    return JSON.stringify({ pattern: word(false) });
  });
  return { topic, prompts, toolInputs };
}
