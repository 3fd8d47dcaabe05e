/**
 * Deterministic labeled corpus for the Privacy Guard benchmark and scorer.
 * Documents imitate what lands in Claude Code transcripts: prompts, shell output, .env, YAML, properties,
 * service-account JSON, source code, logs, Japanese prose, and transcript JSONL lines that carry any of those
 * JSON-escaped. Labels are exact spans of every secret / personal datum; hard negatives are mixed in unlabeled.
 * All secrets are synthetic and assembled at runtime.
 */
import { ALNUM, B64, HEX, luhnSum, makeTokens, pem, Rng, URLSAFE } from '../../test/unit/privacy/tokens';

export type LabelKind = 'credential' | 'pii';
export interface Label {
  start: number;
  end: number;
  category: string;
  kind: LabelKind;
}
export interface Doc {
  id: string;
  context: string;
  text: string;
  labels: Label[];
}

const PII = new Set(['email', 'phone', 'phone_jp', 'credit_card', 'ip_private', 'my_number', 'national_id']);
const pad2 = (n: number) => String(n).padStart(2, '0');
const VERHOEFF_D = [
  '0123456789',
  '1234067895',
  '2340178956',
  '3401289567',
  '4012395678',
  '5987604321',
  '6598710432',
  '7659821043',
  '8765932104',
  '9876543210',
];
const VERHOEFF_P = [
  '0123456789',
  '1576283094',
  '5803796142',
  '8916043527',
  '9453126870',
  '4286573901',
  '2793806415',
  '7046913258',
];
/** Verhoeff check (written apart from src/ on purpose). */
function verhoeffOk(d: string): boolean {
  let c = 0;
  for (let i = 0; i < d.length; i++)
    c = Number(VERHOEFF_D[c]![Number(VERHOEFF_P[i % 8]![Number(d[d.length - 1 - i])])]);
  return c === 0;
}

/** Text assembled from segments; a segment may be a labeled secret. Rendering escapes per segment. */
class Builder {
  readonly segs: { text: string; category?: string }[] = [];
  t(s: string): this {
    this.segs.push({ text: s });
    return this;
  }
  s(secret: string, category: string): this {
    this.segs.push({ text: secret, category });
    return this;
  }
  append(b: Builder): this {
    this.segs.push(...b.segs);
    return this;
  }
  render(escapeText?: (s: string) => string): { text: string; labels: Label[] } {
    let text = '';
    const labels: Label[] = [];
    for (const seg of this.segs) {
      const piece = escapeText ? escapeText(seg.text) : seg.text;
      if (seg.category)
        labels.push({
          start: text.length,
          end: text.length + piece.length,
          category: seg.category,
          kind: PII.has(seg.category) ? 'pii' : 'credential',
        });
      text += piece;
    }
    return { text, labels };
  }
}

const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);

const FIRST = [
  'taro',
  'hanako',
  'kenji',
  'yuki',
  'sakura',
  'hiroshi',
  'emma',
  'liam',
  'olivia',
  'noah',
  'ava',
  'lucas',
  'mia',
  'sofia',
  'daniel',
  'chloe',
  'aiko',
  'ren',
  'mei',
  'sota',
];
const LAST = [
  'yamada',
  'suzuki',
  'tanaka',
  'watanabe',
  'ito',
  'nakamura',
  'smith',
  'johnson',
  'garcia',
  'muller',
  'dubois',
  'rossi',
  'kobayashi',
  'kato',
  'yoshida',
  'brown',
  'lee',
  'wilson',
  'martin',
  'sato',
];
const DOMAINS = [
  'gmail.com',
  'outlook.jp',
  'yahoo.co.jp',
  'acme-corp.io',
  'mail.company.co.jp',
  'proton.me',
  'icloud.com',
  'globex.com',
  'initech.dev',
  'docomo.ne.jp',
  'ezweb.ne.jp',
  'univ.ac.jp',
  'startup.ai',
];
const HOSTS = [
  'db.internal',
  'prod-db-1.cluster-abc123.ap-northeast-1.rds.amazonaws.com',
  'localhost',
  'pg.corp.example.net',
  'cluster0.ab1cd.mongodb.net',
  'redis-12345.c1.cloud.redislabs.com',
  'mq.internal',
];
/** ssh targets: user@host looks exactly like an e-mail address and is labeled as one (a user name plus an internal host). */
const SSH_HOSTS = ['bastion.corp.io', 'db.internal', 'build-01.ci.acme.dev', 'web.prod.example-corp.com'];

export function generateCorpus(seed = 20261128, count = 4000): Doc[] {
  const rng = new Rng(seed);
  const tk = makeTokens(rng);
  const pick = <T>(a: readonly T[]) => rng.pick(a);
  const digits = (n: number) => rng.str('0123456789', n);

  const email = () => {
    const f = pick(FIRST);
    const l = pick(LAST);
    const local = pick([
      `${f}.${l}`,
      `${f}${l[0]}`,
      `${f}_${l}${rng.int(99)}`,
      `${l}-${f}`,
      `${f}+${pick(['work', 'dev', 'news'])}`,
      `${f[0]}${l}`,
    ]);
    return `${local}@${pick(DOMAINS)}`;
  };
  const jpMobile = () => `${pick(['090', '080', '070'])}${digits(8)}`;
  const jpLand = () =>
    pick([
      `03${digits(8)}`,
      `06${digits(8)}`,
      `045${digits(7)}`,
      `052${digits(7)}`,
      `011${digits(7)}`,
      `092${digits(7)}`,
    ]);
  const fw = (s: string) =>
    s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace(/-/g, '－');
  const jpPhone = (): string => {
    const form = rng.int(12);
    const m = jpMobile();
    const l = jpLand();
    const areaLen = l.startsWith('03') || l.startsWith('06') ? 2 : 3;
    const la = l.slice(0, areaLen);
    const lb = l.slice(areaLen, 6);
    const lc = l.slice(6);
    switch (form) {
      case 0:
        return `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`;
      case 1:
        return m;
      case 2:
        return `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`;
      case 3:
        return `${la}-${lb}-${lc}`;
      case 4:
        return `(${la}) ${lb}-${lc}`;
      case 5:
        return `${la}(${lb})${lc}`;
      case 6:
        return `+81 ${m.slice(1, 3)}-${m.slice(3, 7)}-${m.slice(7)}`;
      case 7:
        return `+81 (0)${la.slice(1)}-${lb}-${lc}`;
      case 8:
        return fw(`${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`);
      case 9:
        return pick([
          `0120-${digits(3)}-${digits(3)}`,
          `0800-${digits(3)}-${digits(4)}`,
          `050-${digits(4)}-${digits(4)}`,
        ]);
      case 10:
        return `+81-${la.slice(1)}-${lb}-${lc}`;
      default:
        return `+81${m.slice(1)}`;
    }
  };
  // national identity numbers completed with their published check digits (GB 11643, Verhoeff, Teudat Zehut)
  const cnResidentId = () => {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const body = `${1 + rng.int(8)}${digits(5)}${1960 + rng.int(45)}${pad2(1 + rng.int(12))}${pad2(1 + rng.int(28))}${digits(3)}`;
    const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
    return body + '10X98765432'[sum % 11];
  };
  const aadhaar = (): string => {
    const body = `${2 + rng.int(8)}${digits(10)}`;
    for (let c = 0; c <= 9; c++) if (verhoeffOk(body + c)) return body + c;
    return aadhaar();
  };
  const teudatZehut = (): string => {
    const body = `${1 + rng.int(9)}${digits(7)}`;
    for (let c = 0; c <= 9; c++) {
      const sum = [...(body + c)].reduce((s, ch, i) => {
        const x = Number(ch) * ((i % 2) + 1);
        return s + (x > 9 ? x - 9 : x);
      }, 0);
      if (sum % 10 === 0) return body + c;
    }
    return teudatZehut();
  };
  const nanp = () => {
    const a = `${2 + rng.int(8)}${rng.int(10)}${2 + rng.int(8)}`.replace(/^(\d)11$/, '$12' + '1');
    const b = `${2 + rng.int(8)}${digits(2)}`;
    const c = digits(4);
    return pick([`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `+1 ${a} ${b} ${c}`, `+1-${a}-${b}-${c}`, `${a}.${b}.${c}`]);
  };
  const intlPhone = () =>
    pick([
      `+44 20 ${digits(4)} ${digits(4)}`,
      `+49 30 ${digits(6)}`,
      `+33 1 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
      `+61 2 ${digits(4)} ${digits(4)}`,
    ]);
  const card = () => {
    const c = tk.card(pick(['visa', 'mc', 'amex', 'jcb', 'discover', 'diners'] as const));
    return pick([c, c.replace(/(\d{4})(?=\d)/g, '$1 '), c.replace(/(\d{4})(?=\d)/g, '$1-')]);
  };
  const privIp = () =>
    pick([
      `10.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
      `172.${16 + rng.int(16)}.${rng.int(256)}.${1 + rng.int(254)}`,
      `192.168.${rng.int(256)}.${1 + rng.int(254)}`,
    ]);
  const ula = () =>
    `fd${rng.str(HEX, 2)}:${rng.str(HEX, 4)}:${rng.str(HEX, 4)}::${rng.str(HEX, 1 + rng.int(4)).replace(/^0+(?=.)/, '')}`;
  const password = () =>
    pick([
      tk.password(),
      `${pick(['Summer', 'Tokyo', 'Dragon', 'Sakura'])}${1990 + rng.int(35)}!`,
      rng.str(`${ALNUM}!@#%^*`, 14),
      `p@ss-${rng.str(ALNUM, 8)}`,
    ]);

  /** credential generators: [value, label category] */
  const tokenGens: (() => [string, string])[] = [
    () => [pick([tk.anthropic, tk.anthropicAdmin, tk.anthropicOat, tk.anthropicOrt])(), 'anthropic'],
    () => [pick([tk.openaiProj, tk.openaiSvc, tk.openaiAdmin, tk.openaiLegacy])(), 'openai'],
    () => [
      pick([
        () => tk.githubClassic('ghp'),
        () => tk.githubClassic('gho'),
        () => tk.githubClassic('ghs'),
        tk.githubFine,
      ])(),
      'github',
    ],
    () => [tk.gitlab(), 'gitlab'],
    () => [tk.awsId(), 'aws_id'],
    () => [pick([tk.google, tk.googleClientSecret])(), 'google'],
    () => [pick([tk.stripeLive, tk.stripeTest, tk.stripeRestricted, tk.stripeWebhook])(), 'stripe'],
    () => [pick([tk.slackBot, tk.slackUser, tk.slackApp, tk.slackWebhook])(), 'slack'],
    () => [
      pick([tk.supabasePat, tk.supabaseSecret, () => tk.supabaseJwt('service_role'), () => tk.supabaseJwt('anon')])(),
      'supabase',
    ],
    () => [tk.npm(), 'npm'],
    () => [tk.huggingface(), 'huggingface'],
    () => [tk.sendgrid(), 'sendgrid'],
    () => [tk.telegram(), 'telegram'],
    () => [tk.jwt(), 'jwt'],
    () => [tk.openrouter(), 'openrouter'],
    () => [
      pick([
        () => `shpat_${rng.str(HEX, 32)}`,
        () => `dop_v1_${rng.str(HEX, 64)}`,
        () => `lin_api_${rng.str(ALNUM, 40)}`,
        () => `dckr_pat_${rng.str(URLSAFE, 27)}`,
        () => `sntrys_${rng.str(ALNUM, 60)}`,
        () => `SK${rng.str(HEX, 32)}`,
        () => `PMAK-${rng.str(HEX, 24)}-${rng.str(HEX, 34)}`,
        () => `dapi${rng.str(HEX, 32)}`,
      ])(),
      'other_provider',
    ],
    // documented formats added for issue 14 §7 (from the providers' published shapes)
    () => [
      pick([
        () => `pplx-${rng.str(ALNUM, 48)}`,
        () => `HRKU-${rng.str(URLSAFE, 60)}`,
        () => `sm_${pick(['pat', 'aat', 'sat'])}_${rng.str('abcdefghijklmnopqrstuvwxyz0123456789', 16)}`,
        () => `p8e-${rng.str(ALNUM, 32)}`,
        () => `s-s4t2${pick(['ud', 'af'])}-${rng.str(HEX, 64)}`,
        () => `${pick(['cfk', 'cfut', 'cfat'])}_${rng.str(ALNUM, 40)}${rng.str(HEX, 8)}`,
        () => `sgp_local_${rng.str(HEX, 40)}`,
        () =>
          `ops_${Buffer.from(`{"email":"${rng.str('abcdefghijklmnopqrstuvwxyz', 12)}@1passwordserviceaccounts.lcl","muk":{"k":"${rng.str(URLSAFE, 43)}"},"secretKey":"${rng.str(ALNUM, 26)}"}`).toString('base64')}`,
        () => {
          const g = (n: number) => rng.str('ABCDEFGHJKLMNPQRSTVWXYZ23456789', n);
          return `A3-${g(6)}-${g(6)}-${g(5)}-${g(5)}-${g(5)}-${g(5)}`;
        },
        () => `EAA${rng.str(ALNUM, 150 + rng.int(60))}`,
        () => `${1 + rng.int(9)}${rng.str('0123456789', 14)}|${rng.str(URLSAFE, 27)}`,
        () => `${rng.str(HEX, 32)}-us${1 + rng.int(20)}`,
      ])(),
      'other_provider',
    ],
  ];
  const envNameFor: Record<string, string[]> = {
    anthropic: ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_ADMIN_KEY'],
    openai: ['OPENAI_API_KEY', 'OPENAI_KEY'],
    github: ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_PAT'],
    gitlab: ['GITLAB_TOKEN', 'CI_JOB_TOKEN_X'],
    aws_id: ['AWS_ACCESS_KEY_ID'],
    google: ['GOOGLE_API_KEY', 'GOOGLE_CLIENT_SECRET'],
    stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
    slack: ['SLACK_BOT_TOKEN', 'SLACK_WEBHOOK_URL', 'SLACK_APP_TOKEN'],
    supabase: ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_ACCESS_TOKEN', 'SUPABASE_SECRET_KEY'],
    npm: ['NPM_TOKEN'],
    huggingface: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
    sendgrid: ['SENDGRID_API_KEY'],
    telegram: ['TELEGRAM_BOT_TOKEN'],
    jwt: ['SESSION_JWT', 'ID_TOKEN'],
    openrouter: ['OPENROUTER_API_KEY'],
    other_provider: [
      'SHOPIFY_ACCESS_TOKEN',
      'DIGITALOCEAN_TOKEN',
      'LINEAR_API_KEY',
      'DOCKERHUB_TOKEN',
      'SENTRY_AUTH_TOKEN',
      'TWILIO_API_KEY',
      'POSTMAN_API_KEY',
      'DATABRICKS_TOKEN',
    ],
  };
  const anyToken = (): [string, string] => pick(tokenGens)();

  // ---- hard negatives (never labeled)
  const negatives: (() => string)[] = [
    () => `commit ${rng.str(HEX, 40)}`,
    () => `Merge: ${rng.str(HEX, 7)} ${rng.str(HEX, 7)}`,
    () => `"id": "${rng.str(HEX, 8)}-${rng.str(HEX, 4)}-4${rng.str(HEX, 3)}-a${rng.str(HEX, 3)}-${rng.str(HEX, 12)}"`,
    () => `sha256:${rng.str(HEX, 64)}`,
    () => `"integrity": "sha512-${rng.str(B64, 86)}=="`,
    () => `<img src="data:image/png;base64,iVBORw0KGgo${rng.str(B64, 120)}=">`,
    () =>
      `node v${18 + rng.int(6)}.${rng.int(20)}.${rng.int(10)}, "version": "${rng.int(5)}.${rng.int(40)}.${rng.int(400)}"`,
    () =>
      `${2020 + rng.int(7)}-0${1 + rng.int(9)}-1${rng.int(10)}T0${rng.int(10)}:${10 + rng.int(50)}:${10 + rng.int(50)}.${digits(3)}Z`,
    () => 'AWS_ACCESS_KEY_ID=AKIA' + 'IOSFODNN7' + 'EXAMPLE',
    () => 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
    () =>
      pick([
        'OPENAI_API_KEY=sk-...',
        `ANTHROPIC_API_KEY=sk-ant-${'x'.repeat(20)}`,
        `GITHUB_TOKEN=ghp_${'X'.repeat(36)}`,
        `STRIPE_KEY=sk_live_${'x'.repeat(24)}`,
        'API_KEY=<your-api-key>',
      ]),
    () =>
      pick([
        // shell, Helm and GitHub Actions placeholders: '$' + '{' is written \${ in a template literal
        `DB_PASSWORD=\${DB_PASSWORD}`,
        'password: "{{ .Values.db.password }}"',
        'export TOKEN=$(cat /run/secrets/token)',
        `postgres://user:\${PGPASSWORD}@db:5432/app`,
        `api_key: \${{ secrets.API_KEY }}`,
      ]),
    // near misses of the issue 14 §7 formats: a paper size, a locale, a table row of an id and a word, a prefix named
    () => {
      const id = digits(15);
      return pick([
        `print it on A3-size paper, revision A3-${digits(3)}`,
        'Accept-Language: en-us,en;q=0.9',
        `| ${id}${luhnBreak(id)} | ${pick(['pending', 'shipped'])} | ${rng.str('abcdefghijklmnopqrstuvwxyz', 28)} |`,
        'SettleMint tokens start with sm_pat_, Perplexity keys with pplx-',
      ]);
    },
    () => `git remote add origin git@github.com:${pick(LAST)}/${pick(['app', 'api', 'web'])}.git`,
    () =>
      pick([
        'Co-Authored-By: Claude <noreply@anthropic.com>',
        `${rng.int(9e7)}+dependabot[bot]@users.noreply.github.com`,
        'github-actions[bot]@users.noreply.github.com',
        'From: no-reply@accounts.google.com',
      ]),
    () => pick(['icon@2x.png', 'logo@3x.webp', 'background@2x.jpg']),
    () =>
      `npm i ${pick(['react', 'zod', 'svelte', 'vite'])}@${rng.int(20)}.${rng.int(10)}.${rng.int(10)} @types/node@22.${rng.int(20)}.0`,
    () => `ping ${pick(['8.8.8.8', '1.1.1.1', '142.250.196.110', '13.107.42.14', '172.217.26.46'])}`,
    () =>
      `order ${digits(16)} total ${digits(4)} yen`.replace(
        /order (\d{15})\d/,
        (_m, a: string) => `order ${a}${luhnBreak(a)}`,
      ),
    () => `〒${digits(3)}-${digits(4)} 東京都${pick(['千代田区', '渋谷区', '港区'])}`,
    () => `ISBN 978-4-${digits(2)}-${digits(6)}-${rng.int(10)}`,
    () => `JAN 49${digits(11)}`,
    () => `user@example.com, admin@example.org`,
    () =>
      `https://${pick(['github.com', 'docs.anthropic.com', 'supabase.com'])}/${pick(['docs', 'blog'])}/${rng.str('abcdefghij', 8)}?page=${rng.int(9)}`,
    () => `pid ${rng.int(99999)} port ${1024 + rng.int(60000)} took ${rng.int(5000)}ms`,
    () =>
      `"input_tokens": ${rng.int(100000)}, "output_tokens": ${rng.int(8000)}, "cache_read_input_tokens": ${rng.int(900000)}`,
    () => `password: string; token?: Token; apiKey: string | undefined;`,
    () => `const password = await getPassword(); const secret = crypto.randomBytes(32);`,
    () => `max_tokens=${rng.int(8192)}, token_count=${rng.int(500)}`,
    () => `/Users/${pick(FIRST)}/projects/${pick(['app', 'api'])}/src/index.ts`,
    () => `https://github.com/${pick(LAST)}/repo/blob/${rng.str(HEX, 40)}/src/main.ts#L${rng.int(500)}`,
  ];
  const neg = () => pick(negatives)();

  // ---- document templates
  const templates: { context: string; weight: number; build: () => Builder }[] = [
    {
      context: 'prompt',
      weight: 3,
      build: () => {
        const b = new Builder();
        const [v, c] = anyToken();
        b.t(
          pick([
            'Can you check why this fails? I set the key to ',
            'here is my token: ',
            'Use this API key for the test: ',
            'このキーで試してください: ',
            'debug: auth with ',
          ]),
        );
        b.s(v, c).t(pick(['. It returns 401.', '\nThanks!', ' — keep it private', '。よろしくお願いします。', '']));
        if (rng.int(2)) b.t(`\nAlso ${neg()} is unrelated.`);
        if (rng.int(3) === 0) b.t('\nMy email is ').s(email(), 'email').t('.');
        return b;
      },
    },
    {
      context: 'dotenv',
      weight: 3,
      build: () => {
        const b = new Builder();
        b.t('# .env\nNODE_ENV=production\nPORT=3000\n');
        for (let i = 0; i < 2 + rng.int(4); i++) {
          const [v, c] = anyToken();
          const name = pick(envNameFor[c] ?? ['API_TOKEN']);
          const q = pick(['', '"', "'"]);
          b.t(`${pick(['', 'export '])}${name}=${q}`)
            .s(v, c)
            .t(`${q}\n`);
        }
        const pw = password();
        b.t(`${pick(['DB_PASSWORD', 'POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'REDIS_PASSWORD', 'ADMIN_PASS'])}=`)
          .s(pw, 'password')
          .t('\n');
        if (rng.int(2))
          b.t(`${pick(['SECRET_KEY', 'JWT_SECRET', 'SESSION_SECRET', 'ENCRYPTION_KEY', 'APP_SECRET'])}=`)
            .s(rng.str(ALNUM, 40 + rng.int(24)), 'generic_secret')
            .t('\n');
        if (rng.int(2))
          b.t('DATABASE_URL=postgresql://app:')
            .s(password().replace(/[@/:#?]/g, 'x'), 'connection_string')
            .t(`@${pick(HOSTS)}:5432/app\n`);
        b.t(`LOG_LEVEL=debug\n# ${neg()}\n`);
        return b;
      },
    },
    {
      context: 'shell',
      weight: 4,
      build: () => {
        const b = new Builder();
        const k = rng.int(9);
        if (k === 0) {
          const [v, c] = anyToken();
          b.t(`$ curl -sS https://api.service.io/v1/me -H "Authorization: Bearer `)
            .s(v, c)
            .t('"\n{"error":"unauthorized"}\n');
        } else if (k === 1) {
          b.t('$ cat ~/.aws/credentials\n[default]\naws_access_key_id = ')
            .s(tk.awsId(), 'aws_id')
            .t('\naws_secret_access_key = ')
            .s(tk.awsSecret(), 'aws_secret')
            .t('\nregion = ap-northeast-1\n');
        } else if (k === 2) {
          const pw = password().replace(/[@/:#?'"\s]/g, 'z');
          b.t(`$ psql "postgres://${pick(['app', 'admin', 'postgres'])}:`)
            .s(pw, 'connection_string')
            .t(`@${pick(HOSTS)}:5432/main"\npsql: error: connection refused\n`);
        } else if (k === 3) {
          const pw = password().replace(/[:'"\s]/g, 'q');
          b.t('$ curl -u admin:').s(pw, 'password').t(` https://registry.corp.io/v2/_catalog\n{"repositories":[]}\n`);
        } else if (k === 4) {
          const pw = password().replace(/['"\s]/g, 'q');
          b.t('$ PGPASSWORD=').s(pw, 'password').t(' pg_dump -h db -U app main > dump.sql\n');
        } else if (k === 5) {
          b.t(`$ ip addr\n2: eth0: <BROADCAST,MULTICAST,UP> mtu 1500\n    inet `)
            .s(privIp(), 'ip_private')
            .t('/24 scope global eth0\n    inet6 ')
            .s(ula(), 'ip_private')
            .t('/64 scope global\n');
        } else if (k === 6) {
          b.t('$ env | grep -i token\n');
          for (let i = 0; i < 1 + rng.int(3); i++) {
            const [v, c] = anyToken();
            b.t(`${pick(envNameFor[c] ?? ['TOKEN'])}=`)
              .s(v, c)
              .t('\n');
          }
        } else if (k === 7) {
          b.t(`$ git log -3 --format='%H %ae'\n${rng.str(HEX, 40)} `)
            .s(email(), 'email')
            .t(`\n${rng.str(HEX, 40)} noreply@github.com\n`);
        } else {
          const pw = password().replace(/[@/:#?'"\s]/g, 'k');
          b.t(`$ git clone https://${pick(['deploy', 'x-access-token', 'ci'])}:`)
            .s(pw, 'password')
            .t(`@git.corp.io/team/app.git\nCloning into 'app'...\n`);
        }
        b.t(`${neg()}\n`);
        return b;
      },
    },
    {
      context: 'yaml',
      weight: 2,
      build: () => {
        const b = new Builder();
        const [v, c] = anyToken();
        b.t('database:\n  host: ')
          .t(pick(['db.internal', 'localhost']))
          .t('\n  port: 5432\n  username: app\n  password: ');
        const q = pick(['', '"', "'"]);
        b.t(q)
          .s(password().replace(/['"\s#]/g, 'w'), 'password')
          .t(`${q}\n`);
        b.t(`api:\n  ${pick(['token', 'api_key', 'apiKey', 'secret'])}: "`)
          .s(v, c)
          .t('"\n  timeout: 30s\n');
        b.t(`smtp:\n  from: `).s(email(), 'email').t('\n');
        b.t(`# ${neg()}\n`);
        return b;
      },
    },
    {
      context: 'properties',
      weight: 1,
      build: () => {
        const b = new Builder();
        b.t(
          'spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app\nspring.datasource.password=',
        )
          .s(password().replace(/\s/g, 'x'), 'password')
          .t('\n');
        b.t('Server=tcp:sql.corp.net,1433;Database=app;User ID=sa;Password=')
          .s(password().replace(/[;\s'"]/g, 'y'), 'password')
          .t(';Encrypt=True;\n');
        b.t('jdbc:mysql://db:3306/app?user=root&password=')
          .s(password().replace(/[&;\s'"#]/g, 'u'), 'password')
          .t('&useSSL=true\n');
        b.t('DefaultEndpointsProtocol=https;AccountName=store1;AccountKey=')
          .s(tk.azureKey(), 'azure')
          .t(';EndpointSuffix=core.windows.net\n');
        return b;
      },
    },
    {
      context: 'service-account-json',
      weight: 2,
      build: () => {
        const key = pem(pick(['', 'RSA']), tk.pemBody(10 + rng.int(15)));
        const b = new Builder();
        b.t('{\n  "type": "service_account",\n  "project_id": "proj-')
          .t(rng.str('abcdefghij', 6))
          .t('",\n  "private_key_id": "')
          .t(rng.str(HEX, 40));
        b.t('",\n  "private_key": "')
          .s(jsonEscape(key), 'private_key')
          .t('\\n",\n  "client_email": "')
          .s(`svc-${rng.str('abcdefghij', 5)}@proj.iam.gserviceaccount.com`, 'email')
          .t('",\n  "client_id": "')
          .t(digits(21))
          .t('"\n}\n');
        return b;
      },
    },
    {
      context: 'pem',
      weight: 1,
      build: () => {
        const kind = pick(['RSA', '', 'EC', 'OPENSSH', 'ENCRYPTED', 'DSA']);
        const body =
          kind === 'RSA' && rng.int(2)
            ? `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${rng.str(HEX, 32).toUpperCase()}\n\n${tk.pemBody(12)}`
            : tk.pemBody(6 + rng.int(20));
        return new Builder().t('$ cat ~/.ssh/id_key\n').s(pem(kind, body), 'private_key').t(`\n$ ${neg()}\n`);
      },
    },
    {
      context: 'source-code',
      weight: 3,
      build: () => {
        const b = new Builder();
        const [v, c] = anyToken();
        b.t(
          `import { Client } from './client';\n\n// ${neg()}\nexport interface Config { password: string; token?: string }\n\n`,
        );
        b.t(`const client = new Client({ ${pick(['apiKey', 'token', 'auth'])}: '`)
          .s(v, c)
          .t(`', timeout: ${rng.int(60000)} });\n`);
        if (rng.int(2)) b.t(`const headers = { 'x-api-key': '`).s(rng.str(ALNUM, 32), 'generic_secret').t(`' };\n`);
        if (rng.int(2))
          b.t(`const conn = "mongodb+srv://admin:`)
            .s(password().replace(/[@/:#?'"\s]/g, 'm'), 'connection_string')
            .t('@cluster0.ab1cd.mongodb.net/db";\n');
        b.t(`const password = process.env.DB_PASSWORD;\nconst secret = await vault.read('kv/app');\n`);
        return b;
      },
    },
    {
      context: 'logs',
      weight: 2,
      build: () => {
        const b = new Builder();
        for (let i = 0; i < 3 + rng.int(5); i++) {
          const ts = `2026-11-${10 + rng.int(18)}T${10 + rng.int(13)}:${10 + rng.int(49)}:${10 + rng.int(49)}Z`;
          const k = rng.int(6);
          b.t(`${ts} INFO `);
          if (k === 0) b.t('login user=').s(email(), 'email').t(` from=`).s(privIp(), 'ip_private').t('\n');
          else if (k === 1) b.t(`request from ${pick(['8.8.8.8', '203.0.113.7', '54.23.1.9'])} ok ${rng.int(900)}ms\n`);
          else if (k === 2)
            b.t('payment card=')
              .s(card(), 'credit_card')
              .t(` amount=${rng.int(90000)}\n`);
          else if (k === 3) {
            const jp = rng.int(2) === 0;
            b.t('sms sent to ')
              .s(jp ? jpPhone() : pick([nanp, intlPhone])(), jp ? 'phone_jp' : 'phone')
              .t('\n');
          } else if (k === 4)
            b.t(`upstream ${pick(['http', 'grpc'])}://`)
              .s(privIp(), 'ip_private')
              .t(`:${8000 + rng.int(999)} healthy\n`);
          else b.t(`${neg()}\n`);
        }
        return b;
      },
    },
    {
      context: 'japanese-prose',
      weight: 3,
      build: () => {
        const b = new Builder();
        const name = `${pick(['山田', '佐藤', '鈴木', '高橋', '田中'])}${pick(['太郎', '花子', '健二', '美咲'])}`;
        b.t(`お世話になっております。${name}です。\n`);
        b.t(pick(['ご連絡は', 'お問い合わせは', '緊急時は']))
          .s(jpPhone(), 'phone_jp')
          .t(pick(['までお願いします。', 'へお電話ください。', '（平日9時〜18時）']));
        b.t('\nメール：').s(email(), 'email').t('\n');
        if (rng.int(2)) b.t('携帯: ').s(jpPhone(), 'phone_jp').t('\n');
        if (rng.int(2)) b.t(`お支払いカード番号は `).s(card(), 'credit_card').t(` です。\n`);
        const jpw = () => password().replace(/\s/g, 'j');
        const form = rng.int(6);
        if (form === 0) b.t('パスワード：').s(jpw(), 'password').t('\n');
        else if (form === 1)
          b.t(pick(['パスワードは', '初期パスワードは', 'DBのパスワードは ']))
            .s(jpw(), 'password')
            .t(pick(['です。\n', ' です\n', 'でお願いします。\n']));
        else if (form === 2) b.t('仮パスワードは「').s(jpw(), 'password').t('」です。ログイン後に変更してください。\n');
        else if (form === 3)
          b.t('暗証番号は')
            .s(String(1000 + rng.int(8999)), 'password')
            .t('です。\n');
        else if (form === 4) b.t('パスワードは管理者に確認してください。\n');
        b.t(`${neg()}\n`);
        return b;
      },
    },
    {
      context: 'international-contacts',
      weight: 1,
      build: () => {
        const b = new Builder();
        b.t('Contacts:\n- Sales: ')
          .s(nanp(), 'phone')
          .t('\n- EU office: ')
          .s(intlPhone(), 'phone')
          .t('\n- Support: ')
          .s(email(), 'email')
          .t(`\n- Docs: ${neg()}\n`);
        // forms of issue 14 §7: a China mobile number after a phone word, a word glued before a number, a country
        // code without '+'; and an 11-digit id with no phone word, which stays
        const cn = `1${3 + rng.int(7)}${digits(9)}`;
        const k = rng.int(3);
        const dashed = `${2 + rng.int(8)}${2 + rng.int(8)}${rng.int(10)}-${2 + rng.int(8)}${digits(2)}-${digits(4)}`;
        if (k === 0)
          b.t(`- ${pick(['手机', '电话', 'WeChat / mobile'])}：`)
            .s(cn, 'phone')
            .t(`\n- 订单号 ${`1${3 + rng.int(7)}${digits(9)}`}\n`);
        else if (k === 1) b.t('- Home: call me at').s(dashed, 'phone').t('\n');
        else b.t('- Bangalore: ').s(`91-${dashed}`, 'phone').t('\n');
        // national identity numbers with a check digit (China resident id alone; Aadhaar and Teudat Zehut named)
        const n = rng.int(4);
        if (n === 0) b.t('- 身份证号：').s(cnResidentId(), 'national_id').t('\n');
        else if (n === 1) {
          const a = aadhaar();
          b.t('- Aadhaar: ')
            .s(rng.int(2) ? a : `${a.slice(0, 4)} ${a.slice(4, 8)} ${a.slice(8)}`, 'national_id')
            .t(`\n- build ${aadhaar()}\n`);
        } else if (n === 2) b.t('- Teudat Zehut ').s(teudatZehut(), 'national_id').t(`\n- pid ${teudatZehut()}\n`);
        return b;
      },
    },
    {
      context: 'hard-negatives',
      weight: 4,
      build: () => {
        const b = new Builder();
        for (let i = 0; i < 4 + rng.int(6); i++) b.t(`${neg()}\n`);
        return b;
      },
    },
    {
      context: 'generic-secrets',
      weight: 2,
      build: () => {
        const b = new Builder();
        const v = pick([() => rng.str(ALNUM, 32 + rng.int(32)), () => rng.str(URLSAFE, 43), () => rng.str(B64, 44)])();
        const name = pick([
          'client_secret',
          'CLIENT_SECRET',
          'webhookSecret',
          'signing_key',
          'encryption_key',
          'auth_token',
          'access_token',
          'refresh_token',
          'api_secret',
          'secretKey',
        ]);
        const form = rng.int(4);
        if (form === 0) b.t(`${name}=`).s(v, 'generic_secret').t('\n');
        else if (form === 1) b.t(`"${name}": "`).s(v, 'generic_secret').t('",\n');
        else if (form === 2) b.t(`${name}: `).s(v, 'generic_secret').t('\n');
        else b.t(`const ${name} = '`).s(v, 'generic_secret').t("';\n");
        b.t(`${neg()}\n`);
        return b;
      },
    },
  ];
  // forms added for issue 14 §7 (written from the classes of misses, not from the independent set's samples)
  templates.push({
    context: 'polyglot-config',
    weight: 3,
    build: () => {
      const b = new Builder();
      const v = rng.str(ALNUM, 24 + rng.int(16));
      const name = pick(['API_TOKEN', 'serviceToken', 'client_secret', 'PAYMENT_API_KEY', 'deploy.api.key']);
      const forms: [string, string][] = [
        [`${name} ::= "`, '"'],
        [`${name} ?= "`, '"'],
        [`$${name.replace(/\./g, '_')} .= "`, '";'],
        [`${name} := \``, '`'],
        [`var ${name.replace(/\./g, '_')} string = "`, '"'],
        [`${name.replace(/\./g, '_')}: str = "`, '"'],
        [`os.environ["${name}"] = "`, '"'],
        [`System.setProperty("${name}", "`, '");'],
        [`props.put("${name}", "`, '");'],
        [`<${name.replace(/\./g, '_')}>\n    `, `\n</${name.replace(/\./g, '_')}>`],
      ];
      const [open, close] = pick(forms);
      b.t(`# ${neg()}\n${open}`).s(v, 'generic_secret').t(`${close}\n`);
      const k = rng.int(14);
      if (k === 12) {
        b.t('export BUNDLE_GEMS__CONTRIBSYS__COM=')
          .t(`${rng.str(HEX, 8)}:`)
          .s(rng.str(ALNUM, 16), 'password')
          .t('\nBUNDLE_PATH=vendor/bundle BUNDLE_WITHOUT=development:test\n');
      } else if (k === 13) {
        b.t('SHOPIFY_APP_SECRET=')
          .s(`shpss_${rng.str(ALNUM, 32 + rng.int(16))}`, 'other_provider')
          .t('\n');
      } else if (k === 10) {
        b.t(`az ad app credential reset --id ${rng.str(HEX, 8)}\n{"password": "`)
          .s(`${rng.str(ALNUM, 3)}${rng.int(10)}Q~${rng.str(`${ALNUM}_~.-`, 34)}`, 'azure')
          .t('", "tenant": "contoso"}\n');
      } else if (k === 11) {
        b.t(`${pick(['DISCORD_TOKEN', 'asana_token', 'client_secret'])}: "`)
          .s(rng.str('0123456789', 16 + rng.int(20)), 'generic_secret')
          .t('"\nclient_id: "');
        b.t(`${rng.str('0123456789', 20)}"\nmax_tokens: ${rng.int(9000)}\n`);
      } else if (k === 0) {
        const session = `IQoJb3JpZ2luX2Vj${rng.str(B64, 300 + rng.int(500))}`;
        b.t(`aws_access_key_id = `)
          .s(tk.awsId(), 'aws_id')
          .t('\naws_session_token = ')
          .s(session, 'generic_secret')
          .t('\n');
      } else if (k === 1) {
        const u = `${rng.str(HEX, 8)}-${rng.str(HEX, 4)}-${rng.str(HEX, 4)}-${rng.str(HEX, 4)}-${rng.str(HEX, 12)}`;
        b.t(`${pick(['HEROKU_API_KEY', 'hubspot_token', '"apiKey"'])}: "`)
          .s(u, 'generic_secret')
          .t('"\n');
        b.t(
          `"sessionId": "${rng.str(HEX, 8)}-${rng.str(HEX, 4)}-4${rng.str(HEX, 3)}-8${rng.str(HEX, 3)}-${rng.str(HEX, 12)}"\n`,
        );
      } else if (k === 2) {
        const s = rng.str(ALNUM, 20 + rng.int(20));
        const [o, c] = pick([
          [`const t = jwt.sign({ sub: user.id }, '`, `', { expiresIn: 60 })`],
          ['sig = hmac.new(b"', '", msg, hashlib.sha256)'],
          [`app.use(cookieParser('`, `'))`],
        ] as const);
        b.t(o).s(s, 'generic_secret').t(`${c}\n`);
        b.t('jwt.sign(payload, process.env.JWT_SECRET)\n');
      } else if (k === 3) {
        const pw = password().replace(/['"\\]/g, 'q');
        b.t(`requests.get(url, auth=("${pick(['admin', 'deploy', 'svc'])}", "`)
          .s(pw, 'password')
          .t('"))\n');
      } else if (k === 4) {
        b.t(`jdbc:oracle:thin:${pick(['scott', 'app'])}/`)
          .s(rng.str(ALNUM, 12), 'connection_string')
          .t('@db:1521:ORCL\n');
      } else if (k === 5) {
        b.t(`[{"keyName": "key1", "permissions": "FULL", "value": "`)
          .s(`${rng.str(B64, 86)}==`, 'azure')
          .t('"}]\n');
      } else if (k === 6) {
        b.t('SECRET_KEY = "')
          .s(`django-insecure-${rng.str('abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)', 50)}`, 'other_provider')
          .t('"\n');
      } else if (k === 7) {
        const [o, c] = pick([
          ['本番のAPIキーは「', '」です。'],
          ['アクセストークン：', ''],
          ['認証キーは ', ' です'],
        ] as const);
        b.t(o).s(rng.str(ALNUM, 32), 'generic_secret').t(`${c}\nホットキーは Ctrl+K、トークン数は 1200 です。\n`);
      } else if (k === 8) {
        b.t('氏名,電話番号,メール\n');
        for (let i = 0; i < 2; i++)
          b.t(`${pick(LAST)},`)
            .s(jpLand(), 'phone_jp')
            .t(',\n');
        b.t(`\nid,amount\n1,${jpLand()}\n`);
      } else {
        b.t('Driver={ODBC Driver 18};Server=db;Uid=app;Pwd={')
          .s(`${rng.str(ALNUM, 8)};${rng.str(ALNUM, 4)}`, 'password')
          .t('};\n');
      }
      return b;
    },
  });
  templates.push(
    {
      context: 'markdown-chat',
      weight: 3,
      build: () => {
        const b = new Builder();
        const [v, c] = anyToken();
        const wrap = pick([
          ['`', '`'],
          ['(', ')'],
          ['<', '>'],
          ['"', '".'],
          ["'", "',"],
          ['**', '**'],
          ['[', ']'],
          ['', '.'],
          ['', '。'],
        ]);
        b.t(pick(['I pasted the wrong thing earlier: ', 'Rotate this one ', '- token: ', '> ', 'Found in logs → ']))
          .t(wrap[0]!)
          .s(v, c)
          .t(wrap[1]!)
          .t('\n');
        const k = rng.int(4);
        if (k === 0) b.t('curl -s https://api.telegram.org/bot').s(tk.telegram(), 'telegram').t('/getUpdates\n');
        else if (k === 1)
          b.t('git remote set-url origin https://')
            .s(tk.githubClassic('ghp'), 'github')
            .t(`@github.com/${pick(LAST)}/app.git\n`);
        else if (k === 2)
          b.t('git clone https://x-access-token:').s(tk.githubClassic('ghs'), 'github').t('@github.com/org/repo.git\n');
        else
          b.t(`See [the docs](https://docs.example.com/${rng.str('abcdefgh', 6)}) and ping `)
            .s(email(), 'email')
            .t('.\n');
        b.t(`${neg()}\n`);
        return b;
      },
    },
    {
      context: 'cli-passwords',
      weight: 2,
      build: () => {
        const b = new Builder();
        const pw = password()
          .replace(/[^A-Za-z0-9!@#%^*]/g, 'z')
          .replace(/^-/, 'z');
        const k = rng.int(6);
        if (k === 0)
          b.t(`$ mysql -h ${pick(HOSTS)} -u root -p`)
            .s(pw, 'password')
            .t(" app\nERROR 2003 (HY000): Can't connect\n");
        else if (k === 1)
          b.t("$ sshpass -p '")
            .s(pw, 'password')
            .t("' ssh ")
            .s(`deploy@${pick(SSH_HOSTS)}`, 'email')
            .t('\n');
        else if (k === 2) b.t('$ redis-cli -h cache -a ').s(pw, 'password').t(' ping\nPONG\n');
        else if (k === 3)
          b.t('$ docker login -u ci -p ')
            .s(pw, 'password')
            .t(' ghcr.io\nWARNING! Using --password via the CLI is insecure.\n');
        else if (k === 4) b.t('$ docker run -e POSTGRES_PASSWORD=').s(pw, 'password').t(' -p 5432:5432 postgres:16\n');
        else b.t('$ ./manage.py createsuperuser --password=').s(pw, 'password').t(' --noinput\n');
        b.t(`$ ${neg()}\n`);
        return b;
      },
    },
    {
      context: 'jp-signature',
      weight: 2,
      build: () => {
        const b = new Builder();
        b.t(
          `--\n${pick(['株式会社サンプル', '合同会社テスト', 'ABC商事'])} ${pick(['営業部', '開発部'])}\n${pick(['山田 太郎', '佐藤 花子'])}\n`,
        );
        b.t(pick(['TEL:', 'Tel.', 'TEL ', '電話：', 'TEL：']))
          .s(jpPhone(), 'phone_jp')
          .t('\n');
        if (rng.int(2))
          b.t(pick(['FAX:', 'FAX ']))
            .s(jpPhone(), 'phone_jp')
            .t('\n');
        b.t(pick(['E-mail: ', 'Mail：', 'メール ']))
          .s(email(), 'email')
          .t('\n');
        b.t(`〒${digits(3)}-${digits(4)} 東京都港区芝公園${1 + rng.int(4)}-${1 + rng.int(9)}-${1 + rng.int(20)}\n`);
        return b;
      },
    },
    {
      context: 'aws-csv',
      weight: 1,
      build: () =>
        new Builder()
          .t('User name,Password,Access key ID,Secret access key,Console login link\n')
          .t(`${pick(FIRST)}-ci,,`)
          .s(tk.awsId(), 'aws_id')
          .t(',')
          .s(tk.awsSecret(), 'aws_secret')
          .t(',https://123456789012.signin.aws.amazon.com/console\n'),
    },
    {
      context: 'k8s-secret',
      weight: 1,
      build: () => {
        const b = new Builder();
        const b64 = (x: string) => Buffer.from(x).toString('base64');
        b.t(
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: ',
        ).s(b64(password()), 'password');
        b.t('\n  api-token: ')
          .s(b64(rng.str(ALNUM, 32)), 'generic_secret')
          .t('\n');
        return b;
      },
    },
    {
      context: 'docker-config',
      weight: 1,
      build: () => {
        const b = new Builder();
        b.t('{\n  "auths": {\n    "ghcr.io": {\n      "auth": "')
          .s(Buffer.from(`${pick(FIRST)}:${tk.githubClassic('ghp')}`).toString('base64'), 'generic_secret')
          .t('"\n    }\n  },\n  "credsStore": "desktop"\n}\n');
        return b;
      },
    },
    {
      context: 'transcript-negatives',
      weight: 2,
      build: () => {
        const b = new Builder();
        b.t(
          `{"type":"assistant","message":{"id":"msg_01${rng.str(ALNUM, 22)}","model":"claude-opus-4-1","content":[{"type":"thinking","thinking":"The user wants a password reset flow; passwords must be at least 12 characters.","signature":"${rng.str(B64, 300)}"},{"type":"tool_use","id":"toolu_01${rng.str(ALNUM, 22)}","name":"Bash","input":{"command":"npm test -- --grep token"}}],"usage":{"input_tokens":${rng.int(9999)},"output_tokens":${rng.int(999)}}},"requestId":"req_011C${rng.str(ALNUM, 20)}"}\n`,
        );
        b.t(
          `{"token_type":"Bearer","expires_in":3600,"scope":"read"} WWW-Authenticate: Bearer realm="api" cron "0 0 * * *" color #fd0a1b 127.0.0.1:5432 0.0.0.0 ^10.2.3 99.5% ¥1,234,567 2024年1月15日\n`,
        );
        b.t(`${neg()}\n${neg()}\n`);
        return b;
      },
    },
  );
  const totalWeight = templates.reduce((a, t) => a + t.weight, 0);
  const pickTemplate = () => {
    let r = rng.int(totalWeight);
    for (const t of templates) {
      r -= t.weight;
      if (r < 0) return t;
    }
    return templates[0]!;
  };

  const docs: Doc[] = [];
  for (let i = 0; i < count; i++) {
    const tpl = pickTemplate();
    const b = tpl.build();
    const variant = rng.int(10);
    if (variant < 3) {
      // a transcript JSONL line carrying the text JSON-escaped (tool_result content)
      const head = `{"parentUuid":"${rng.str(HEX, 8)}-${rng.str(HEX, 4)}-4${rng.str(HEX, 3)}-8${rng.str(HEX, 3)}-${rng.str(HEX, 12)}","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01${rng.str(ALNUM, 22)}","type":"tool_result","content":"`;
      const tail = `","is_error":false}]},"uuid":"${rng.str(HEX, 8)}-${rng.str(HEX, 4)}-4${rng.str(HEX, 3)}-9${rng.str(HEX, 3)}-${rng.str(HEX, 12)}","timestamp":"2026-11-28T12:00:00.000Z"}`;
      const r = new Builder().t(head).append(escapedCopy(b)).t(tail).render();
      docs.push({ id: `d${i}`, context: `${tpl.context}/jsonl`, ...r });
    } else if (variant === 3) {
      // escaped twice: a JSON file read by a tool, inside a transcript line
      const once = escapedCopy(b);
      const r = new Builder()
        .t('{"type":"assistant","message":{"content":[{"type":"tool_use","name":"Write","input":{"content":"')
        .append(escapedCopy(once))
        .t('"}}]}}')
        .render();
      docs.push({ id: `d${i}`, context: `${tpl.context}/jsonl2`, ...r });
    } else {
      docs.push({ id: `d${i}`, context: tpl.context, ...b.render() });
    }
  }
  return docs;
}

function escapedCopy(b: Builder): Builder {
  const out = new Builder();
  for (const s of b.segs)
    if (s.category) out.s(jsonEscape(s.text), s.category);
    else out.t(jsonEscape(s.text));
  return out;
}

/** Appends a digit that makes the number Luhn-INVALID. */
function luhnBreak(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnSum(prefix + d) !== 0) return String(d);
  return '0';
}

/** My Number documents, scored at strict level only. */
export function generateStrictCorpus(seed = 7, count = 300): Doc[] {
  const rng = new Rng(seed);
  const tk = makeTokens(rng);
  const docs: Doc[] = [];
  for (let i = 0; i < count; i++) {
    const n = tk.myNumber();
    const shown = rng.pick([
      n,
      `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`,
      `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`,
    ]);
    const b = new Builder()
      .t(rng.pick(['個人番号：', 'マイナンバーは', 'My Number: ']))
      .s(shown, 'my_number')
      .t(rng.pick(['です。', '\n', ' (本人確認用)']));
    docs.push({ id: `s${i}`, context: 'my-number', ...b.render() });
  }
  return docs;
}
