import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { Rng } from './tokens';

const guard = createPrivacyGuard({ hmacKey: 'unit-test-hmac-key-0123456789abcdef' });

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

describe('privacy rules: phone numbers the independent set showed missing (issue 14 §7)', () => {
  const r = new Rng(78);
  const nanp = () =>
    `${2 + r.int(8)}${r.str('0123456789', 2)}-${2 + r.int(8)}${r.str('0123456789', 2)}-${r.str('0123456789', 4)}`;
  it('a North American number glued to the word before it', () => {
    const n = nanp();
    expectMasked(`call me at${n} tonight`, n, 'phone');
    expectUntouched(`build-${n.replace(/-/g, '')}`);
  });
  it('a country code without + before a fully separated number', () => {
    const n = `91-${nanp()}`;
    expectMasked(`reach the office on ${n}.`, n, 'phone');
    expectUntouched('versions 2-415-555 and 10.4.2');
  });
  it('a China mobile number without +86 after a phone word, and not alone', () => {
    const n = `1${3 + r.int(7)}${r.str('0123456789', 9)}`;
    for (const text of [`手机：${n}`, `my mobile number is ${n}`, `Tel ${n}`]) expectMasked(text, n, 'phone');
    for (const text of [`order ${n} shipped`, `"id": ${n}`, `timestamp=${n}`]) expectUntouched(text);
  });
});

describe('privacy rules: random letters-only secrets with few vowels (own corpus, seed 2)', () => {
  it('a 24-letter mixed-case value named as a secret is masked; camelCase names stay', () => {
    const v = ['zsRtrMghz', 'YwgbMUFmI', 'evvebJ'].join('');
    expectMasked(`<client_secret>\n    ${v}\n</client_secret>`, v, 'secret');
    expectMasked(`client_secret = "${v}"`, v, 'secret');
    for (const text of [
      'client_secret = getClientSecretFromVaultStore',
      'token: XMLHttpRequestTokenProvider',
      'secret = "ThisIsMyVerySecretPassphrase"',
    ])
      expectUntouched(text);
  });
});
