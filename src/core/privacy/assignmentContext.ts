/** Cheap pre-checks for `name = value` assignments, run at a keyword hit before any regex. */
import { secretNameKind, uuidNamed } from './secretNames';

/** A character of a variable name: ASCII word chars, '.', '-', kana and kanji — but not 'は', the particle of "パスワードは…". */
const isNameChar = (c: number): boolean =>
  (c >= 48 && c <= 57) ||
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  c === 95 ||
  c === 46 ||
  c === 45 ||
  (c >= 0x3040 && c <= 0x30ff && c !== 0x306f) ||
  (c >= 0x4e00 && c <= 0x9fff);

/**
 * Pre-check for `name = value`: from the keyword, skip the rest of the name, closing quotes / escapes / blanks,
 * and require an assignment-like character next (':', '=', full-width forms, 'is'/'was', 'は'). Returns its index, or -1.
 */
function separatorAt(text: string, at: number): number {
  const n = text.length;
  let i = at;
  for (let k = 0; i < n && k < 80; k++, i++) {
    const c = text.charCodeAt(i);
    if (!isNameChar(c)) break;
  }
  let quoted = false;
  for (let k = 0; i < n && k < 16; k++, i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) quoted = true;
    else if (c !== 92 && c !== 32 && c !== 9 && c !== 93) break; // also the ']' of a subscript: env["X"] = …
  }
  i = skipTypeAnnotation(text, i);
  const c = text.charCodeAt(i);
  if (c === 58 || c === 61 || c === 0xff1a || c === 0xff1d || c === 105 || c === 119 || c === 0x306f || c === 62)
    return i;
  // .= += ?= ??= ||= (PHP, Makefile, Ruby/JS); a ',' after a quoted name: setProperty("X_TOKEN", "…")
  const d = text.charCodeAt(i + 1);
  if ((c === 46 || c === 43 || c === 63 || c === 124) && (d === 61 || d === c)) return i;
  return c === 44 && quoted ? i : -1;
}

const TYPE_AT = /[ \t]{0,3}(?::[ \t]{0,2})?(?:string|String|str|&str|\[\]byte)[ \t]{0,3}(?==)/y;
/** Past a type between a name and its '=' (`var x string =`, `x: str =`, `val x: String =`), else `i`. */
function skipTypeAnnotation(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c !== 58 && c !== 115 && c !== 83 && c !== 38 && c !== 91 && c !== 32) return i;
  TYPE_AT.lastIndex = i;
  return TYPE_AT.test(text) ? TYPE_AT.lastIndex : i;
}

const UUID_AT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/iy;

/**
 * True when the value after the ':' / '=' at `sep` is exactly a UUID, as the assignment rule would capture it (its
 * quoted or bare value group ends right after the UUID). Claude Code writes `"sessionId":"<uuid>"` on every line.
 */
function uuidValueAt(text: string, sep: number): boolean {
  const c0 = text.charCodeAt(sep);
  if (c0 !== 58 && c0 !== 61 && c0 !== 0xff1a && c0 !== 0xff1d) return false; // 'is' / 'was' / 'は': not worth it
  let i = sep + 1;
  const c1 = text.charCodeAt(i);
  if ((c0 === 61 && c1 === 62) || (c0 === 58 && c1 === 61)) i++; // => :=
  for (let k = 0; k < 5 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9); k++) i++;
  for (let k = 0; k < 7 && text.charCodeAt(i) === 92; k++) i++;
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) i++;
  UUID_AT.lastIndex = i;
  if (!UUID_AT.test(text)) return false;
  const e = i + 36;
  if (e >= text.length) return true;
  const t = text.charCodeAt(e);
  if (q === 34) return t === 34 || t === 92 || t === 13 || t === 10; // "…" ends at the quote (or an escape of it)
  if (q === 39) return t === 39 || t === 92 || t === 13 || t === 10;
  // a bare value ends at a blank, a quote, a backtick or one of , ; & < > { } ( ) [ ] \
  return (
    t <= 32 ||
    t === 34 ||
    t === 39 ||
    t === 96 ||
    t === 44 ||
    t === 59 ||
    t === 38 ||
    t === 60 ||
    t === 62 ||
    t === 123 ||
    t === 125 ||
    t === 40 ||
    t === 41 ||
    t === 91 ||
    t === 93 ||
    t === 92
  );
}

/**
 * Pre-check for the assignment rule: an assignment follows, and the whole variable name (or the part after a '.',
 * '-' or '_' inside it) denotes a secret. A UUID assigned to a secret-kind name is skipped here: the value policy
 * (looksRandom) refuses UUIDs anyway, and it saves the regex and validator on every transcript line.
 */
export function secretAssignmentAt(text: string, at: number): boolean {
  const sep = separatorAt(text, at);
  if (sep < 0) return false;
  let s = at;
  for (let k = 0; s > 0 && k < 48; k++) {
    const c = text.charCodeAt(s - 1);
    if (
      !(
        (c >= 48 && c <= 57) ||
        (c >= 65 && c <= 90) ||
        (c >= 97 && c <= 122) ||
        c === 95 ||
        c === 46 ||
        c === 45 ||
        (c >= 0x30a0 && c <= 0x30ff) || // katakana and kanji: 認証キー, データベースパスワード
        (c >= 0x4e00 && c <= 0x9fff)
      )
    )
      break;
    s--;
  }
  if (s > 0 && text.charCodeAt(s - 1) === 92 && /[nrt]/.test(text.charAt(s))) s++; // the letter of an escape
  let e = at;
  while (e < text.length && e - at < 80 && isNameChar(text.charCodeAt(e))) e++;
  let kind = secretNameKind(text.slice(s, e));
  if (kind === 'password') return true;
  // the regex may also start the name after a '.', '-' or '_' inside this run (a.b.password, my-api-key)
  for (let i = s + 1; i <= at; i++) {
    const p = text.charCodeAt(i - 1);
    if (p === 46 || p === 45 || p === 95) {
      const k = secretNameKind(text.slice(i, e));
      if (k === 'password') return true;
      kind ??= k;
    }
  }
  return kind !== undefined && (!uuidValueAt(text, sep) || uuidNamed(text.slice(s, e)));
}
