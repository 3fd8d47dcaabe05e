import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { BUILTIN_RULES } from '../../../src/core/privacy/rules';
import { Scanner } from '../../../src/core/privacy/scanner';
import { ALNUM, HEX, makeTokens, pem, Rng, URLSAFE } from './tokens';

const KEY = 'unit-test-hmac-key-0123456789abcdef';
const standard = createPrivacyGuard({ hmacKey: KEY });
const strict = createPrivacyGuard({ hmacKey: KEY, level: 'strict' });
const minimal = createPrivacyGuard({ hmacKey: KEY, level: 'minimal' });
const t = makeTokens(new Rng(42));

/** Asserts `secret` is found with exactly its span covered, under `category`, and absent from the output. */
function expectMasked(text: string, secret: string, category: string, guard = standard) {
  const r = guard.maskText(text);
  assert.ok(!r.text.includes(secret), `secret leaked: ${r.text}`);
  const at = text.indexOf(secret);
  const f = r.findings.find((x) => x.start <= at && x.end >= at + secret.length);
  assert.ok(
    f,
    `no finding covering ${JSON.stringify(secret)} in ${JSON.stringify(text)}: ${JSON.stringify(r.findings)}`,
  );
  assert.equal(f.category, category, `category for ${secret}`);
  return r;
}

function expectUntouched(text: string, guard = standard) {
  const r = guard.maskText(text);
  assert.deepEqual(
    r.findings,
    [],
    `unexpected findings in ${JSON.stringify(text)}: ${JSON.stringify(r.findings.map((f) => [text.slice(f.start, f.end), f.ruleId]))}`,
  );
  assert.equal(r.text, text);
}

describe('privacy rules: provider keys and tokens', () => {
  const cases: [string, () => string, string][] = [
    ['anthropic api key', t.anthropic, 'anthropic_api_key'],
    ['anthropic admin key', t.anthropicAdmin, 'anthropic_admin_key'],
    ['claude code oauth access token', t.anthropicOat, 'anthropic_oauth_token'],
    ['claude code oauth refresh token', t.anthropicOrt, 'anthropic_oauth_token'],
    ['openai project key', t.openaiProj, 'openai_api_key'],
    ['openai service-account key', t.openaiSvc, 'openai_api_key'],
    ['openai admin key', t.openaiAdmin, 'openai_api_key'],
    ['openai legacy key', t.openaiLegacy, 'openai_api_key'],
    ['openrouter key', t.openrouter, 'openrouter_api_key'],
    ['github classic pat', () => t.githubClassic('ghp'), 'github_token'],
    ['github oauth token', () => t.githubClassic('gho'), 'github_token'],
    ['github app installation token', () => t.githubClassic('ghs'), 'github_token'],
    ['github fine-grained pat', t.githubFine, 'github_token'],
    ['gitlab pat', t.gitlab, 'gitlab_token'],
    ['aws access key id', t.awsId, 'aws_access_key_id'],
    ['google api key', t.google, 'google_api_key'],
    ['google oauth client secret', t.googleClientSecret, 'google_oauth_secret'],
    ['stripe live secret', t.stripeLive, 'stripe_key'],
    ['stripe test secret', t.stripeTest, 'stripe_key'],
    ['stripe restricted', t.stripeRestricted, 'stripe_key'],
    ['stripe webhook secret', t.stripeWebhook, 'stripe_webhook_secret'],
    ['slack bot token', t.slackBot, 'slack_token'],
    ['slack user token', t.slackUser, 'slack_token'],
    ['slack app token', t.slackApp, 'slack_token'],
    ['slack webhook', t.slackWebhook, 'slack_webhook'],
    ['supabase personal access token', t.supabasePat, 'supabase_token'],
    ['supabase secret key', t.supabaseSecret, 'supabase_token'],
    ['supabase service-role jwt', () => t.supabaseJwt(), 'supabase_jwt'],
    ['generic jwt', t.jwt, 'jwt'],
    ['npm token', t.npm, 'npm_token'],
    ['hugging face token', t.huggingface, 'huggingface_token'],
    ['sendgrid key', t.sendgrid, 'sendgrid_key'],
    ['telegram bot token', t.telegram, 'telegram_bot_token'],
  ];
  for (const [name, gen, cat] of cases) {
    it(`${name}: bare, quoted, in JSON-escaped text and at minimal level`, () => {
      const s = gen();
      expectMasked(s, s, cat);
      expectMasked(`export TOKEN_VALUE_X="${s}"\n`, s, cat);
      expectMasked(JSON.stringify({ content: `here:\n  ${s}\n` }), s, cat);
      expectMasked(`see (${s}), ok`, s, cat, minimal);
    });
  }

  it('more providers by distinctive prefix (Shopify, DigitalOcean, Linear, Notion, Doppler, Databricks, Postman, PyPI, Docker Hub, Grafana, New Relic, Sentry, Square, Figma, age, Twilio, Mailgun)', () => {
    const r = new Rng(5);
    const HEXL = '0123456789abcdef';
    const cases: [string, string][] = [
      [`shpat_${r.str(HEXL, 32)}`, 'shopify_token'],
      [`dop_v1_${r.str(HEXL, 64)}`, 'digitalocean_token'],
      [`lin_api_${r.str(ALNUM, 40)}`, 'linear_api_key'],
      [`ntn_${r.str(ALNUM, 46)}`, 'notion_token'],
      [`dp.pt.${r.str(ALNUM, 43)}`, 'doppler_token'],
      [`dapi${r.str(HEXL, 32)}`, 'databricks_token'],
      [`PMAK-${r.str(HEXL, 24)}-${r.str(HEXL, 34)}`, 'postman_api_key'],
      [`pypi-AgEIcHlwaS5vcmc${r.str(URLSAFE, 80)}`, 'pypi_token'],
      [`dckr_pat_${r.str(URLSAFE, 27)}`, 'dockerhub_token'],
      [`glsa_${r.str(ALNUM, 32)}_${r.str(HEXL, 8)}`, 'grafana_token'],
      [`NRAK-${r.str('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 27)}`, 'newrelic_key'],
      [`sntrys_${r.str(ALNUM, 60)}`, 'sentry_token'],
      [`sq0atp-${r.str(URLSAFE, 22)}`, 'square_token'],
      [`figd_${r.str(URLSAFE, 40)}`, 'figma_token'],
      [`AGE-SECRET-KEY-1${r.str('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`, 'private_key'],
      [`SK${r.str(HEXL, 32)}`, 'twilio_key'],
      [`key-${r.str('0123456789abcdefghijklmnopqrstuvwxyz', 32)}`, 'mailgun_key'],
    ];
    for (const [v, cat] of cases) {
      expectMasked(`token here: ${v} (rotated)`, v, cat);
      expectMasked(JSON.stringify({ out: `\n${v}\n` }), v, cat);
    }
    expectUntouched('ask the desk about SKU risk-free key-value stores');
    expectUntouched(`shpat_${'x'.repeat(32)}`);
  });

  it('regressions found by other corpus seeds: AKIA ids whose body starts with MY, letters-only HF tokens', () => {
    expectMasked('id AKIA' + 'MYBUIFSDMOJNOOMM', 'AKIA' + 'MYBUIFSDMOJNOOMM', 'aws_access_key_id');
    expectMasked(
      'HF_TOKEN: hf_' + 'RerMASvkZfYTTUOFvPLEmsuvZqBbzZYnFi',
      'hf_' + 'RerMASvkZfYTTUOFvPLEmsuvZqBbzZYnFi',
      'huggingface_token',
    );
  });

  it('keeps only the non-secret prefix visible and tags with a keyed HMAC', () => {
    const s = t.anthropic();
    const r = standard.maskText(`key ${s} end`);
    assert.match(r.text, /^key «sk-ant-api03-…anthropic_api_key:[0-9a-f]{8}» end$/);
    assert.equal(r.findings[0]!.start, 4);
    assert.equal(r.findings[0]!.end, 4 + s.length);
    const other = createPrivacyGuard({ hmacKey: 'another-key-0123456789abcdef' }).maskText(`key ${s} end`);
    assert.notEqual(other.text, r.text, 'tag depends on the key');
    assert.equal(standard.maskText(`again ${s}`).text.slice(6), r.text.slice(4, -4), 'same secret, same tag');
  });

  it('uses [REDACTED:category:tag] when there is no known prefix', () => {
    const r = standard.maskText('mail ada@lovelace.dev now');
    assert.match(r.text, /^mail \[REDACTED:email:[0-9a-f]{8}\] now$/);
    assert.equal(r.text.slice(5, -4), `[REDACTED:email:${standard.tag('ada@lovelace.dev')}]`);
  });

  it('aws secret access key in credentials files and env', () => {
    const id = t.awsId();
    const sec = t.awsSecret();
    expectMasked(
      `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${sec}\n`,
      sec,
      'aws_secret_access_key',
    );
    expectMasked(`AWS_SECRET_ACCESS_KEY=${sec}`, sec, 'aws_secret_access_key');
    expectMasked(`{"SecretAccessKey": "${sec}"}`, sec, 'aws_secret_access_key');
  });

  it('azure storage account keys and SAS signatures', () => {
    const k = t.azureKey();
    expectMasked(
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${k};EndpointSuffix=core.windows.net`,
      k,
      'azure_key',
    );
  });

  it('bearer tokens and API-key headers', () => {
    const tok = t.generic();
    expectMasked(`curl -H "Authorization: Bearer ${tok}" https://api.x.io`, tok, 'bearer_token');
    expectMasked(`x-api-key: ${tok}`, tok, 'api_key');
    expectMasked(`{"headers":{"X-Api-Key":"${tok}"}}`, tok, 'api_key');
  });

  it('github checksum: a valid checksum is required unless the body is clearly random', () => {
    const good = t.githubClassic();
    assert.equal(standard.maskText(good).findings.length, 1);
    expectUntouched(`ghp_${'x'.repeat(36)}`);
    expectUntouched(`ghp_${'abcdefghij'.repeat(3)}000000`);
  });
});

describe('privacy rules: private keys', () => {
  for (const kind of ['RSA', '', 'EC', 'OPENSSH', 'ENCRYPTED', 'DSA']) {
    it(`PEM ${kind || 'PKCS#8'} raw and JSON-escaped`, () => {
      const body = t.pemBody(kind === 'ENCRYPTED' ? 20 : 8);
      const key = pem(kind, body);
      const r = expectMasked(`Here is the key:\n${key}\nthanks`, key, 'private_key');
      assert.match(r.text, /«-----BEGIN [A-Z ]*PRIVATE KEY-----…private_key:[0-9a-f]{8}»\nthanks$/);
      const json = JSON.stringify({ type: 'service_account', private_key: `${key}\n`, client_id: '1234' });
      const escaped = JSON.stringify(key).slice(1, -1);
      const rj = expectMasked(json, escaped, 'private_key');
      assert.doesNotThrow(() => JSON.parse(rj.text), 'masked JSON stays parseable');
      // JSON-escaped twice (a transcript line that embeds a JSON file as a string)
      const twice = JSON.stringify({ content: json });
      const r2 = standard.maskText(twice);
      for (const line of body.split('\n'))
        assert.ok(!r2.text.includes(line), 'body line leaked from double-escaped JSON');
      assert.doesNotThrow(() => JSON.parse(r2.text));
    });
  }

  it('a truncated key (no END line) is masked up to where the text stops', () => {
    const body = t.pemBody(5);
    const r = standard.maskText(`-----BEGIN RSA PRIVATE KEY-----\n${body}`);
    for (const line of body.split('\n')) assert.ok(!r.text.includes(line));
  });

  it('a public key or certificate is not a private key', () => {
    const b = t.pemBody(3);
    expectUntouched(`-----BEGIN PUBLIC KEY-----\n${b}\n-----END PUBLIC KEY-----`, minimal);
  });
});

describe('privacy rules: credentials in URLs, connection strings and assignments', () => {
  const pw = t.password();
  const cases: [string, string][] = [
    [`postgres://app:${pw}@db.internal:5432/main`, 'connection_string'],
    [`postgresql+psycopg://app:${pw}@10.1.2.3/main`, 'connection_string'],
    [`DATABASE_URL="mysql://root:${pw}@localhost:3306/x"`, 'connection_string'],
    [`mongodb+srv://admin:${pw}@cluster0.ab1cd.mongodb.net/?retryWrites=true`, 'connection_string'],
    [`REDIS_URL=rediss://default:${pw}@redis-123.cloud.io:6380`, 'connection_string'],
    [`amqp://guest:${pw}@rabbit:5672/`, 'connection_string'],
    [`git clone https://deploy:${pw}@git.corp.io/a/b.git`, 'url_password'],
    [`Server=tcp:x.database.windows.net,1433;User ID=sa;Password=${pw};Encrypt=True`, 'password'],
    [`jdbc:postgresql://db:5432/app?user=app&password=${pw}&ssl=true`, 'password'],
    [`curl -u admin:${pw} https://api.corp.io/v1`, 'basic_auth'],
    [`PGPASSWORD=${pw} psql -h db -U app`, 'password'],
    [`DB_PASSWORD=${pw}`, 'password'],
    [`  password: "${pw}"`, 'password'],
    [`spring.datasource.password=${pw}`, 'password'],
    [`{"password": "${pw}"}`, 'password'],
    [`パスワード：${pw}`, 'password'],
  ];
  for (const [text, cat] of cases)
    it(`masks the password in ${text.replace(pw, '<pw>')}`, () => expectMasked(text, pw, cat, minimal));

  it('passwords given as command-line flags (mysql -p, sshpass, redis-cli -a, docker login -p)', () => {
    const p2 = t.password().replace(/[^A-Za-z0-9]/g, 'x');
    expectMasked(`mysql -u root -p${p2} app`, p2, 'password', minimal);
    expectMasked(`sshpass -p '${p2}' ssh deploy@host`, p2, 'password', minimal);
    expectMasked(`redis-cli -h cache -a ${p2} ping`, p2, 'password', minimal);
    expectMasked(`docker login -u bob -p ${p2} ghcr.io`, p2, 'password', minimal);
    expectUntouched('mysql -h db -P 3306 -p app', minimal);
    expectUntouched('docker login -u bob --password-stdin ghcr.io', minimal);
  });

  it('telegram tokens inside Bot API URLs, AWS secrets right after the key id (credentials CSV)', () => {
    const tg = t.telegram();
    expectMasked(`curl https://api.telegram.org/bot${tg}/getMe`, tg, 'telegram_bot_token');
    const id = t.awsId();
    const sec = t.awsSecret();
    expectMasked(
      `User name,Password,Access key ID,Secret access key\nci,,${id},${sec},https://console`,
      sec,
      'aws_secret_access_key',
    );
  });

  it('generic high-entropy values assigned to secret-looking names', () => {
    const g = t.generic();
    expectMasked(`SECRET_KEY=${g}`, g, 'secret');
    expectMasked(`const apiKey = '${g}';`, g, 'secret');
    expectMasked(`JWT_SECRET: ${g}`, g, 'secret');
    expectMasked(`client_secret = "${g}"`, g, 'secret');
    // one base64 secret in 64 starts with '/': it is not a path
    expectMasked(
      'client_secret: /TTptyLfLRaiZSzmWSuRobRwvo3Zu/Pmu79gnLeWc27R',
      '/TTptyLfLRaiZSzmWSuRobRwvo3Zu/Pmu79gnLeWc27R',
      'secret',
    );
    expectUntouched('token_path: /var/run/secrets/kubernetes.io/serviceaccount/token');
    expectUntouched('SECRET_FILE=/Users/Alice/Projects2024/MyApp');
  });

  it('provider-named keys (AZURE_OPENAI_KEY=…), session cookies; not cache/sort/public keys', () => {
    const hex = 'a3f9c2e81b7d4f60' + '95e2c7a1d4b8f306';
    expectMasked(`AZURE_OPENAI_KEY=${hex}`, hex, 'secret');
    const mb = t.generic();
    expectMasked(`MAPBOX_KEY: "${mb}"`, mb, 'secret');
    const sid = t.generic();
    expectMasked(`Cookie: session=${sid}; theme=dark`, sid, 'secret');
    expectUntouched(`cache_key: "${hex}"`);
    expectUntouched(`public_key = "${hex}"`);
    expectUntouched(`"sessionId": "4f9d2c1e-8b7a-4e3f-9c2d-1a0b9c8d7e6f"`);
  });

  it('Japanese assignments: パスワードは…, 暗証番号は…, 「…」 and 『…』 quotes; the value ends at hiragana or CJK punctuation', () => {
    const pw = t.password().replace(/[^A-Za-z0-9#%]/g, 'q');
    expectMasked(`パスワードは${pw}です。`, pw, 'password', minimal);
    expectMasked(`DBのパスワードは ${pw} です`, pw, 'password', minimal);
    expectMasked(`パスワードは「${pw}」です`, pw, 'password', minimal);
    expectMasked(`パスワードは『${pw}』でお願いします`, pw, 'password', minimal);
    expectMasked('暗証番号は4821です', '4821', 'password', minimal);
    expectMasked('password: Tokyo東京2024', 'Tokyo東京2024', 'password', minimal);
    const r = standard.maskText(`パスワードは${pw}です。`);
    assert.ok(r.text.endsWith(']です。'), `the particle and the rest of the sentence stay: ${r.text}`);
    for (const s of [
      'パスワードは変更してください',
      'パスワードは管理者権限で変更できます',
      'パスワードはランダムです',
      'パスワードは８文字以上',
      'パスワードは、後で送ります。',
      'セッションは切れました',
    ])
      expectUntouched(s);
  });

  it("the assignment rule's pre-check never drops what its regex and validator would mask (UUID values, は, sub-names)", () => {
    const rule = BUILTIN_RULES.find((r) => r.id === 'named-secret-assignment')!;
    const withPre = new Scanner([rule]);
    const withoutPre = new Scanner([{ ...rule, pre: undefined }]);
    const uuid = '08e7f73c-8317-476a-9f3b-2c1d0e5a4b6f';
    const names = [
      'sessionId',
      'session',
      'api_key',
      'db.password',
      'SESSION_SECRET',
      'sid',
      'x.sessionId',
      'password_session',
      'パスワード',
    ];
    const seps = [':', '=', ' = ', '=>', ':=', '：', ' is ', 'は', '\\":\\"', '":"', "='"];
    const values = [uuid, uuid.toUpperCase(), uuid.slice(0, 35), `Zq9${uuid}`, t.generic()];
    const tails = ['', '"', "'", '\\"', ' ', ',', ':x', '.x', '-x', 'x', '/x', '\n', '}', '(', 'です'];
    let cases = 0;
    for (const name of names)
      for (const sep of seps)
        for (const value of values)
          for (const tail of tails)
            for (const lead of ['', '"', ' ']) {
              const text = `${lead}${name}${sep}${value}${tail} rest`;
              const spans = (sc: Scanner) =>
                sc.scan(text, Number.POSITIVE_INFINITY).map((f) => [f.start, f.end, f.category]);
              assert.deepEqual(spans(withPre), spans(withoutPre), JSON.stringify(text));
              cases++;
            }
    assert.ok(cases > 20000);
  });

  it('a prefixed token longer than its pattern bound is masked to its end', () => {
    const long = `sk-ant-api03-${t.generic().repeat(12)}`;
    const r = expectMasked(`k ${long} end`, long, 'anthropic_api_key');
    assert.match(r.text, /^k «sk-ant-api03-…anthropic_api_key:[0-9a-f]{8}» end$/);
  });

  it('leaves template variables, placeholders, code references and types alone', () => {
    for (const s of [
      `postgres://user:\${DB_PASSWORD}@db:5432/app`,
      'postgres://user:<password>@localhost/app',
      `DB_PASSWORD=\${DB_PASSWORD}`,
      'password: "{{ .Values.db.password }}"',
      'password = os.environ["DB_PASSWORD"]',
      'password: string;',
      'token: Token',
      'const password = await getPassword();',
      'password = input("Password: ")',
      'API_KEY=your-api-key-here',
      'SECRET_KEY=changeme',
      'password: ********',
      'max_tokens: 4096',
      '"input_tokens": 1234, "output_tokens": 567',
      'token_count = 12',
      'docker run -u 1000:1000 image',
      'git push -u origin main',
      'key: value',
      'secret = secrets.token_hex(32)',
      'passwordless: true',
      'Authorization: Bearer $TOKEN',
      'Authorization: Bearer <token>',
      'https://github.com:443/org/repo',
    ])
      expectUntouched(s);
  });
});

describe('privacy rules: personal data', () => {
  it('emails', () => {
    for (const e of ['ada@lovelace.dev', 'first.last+tag@mail.co.jp', 'x_y-z@sub.domain.example-corp.com'])
      expectMasked(`mail ${e}.`, e, 'email');
    expectMasked(JSON.stringify({ text: 'contact: yamada.taro@gmail.com' }), 'yamada.taro@gmail.com', 'email');
  });
  it('email negatives: noreply, bots, retina assets, git remotes, packages, examples', () => {
    for (const s of [
      'noreply@github.com',
      '49699333+dependabot[bot]@users.noreply.github.com',
      'Co-Authored-By: Claude <noreply@anthropic.com>',
      'icon@2x.png logo@3x.webp',
      'git@github.com:org/repo.git',
      'npm i react@18.2.0 @types/node@22.1.0',
      'user@example.com',
      'someone@localhost',
    ])
      expectUntouched(s);
  });
  it('emails are not masked at minimal level', () => expectUntouched('ada@lovelace.dev', minimal));

  const phones = [
    '090-1234-5678',
    '080 1234 5678',
    '07012345678',
    '03-1234-5678',
    '(03) 1234-5678',
    '03(1234)5678',
    '06-6123-4567',
    '0120-123-456',
    '0800-123-4567',
    '050-1234-5678',
    '+81 90-1234-5678',
    '+81-3-1234-5678',
    '+81 (0)3-1234-5678',
    '+819012345678',
    '０９０－１２３４－５６７８',
    '０３－１２３４－５６７８',
    '＋８１ ９０ １２３４ ５６７８',
    '045‐123‐4567',
    '+1 415 555 2671',
    '+1-415-555-2671',
    '(415) 555-2671',
    '415-555-2671',
    '+44 20 7946 0958',
    '+49 30 901820',
  ];
  for (const p of phones) it(`phone ${p}`, () => expectMasked(`電話: ${p} まで`, p, 'phone'));
  it('phones after TEL: / Tel. / FAX labels, not after a decimal point or a time', () => {
    expectMasked('TEL:03-1234-5678', '03-1234-5678', 'phone');
    expectMasked('Tel.090-1234-5678', '090-1234-5678', 'phone');
    expectMasked('FAX 06-6123-4567', '06-6123-4567', 'phone');
    expectUntouched('ratio 1.0312345678 and 12:0312345678');
  });

  it('phone negatives: dates, versions, times, ids, postal codes, ISBN/JAN, luhn-invalid runs', () => {
    for (const s of [
      '2024-01-15T09:30:00.000Z',
      'version 1.2.3 and 10.0.19041',
      '〒100-0001 東京都千代田区',
      'postal 150-0002',
      'ISBN 978-4-06-519981-7',
      'JAN 4901234567894',
      'order 1234567890123',
      'pid 12345, port 8080, 3000ms',
      'build 20240115.1',
      'uuid 123e4567-e89b-12d3-a456-426614174000',
      '4111 1111 1111 1112',
      'timestamp 1700000000000',
      'sha 3f786850e387550fdab836ed7e6dc881de23001b',
    ])
      expectUntouched(s);
  });

  for (const k of ['visa', 'mc', 'amex', 'jcb', 'discover', 'diners'] as const) {
    it(`credit card ${k}: contiguous, spaced and dashed`, () => {
      const c = t.card(k);
      expectMasked(`card ${c} exp 12/29`, c, 'credit_card');
      const spaced = c.replace(/(\d{4})(?=\d)/g, '$1 ');
      expectMasked(`card ${spaced}.`, spaced, 'credit_card');
      const dashed = c.replace(/(\d{4})(?=\d)/g, '$1-');
      expectMasked(`card: ${dashed}`, dashed, 'credit_card');
    });
  }

  it('private IPv4 and IPv6 ULA; public addresses and versions untouched', () => {
    for (const ip of ['10.0.0.1', '172.16.5.4', '172.31.255.254', '192.168.1.20'])
      expectMasked(`host ${ip}:8080`, ip, 'ip_address');
    expectMasked('ssh deploy@10.0.0.5', '10.0.0.5', 'ip_address');
    expectMasked('addr fd12:3456:789a:1::1 up', 'fd12:3456:789a:1::1', 'ip_address');
    expectMasked('addr fdab:1:2:3:4:5:6:7 up', 'fdab:1:2:3:4:5:6:7', 'ip_address');
    for (const s of [
      '8.8.8.8',
      '172.32.0.1',
      '192.169.1.1',
      '1.1.1.1',
      'v10.2.3.4',
      'node 10.15.3.0 released',
      'fe80::1',
      '2001:db8::1',
    ])
      expectUntouched(s);
  });

  it('My Number only at strict level, with a valid check digit', () => {
    const n = t.myNumber();
    expectMasked(`個人番号 ${n}`, n, 'my_number', strict);
    const bad = n.slice(0, 11) + String((Number(n[11]) + 1) % 10);
    expectUntouched(`個人番号 ${bad}`, strict);
    expectUntouched(`個人番号 ${n}`, standard);
  });

  it('home-directory user names at strict level only', () => {
    expectMasked('/Users/hanako/projects/x', 'hanako', 'username', strict);
    expectUntouched('/Users/hanako/projects/x');
  });
});

describe('privacy rules: hard negatives stay untouched at standard level', () => {
  const negatives = [
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
    'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    '"integrity": "sha512-' +
      'q'.repeat(2) +
      'Kk8p0nNw1mZ3iQ5tH7pLrA6cT9uVbXeYdJfGhOsW2aE4gB1jC3vD5xF7zR9sT0uUiI1oP2lL3kK4jJ5hH6gG7fF8dD9sS0aA1qQ==",',
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'OPENAI_API_KEY=sk-...',
    `export ANTHROPIC_API_KEY=\${ANTHROPIC_API_KEY}`,
    'Node v22.11.0, npm 10.9.0, "version": "2.1.332"',
    '2026-11-28T22:51:52.123+09:00',
    'git@github.com:anthropics/claude-code.git',
    'https://example.com/path?q=1&page=2',
    'the public resolver 8.8.4.4',
    '{"uuid":"4f9d2c1e-8b7a-4e3f-9c2d-1a0b9c8d7e6f","parentUuid":null}',
  ];
  for (const n of negatives) it(JSON.stringify(n).slice(0, 70), () => expectUntouched(n));
});

describe('privacy rules: the end of a masked value', () => {
  // issue 14 §8: "…[REDACTED:secret:…] Email" — the full stop that ends the sentence was masked with the token
  const sentences: [string, string][] = [
    ['token=', t.generic()],
    ['My token is ', t.githubClassic()],
    ['Use Bearer ', t.jwt()],
    ['Authorization: Bearer ', t.generic()],
    ['password is ', t.password()],
    ['the key is ', t.stripeLive()],
  ];
  for (const [lead, secret] of sentences)
    it(`keeps the sentence's full stop after ${JSON.stringify(lead)}<secret>.`, () => {
      for (const tail of ['. Email me.', '.', '.\n', '.\\n"}']) {
        const text = `${lead}${secret}${tail}`;
        const r = expectMasked(text, secret, standard.maskText(text).findings[0]?.category ?? '?');
        assert.ok(r.text.endsWith(tail), `${JSON.stringify(tail)} lost: ${r.text}`);
      }
    });
  it('a dot inside a value, or one before more value characters, stays masked', () => {
    const pw = t.password();
    for (const text of [`password = "${pw}."`, `token=${pw}.x9`, JSON.stringify({ c: `password: "${pw}."` })]) {
      const r = standard.maskText(text);
      assert.ok(r.findings.length > 0 && !/(?:\]|»)\./.test(r.text), `the dot was left outside the mask: ${r.text}`);
    }
  });
});

describe('privacy rules: assignment forms of other languages and formats (issue 14 §7)', () => {
  const v = t.generic();
  const forms = [
    // Makefile and shell-ish operators
    `API_TOKEN ::= "${v}"`,
    `API_TOKEN :::= "${v}"`,
    `API_TOKEN ?= "${v}"`,
    `API_TOKEN += ${v}`,
    // PHP concatenation, Ruby/JS logical assignment
    `$apiToken .= "${v}"`,
    `@api_token ||= "${v}"`,
    `apiToken ??= '${v}'`,
    // Go raw strings and typed declarations
    `apiToken := \`${v}\``,
    `var apiToken string = "${v}"`,
    `const apiToken: string = "${v}";`,
    `api_token: str = "${v}"`,
    `val apiToken: String = "${v}"`,
    // subscripts, maps, environment objects
    `os.environ["API_TOKEN"] = "${v}"`,
    `ENV['SERVICE_SECRET'] = '${v}'`,
    `config[:api_token] = "${v}"`,
    `System.setProperty("SERVICE_TOKEN", "${v}")`,
    `props.put("service.api.key", "${v}");`,
    `os.Setenv("GITHUB_TOKEN", "${v}")`,
    `headers.set('X-Access-Token', '${v}')`,
    `{"client_secret", "${v}"},`,
    // XML elements
    `<apiToken>${v}</apiToken>`,
    `<ApiToken>\n    ${v}\n</ApiToken>`,
  ];
  for (const text of forms)
    it(JSON.stringify(text.replace(v, '<v>')), () => {
      expectMasked(text, v, 'secret');
      // and inside a transcript line, JSON-escaped once and twice
      expectMasked(JSON.stringify({ content: text }), v, 'secret');
      expectMasked(JSON.stringify({ input: JSON.stringify({ content: text }) }), v, 'secret');
    });
  it('a value of random letters only (no digit) is a secret; a camelCase identifier is not', () => {
    const letters = 'NghKKzXviuDkxlOJLqINNhgu';
    expectMasked(`PAYMENT_API_KEY = "${letters}"`, letters, 'secret');
    expectUntouched('PAYMENT_API_KEY = "getPaymentApiKeyFromVault"');
    // capitalised two-letter pieces are not a type name (SecretStr, Token are)
    expectMasked('db:\n  password: BrBxSswEszed\n', 'BrBxSswEszed', 'password');
    expectUntouched('class Settings:\n    password: SecretStr\n');
  });

  it('the same shapes with a non-secret name, or code as the value, stay untouched', () => {
    for (const text of [
      `CFLAGS ::= "-O2 -Wall"`,
      `$title .= "Hello world"`,
      `os.environ["HOME"] = "/home/kenji"`,
      `System.setProperty("user.timezone", "Asia/Tokyo")`,
      `log("token", count)`,
      `map.put("token", tokenValue);`,
      `<token>{{ .Values.token }}</token>`,
      `var apiToken string = os.Getenv("API_TOKEN")`,
      `<apiToken>\${API_TOKEN}</apiToken>`,
    ])
      expectUntouched(text);
  });
});

describe('privacy rules: values the assignment rule used to cut or refuse (issue 14 §7)', () => {
  it('a long value (an STS session token next to its access key) is masked to its end', () => {
    const session = `IQoJb3JpZ2luX2Vj${t.awsSecret()}${'/'}${t.generic()}${t.awsSecret()}`.repeat(8);
    expectMasked(`aws_access_key_id = ${t.awsId()}\naws_session_token = ${session}\n`, session, 'secret');
    expectMasked(`{"Credentials": {"SessionToken": "${session}"}}`, session, 'secret');
    expectMasked(`export AWS_SESSION_TOKEN='${session}'`, session, 'secret');
  });
  it('a UUID named as a token, key or secret is masked; session and request ids are not', () => {
    const r = new Rng(5);
    const u = () => `${r.str(HEX, 8)}-${r.str(HEX, 4)}-4${r.str(HEX, 3)}-8${r.str(HEX, 3)}-${r.str(HEX, 12)}`;
    for (const name of ['HEROKU_API_KEY', 'hubspot_token', '"accessToken"', 'client_secret']) {
      const id = u();
      expectMasked(`${name}: "${id}"`, id, 'secret');
    }
    for (const name of ['"sessionId"', 'request_id', 'trace_token_id', 'session']) expectUntouched(`${name}: "${u()}"`);
  });
  it('ODBC braces inside a connection string; JSX braces are code', () => {
    const pw = t.password();
    expectMasked(`Driver={ODBC Driver 18};Server=db;Uid=app;Pwd={${pw};x};`, `${pw};x`, 'password');
    expectUntouched(`<Login password={userPassword} onSubmit={save} />`);
  });
  it('Japanese names of a secret setting: APIキー, アクセストークン, 認証キー, データベースパスワード', () => {
    const v = t.generic();
    for (const text of [
      `本番のAPIキーは「${v}」です。`,
      `アクセストークン：${v}`,
      `認証キーは ${v} に変わりました`,
      `シークレット: ${v}`,
    ])
      expectMasked(text, v, 'secret');
    const pw = t.password();
    expectMasked(`データベースパスワードは${pw}です`, pw, 'password');
    for (const text of [
      'ホットキーは Ctrl+K です',
      'トークン数は 1200 です',
      'プライマリキー: user_id',
      'APIキーは環境変数から読み込みます',
    ])
      expectUntouched(text);
  });
});

describe('privacy rules: secrets passed as literals, tuples and framework formats (issue 14 §7)', () => {
  const r = new Rng(11);
  it('signing secrets given as literals to JWT and framework helpers', () => {
    const s = r.str(ALNUM, 24);
    for (const text of [
      `const token = jwt.sign({ sub: user.id, role }, '${s}', { expiresIn: '1h' });`,
      `jwt.verify(token, "${s}")`,
      `encoded = jwt.encode(payload, "${s}", algorithm="HS256")`,
      `JWT.encode(payload, '${s}', 'HS256')`,
      `crypto.createHmac('sha256', '${s}').update(body).digest('hex')`,
      `sig = hmac.new(b"${s}", msg, hashlib.sha256)`,
      `app.use(cookieParser('${s}'))`,
      `Jwts.builder().setSubject(u).signWith(SignatureAlgorithm.HS256, "${s}").compact()`,
    ])
      for (const form of [text, JSON.stringify({ content: text })]) expectMasked(form, s, 'secret');
    for (const text of [
      `jwt.sign(payload, process.env.JWT_SECRET)`,
      `jwt.sign(payload, secret, { algorithm: 'RS256' })`,
      `crypto.createHmac('sha256', key)`,
      `jwt.verify(token, "secret")`,
    ])
      expectUntouched(text);
  });
  it('HTTP basic-auth tuples', () => {
    const pw = t.password();
    for (const text of [
      `requests.get(url, auth=("admin", "${pw}"))`,
      `r = httpx.post(u, auth = ('svc-user', '${pw}'))`,
      `session.auth = HTTPBasicAuth("deploy", "${pw}")`,
      `client.setBasicAuth("deploy", "${pw}");`,
      `.basicAuth('deploy', '${pw}')`,
    ])
      expectMasked(text, pw, 'password');
    expectUntouched(`requests.get(url, auth=(user, password))`);
    expectMasked(JSON.stringify({ command: `requests.get(url, auth=("admin", "${pw}"))` }), pw, 'password');
  });
  it('Oracle user/password@ in JDBC URLs and sqlplus', () => {
    const pw = r.str(ALNUM, 12);
    expectMasked(`jdbc:oracle:thin:scott/${pw}@dbhost:1521:ORCL`, pw, 'connection_string');
    expectMasked(`sqlplus -s app_user/${pw}@//db.internal:1521/PROD`, pw, 'connection_string');
  });
  it('storage account keys in JSON (az storage account keys list, Cosmos DB keys)', () => {
    const k = `${r.str(`${ALNUM}+/`, 86)}==`;
    expectMasked(
      `[{"creationTime": "2026-01-02T03:04:05Z", "keyName": "key1", "permissions": "FULL", "value": "${k}"}]`,
      k,
      'azure_key',
    );
    expectMasked(`{"primaryMasterKey": "${k}", "secondaryMasterKey": "x"}`, k, 'azure_key');
    expectMasked(`{"AccountKey": "${k}"}`, k, 'azure_key');
  });
  it('framework and provider secret formats with documented prefixes', () => {
    const cases: [string, string][] = [
      ['django-insecure-', r.str('abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)', 50)],
      ['hvs.', r.str(URLSAFE, 90)],
      ['hvb.', r.str(URLSAFE, 120)],
      ['gsk_', r.str(ALNUM, 52)],
      ['tskey-auth-', `${r.str(ALNUM, 12)}-${r.str(ALNUM, 24)}`],
      ['vcp_', r.str(ALNUM, 40)],
      ['pul-', r.str(HEX, 40)],
      ['pnu_', r.str(ALNUM, 36)],
      ['sgp_', `${r.str(HEX, 16)}_${r.str(HEX, 40)}`],
      ['fo1_', r.str(URLSAFE, 43)],
      ['sha256~', r.str(URLSAFE, 43)],
      ['EZAK', r.str(ALNUM, 54)],
      ['rdme_', r.str('abcdefghijklmnopqrstuvwxyz0123456789', 70)],
    ];
    for (const [prefix, body] of cases) {
      const token = `${prefix}${body}`;
      const res = standard.maskText(`x ${token} y`);
      assert.ok(!res.text.includes(body), `${prefix}: ${res.text}`);
      assert.ok(res.text.startsWith('x ') && res.text.endsWith(' y'), res.text);
    }
    expectUntouched('see https://docs.djangoproject.com/en/5.0/ref/settings/#secret-key and django-insecure- keys');
  });
  it('Japanese phone numbers without separators in CSV and tables', () => {
    const land = `03${r.str('0123456789', 8)}`;
    const land2 = `045${r.str('0123456789', 7)}`;
    expectMasked(`氏名,電話番号,メール\n田中,${land},\n佐藤,${land2},\n`, land, 'phone');
    expectMasked(`props.put("a", "b");\n氏名,電話番号,メール\n田中,${land2},\n佐藤,${land},\n`, land, 'phone');
    expectMasked(`| 名前 | TEL |\n| --- | --- |\n| 山田 | ${land2} |\n`, land2, 'phone');
    expectMasked(`name\tphone\nkenji\t${land}\n`, land, 'phone');
    expectUntouched(`id,amount,created\n1,${land},2026-01-01\n`);
    // a later table without a phone column, after a blank line
    const r2 = standard.maskText(`name,phone\nkenji,${land2}\n\nid,amount\n1,${land}\n`);
    assert.ok(r2.text.includes(land) && !r2.text.includes(land2), r2.text);
  });
});

describe('privacy rules: internationalised e-mail domains and UATP cards (issue 14 §7)', () => {
  it('an address under a punycode (IDN) top-level domain', () => {
    expectMasked('write to taro@xn--eckwd4c7c.xn--zckzah today', 'taro@xn--eckwd4c7c.xn--zckzah', 'email');
    expectMasked('a@xn--d1acufc.xn--p1ai', 'a@xn--d1acufc.xn--p1ai', 'email');
  });
  it('a UATP card (15 digits, issuer prefix 1, Luhn-valid); a Luhn-invalid one is not a card', () => {
    const uatp = `1${luhnComplete('2345678901234')}`;
    expectMasked(`card: ${uatp}`, uatp, 'credit_card');
    const bad = `${uatp.slice(0, 14)}${(Number(uatp[14]) + 1) % 10}`;
    expectUntouched(`card: ${bad}`);
  });
});

function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = `1${body}${d}`;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return `${body}${d}`;
  }
  throw new Error('unreachable');
}

describe('privacy rules: unquoted random values shaped like identifiers (issue 14 §7)', () => {
  const r = new Rng(23);
  const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
  it('a digit-rich random value with underscores or dots is a secret, not a variable name', () => {
    for (const v of [
      `${r.str(lower, 8)}_${r.str(lower, 5)}_${r.str(lower, 20)}`,
      `live_${r.str('0123456789abcdef', 40)}`,
      `sat.${r.str(lower, 22)}.${r.str(lower, 24)}.${r.str(lower, 20)}`,
    ])
      expectMasked(`SERVICE_TOKEN=${v}\n`, v, 'secret');
  });
  it('identifiers and code references stay untouched', () => {
    for (const text of [
      'password=db_pass',
      'token=self.config.api_token',
      'secret=settings.SECRET_KEY_V2',
      'api_key=os.environ.API_KEY_2024',
      'token=user_session_token_v2',
    ])
      expectUntouched(text);
  });
  it('curl -u / --user, an empty user name, a quoted password', () => {
    const pw = t.password();
    expectMasked(`curl -u ":${pw}" https://localhost:9200`, pw, 'basic_auth');
    expectMasked(`curl -s --user 'api:${pw}' https://api.example.net`, pw, 'basic_auth');
    expectMasked(`curl --user  deploy:${pw} https://api.example.net`, pw, 'basic_auth');
    expectMasked(`curl --user kevin:'${pw}' -X PATCH https://api.example.net`, pw, 'basic_auth');
  });
});

describe('privacy rules: Azure AD client secrets and long numeric tokens (issue 14 §7)', () => {
  const r = new Rng(31);
  it('an Entra ID (Azure AD) client secret, by its documented Q~ shape', () => {
    const s = `${r.str(ALNUM, 3)}8Q~${r.str(`${ALNUM}_~.-`, 31)}${r.str(ALNUM, 3)}`;
    expectMasked(`-ClientSecret '${s}'`, s, 'azure_ad_client_secret');
    expectMasked(`<value xsi:type="xsd:string">${s}</value>`, s, 'azure_ad_client_secret');
    expectUntouched('see docs: the secret looks like abc8Q~ followed by text');
  });
  it('a long all-digit value assigned to a token or secret name; ids and short numbers are not', () => {
    const d = r.str('0123456789', 24);
    expectMasked(`discord_token = "${d}"`, d, 'secret');
    expectMasked(`CLIENT_SECRET=${d}`, d, 'secret');
    for (const text of [`client_id = "${d}"`, 'token_count = 1234567890', 'max_tokens: 4096', `session = "${d}"`])
      expectUntouched(text);
  });
});

describe('privacy rules: Shopify secrets of the longer format, Bundler host credentials (issue 14 §7)', () => {
  const r = new Rng(41);
  it('Shopify tokens and app secrets are no longer only 32 hex digits', () => {
    for (const prefix of ['shpss_', 'shpat_', 'shpca_']) {
      const body = r.str(ALNUM, 32 + r.int(20));
      const res = standard.maskText(`x ${prefix}${body} y`);
      assert.ok(!res.text.includes(body) && res.text.endsWith(' y'), res.text);
    }
  });
  it("Bundler's credentials for a private gem host (BUNDLE_<HOST>=user:password)", () => {
    const pw = r.str(ALNUM, 16);
    expectMasked(`export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${r.str(HEX, 8)}:${pw}`, pw, 'password');
    expectMasked(`BUNDLE_GEMS__EXAMPLE__IO: "deploy:${pw}"`, pw, 'password');
    expectUntouched('BUNDLE_PATH=vendor/bundle BUNDLE_JOBS=4 BUNDLE_WITHOUT=development:test');
  });
});
