/**
 * Validators used by the built-in rules. Pure functions over the candidate string; no I/O.
 * Each returns true when the candidate is a real secret / personal datum of its kind.
 */

/** Full-width ASCII variants (U+FF01..U+FF5E) → ASCII, and the usual Japanese dash look-alikes → '-'. */
export function toHalfWidth(s: string): string {
  if (!/[\u2010-\u2015\u2212\u3000\u30fc\uff01-\uff70]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (
      c === 0x2010 ||
      c === 0x2011 ||
      c === 0x2012 ||
      c === 0x2013 ||
      c === 0x2014 ||
      c === 0x2015 ||
      c === 0x2212 ||
      c === 0x30fc ||
      c === 0xff70
    )
      out += '-';
    else if (c === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

export function digitsOf(s: string): string {
  return toHalfWidth(s).replace(/[^0-9]/g, '');
}

const ENTROPY_COUNTS = new Uint32Array(128);

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const ascii = ENTROPY_COUNTS;
  ascii.fill(0);
  let other: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) ascii[c]!++;
    else {
      other ??= new Map<number, number>();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let h = 0;
  for (let c = 0; c < 128; c++) {
    const f = ascii[c]!;
    if (f) h -= (f / n) * Math.log2(f / n);
  }
  if (other) for (const f of other.values()) h -= (f / n) * Math.log2(f / n);
  return h;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer identification: prefix + allowed lengths. Returns the network name or undefined. */
export function cardIssuer(d: string): string | undefined {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4' && (n === 16 || n === 19)) return 'visa'; // 13-digit Visa is retired; 13 digits are mostly EAN/JAN
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if ((p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19)
    return 'discover';
  if (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) return 'diners';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 16 && n <= 19) return 'maestro';
  if (d[0] === '1' && n === 15) return 'uatp'; // airline cards (UATP): prefix 1, 15 digits
  return undefined;
}

export function isCreditCard(candidate: string): boolean {
  // Luhn on the char codes first: most candidates (ids, timestamps, runs) fail it without allocating
  let sum = 0;
  let nd = 0;
  for (let i = candidate.length - 1; i >= 0; i--) {
    const c = candidate.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let x = c - 48;
    if (nd++ & 1) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  if (nd < 13 || nd > 19 || sum % 10 !== 0) return false;
  const d = candidate.replace(/[^0-9]/g, '');
  // separators must be consistent: all groups split by the same single char, or none
  const seps = candidate.replace(/[0-9０-９]/g, '');
  if (seps.length > 0 && !/^ +$/.test(seps) && !/^-+$/.test(seps)) return false;
  if (!luhnValid(d) || /^(\d)\1+$/.test(d)) return false;
  return cardIssuer(d) !== undefined;
}

// ---- CRC32 / base62 (GitHub classic and npm token checksums) ----
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(s: string): number {
  let crc = -1;
  for (let i = 0; i < s.length; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]!;
  return (crc ^ -1) >>> 0;
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  do {
    s = B62[v % 62]! + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return s.padStart(width, '0');
}

/** `ghp_` + 30 random base62 + 6-char base62 CRC32 of the random part (same scheme for `npm_`). */
export function githubChecksumValid(token: string): boolean {
  const us = token.indexOf('_');
  const body = token.slice(us + 1);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  return base62(crc32(random), 6) === body.slice(30);
}

// ---- JWT ----
function b64urlDecode(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

export function decodeJwtPart(part: string): Record<string, unknown> | undefined {
  const txt = b64urlDecode(part);
  if (!txt) return undefined;
  try {
    const v: unknown = JSON.parse(txt);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** header.payload[.signature]: header is a JSON object with `alg` (or `typ`), payload a JSON object. */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const h = decodeJwtPart(parts[0]!);
  if (!h || (typeof h.alg !== 'string' && typeof h.typ !== 'string' && typeof h.enc !== 'string')) return false;
  const p = decodeJwtPart(parts[1]!);
  return p !== undefined;
}

export function jwtCategory(token: string): string | undefined {
  const p = decodeJwtPart(token.split('.')[1] ?? '');
  if (
    p &&
    (p.iss === 'supabase' ||
      (typeof p.iss === 'string' && p.iss.includes('supabase')) ||
      p.role === 'service_role' ||
      p.role === 'anon')
  )
    return 'supabase_jwt';
  return undefined;
}

// ---- IP addresses ----
export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

export function isPrivateIPv4(s: string): boolean {
  const o = parseIPv4(s);
  if (!o) return false;
  return o[0] === 10 || (o[0] === 172 && o[1]! >= 16 && o[1]! <= 31) || (o[0] === 192 && o[1] === 168);
}

/** Unique local addresses fc00::/7, validated as a syntactically complete IPv6 address. */
export function isUlaIPv6(s: string): boolean {
  const low = s.toLowerCase();
  if (!/^f[cd][0-9a-f]{2}:/.test(low)) return false;
  const dbl = low.split('::');
  if (dbl.length > 2) return false;
  const groups = (x: string) => (x === '' ? [] : x.split(':'));
  const head = groups(dbl[0]!);
  const tail = dbl.length === 2 ? groups(dbl[1]!) : [];
  if (![...head, ...tail].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return false;
  const n = head.length + tail.length;
  return dbl.length === 2 ? n <= 7 && n >= 2 : n === 8;
}

// ---- Phones ----
/**
 * Japanese numbering plan on a national number (leading 0, ASCII digits only).
 * 11 digits: mobiles 070/080/090, IP phones 050, free dial 0800, M2M 020. 10 digits: landlines 0[1-9]…
 * (not 00, not 0[5789]0 prefixes which are 11-digit), free dial 0120, navi dial 0570.
 */
export function isJapaneseNationalNumber(d: string): boolean {
  if (d[0] !== '0') return false;
  if (d.length === 11) return /^0[5789]0/.test(d) || /^0800/.test(d) || /^020/.test(d);
  if (d.length === 10) {
    if (/^0120|^0570|^0990/.test(d)) return true;
    if (/^0[5789]0|^00|^0800|^020/.test(d)) return false;
    return /^0[1-9]/.test(d);
  }
  return false;
}

/** Candidate phone in any format; validates Japanese national/+81 numbers, NANP and generic E.164. */
export function isPhone(candidate: string): boolean {
  const half = toHalfWidth(candidate).trim();
  let d = half.replace(/\(0\)/, '').replace(/[^0-9+]/g, '');
  if (d.startsWith('+')) {
    d = d.slice(1);
    if (d.includes('+')) return false;
    if (d.startsWith('81')) return isJapaneseNationalNumber(`0${d.slice(2).replace(/^0/, '')}`);
    if (d.startsWith('1')) return isNanp(d.slice(1));
    return d.length >= 8 && d.length <= 15 && d[0] !== '0';
  }
  if (d.includes('+')) return false;
  if (d[0] === '0') return isJapaneseNationalNumber(d);
  return isNanp(d.length === 11 && d[0] === '1' ? d.slice(1) : d);
}

/** North American Numbering Plan: NXX-NXX-XXXX, N = 2..9, no N11 area codes, no 555-01xx fiction block check. */
export function isNanp(d: string): boolean {
  if (d.length !== 10) return false;
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(d)) return false;
  if (/^\d11/.test(d)) return false;
  return true;
}

// ---- My Number (個人番号): 11 digits + check digit ----
export function myNumberValid(candidate: string): boolean {
  const d = digitsOf(candidate);
  if (d.length !== 12) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = d.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  const check = r <= 1 ? 0 : 11 - r;
  return check === d.charCodeAt(11) - 48;
}

// ---- placeholders / non-secrets ----
const PLACEHOLDER_WORDS =
  /^(?:password|passwd|pass|pwd|secret|token|apikey|api_key|changeme|change_me|example|sample|dummy|test|testing|placeholder|redacted|none|null|nil|undefined|true|false|yes|no|empty|string|str|number|int|bool|boolean|any|bytes|required|optional|your[_-]?[a-z_-]*|my[_-][a-z_-]+|<[^>]*>|\[[^\]]*\]|\.\.\.|…|env|os|process|config|settings|self|this)$/i;

/**
 * True when a value is obviously not a secret: template variables, placeholders, masks, code references,
 * already-masked tags, repeated characters.
 */
export function isPlaceholder(v: string): boolean {
  // one case-sensitive and one case-insensitive regex, each the alternation of the tests below (one scan of v each,
  // instead of eight):
  //   ${X} $X {{x}} %(x)s <x>; runs of one character (xxx, ***, ..., 000000, aaaaaa); masks inside (sk-xxxx…, ****1234);
  //   EXAMPLE / your_… / _HERE / already-masked tags; placeholder words; keyboard / alphabet runs; env/config references
  return v.length === 0 || PLACEHOLDER_CS.test(v) || PLACEHOLDER_CI.test(v);
}
const PLACEHOLDER_CS =
  /^(.)\1{5,}$|^\$|\{\{|\}\}|^%\(|^%[A-Za-z_]{1,40}%$|^%[sdv]$|^<.*>$|^#\{|^@\{|^(?:x{3,}|X{3,}|\*{3,}|\.{3,}|-{3,}|_{3,}|#{3,}|0{6,})$|x{4,}|X{4,}|\*{4,}|EXAMPLE|example|_HERE$|your[-_]|YOUR[-_]|\bREDACTED\b|«|\[REDACTED/;
const PLACEHOLDER_CI = new RegExp(
  `${PLACEHOLDER_WORDS.source}|abcdefgh|bcdefghi|01234567|12345678|23456789|qwertyui|` +
    String.raw`^(?:os\.environ|process\.env|getenv|env\(|ENV\[|System\.getenv|settings\.|config\.|secrets\.|vault:|ref\+|arn:aws:secretsmanager)`,
  'i',
);

/** A dotted/called identifier like `self.password`, `getToken()`, `req.headers.authorization`. */
export function looksLikeCodeReference(v: string): boolean {
  if (/[()[\]]/.test(v)) return true;
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(v)) return true;
  // a type name: String, SecretStr, Token — words of three letters or more (BrBxSswEszed is a password)
  if (/^(?:[A-Z][a-z]{2,}){1,4}(?:<.*>)?[;,]?$/.test(v)) return true;
  return false;
}

/**
 * Mixed-case letters that are not camelCase words: split before each capital, most pieces are one or two letters
 * (N·gh·K·Kz·Xviu·O·J·Lq·I…), and a lone lowercase letter sits between capitals at least twice (Kz·X, Lq·I).
 * camelCase words (getPaymentApiKey) have longer pieces; acronyms (XMLHttp) have no lone lowercase letters.
 */
function randomLetters(v: string): boolean {
  if (v.length < 16) return false;
  const pieces = v.split(/(?=[A-Z])/);
  const short = pieces.filter((p) => p.length <= 2).length;
  const lone = v.match(/[A-Z][a-z](?=[A-Z])/g)?.length ?? 0;
  if (short >= 4 && short * 2 >= pieces.length && lone >= 2) return true;
  // or few vowels over 20+ mixed-case letters (zsRtrMghzYwgbMUF…: ~1 in 5 random letters is a vowel; words and
  // camelCase names, acronyms included, run above 1 in 4)
  if (v.length < 20 || pieces.length < 4) return false;
  const vowels = v.match(/[aeiou]/gi)?.length ?? 0;
  return vowels * 5 <= v.length;
}

/** Character-class mix, used with entropy to tell a random secret from a word or identifier. */
export function charClasses(v: string): number {
  return (
    (/[a-z]/.test(v) ? 1 : 0) + (/[A-Z]/.test(v) ? 1 : 0) + (/[0-9]/.test(v) ? 1 : 0) + (/[^A-Za-z0-9]/.test(v) ? 1 : 0)
  );
}

/**
 * Random-looking: long enough, entropy above the floor, and not a placeholder (unless the caller has just checked), a
 * pure hex digest, a UUID or an identifier.
 */
export function looksRandom(v: string, minLen = 16, minEntropy = 3.0, placeholderChecked = false): boolean {
  if (v.length < minLen) return false;
  if (!placeholderChecked && isPlaceholder(v)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return false;
  // words_joined_together, camelCaseNames; but not random letters (NghKKzXviuDkxlOJ…)
  if (/^[a-z]+(?:[_-][a-z]+)*$/i.test(v) && shannonEntropy(v) < 4.2 && !randomLetters(v)) return false;
  if (charClasses(v) < 2) return false;
  return shannonEntropy(v) >= minEntropy;
}
