import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { validateCustomRules } from '../../../src/core/privacy/validateCustomRules';

describe('validateCustomRules (settings)', () => {
  it('keeps good rules, reports each bad one by id, and the kept ones mask', () => {
    const good = { id: 'acme-token', category: 'acme_token', keywords: ['acme_'], pattern: 'acme_[A-Za-z0-9]{24}' };
    const r = validateCustomRules([
      good,
      { id: 'no-keyword', category: 'x', keywords: [], pattern: 'abc' },
      { id: 'redos', category: 'x', keywords: ['zz'], pattern: '(a+)+b' },
      { ...good },
    ]);
    assert.equal(r.valid.length, 1);
    assert.equal(r.errors.length, 3);
    assert.match(r.errors[0]!, /no-keyword.*keyword/);
    assert.match(r.errors[1]!, /redos.*unsafe/);
    assert.match(r.errors[2]!, /acme-token.*duplicate/);
    const secret = `acme_${'Zx9'.repeat(8)}`;
    const masked = createPrivacyGuard({ hmacKey: 'k'.repeat(32), customRules: r.valid }).maskText(
      `token ${secret} here`,
    );
    assert.ok(!masked.text.includes(secret));
    assert.equal(masked.findings[0]?.category, 'acme_token');
  });

  it('rejects what the linear engine (RE2) cannot run, with a message that says why', () => {
    const rule = (id: string, pattern: string) => ({ id, category: 'x', keywords: ['zz'], pattern });
    const r = validateCustomRules([
      rule('ahead', 'zz(?=[0-9]{4})'),
      rule('not-ahead', 'zz(?![0-9]{4})'),
      rule('behind', '(?<=id:)zz[0-9]{4}'),
      rule('backref', '(zz)[0-9]{1,4}\\1'),
      rule('named-backref', '(?<a>zz)\\k<a>'),
      rule('unicode-escape', 'zz\\u00e9'),
      rule('too-many', 'zz[0-9]{1,2000}'),
      rule('too-large', 'zz[a-z]{1,1000}[0-9]{1,1000}'),
      rule('code-point', 'zz\\x{e9}[0-9]{2}'),
    ]);
    assert.deepEqual(
      r.valid.map((v) => (v as { id: string }).id),
      ['code-point'],
    );
    assert.equal(r.errors.length, 8);
    assert.match(r.errors[0]!, /'ahead'.*lookahead and lookbehind .* not supported/);
    assert.match(r.errors[1]!, /'not-ahead'.*lookahead and lookbehind/);
    assert.match(r.errors[2]!, /'behind'.*lookahead and lookbehind/);
    assert.match(r.errors[3]!, /'backref'.*backreferences/);
    assert.match(r.errors[4]!, /'named-backref'.*backreferences/);
    assert.match(r.errors[5]!, /'unicode-escape'.*\\x\{XXXX\}/);
    assert.match(r.errors[6]!, /'too-many'.*exceeds 1000/);
    assert.match(r.errors[7]!, /'too-large'.*too large for the linear-time engine \(\d+ instructions, at most 2000\)/);
    const masked = createPrivacyGuard({ hmacKey: 'k'.repeat(32), customRules: r.valid }).maskText('id zzé42 end');
    assert.match(masked.text, /^id \[REDACTED:x:[0-9a-f]{8}\] end$/);
  });
});
