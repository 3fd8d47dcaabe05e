import assert from 'node:assert/strict';
import { shouldOfferRemask } from '../../../src/core/privacy/remaskOffer';

const rule = { id: 'acme', category: 'acme_token', keywords: ['acme_'], pattern: 'acme_[a-z0-9]{16}' };

describe('offering a re-mask after a privacy settings change', () => {
  it('offers when the level goes up or a rule is added or changed', () => {
    assert.equal(shouldOfferRemask({ level: 'standard', customRules: [] }, { level: 'strict', customRules: [] }), true);
    assert.equal(
      shouldOfferRemask({ level: 'minimal', customRules: [] }, { level: 'standard', customRules: [] }),
      true,
    );
    assert.equal(
      shouldOfferRemask({ level: 'standard', customRules: [] }, { level: 'standard', customRules: [rule] }),
      true,
    );
    const widened = { ...rule, pattern: 'acme_[a-z0-9]{8,16}' };
    assert.equal(
      shouldOfferRemask({ level: 'standard', customRules: [rule] }, { level: 'standard', customRules: [widened] }),
      true,
    );
  });

  it('does not offer when nothing can mask more', () => {
    assert.equal(
      shouldOfferRemask({ level: 'strict', customRules: [] }, { level: 'standard', customRules: [] }),
      false,
    );
    assert.equal(
      shouldOfferRemask({ level: 'standard', customRules: [rule] }, { level: 'standard', customRules: [] }),
      false,
    );
    assert.equal(
      shouldOfferRemask({ level: 'standard', customRules: [rule] }, { level: 'standard', customRules: [rule] }),
      false,
    );
  });
});
