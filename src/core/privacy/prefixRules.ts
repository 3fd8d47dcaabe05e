/** More providers whose tokens start with a distinctive prefix (data table). */
import type { Rule } from './rule';
import { NB, re } from './ruleHelpers';
import { isPlaceholder, shannonEntropy } from './validators';

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

export const moreProviderRules: Rule[] = [
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
  // sgp_<instance id>_<40 hex>, or sgp_local_<40 hex> for a token that names no instance
  prefixRule(
    'sourcegraph-token',
    'sourcegraph_token',
    ['sgp_'],
    '(?:[A-Fa-f0-9]{16}_|local_)?[A-Fa-f0-9]{40}',
    /^sgp_(?:local_)?/,
  ),
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
  prefixRule('perplexity-api-key', 'perplexity_api_key', ['pplx-'], '[A-Za-z0-9]{40,64}', /^pplx-/),
  // Heroku's prefixed API keys (2024 on): HRKU- then a base64url body
  prefixRule('heroku-api-key', 'heroku_api_key', ['HRKU-'], '[A-Za-z0-9_-]{40,80}', /^HRKU-/),
  // SettleMint personal / application / service access tokens: sm_pat_ | sm_aat_ | sm_sat_ and 16 lowercase alnums
  prefixRule(
    'settlemint-token',
    'settlemint_token',
    ['sm_pat_', 'sm_aat_', 'sm_sat_'],
    '[a-z0-9]{16}(?![A-Za-z0-9])',
    /^sm_[a-z]at_/,
    40,
  ),
  // Adobe Developer Console OAuth client secrets
  prefixRule('adobe-client-secret', 'adobe_client_secret', ['p8e-'], '[A-Za-z0-9_-]{32}(?![A-Za-z0-9])', /^p8e-/, 40),
  // 42 (intra.42.fr) API application secrets: s-s4t2ud- (or s-s4t2af-) then 64 hex digits
  prefixRule(
    'intra42-client-secret',
    'intra42_client_secret',
    ['s-s4t2ud-', 's-s4t2af-'],
    '[a-f0-9]{64}',
    /^s-s4t2[a-z]{2}-/,
    80,
  ),
  // Cloudflare's scannable credentials: cfk_ (global key), cfut_ (user token), cfat_ (account token), 40 chars + checksum
  prefixRule(
    'cloudflare-token',
    'cloudflare_token',
    ['cfk_', 'cfut_', 'cfat_'],
    '[A-Za-z0-9]{40}[a-f0-9]{8}(?![A-Za-z0-9])',
    /^cf[ua]?[kt]_/,
    60,
  ),
  // 1Password service-account tokens: ops_ then base64 JSON ({"email":…,"muk":…})
  prefixRule(
    'onepassword-service-token',
    'onepassword_token',
    ['ops_eyJ'],
    '[A-Za-z0-9+/]{100,4000}={0,3}',
    /^ops_/,
    4100,
  ),
];
