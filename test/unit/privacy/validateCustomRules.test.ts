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
});
