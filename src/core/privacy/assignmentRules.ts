/** Credentials in URLs, connection strings and assignments. */

import { secretAssignmentAt } from './assignmentContext';
import type { MatchContext, Rule } from './rule';
import { lb, notPlaceholder, re } from './ruleHelpers';
import { namedValueCategory } from './secretNames';
import { isPlaceholder, looksRandom } from './validators';

const DB_SCHEME =
  /^(?:postgres|postgresql|mysql|mariadb|mongodb|redis|rediss|amqp|amqps|mssql|sqlserver|clickhouse|cockroachdb|oracle|db2|couchdb|neo4j|memcached|cassandra|jdbc)/i;

function urlCredentialValidator(v: string, ctx: MatchContext): boolean | string {
  if (isPlaceholder(v) || /^\$|^\{|^<|^%\(/.test(v)) return false;
  if (/^\*+$|^x+$/i.test(v)) return false;
  const scheme = ctx.groups.scheme ?? '';
  return DB_SCHEME.test(scheme) ? 'connection_string' : 'url_password';
}

const NAME_KEYWORDS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'access_key',
  'accesskey',
  'private_key',
  'privatekey',
  'credential',
  'auth',
  'salt',
  'signing_key',
  'encryption_key',
  'master_key',
  'session_key',
  '_key',
  'key_',
  '.key', // dotted property names: service.api.key
  'パスワード',
  '暗証番号',
  'トークン',
  'シークレット',
  '秘密鍵',
  'キー',
  'accountkey',
  'session',
  'cookie',
  'sid=',
];

export const assignmentRules: Rule[] = [
  {
    id: 'url-credentials',
    category: 'connection_string',
    kind: 'credential',
    keywords: ['://'],
    pattern: re(
      `${lb('A-Za-z0-9+.-')}(?<scheme>[A-Za-z][A-Za-z0-9+.:-]{1,30})://(?<user>[^\\s:@/'"\`<>\\\\]{0,128}):(?<s>[^\\s@/'"\`<>\\\\]{1,256})@(?=[A-Za-z0-9.\\[_-])`,
    ),
    before: 34,
    after: 400,
    back: 'A-Za-z0-9+.:-',
    backMin: 2,
    level: 'minimal',
    validator: urlCredentialValidator,
  },
  {
    id: 'curl-user',
    category: 'basic_auth',
    kind: 'credential',
    // '--user' contains '-u': one keyword, and attempts start up to one '-' before the hit (a second keyword's hit,
    // reported after the inner '-u' one, was skipped as already tried)
    keywords: ['-u'],
    pattern: re(
      `(?<=[\\s'"])(?:-u|--user)(?:[ \\t]{1,5}|=)\\\\{0,7}["']?(?<user>[^\\s:"'\\\\]{0,128}):\\\\{0,7}["']?(?<s>[^\\s"'\\\\]{1,256})`,
    ),
    before: 1,
    back: '-',
    after: 400,
    level: 'minimal',
    validator: (v, ctx) => {
      if (isPlaceholder(v) || /^\d+$/.test(v)) return false;
      const head = ctx.text.slice(Math.max(0, ctx.start - 400), ctx.start);
      return /\b(?:curl|wget|http|httpie|xh)\b/.test(head);
    },
  },
  {
    id: 'cli-password-flag',
    category: 'password',
    kind: 'credential',
    keywords: ['mysql', 'mariadb', 'sshpass', 'redis-cli', 'docker login', 'podman login', 'helm registry login'],
    pattern: re(
      `(?:(?:mysql(?:dump|admin|sh)?|mariadb)[^\\n|;&]{0,160}?[ \\t]-p(?<s>[^\\s'"\\\\-][^\\s'"\\\\]{0,127})|(?:sshpass[ \\t]{1,3}-p|redis-cli[^\\n|;&]{0,160}?[ \\t]-a|(?:docker|podman|helm registry) login[^\\n|;&]{0,160}?[ \\t](?:-p|--password))[ \\t=]{1,3}\\\\{0,7}["']?(?<s1>[^\\s'"\\\\]{1,128}))`,
    ),
    before: 0,
    after: 330,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && !/^\$/.test(v),
  },
  {
    // jwt.sign(payload, 'literal'), createHmac('sha256', 'literal'), cookieParser('literal'), signWith(alg, "literal")
    id: 'signing-secret-literal',
    category: 'secret',
    kind: 'credential',
    keywords: [
      'jwt.sign(',
      'jwt.verify(',
      'jwt.encode(',
      'jwt.decode(',
      'createhmac(',
      'hmac.new(',
      'cookieparser(',
      'signwith(',
    ],
    pattern: re(
      `(?:(?:jwt|JWT)\\.(?:sign|verify|encode|decode)\\([^()\\r\\n]{1,160}?,|createHmac\\([ \\t]{0,3}\\\\{0,7}["'][A-Za-z0-9-]{2,12}\\\\{0,7}["'][ \\t]{0,3},|hmac\\.new\\(|cookieParser\\(|signWith\\([^()\\r\\n]{0,80}?,)[ \\t]{0,3}b?\\\\{0,7}(?<q>["'\`])(?<s>[^"'\`\\\\\\r\\n]{6,512})\\\\{0,7}\\k<q>`,
    ),
    before: 0,
    after: 900,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && !/^(?:[HRE]S|PS)\d{3}$/.test(v),
  },
  {
    // requests' auth=("user", "pass"), HTTPBasicAuth("user", "pass"), setBasicAuth / basicAuth("user", "pass")
    id: 'basic-auth-tuple',
    category: 'password',
    kind: 'credential',
    keywords: ['auth=(', 'auth = (', 'basicauth('],
    pattern: re(
      `(?:auth[ \\t]{0,2}=[ \\t]{0,2}\\(|[Bb]asicAuth\\()[ \\t]{0,3}\\\\{0,7}(?<uq>["'])[^"'\\\\\\r\\n]{1,128}\\\\{0,7}\\k<uq>[ \\t]{0,3},[ \\t]{0,3}\\\\{0,7}(?<q>["'])(?<s>[^"'\\\\\\r\\n]{1,256})\\\\{0,7}\\k<q>`,
    ),
    before: 0,
    after: 420,
    level: 'minimal',
    validator: notPlaceholder,
  },
  {
    // Bundler's credentials for a private gem host: BUNDLE_GEMS__CONTRIBSYS__COM=user:password (env or config)
    id: 'bundler-host-credentials',
    category: 'password',
    kind: 'credential',
    keywords: ['bundle_'],
    pattern: re(
      `${lb('A-Za-z0-9_')}BUNDLE_[A-Z0-9_-]{1,80}__[A-Z0-9]{2,24}[ \\t]{0,3}[:=][ \\t]{0,3}\\\\{0,7}["']?[^\\s:"'\\\\]{1,128}:(?<s>[^\\s"'\\\\]{1,256})`,
    ),
    before: 0,
    after: 500,
    level: 'minimal',
    validator: notPlaceholder,
  },
  {
    // Oracle's user/password@ form: jdbc:oracle:thin:scott/tiger@host, sqlplus user/pass@//host/svc
    id: 'oracle-credentials',
    category: 'connection_string',
    kind: 'credential',
    keywords: ['oracle:thin:', 'oracle:oci:', 'sqlplus'],
    pattern: re(
      `(?:oracle:(?:thin|oci):|sqlplus(?:[ \\t]{1,3}-[A-Za-z]{1,2})*[ \\t]{1,3})(?<user>[A-Za-z0-9_$#.]{1,64})/(?<s>[^\\s@/'"]{1,128})@`,
    ),
    before: 0,
    after: 300,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && !/^\$/.test(v),
  },
  {
    // a storage account / Cosmos DB key (64 bytes, base64) as a JSON value near the name of a key:
    // az storage account keys list → {"keyName": "key1", …, "value": "…=="}, {"primaryMasterKey": "…=="}
    id: 'azure-storage-key-json',
    category: 'azure_key',
    kind: 'credential',
    keywords: ['keyname', 'accountkey', 'masterkey', 'storagekey', 'primarykey', 'secondarykey'],
    pattern: re(`(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])`),
    before: 120,
    after: 320,
    window: true,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && looksRandom(v, 88, 4.0),
  },
  {
    id: 'named-secret-assignment',
    category: 'password',
    kind: 'credential',
    keywords: NAME_KEYWORDS,
    pattern: re(
      `${lb('A-Za-z0-9_.\\-\u30a0-\u30ff\u4e00-\u9fff')}(?<name>[A-Za-z0-9_.-]{0,48}?(?:pass(?:word|wd|phrase|code)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth|salt|key|session|cookie|sid|パスワード|暗証番号|トークン|シークレット|秘密鍵|キー)[A-Za-z0-9_]{0,16}|[\u30a0-\u30ff\u4e00-\u9fff]{1,12}?(?:パスワード|暗証番号|トークン|シークレット|秘密鍵|キー))` +
        // a Japanese name (データベースパスワード, 認証キー) has a short kana/kanji prefix of its own, tried apart
        // the name's closing quote or subscript bracket, a type annotation, then the operator: = : => := ::= :::=
        // ?= .= += ??= ||= is/was は, a ',' after a quoted name (setProperty("X", "v")), or '>' of an XML element
        `\\\\{0,7}["']?\\]?(?:[ \\t]{0,3}(?::[ \\t]{0,2})?(?:string|String|str|&str|\\[\\]byte)(?=[ \\t]{0,3}=))?` +
        `(?:[ \\t]{0,5}(?:=>|:{1,3}=|[?.+]=|\\?\\?=|\\|\\|=|[:=：＝])[ \\t]{0,5}|[ \\t]{1,3}(?:is|was)[ \\t]{1,3}|は[ \\t]{0,3}|(?<=["'])(?<comma>,)[ \\t]{0,3}|(?<xml>>)[ \\t]{0,16}(?:(?:\\r?\\n|(?:\\\\{1,7}r)?\\\\{1,7}n)[ \\t]{0,16})?)` +
        // values up to 4 KiB: an STS session token is ~1 KB, and a value cut at a bound would leave its tail visible;
        // {…} is ODBC's quoting (Pwd={a;b}), accepted only inside a connection string (see the validator)
        `(?:\\\\{0,7}"(?<s1>[^"\\\\\\r\\n]{1,4096})\\\\{0,7}"|(?<q>['\`])(?<s2>[^'\`\\\\\\r\\n]{1,4096})\\k<q>|「(?<s4>[^」\\r\\n]{1,256})」|『(?<s5>[^』\\r\\n]{1,256})』|\\{(?<s>[^{}\\r\\n]{1,256})\\}|(?<s3>[^\\s"'\`,;&<>{}()\\[\\]\\\\\u3000-\u309f\uff08\uff09\uff0c\uff1b]{1,4096}))`,
      'i',
    ),
    before: 56,
    after: 320,
    back: 'A-Za-z0-9_.\\-\u30a0-\u30ff\u4e00-\u9fff',
    pre: secretAssignmentAt,
    level: 'minimal',
    validator: (v, ctx) => {
      const name = ctx.groups.name ?? '';
      if (ctx.groups.s !== undefined) {
        // Pwd={…}; in a connection string: a ';'-separated pair before, and ';' or the end after
        const after = ctx.text.charAt(ctx.end + 1);
        if (!(after === ';' || after === '' || after === '"' || after === "'" || /\s/.test(after))) return false;
        if (!/;[^;\r\n]{0,120}$/.test(ctx.text.slice(Math.max(0, ctx.start - 160), ctx.start))) return false;
      }
      const quoted = ctx.groups.s3 === undefined && ctx.groups.s === undefined;
      if (!quoted) {
        const next = ctx.text.charAt(ctx.end);
        if (next === '(' || next === '[' || next === '{') return false;
      }
      // ("NAME", value): only a quoted value, never code (log("token", count))
      if (ctx.groups.comma !== undefined && !quoted) return false;
      if (ctx.groups.xml !== undefined) {
        // <apiToken>value</apiToken>: the name opens an element and the value is all its text
        const at = ctx.text.lastIndexOf(name, ctx.start);
        if (ctx.text.charAt(at - 1) !== '<' || !/^(?:\s|\\+[rnt]){0,40}<\//.test(ctx.text.slice(ctx.end, ctx.end + 64)))
          return false;
      }
      return namedValueCategory(name, v, quoted) ?? false;
    },
    // a bare value stops at hiragana and CJK punctuation: in 「パスワードはXy7kq9です。」 the value is Xy7kq9
  },
];
