/** Personal data: e-mail, phone numbers, cards, IP addresses, My Number, user names. */
import type { MatchContext, Rule } from './rule';
import { DIGITS, lb, re } from './ruleHelpers';
import {
  digitsOf,
  isCreditCard,
  isPhone,
  isPlaceholder,
  isPrivateIPv4,
  isUlaIPv6,
  myNumberValid,
  toHalfWidth,
} from './validators';

const RESERVED_DOMAINS = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local\.host)$/i;
const FILE_TLDS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'ico',
  'bmp',
  'avif',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'css',
  'scss',
  'json',
  'md',
  'txt',
  'py',
  'rb',
  'go',
  'rs',
  'java',
  'kt',
  'swift',
  'html',
  'htm',
  'xml',
  'yaml',
  'yml',
  'toml',
  'lock',
  'map',
  'wasm',
  'pdf',
  'zip',
  'gz',
  'tgz',
  'mp4',
  'mp3',
  'woff',
  'woff2',
  'ttf',
]);

/** [0-9０-９] at `i` (false past the end). */
function isDigitCodeAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);
}
/** ASCII [0-9A-Fa-f] at `i` (false past the end). */
function isHexCodeAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function emailValidator(_v: string, ctx: MatchContext): boolean {
  const local = (ctx.groups.local ?? '').toLowerCase();
  const domain = (ctx.groups.domain ?? '').toLowerCase();
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (FILE_TLDS.has(tld)) return false;
  if (RESERVED_DOMAINS.test(domain)) return false;
  if (/(?:^|[.-])no-?reply(?:[.-]|$)|^do-?not-?reply$|^mailer-daemon$|(?:^|[-_.])bot$|^bot[-_.]/.test(local))
    return false;
  if (/noreply|no-reply/.test(domain)) return false;
  if (/^\d+x$/.test(domain.split('.')[0] ?? '')) return false; // icon@2x.…
  if (local === 'git' && ctx.text.charAt(ctx.end) === ':') return false; // git@github.com:org/repo
  if (ctx.text.charCodeAt(ctx.start - 1) === 58 /* : */) {
    // scheme://user:PASS@host — the "local part" is a URL password (url-credentials masks it)
    const from = Math.max(0, ctx.start - 160);
    const sep = ctx.text.lastIndexOf('://', ctx.start - 1);
    if (sep >= from && !/[\s/@'"]/.test(ctx.text.slice(sep + 3, ctx.start - 1))) return false;
  }
  if (/^(?:user|name|email|someone|foo|bar|you|me)$/.test(local) && isPlaceholder(local)) return false;
  return true;
}

/** The delimiter (',', tab, '|' or ';') around a whole cell [start, end), blanks aside, or '' when it is not a cell. */
function tableDelimiter(text: string, start: number, end: number): string {
  let i = start - 1;
  while (i >= 0 && text.charCodeAt(i) === 32) i--;
  let j = end;
  while (j < text.length && text.charCodeAt(j) === 32) j++;
  const p = i < 0 ? '\n' : text.charAt(i);
  const n = j >= text.length ? '\n' : text.charAt(j);
  const delim = (c: string) => c === ',' || c === '\t' || c === '|' || c === ';';
  if (delim(p) && (n === p || n === '\n' || n === '\r')) return p;
  if (p === '\n' && delim(n)) return n;
  return '';
}

/**
 * The header of the table holding `at`: the first of the lines above it (up to 64) with as many `delim` as the cell's
 * line — rows of one table have the same number of columns.
 */
function tableHeader(text: string, at: number, delim: string): string {
  let lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const count = (a: number, b: number) => {
    let n = 0;
    for (let i = text.indexOf(delim, a); i >= 0 && i < b; i = text.indexOf(delim, i + 1)) n++;
    return n;
  };
  const lineEnd = text.indexOf('\n', at);
  const columns = count(lineStart, lineEnd < 0 ? text.length : lineEnd);
  for (let k = 0; k < 64 && lineStart > 0; k++) {
    const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    if (count(prevStart, lineStart - 1) !== columns) break;
    lineStart = prevStart;
  }
  const end = text.indexOf('\n', lineStart);
  return text.slice(lineStart, end < 0 ? text.length : end);
}

/** Words that name a phone number, for numbers too ambiguous to claim alone. */
const PHONE_WORDS = [
  'phone',
  'mobile',
  'cell',
  'tel',
  'number',
  'whatsapp',
  'wechat',
  'contact',
  'call',
  'sms',
  '手机',
  '电话',
  '電話',
  '携帯',
  '联系',
  '微信',
];
const D = '[0-9０-９]';
const PSEP = '[ \\t().\\-‐－―−ー（）]';
export const piiRules: Rule[] = [
  {
    id: 'email',
    category: 'email',
    kind: 'pii',
    keywords: ['@'],
    pattern: re(
      `${lb('A-Za-z0-9._%+-')}(?<local>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@(?<domain>[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){0,8}\\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{2,59}))(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`,
    ),
    before: 64,
    after: 600,
    back: 'A-Za-z0-9._%+-',
    backMin: 1,
    level: 'standard',
    validator: emailValidator,
  },
  {
    id: 'phone-international',
    category: 'phone',
    kind: 'pii',
    keywords: ['+'],
    pattern: re(`${lb('\\w+/=\\-０-９＋')}[+＋]${D}(?:${PSEP}{0,3}${D}){6,16}(?![\\w\\-]|[.]${D})`),
    before: 0,
    after: 60,
    wordStart: true,
    // the pattern starts with the '+' and a digit: most '+' (arithmetic, base64, a+b@…) are rejected without the regex
    pre: (text, at) => isDigitCodeAt(text, at + 1),
    level: 'standard',
    validator: (v, ctx) =>
      isPhone(v) && !(ctx.text.charAt(ctx.start - 1) === '.' && /[0-9]/.test(ctx.text.charAt(ctx.start - 2))),
  },
  {
    id: 'phone-jp-national',
    category: 'phone',
    kind: 'pii',
    keywords: DIGITS,
    // ':' and '.' may precede (TEL:03-…, Tel.090-…); a decimal point before is rejected in the validator
    pattern: re(`${lb('\\w+/=#\\-０-９')}[(（]?[0０](?:${PSEP}{0,2}${D}){8,11}(?![\\w\\-０-９]|[.:/]${D})`),
    before: 3,
    after: 40,
    window: true,
    minDigits: 10,
    level: 'standard',
    validator: (v, ctx) => {
      const d = digitsOf(v);
      if (!isPhone(d)) return false;
      const p1 = ctx.text.charAt(ctx.start - 1);
      if ((p1 === '.' || p1 === ':') && /[0-9]/.test(ctx.text.charAt(ctx.start - 2))) return false; // 1.0312…, 12:0312…
      const groups = toHalfWidth(v)
        .split(/[^0-9]+/)
        .filter(Boolean);
      if (groups.length > 3) return false;
      if (groups.length === 1) {
        // bare digit run: mobiles / IP phones by shape, landlines only with a phone word nearby
        if (/^0[5789]0\d{8}$/.test(d)) return true;
        if (/(?:tel|phone|電話|ＴＥＬ|携帯|fax|☎)/i.test(ctx.text.slice(Math.max(0, ctx.start - 24), ctx.start)))
          return true;
        // a CSV / TSV / Markdown-table cell, in a table whose header line names a phone column
        const delim = tableDelimiter(ctx.text, ctx.start, ctx.end);
        return delim !== '' && /(?:tel|phone|電話|ＴＥＬ|携帯|fax)/i.test(tableHeader(ctx.text, ctx.start, delim));
      }
      const lastLen = groups[groups.length - 1]!.length;
      return lastLen === 4 || (/^0120|^0570|^0990/.test(d) && lastLen === 3) || (groups.length === 2 && lastLen >= 6);
    },
  },
  {
    id: 'phone-nanp',
    category: 'phone',
    kind: 'pii',
    keywords: DIGITS,
    pattern: re(
      // a word glued before ("is415-555-0132") is allowed: the separators make the shape; a digit, '-' or '+' is not.
      // A country code may lead without '+' (1-415-…, 91-415-…)
      `${lb('0-9_+/=.:#$\\-')}(?:[1-9]\\d{0,2}[ .\\-])?(?:\\([2-9]\\d{2}\\)[ \\t]?|[2-9]\\d{2}[ .\\-])[2-9]\\d{2}[ .\\-]\\d{4}(?![\\w\\-]|[.:]\\d)`,
    ),
    before: 8,
    after: 20,
    window: true,
    minDigits: 10,
    level: 'standard',
    validator: (v) => {
      const national = v.replace(/^[1-9]\d{0,2}[ .-](?=\(|\d{3}[ .-]\d{3}[ .-]\d{4}$)/, '');
      // a country code without '+' reads as one only before a fully separated number (91-415-555-0132)
      if (national !== v && !/^1[ .-]/.test(v) && !/^\d{3}([ .-])\d{3}\1\d{4}$/.test(national)) return false;
      const seps = national
        .replace(/^1[ .-]/, '')
        .replace(/\(\d{3}\) ?/, '-')
        .replace(/\d/g, '');
      return isPhone(national) && (seps.length === 2 ? seps[0] === seps[1] || seps[0] === '-' : true);
    },
  },
  {
    // China mainland mobile numbers without +86: 11 digits 1[3-9]…; a bare 11-digit run is too common (ids, counters)
    // to claim alone, so the rule is anchored at a phone word (电话 / 手机 / phone / number …) and the number must
    // follow within 12 characters of the same line: a keyword hit costs one sticky attempt, digit runs cost nothing
    id: 'phone-cn-mobile',
    category: 'phone',
    kind: 'pii',
    keywords: PHONE_WORDS,
    pattern: re(
      `(?:${PHONE_WORDS.join('|')})(?:[^\\n\\d\\\\]|\\\\"){0,12}?(?<s>1[3-9][0-9]{9})(?![\\w\\-]|[.:][0-9])`,
      'i',
    ),
    before: 0,
    after: 40,
    level: 'standard',
  },
  {
    id: 'credit-card',
    category: 'credit_card',
    kind: 'pii',
    keywords: DIGITS,
    pattern: re(`${lb('\\w.+/\\-')}[0-9](?:[ \\-]?[0-9]){12,18}(?![\\w]|[.\\-][0-9])`),
    before: 24,
    after: 24,
    window: true,
    minDigits: 13,
    pureValidator: true,
    level: 'standard',
    validator: (v) => isCreditCard(v),
  },
  {
    id: 'private-ipv4',
    category: 'ip_address',
    kind: 'pii',
    keywords: ['10.', '172.', '192.168.'],
    pattern: re(`${lb('\\w.')}(?:10|172|192)\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?![\\w]|\\.\\d)`),
    before: 0,
    after: 16,
    wordStart: true,
    level: 'standard',
    validator: (v, ctx) =>
      isPrivateIPv4(v) &&
      !/(?:\bv|\b(?:version|ver|node|release|rev|build|python|java|ruby|go|rust|chrome|firefox|safari|ios|android|macos|windows)[ :=]{0,3})$/i.test(
        ctx.text.slice(Math.max(0, ctx.start - 16), ctx.start),
      ),
  },
  {
    id: 'ula-ipv6',
    category: 'ip_address',
    kind: 'pii',
    keywords: ['fc', 'fd'],
    pattern: re(`${lb('\\w:')}f[cd][0-9a-f]{2}:[0-9a-f:]{2,40}(?![\\w:])`, 'i'),
    before: 0,
    after: 45,
    wordStart: true,
    // the pattern needs two hex digits and ':' after 'fc'/'fd' (most hits are inside words)
    pre: (text, at) => isHexCodeAt(text, at + 2) && isHexCodeAt(text, at + 3) && text.charCodeAt(at + 4) === 58,
    pureValidator: true,
    level: 'standard',
    validator: (v) => isUlaIPv6(v),
  },
  {
    id: 'my-number',
    category: 'my_number',
    kind: 'pii',
    keywords: DIGITS,
    pattern: re(`${lb('\\w.+/\\-０-９')}${D}{4}[ \\-]?${D}{4}[ \\-]?${D}{4}(?![\\w０-９]|[.\\-]${D})`),
    before: 14,
    after: 16,
    window: true,
    minDigits: 12,
    pureValidator: true,
    level: 'strict',
    validator: (v) => myNumberValid(v),
  },
  {
    id: 'home-path-user',
    category: 'username',
    kind: 'pii',
    keywords: ['/users/', '/home/', '\\users\\'],
    pattern: re(`(?:/Users/|/home/|[A-Za-z]:(?:\\\\){1,2}Users(?:\\\\){1,2})(?<s>[A-Za-z0-9._-]{1,64})`),
    before: 4,
    after: 80,
    back: 'A-Za-z:\\\\',
    level: 'strict',
    validator: (v) =>
      !/^(?:shared|public|default|runner|root|user|username|me|you|node|ubuntu|admin|guest|all users|\.{1,2}|x+)$/i.test(
        v,
      ) && !isPlaceholder(v),
  },
];
