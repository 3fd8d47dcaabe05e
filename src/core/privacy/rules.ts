/**
 * Built-in rules. Each regex uses bounded quantifiers only and runs only in a window around a hit of one of
 * its keywords (see scanner.ts). Token literals in tests and the corpus are assembled at runtime.
 */
import type { MatchContext, Rule } from './rule';
import {
  charClasses,
  digitsOf,
  githubChecksumValid,
  isCreditCard,
  isJwt,
  isPhone,
  isPlaceholder,
  isPrivateIPv4,
  isUlaIPv6,
  jwtCategory,
  looksLikeCodeReference,
  looksRandom,
  myNumberValid,
  shannonEntropy,
  toHalfWidth,
} from './validators';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/**
 * Left boundary that is aware of JSON escapes: not preceded by a character of `cls` — except one that is itself
 * escaped (the `n` of `\\n`) — and not directly after a backslash.
 */
const lb = (cls: string): string => `(?<!(?<!\\\\)[${cls}])(?<!\\\\)`;
/** Boundary: not preceded by a token character. */
const NB = lb('A-Za-z0-9_-');

const notPlaceholder = (v: string): boolean => !isPlaceholder(v);
const randomish =
  (minLen: number, minEntropy: number) =>
  (v: string): boolean =>
    looksRandom(v, minLen, minEntropy);

function re(src: string, flags = ''): RegExp {
  return new RegExp(src, flags);
}

// ---------------------------------------------------------------- provider keys and tokens
const providerRules: Rule[] = [
  {
    // Microsoft Entra ID (Azure AD) client secrets: three characters, a digit, 'Q~', then 31-34 more
    id: 'azure-ad-client-secret',
    category: 'azure_ad_client_secret',
    kind: 'credential',
    keywords: ['q~'],
    pattern: re(`(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`),
    before: 4,
    after: 40,
    back: 'A-Za-z0-9_~.-',
    backMin: 4,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && shannonEntropy(v) >= 3.5,
  },
  {
    id: 'anthropic-admin-key',
    category: 'anthropic_admin_key',
    kind: 'credential',
    keywords: ['sk-ant-admin'],
    pattern: re(`${NB}sk-ant-admin\\d{2}-[A-Za-z0-9_-]{20,300}`),
    before: 0,
    after: 320,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^sk-ant-admin\d{2}-/,
  },
  {
    id: 'anthropic-oauth-token',
    category: 'anthropic_oauth_token',
    kind: 'credential',
    keywords: ['sk-ant-oat', 'sk-ant-ort'],
    pattern: re(`${NB}sk-ant-o[ar]t\\d{2}-[A-Za-z0-9_-]{20,300}`),
    before: 0,
    after: 320,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^sk-ant-o[ar]t\d{2}-/,
  },
  {
    id: 'anthropic-api-key',
    category: 'anthropic_api_key',
    kind: 'credential',
    keywords: ['sk-ant-'],
    pattern: re(`${NB}sk-ant-(?!admin|oat|ort)[a-z]{2,8}\\d{2}-[A-Za-z0-9_-]{20,300}`),
    before: 0,
    after: 320,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^sk-ant-[a-z]{2,8}\d{2}-/,
  },
  {
    id: 'openai-project-key',
    category: 'openai_api_key',
    kind: 'credential',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-none-'],
    pattern: re(`${NB}sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,300}`),
    before: 0,
    after: 320,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^sk-[A-Za-z]+-/,
  },
  {
    id: 'openai-legacy-key',
    category: 'openai_api_key',
    kind: 'credential',
    keywords: ['t3blbkfj'],
    pattern: re(`${NB}sk-(?:[A-Za-z0-9_-]{1,40}-)?[A-Za-z0-9_-]{16,150}T3BlbkFJ[A-Za-z0-9_-]{16,150}`),
    before: 200,
    after: 160,
    back: 'A-Za-z0-9_-',
    level: 'minimal',
    keepPrefix: /^sk-(?:proj-|svcacct-|admin-)?/,
  },
  {
    id: 'openrouter-key',
    category: 'openrouter_api_key',
    kind: 'credential',
    keywords: ['sk-or-'],
    pattern: re(`${NB}sk-or-v\\d-[a-f0-9]{48,80}`),
    before: 0,
    after: 100,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^sk-or-v\d-/,
  },
  {
    id: 'generic-sk-key',
    category: 'api_key',
    kind: 'credential',
    keywords: ['sk-'],
    pattern: re(`${NB}sk-[A-Za-z0-9]{32,200}(?![A-Za-z0-9_-])`),
    before: 0,
    after: 210,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: randomish(32, 3.2),
    keepPrefix: /^sk-/,
  },
  {
    id: 'github-classic-token',
    category: 'github_token',
    kind: 'credential',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: re(`${lb('A-Za-z0-9_')}gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9])`),
    before: 0,
    after: 260,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    // New-format tokens carry a CRC32 checksum. A token whose checksum does not verify is still masked unless it
    // is placeholder-shaped: 'ghp_' + 36 alphanumerics is never anything else, and hand-made fake tokens in
    // tests and fixtures are exactly what a user would not want to see synced either.
    validator: (v) => githubChecksumValid(v) || (!isPlaceholder(v.slice(4)) && shannonEntropy(v.slice(4)) >= 3.0),
    keepPrefix: /^gh[a-z]_/,
  },
  {
    id: 'github-fine-grained-pat',
    category: 'github_token',
    kind: 'credential',
    keywords: ['github_pat_'],
    pattern: re(`github_pat_[A-Za-z0-9_]{50,255}`),
    before: 0,
    after: 270,
    level: 'minimal',
    keepPrefix: /^github_pat_/,
  },
  {
    id: 'gitlab-token',
    category: 'gitlab_token',
    kind: 'credential',
    keywords: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glptt-',
      'glcbt-',
      'gloas-',
      'glimt-',
      'glagent-',
      'glsoat-',
      'glffct-',
      'glft-',
      'glwt-',
      'gr1348941',
    ],
    pattern: re(
      `${NB}(?:(?:glpat|gldt|glrt|glptt|glcbt|gloas|glimt|glagent|glsoat|glffct|glft|glwt)-[A-Za-z0-9_.-]{20,300}|GR1348941[A-Za-z0-9_-]{20,64})`,
    ),
    before: 0,
    after: 320,
    wordStart: true,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.slice(v.indexOf('-') + 1)),
    keepPrefix: /^(?:gl[a-z]+-|GR1348941)/,
  },
  {
    id: 'aws-access-key-id',
    category: 'aws_access_key_id',
    kind: 'credential',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: re(`${lb('A-Za-z0-9')}(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])`),
    before: 0,
    after: 24,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => !/EXAMPLE|XXXX/.test(v),
    keepPrefix: /^A[A-Z0-9]{3}/,
  },
  {
    id: 'aws-secret-access-key',
    category: 'aws_secret_access_key',
    kind: 'credential',
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret', 'secret_key'],
    pattern: re(
      `${lb('A-Za-z0-9_-')}[A-Za-z0-9_-]{0,30}?secret[_-]?(?:access[_-]?)?key(?:[_-]?id)?\\\\{0,7}["']?[ \\t]{0,5}(?:=|:|=>)[ \\t]{0,5}\\\\{0,7}["']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`,
      'i',
    ),
    before: 32,
    back: 'A-Za-z0-9_-',
    after: 110,
    level: 'minimal',
    validator: (v) => !/EXAMPLE/.test(v) && looksRandom(v, 40, 3.5),
  },
  {
    id: 'aws-secret-after-key-id',
    category: 'aws_secret_access_key',
    kind: 'credential',
    keywords: ['akia', 'asia'],
    pattern: re(
      `${lb('A-Za-z0-9')}(?:AKIA|ASIA)[A-Z2-7]{16}[,;\\t |:="']{1,5}(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`,
    ),
    before: 0,
    after: 70,
    wordStart: true,
    level: 'minimal',
    validator: (v) => !/EXAMPLE/.test(v) && looksRandom(v, 40, 3.5),
  },
  {
    id: 'google-api-key',
    category: 'google_api_key',
    kind: 'credential',
    keywords: ['aiza'],
    pattern: re(`${lb('A-Za-z0-9_-')}AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])`),
    before: 0,
    after: 40,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.slice(4)),
    keepPrefix: /^AIza/,
  },
  {
    id: 'google-oauth-client-secret',
    category: 'google_oauth_secret',
    kind: 'credential',
    keywords: ['gocspx-'],
    pattern: re(`GOCSPX-[A-Za-z0-9_-]{24,40}`),
    before: 0,
    after: 50,
    level: 'minimal',
    keepPrefix: /^GOCSPX-/,
  },
  {
    id: 'google-oauth-token',
    category: 'google_oauth_token',
    kind: 'credential',
    keywords: ['ya29.', '1//0'],
    pattern: re(`(?:ya29\\.[A-Za-z0-9_-]{20,2048}|${lb('A-Za-z0-9/')}1//0[A-Za-z0-9_-]{40,512})`),
    before: 0,
    after: 2060,
    level: 'minimal',
    keepPrefix: /^(?:ya29\.|1\/\/0)/,
  },
  {
    id: 'stripe-secret-key',
    category: 'stripe_key',
    kind: 'credential',
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    pattern: re(`${NB}[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}`),
    before: 0,
    after: 260,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.slice(8)),
    keepPrefix: /^[sr]k_[a-z]+_/,
  },
  {
    id: 'stripe-webhook-secret',
    category: 'stripe_webhook_secret',
    kind: 'credential',
    keywords: ['whsec_'],
    pattern: re(`whsec_[A-Za-z0-9+/=]{24,128}`),
    before: 0,
    after: 140,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.slice(6)),
    keepPrefix: /^whsec_/,
  },
  {
    id: 'slack-token',
    category: 'slack_token',
    kind: 'credential',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe-', 'xoxe.', 'xapp-'],
    pattern: re(`${NB}(?:xox[abposre]-|xoxe\\.xox[bp]-\\d-|xapp-\\d-)[A-Za-z0-9-]{10,250}`),
    before: 0,
    after: 270,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.slice(5)) && /\d/.test(v.slice(5)),
    keepPrefix: /^(?:xoxe\.xox[a-z]-\d-|xox[a-z]-|xapp-\d-)/,
  },
  {
    id: 'slack-webhook',
    category: 'slack_webhook',
    kind: 'credential',
    keywords: ['hooks.slack.com/'],
    pattern: re(`https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,250}`),
    before: 8,
    after: 300,
    back: 'a-zA-Z:/',
    level: 'minimal',
    validator: (v) => !/X{4,}|x{4,}/.test(v),
    keepPrefix: /^https?:\/\/hooks\.slack\.com\/[a-z]+\//,
  },
  {
    id: 'supabase-access-token',
    category: 'supabase_token',
    kind: 'credential',
    keywords: ['sbp_', 'sb_secret_'],
    pattern: re(`${NB}(?:sbp_(?:v\\d_)?[A-Za-z0-9]{40,80}|sb_secret_[A-Za-z0-9_-]{20,128})`),
    before: 0,
    after: 150,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^(?:sbp_(?:v\d_)?|sb_secret_)/,
  },
  {
    id: 'npm-token',
    category: 'npm_token',
    kind: 'credential',
    keywords: ['npm_'],
    pattern: re(`${lb('A-Za-z0-9_')}npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`),
    before: 0,
    after: 44,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => githubChecksumValid(v) || (!isPlaceholder(v.slice(4)) && shannonEntropy(v.slice(4)) >= 3.0),
    keepPrefix: /^npm_/,
  },
  {
    id: 'npmrc-auth-token',
    category: 'npm_token',
    kind: 'credential',
    keywords: ['_authtoken', '_auth=', '_password='],
    pattern: re(
      `(?<=[:\\n]|^)(?:_authToken|_auth|_password)[ \\t]{0,3}=[ \\t]{0,3}["']?(?<s>[^\\s"'$\\\\]{8,512})`,
      'i',
    ),
    before: 0,
    after: 540,
    level: 'minimal',
    validator: notPlaceholder,
  },
  {
    id: 'huggingface-token',
    category: 'huggingface_token',
    kind: 'credential',
    keywords: ['hf_', 'api_org_'],
    pattern: re(`${lb('A-Za-z0-9_')}(?:hf_[A-Za-z0-9]{30,40}|api_org_[A-Za-z0-9]{30,40})(?![A-Za-z0-9_])`),
    before: 0,
    after: 60,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => looksRandom(v.slice(v.lastIndexOf('_') + 1), 30, 3.5),
    keepPrefix: /^(?:hf_|api_org_)/,
  },
  {
    id: 'sendgrid-key',
    category: 'sendgrid_key',
    kind: 'credential',
    keywords: ['sg.'],
    pattern: re(`${lb('A-Za-z0-9_.-')}SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{30,64}`),
    before: 0,
    after: 100,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^SG\./,
  },
  {
    id: 'telegram-bot-token',
    category: 'telegram_bot_token',
    kind: 'credential',
    keywords: [':aa'],
    // also inside Bot API URLs: https://api.telegram.org/bot<token>/getMe
    pattern: re(`(?:(?<=bot)|${lb('0-9A-Za-z')})\\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])`),
    before: 11,
    after: 40,
    back: '0-9',
    backMin: 8,
    level: 'minimal',
  },
  {
    id: 'azure-storage-key',
    category: 'azure_key',
    kind: 'credential',
    keywords: ['accountkey=', 'sharedaccesskey=', '?sig=', '&sig=', ';sig='],
    pattern: re(
      `(?:AccountKey=(?<s>[A-Za-z0-9+/]{86}==)|SharedAccessKey=(?<s1>[A-Za-z0-9+/]{40,88}={0,2})|[?&;]sig=(?<s2>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2}))`,
      'i',
    ),
    before: 0,
    after: 140,
    level: 'minimal',
  },
  {
    id: 'jwt',
    category: 'jwt',
    kind: 'credential',
    keywords: ['eyj'],
    pattern: re(`${NB}eyJ[A-Za-z0-9_-]{5,4096}\\.ey[A-Za-z0-9_-]{2,16384}\\.[A-Za-z0-9_-]{0,2048}(?![A-Za-z0-9_-])`),
    before: 0,
    after: 22600,
    wordStart: true,
    pureValidator: true,
    level: 'minimal',
    validator: (v) => (isJwt(v) ? (jwtCategory(v) ?? true) : false),
  },
  {
    id: 'bearer-token',
    category: 'bearer_token',
    kind: 'credential',
    keywords: ['bearer'],
    pattern: re(`${lb('A-Za-z0-9')}[Bb]earer[ \\t]{1,5}(?<s>[A-Za-z0-9._~+/-]{12,4096}={0,2})`),
    before: 0,
    after: 4120,
    wordStart: true,
    level: 'minimal',
    validator: (v) =>
      !isPlaceholder(v) && (charClasses(v) >= 2 || v.length >= 24) && !/^[a-z]+(?:[._-][a-z]+)*$/.test(v),
  },
  {
    id: 'authorization-header',
    category: 'auth_header',
    kind: 'credential',
    keywords: ['authorization'],
    pattern: re(
      `authorization\\\\{0,7}["']?[ \\t]{0,3}[:=][ \\t]{0,3}\\\\{0,7}["']?(?:(?:Basic|Token|Bot|Digest|ApiKey|Key|SSWS|Bearer)[ \\t]{1,3})?(?<s>[A-Za-z0-9._~+/=:,-]{12,4096})`,
      'i',
    ),
    before: 0,
    after: 4140,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && charClasses(v) >= 2 && !looksLikeCodeReference(v),
  },
  {
    id: 'api-key-header',
    category: 'api_key',
    kind: 'credential',
    keywords: [
      'x-api-key',
      'api-key',
      'x-auth-token',
      'apikey',
      'x-access-token',
      'private-token',
      'x-vault-token',
      'x-functions-key',
    ],
    pattern: re(
      `(?:x-api-key|x-goog-api-key|api-key|x-auth-token|x-apikey|apikey|x-access-token|private-token|x-vault-token|x-functions-key)\\\\{0,7}["']?[ \\t]{0,3}:[ \\t]{0,3}\\\\{0,7}["']?(?<s>[A-Za-z0-9._~+/=-]{12,1024})`,
      'i',
    ),
    before: 16,
    after: 1060,
    back: 'A-Za-z-',
    level: 'minimal',
    validator: (v) => !isPlaceholder(v) && charClasses(v) >= 2 && !looksLikeCodeReference(v),
  },
];

// ---------------------------------------------------------------- more providers: distinctive prefixes, data only
function prefixRule(
  id: string,
  category: string,
  prefixes: string[],
  body: string,
  keepPrefix: RegExp,
  maxLen = 200,
): Rule {
  const alt = prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return {
    id,
    category,
    kind: 'credential',
    keywords: prefixes.map((p) => p.toLowerCase()),
    pattern: re(`${NB}(?:${alt})${body}`),
    before: 0,
    after: maxLen,
    wordStart: true,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.replace(keepPrefix, '')) && shannonEntropy(v.replace(keepPrefix, '')) >= 3.0,
    keepPrefix,
  };
}

const moreProviderRules: Rule[] = [
  prefixRule(
    'shopify-token',
    'shopify_token',
    ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    '[A-Za-z0-9]{32,64}', // 32 hex digits at first; app secrets are longer alphanumerics since 2024
    /^shp[a-z]{2}_/,
  ),
  prefixRule(
    'digitalocean-token',
    'digitalocean_token',
    ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    '[a-f0-9]{64}',
    /^do[a-z]_v1_/,
  ),
  prefixRule('linear-api-key', 'linear_api_key', ['lin_api_'], '[A-Za-z0-9]{40}', /^lin_api_/),
  prefixRule('notion-token', 'notion_token', ['ntn_'], '[A-Za-z0-9]{40,50}', /^ntn_/),
  prefixRule(
    'doppler-token',
    'doppler_token',
    ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
    '[A-Za-z0-9]{40,44}',
    /^dp\.[a-z]{2}\./,
  ),
  prefixRule('databricks-token', 'databricks_token', ['dapi'], '[a-f0-9]{32}(?:-\\d)?', /^dapi/),
  prefixRule('postman-key', 'postman_api_key', ['PMAK-'], '[a-f0-9]{24}-[a-f0-9]{34}', /^PMAK-/),
  prefixRule(
    'pypi-token',
    'pypi_token',
    ['pypi-AgEIcHlwaS5vcmc'],
    '[A-Za-z0-9_-]{50,200}',
    /^pypi-AgEIcHlwaS5vcmc/,
    240,
  ),
  prefixRule('dockerhub-pat', 'dockerhub_token', ['dckr_pat_'], '[A-Za-z0-9_-]{27,40}', /^dckr_pat_/),
  prefixRule('grafana-token', 'grafana_token', ['glsa_', 'glc_'], '[A-Za-z0-9_+/=-]{32,200}', /^gl(?:sa|c)_/, 220),
  prefixRule('newrelic-key', 'newrelic_key', ['NRAK-', 'NRII-'], '[A-Z0-9]{27,32}', /^NR(?:AK|II)-/),
  prefixRule('sentry-token', 'sentry_token', ['sntrys_', 'sntryu_'], '[A-Za-z0-9_+/=]{40,200}', /^sntry[su]_/, 220),
  prefixRule('square-token', 'square_token', ['sq0atp-', 'sq0csp-'], '[A-Za-z0-9_-]{22,43}', /^sq0[a-z]{3}-/),
  prefixRule('figma-token', 'figma_token', ['figd_'], '[A-Za-z0-9_-]{40,44}', /^figd_/),
  prefixRule(
    'age-secret-key',
    'private_key',
    ['AGE-SECRET-KEY-1'],
    '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    /^AGE-SECRET-KEY-1/,
  ),
  prefixRule('twilio-api-key', 'twilio_key', ['SK'], '[0-9a-f]{32}(?![A-Za-z0-9])', /^SK/, 40),
  prefixRule('mailgun-key', 'mailgun_key', ['key-'], '[0-9a-z]{32}(?![A-Za-z0-9])', /^key-/, 40),
  // framework secret keys and provider tokens whose documented formats start with a fixed prefix
  prefixRule(
    'django-secret-key',
    'django_secret_key',
    ['django-insecure-'],
    '[a-z0-9!@#$%^&*(\\-_=+)]{40,60}',
    /^django-insecure-/,
    80,
  ),
  prefixRule('vault-token', 'vault_token', ['hvs.', 'hvb.', 'hvr.'], '[A-Za-z0-9_-]{24,400}', /^hv[sbr]\./, 420),
  prefixRule('groq-api-key', 'groq_api_key', ['gsk_'], '[A-Za-z0-9]{48,56}', /^gsk_/),
  prefixRule(
    'tailscale-key',
    'tailscale_key',
    ['tskey-'],
    '[a-z]{2,10}-[A-Za-z0-9]{6,24}-[A-Za-z0-9]{16,48}',
    /^tskey-[a-z]+-/,
  ),
  prefixRule(
    'vercel-token',
    'vercel_token',
    ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
    '[A-Za-z0-9]{24,80}',
    /^vc[a-z]_/,
  ),
  prefixRule('pulumi-token', 'pulumi_token', ['pul-'], '[a-f0-9]{40}', /^pul-/),
  prefixRule('prefect-key', 'prefect_key', ['pnu_', 'pnb_'], '[A-Za-z0-9]{36}', /^pn[ub]_/),
  prefixRule('sourcegraph-token', 'sourcegraph_token', ['sgp_'], '(?:[A-Fa-f0-9]{16}_)?[A-Fa-f0-9]{40}', /^sgp_/),
  prefixRule(
    'flyio-token',
    'flyio_token',
    ['fo1_', 'fm1r_', 'fm1a_', 'fm2_'],
    '[A-Za-z0-9_-]{40,800}',
    /^f[om][12][ra]?_/,
    820,
  ),
  prefixRule('openshift-token', 'openshift_token', ['sha256~'], '[A-Za-z0-9_-]{43}', /^sha256~/),
  prefixRule('easypost-key', 'easypost_key', ['EZAK', 'EZTK'], '[A-Za-z0-9]{54}', /^EZ[AT]K/),
  prefixRule('readme-key', 'readme_key', ['rdme_'], '[a-z0-9]{70}', /^rdme_/),
];

// ---------------------------------------------------------------- private keys
/** Base64 lines, RFC 1421 headers, escaped newlines; a '-' only when not the start of a '-----' marker (keeps attempts linear). */
const PEM_BODY = `(?:[A-Za-z0-9+/=:,. \\t\\r\\n]|\\\\{1,8}[rnt]|-(?!----))`;
const privateKeyRules: Rule[] = [
  {
    id: 'pem-private-key',
    category: 'private_key',
    kind: 'credential',
    keywords: ['-----begin'],
    pattern: re(
      `-----BEGIN (?<kind>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |ED25519 |SSH2 )?PRIVATE KEY(?: BLOCK)?)-----${PEM_BODY}{16,16384}?-----END \\k<kind>-----`,
    ),
    before: 0,
    after: 16500,
    level: 'minimal',
    keepPrefix: /^-----BEGIN [A-Z0-9 ]{0,40}-----/,
  },
  {
    // A key cut short (tool output truncated, JSON split): mask from BEGIN to the end of the base64 run.
    id: 'pem-private-key-truncated',
    category: 'private_key',
    kind: 'credential',
    keywords: ['-----begin'],
    pattern: re(
      `-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |ED25519 |SSH2 )?PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\\r\\n]|\\\\{1,8}[rn]|[A-Za-z-]{1,20}: [^\\r\\n\\\\]{1,100}){16,16384}`,
    ),
    before: 0,
    after: 16500,
    level: 'minimal',
    keepPrefix: /^-----BEGIN [A-Z0-9 ]{0,40}-----/,
  },
  {
    id: 'putty-private-key',
    category: 'private_key',
    kind: 'credential',
    keywords: ['private-lines:'],
    pattern: re(
      `Private-Lines: \\d{1,3}(?:\\r?\\n|\\\\r?\\\\n)(?<s>(?:[A-Za-z0-9+/=]{1,64}(?:\\r?\\n|\\\\r?\\\\n)){1,64})`,
    ),
    before: 0,
    after: 4600,
    level: 'minimal',
  },
];

// ---------------------------------------------------------------- credentials in URLs, connection strings, assignments
const DB_SCHEME =
  /^(?:postgres|postgresql|mysql|mariadb|mongodb|redis|rediss|amqp|amqps|mssql|sqlserver|clickhouse|cockroachdb|oracle|db2|couchdb|neo4j|memcached|cassandra|jdbc)/i;

function urlCredentialValidator(v: string, ctx: MatchContext): boolean | string {
  if (isPlaceholder(v) || /^\$|^\{|^<|^%\(/.test(v)) return false;
  if (/^\*+$|^x+$/i.test(v)) return false;
  const scheme = ctx.groups.scheme ?? '';
  return DB_SCHEME.test(scheme) ? 'connection_string' : 'url_password';
}

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
function uuidNamed(name: string): boolean {
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

const assignmentRules: Rule[] = [
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

// ---------------------------------------------------------------- personal data
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

const D = '[0-9０-９]';
const PSEP = '[ \\t().\\-‐－―−ー（）]';
const piiRules: Rule[] = [
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
      `${lb('\\w+/=.:#$\\-')}(?:1[ .\\-])?(?:\\([2-9]\\d{2}\\)[ \\t]?|[2-9]\\d{2}[ .\\-])[2-9]\\d{2}[ .\\-]\\d{4}(?![\\w\\-]|[.:]\\d)`,
    ),
    before: 8,
    after: 20,
    window: true,
    minDigits: 10,
    level: 'standard',
    validator: (v) => {
      const seps = v
        .replace(/^1[ .-]/, '')
        .replace(/\(\d{3}\) ?/, '-')
        .replace(/\d/g, '');
      return isPhone(v.replace(/^1[ .-]/, '')) && (seps.length === 2 ? seps[0] === seps[1] || seps[0] === '-' : true);
    },
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

// ---------------------------------------------------------------- strict: bare high-entropy strings
const highEntropyRule: Rule = {
  id: 'high-entropy-string',
  category: 'high_entropy',
  kind: 'credential',
  keywords: [],
  fullScan: true,
  pattern: re(`${lb('A-Za-z0-9+/_=-')}[A-Za-z0-9+/_-]{32,512}={0,2}(?![A-Za-z0-9+/_=-])`),
  before: 0,
  after: 0,
  level: 'strict',
  validator: (v, ctx) => {
    if (/^[0-9a-f]+$/i.test(v)) return false; // hex digests, git SHAs
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(v)) return false;
    const head = ctx.text.slice(Math.max(0, ctx.start - 12), ctx.start);
    if (/(?:sha\d{1,3}-|base64,|md5-)$/i.test(head)) return false; // npm integrity, data: URLs
    if (/\//.test(v) && /^[A-Za-z0-9._-]*(?:\/[A-Za-z0-9._-]+){2,}$/.test(v) && !/\+/.test(v)) return false; // paths
    if (charClasses(v) < 3) return false;
    return shannonEntropy(v) >= 4.2 && looksRandom(v, 32, 4.2);
  },
};

export const BUILTIN_RULES: readonly Rule[] = [
  ...providerRules,
  ...moreProviderRules,
  ...privateKeyRules,
  ...assignmentRules,
  ...piiRules,
  highEntropyRule,
];

/** Category → kind, for reports and scoring. */
export function categoryKind(category: string): 'credential' | 'pii' {
  return ['email', 'phone', 'credit_card', 'ip_address', 'my_number', 'username'].includes(category)
    ? 'pii'
    : 'credential';
}
