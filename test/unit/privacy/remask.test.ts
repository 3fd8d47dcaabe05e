import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { tagSpans } from '../../../src/core/privacy/tags';
import { makeTokens, Rng } from './tokens';

const KEY = 'unit-test-hmac-key-0123456789abcdef';
const t = makeTokens(new Rng(11));
/** A company token format no built-in rule knows. */
const ZQX_RULE = { id: 'zqx', category: 'zqx_token', keywords: ['zqx9-'], pattern: 'zqx9-[A-Za-z0-9]{20}' };
const planted = 'zqx9-Hk3mP8vQ2wL7nR4tY6uB';

describe('privacy guard: re-masking stored text', () => {
  const before = createPrivacyGuard({ hmacKey: KEY });
  const after = createPrivacyGuard({ hmacKey: KEY, customRules: [ZQX_RULE] });

  it('masks what a new rule finds with the tag ingest would give it, and keeps the tags already there', () => {
    const gh = t.githubClassic();
    const raw = `deploy with ${gh} and ${planted}, then ${planted} again`;
    const stored = before.maskText(raw).text;
    assert.ok(stored.includes(planted), 'no built-in rule finds the planted format');
    assert.ok(!stored.includes(gh));
    const r = after.remaskText(stored);
    assert.equal(r.text, after.maskText(raw).text, 'the same text as an ingest under the new rule');
    assert.deepEqual(
      r.findings.map((f) => f.category),
      ['zqx_token', 'zqx_token'],
    );
    assert.ok(r.text.includes(`[REDACTED:zqx_token:${after.tag(planted)}]`), 'same secret, same tag');
    const oldTags = tagSpans(stored).map(([s, e]) => stored.slice(s, e));
    const newTags = tagSpans(r.text).map(([s, e]) => r.text.slice(s, e));
    for (const tag of oldTags) assert.ok(newTags.includes(tag), `${tag} kept`);
  });

  it('changes nothing in text the current rules already masked (idempotent), at every level', () => {
    const raw = `token ${t.githubClassic()} mail dev@example.com key ${planted} ${t.stripeTest()}`;
    const once = after.remaskText(before.maskText(raw).text);
    for (const level of ['minimal', 'standard', 'strict'] as const) {
      const g = createPrivacyGuard({ hmacKey: KEY, level, customRules: [ZQX_RULE] });
      const again = g.remaskText(once.text);
      assert.equal(again.text, once.text, level);
      assert.equal(again.findings.length, 0, level);
    }
  });

  it('finds a secret written right next to a tag without re-masking the tag', () => {
    const stored = before.maskText(`pw ${t.githubClassic()}`).text;
    const glued = `${stored}:${planted}`;
    const r = after.remaskText(glued);
    assert.ok(r.text.startsWith(stored), 'the tag is untouched');
    assert.ok(!r.text.includes(planted));
  });

  it('re-masks JSON values, keys kept, and leaves key-aware tags alone', () => {
    const input = { command: `curl -H "X: ${planted}"`, password: 'hunter2hunter2', n: 1.0, nested: [{ x: planted }] };
    const stored = JSON.stringify(before.maskJson(input).value);
    assert.ok(stored.includes(planted));
    const r = after.remaskJson(stored);
    assert.equal(r.text, JSON.stringify(after.maskJson(input).value));
    assert.deepEqual(r.counts, { zqx_token: 2 });
    const again = after.remaskJson(r.text);
    assert.equal(again.text, r.text);
    assert.deepEqual(again.counts, {});
    const plain = '{"a": 1.50}';
    assert.equal(after.remaskJson(plain).text, plain, 'unchanged JSON keeps its bytes');
  });
});
