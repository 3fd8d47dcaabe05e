/**
 * A small, dependency-free highlighter for code blocks in assistant Markdown: strings, comments, numbers and
 * keywords of the common languages, as text nodes in <span class="tok-…"> (never HTML built from the code).
 * (DOM-free: markdown.ts applies it to the rendered blocks.) Good enough to read; a grammar-exact highlighter would cost ~10× the webview bundle.
 */

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue def default del delete do elif else enum export ' +
    'extends false final finally fn for from func function go if impl implements import in instanceof interface ' +
    'is lambda let loop match mod module mut new nil none null of package pass private protected pub public raise ' +
    'return select self static struct super switch then this throw throws trait true try type typeof undefined ' +
    'unless until use using var void where while with yield True False None fi done esac echo local readonly'
  ).split(' '),
);

const HASH_COMMENTS =
  /^(?:py|python|sh|bash|shell|zsh|console|rb|ruby|yaml|yml|toml|r|perl|pl|dockerfile|make|makefile|conf|ini)$/;

type Kind = 'str' | 'com' | 'num' | 'kw' | null;

function tokenRegex(hash: boolean): RegExp {
  const comment = hash ? String.raw`#[^\n]*` : String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/`;
  return new RegExp(
    String.raw`(${comment})|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\`(?:[^\`\\]|\\.)*\`)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[\da-f]+\b)|([A-Za-z_$][\w$]*)`,
    'gi',
  );
}

export function highlightTokens(code: string, language: string): { text: string; kind: Kind }[] {
  const lang = language.toLowerCase();
  if (lang === 'text' || lang === 'plaintext' || lang === 'txt' || code.length > 100_000)
    return [{ text: code, kind: null }];
  const re = tokenRegex(HASH_COMMENTS.test(lang));
  const out: { text: string; kind: Kind }[] = [];
  let last = 0;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    const kind: Kind = m[1] ? 'com' : m[2] ? 'str' : m[3] ? 'num' : m[4] && KEYWORDS.has(m[4]) ? 'kw' : null;
    if (kind === null) continue;
    if (m.index > last) out.push({ text: code.slice(last, m.index), kind: null });
    out.push({ text: m[0], kind });
    last = m.index + m[0].length;
  }
  if (last < code.length) out.push({ text: code.slice(last), kind: null });
  return out;
}
