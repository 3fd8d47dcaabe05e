/** Which variable names denote a secret, and which values assigned to them are one. */
import { isPlaceholder, looksLikeCodeReference, looksRandom, shannonEntropy } from './validators';

/** Last meaningful words of a variable name, from snake_case, kebab, dotted or camelCase. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9\u3040-\u30ff\u4e00-\u9fff]+/)
    .filter(Boolean);
}

const PASSWORD_NOUNS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'pw',
  'passcode',
  'pgpassword',
  'パスワード',
  '暗証番号',
]);
const SECRET_NOUNS = new Set([
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'credential',
  'credentials',
  'auth',
  'salt',
  'secretkey',
  'authtoken',
  'session',
  'sessionid',
  'sid',
  'cookie',
]);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'session',
  'auth',
  'client',
  'license',
  'licence',
  'app',
  'webhook',
  'service',
  'account',
  'admin',
  'hmac',
  'jwt',
  'crypto',
  'cipher',
]);
const NON_SECRET_KEY_QUALIFIERS = new Set([
  'public',
  'publishable',
  'pub',
  'cache',
  'sort',
  'partition',
  'primary',
  'foreign',
  'composite',
  'unique',
  'idempotency',
  'object',
  's3',
  'map',
  'dict',
  'hash',
  'lookup',
  'row',
  'column',
  'index',
  'route',
  'i18n',
  'translation',
  'react',
  'list',
  'item',
  'group',
  'range',
  'hot',
  'shortcut',
  'keyboard',
  'press',
  'up',
  'down',
  'enter',
  'escape',
  'tab',
  'sort',
  'storage',
  'local',
  'query',
  'cursor',
  'dedupe',
  'dedup',
  'lock',
  'state',
  'config',
  'setting',
  'settings',
  'option',
  'env',
  'file',
  'path',
  'name',
  'id',
  'type',
  'kind',
  'event',
  'message',
  'log',
  'metric',
  'label',
  'tag',
  'field',
  'attribute',
  'attr',
  'prop',
  'property',
  'column',
  'table',
  'record',
  'entry',
  'node',
  'child',
  'parent',
  'next',
  'prev',
  'previous',
  'first',
  'last',
  'current',
  'new',
  'old',
  'default',
  'custom',
  'user',
  'ssh',
  'gpg',
  'pgp',
  'host',
]);
const TRAILING_FILLERS = new Set([
  'base',
  'value',
  'str',
  'plain',
  'raw',
  'b64',
  'base64',
  'hex',
  'env',
  'prod',
  'dev',
  'staging',
  'test',
  'live',
  'old',
  'new',
  'local',
]);

/** 'password' | 'secret' when a variable name denotes a secret value, otherwise undefined. */
const nameKindCache = new Map<string, 'password' | 'secret' | undefined>();

export function secretNameKind(name: string): 'password' | 'secret' | undefined {
  const hit = nameKindCache.get(name);
  if (hit !== undefined || nameKindCache.has(name)) return hit;
  const kind = computeNameKind(name);
  if (nameKindCache.size > 4096) nameKindCache.clear();
  nameKindCache.set(name, kind);
  return kind;
}

/** Japanese names of a secret setting: APIキー, アクセストークン, シークレット, 秘密鍵, 認証キー… (not ホットキー, トークン数). */
const JA_SECRET_NAME =
  /(?:トークン|シークレット|秘密鍵|(?:api|アクセス|シークレット|秘密|認証|署名|暗号化|マスター|ライセンス|アプリ)キー)$/;

function computeNameKind(name: string): 'password' | 'secret' | undefined {
  const words = nameWords(name);
  const lastWord = words[words.length - 1] ?? '';
  if (/(?:パスワード|暗証番号)$/.test(lastWord)) return 'password'; // データベースパスワード
  if (JA_SECRET_NAME.test(lastWord)) return 'secret';
  while (words.length > 1 && (TRAILING_FILLERS.has(words[words.length - 1]!) || /^\d+$/.test(words[words.length - 1]!)))
    words.pop();
  const last = words[words.length - 1];
  if (!last) return undefined;
  if (PASSWORD_NOUNS.has(last) || /(?:password|passwd)$/.test(last)) return 'password';
  if (SECRET_NOUNS.has(last)) return 'secret';
  if (/(?:secret|token|apikey)$/.test(last) && last.length <= 24) return 'secret';
  if (last === 'key' && words.length >= 2) {
    const q = words[words.length - 2]!;
    if (KEY_QUALIFIERS.has(q)) return 'secret';
    // PROVIDER_KEY, AZURE_OPENAI_KEY, MAPBOX_KEY…: a named key, unless the qualifier says it is not a secret
    if (!NON_SECRET_KEY_QUALIFIERS.has(q) && !/^\d+$/.test(q)) return 'secret';
  }
  return undefined;
}

/**
 * A base64 secret that happens to contain '/' (one in 64 starts with it: "/TTpty…/Pmu79…") rather than a path: only
 * base64 characters, at most three segments, one of them 16+ long, upper and lower case and digits, high entropy.
 */
function base64Shaped(v: string): boolean {
  if (!/^[A-Za-z0-9+/=]+$/.test(v)) return false;
  const segments = v.split('/').filter(Boolean);
  if (segments.length > 3 || !segments.some((x) => x.length >= 16)) return false;
  return /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v) && shannonEntropy(v) >= 4.2;
}

const CODE_WORDS = new Set([
  'await',
  'new',
  'function',
  'async',
  'lambda',
  'yield',
  'require',
  'import',
  'this',
  'self',
  'typeof',
  'void',
  'return',
  'const',
  'let',
  'var',
  'def',
  'fn',
  'func',
  'static',
  'readonly',
  'public',
  'private',
  'protected',
  'final',
  'String',
  'Option',
  'Some',
  'match',
  'if',
  'else',
  'not',
  'and',
  'or',
]);

/** Random despite looking like a name: 20+ characters, six or more digits, none of them a trailing version. */
function randomShaped(v: string): boolean {
  if (v.length < 20 || /[()[\]]/.test(v)) return false;
  const digits = v.replace(/\d+$/, '').replace(/\D/g, '').length;
  return digits >= 6 && shannonEntropy(v) >= 3.5;
}

const UUID_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_SECRET_WORDS = new Set(['token', 'secret', 'apikey', 'key', 'accesstoken', 'authtoken', 'secretkey']);
const NOT_UUID_SECRET_WORDS = new Set([
  'session',
  'sessionid',
  'sid',
  'request',
  'trace',
  'correlation',
  'idempotency',
]);
/** True when a UUID assigned to `name` is a credential: the name ends in token/key/secret and is no session/request id. */
export function uuidNamed(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1] ?? '';
  return UUID_SECRET_WORDS.has(last) && !words.some((w) => NOT_UUID_SECRET_WORDS.has(w));
}

/** Value policy for `name = value` pairs, shared by the text rule and maskJson's key-aware pass. */
export function namedValueCategory(name: string, value: string, quoted: boolean): 'password' | 'secret' | undefined {
  const kind = secretNameKind(name);
  if (!kind) return undefined;
  const v = value.trim();
  // an unquoted key or token with katakana or kanji in it is prose (APIキーはAPIキー…); checked first, it is cheap
  // (a password may hold kanji: パスワードはTokyo東京2024)
  if (!quoted && kind === 'secret' && /[\u30a0-\u30ff\u4e00-\u9fff]/.test(v)) return undefined;
  if (v.length === 0 || isPlaceholder(v)) return undefined;
  if (/^(?:«|\[REDACTED)/.test(v)) return undefined;
  // an identifier (password=db_pass) or code (token=self.config.token) — unless digit-rich random (shippo_live_a43…)
  if (!quoted && (looksLikeCodeReference(v) || (/^[a-z_][a-z0-9_]*$/.test(v) && /_/.test(v))) && !randomShaped(v))
    return undefined;
  if (!quoted && CODE_WORDS.has(v)) return undefined; // password = await …
  if (/^(?:\d{1,3}|true|false|on|off|null|nil|none|required|optional|hidden|masked|sensitive|\*+)$/i.test(v))
    return undefined;
  // kanji / katakana without an ASCII letter or digit: Japanese prose (パスワードは管理者権限で…), not a value
  if (/[\u30a0-\u30ff\u4e00-\u9fff]/.test(v) && !/[A-Za-z0-9]/.test(v)) return undefined;
  if (kind === 'password') {
    if (v.length < 4) return undefined;
    if (/^(?:\/|~\/|\.\.?\/)[^\s]*\//.test(v)) return undefined; // pwd=/home/x/y is a working directory
    if (/^https?:\/\//.test(v)) return undefined;
    return 'password';
  }
  if (/^https?:\/\//.test(v)) return undefined; // URLs
  if (/^(?:\/|\.\/|~\/)[\w.-]+(?:\/[\w.-]*)+$/.test(v) && !base64Shaped(v)) return undefined; // paths
  // 16+ digits named as a token or secret (Discord, Asana…); the session/request exceptions of UUIDs apply
  if (/^\d{16,128}$/.test(v)) return uuidNamed(name) ? 'secret' : undefined;
  // a UUID is an API key for some providers (Heroku, HubSpot…) when the name says token/key/secret; a session or
  // request id is not masked
  if (UUID_VALUE.test(v)) return uuidNamed(name) ? 'secret' : undefined;
  return looksRandom(v, 12, 2.8, true) ? 'secret' : undefined; // isPlaceholder(v) was refused above
}
