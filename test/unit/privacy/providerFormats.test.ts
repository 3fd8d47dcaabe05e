import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { ALNUM, HEX, Rng, URLSAFE } from './tokens';

const guard = createPrivacyGuard({ hmacKey: 'unit-test-hmac-key-0123456789abcdef' });
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';

/** `secret` is covered by one finding of `category` and absent from the masked text. */
function expectMasked(text: string, secret: string, category: string) {
  const r = guard.maskText(text);
  assert.ok(!r.text.includes(secret), `secret leaked: ${r.text}`);
  const at = text.indexOf(secret);
  const f = r.findings.find((x) => x.start <= at && x.end >= at + secret.length);
  assert.ok(f, `no finding covering ${JSON.stringify(secret)} in ${JSON.stringify(text)}`);
  assert.equal(f.category, category, `category for ${secret}`);
}

function expectUntouched(text: string) {
  const r = guard.maskText(text);
  assert.deepEqual(
    r.findings.map((f) => text.slice(f.start, f.end)),
    [],
    `unexpected findings in ${JSON.stringify(text)}`,
  );
}

describe('privacy rules: documented provider formats without a rule before (issue 14 §7)', () => {
  const r = new Rng(77);
  /** A value in the usual places: an env line, a JSON field, a shell argument. */
  const places = (v: string) => [`TOKEN=${v}\n`, `{"value": "${v}"}`, `run --with ${v} now`];

  it('Perplexity API keys (pplx-)', () => {
    const k = `pplx-${r.str(ALNUM, 48)}`;
    for (const text of places(k)) expectMasked(text, k, 'perplexity_api_key');
    expectUntouched('the pplx-api package');
  });
  it('Heroku prefixed API keys (HRKU-)', () => {
    const k = `HRKU-${r.str(URLSAFE, 60)}`;
    for (const text of places(k)) expectMasked(text, k, 'heroku_api_key');
  });
  it('SettleMint personal, application and service access tokens, quoted or not', () => {
    for (const p of ['sm_pat_', 'sm_aat_', 'sm_sat_']) {
      const k = `${p}${r.str(LOWER_ALNUM, 16)}`;
      for (const text of places(k)) expectMasked(text, k, 'settlemint_token');
    }
    expectUntouched('sm_pat_ tokens are created in the console');
  });
  it('Adobe client secrets (p8e-)', () => {
    const k = `p8e-${r.str(ALNUM, 32)}`;
    for (const text of places(k)) expectMasked(text, k, 'adobe_client_secret');
  });
  it('42 intra API application secrets', () => {
    const k = `s-s4t2ud-${r.str(HEX, 64)}`;
    for (const text of places(k)) expectMasked(text, k, 'intra42_client_secret');
  });
  it('Cloudflare scannable tokens (cfk_, cfut_, cfat_)', () => {
    for (const p of ['cfk_', 'cfut_', 'cfat_']) {
      const k = `${p}${r.str(ALNUM, 40)}${r.str(HEX, 8)}`;
      expectMasked(`CLOUDFLARE_API_TOKEN=${k}`, k, 'cloudflare_token');
    }
  });
  it('Sourcegraph tokens of a local instance (sgp_local_)', () => {
    const k = `sgp_local_${r.str(HEX, 40)}`;
    for (const text of places(k)) expectMasked(text, k, 'sourcegraph_token');
  });
  it('1Password service-account tokens (ops_ + base64 JSON)', () => {
    const json = `{"email":"${r.str(LOWER_ALNUM, 13)}@1passwordserviceaccounts.lcl","muk":{"alg":"A256GCM","k":"${r.str(URLSAFE, 43)}"}}`;
    const k = `ops_${Buffer.from(json).toString('base64')}`;
    assert.ok(k.startsWith('ops_eyJ'));
    for (const text of places(k)) expectMasked(text, k, 'onepassword_token');
  });
  it('1Password Secret Keys (A3-…), with or without the first group dash', () => {
    const g = (n: number) => r.str(UPPER_ALNUM, n);
    const k = `A3-${g(6)}-${g(6)}-${g(5)}-${g(5)}-${g(5)}-${g(5)}`;
    for (const text of places(k)) expectMasked(text, k, 'onepassword_secret_key');
    const k2 = `A3-${g(6)}-${g(11)}-${g(5)}-${g(5)}-${g(5)}`;
    expectMasked(`secret key: ${k2}`, k2, 'onepassword_secret_key');
    expectUntouched('print on A3-size paper, part A3-100-200');
  });
  it('Meta (Facebook) user/page access tokens (EAA…) and app access tokens (app id|secret)', () => {
    const k = `EAA${r.str(ALNUM, 180)}`;
    for (const text of places(k)) expectMasked(text, k, 'facebook_token');
    const app = `${r.str('123456789', 1)}${r.str('0123456789', 15)}|${r.str(URLSAFE, 27)}`;
    for (const text of places(app)) expectMasked(text, app, 'facebook_token');
    expectUntouched('| 1234567890123456 | 12 | abcdefghijklmnopqrstuvwxyzabc |');
    expectUntouched('EAAAAAAAA and EAA-compliant');
  });
  it('Mailchimp API keys (32 hex digits, -us and the data centre)', () => {
    const k = `${r.str(HEX, 32)}-us${1 + r.int(20)}`;
    for (const text of places(k)) expectMasked(text, k, 'mailchimp_key');
    expectUntouched('Accept-Language: en-us, build 0123abcd-us');
  });
});
