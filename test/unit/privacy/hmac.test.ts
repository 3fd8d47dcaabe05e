import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { createHmacTagger } from '../../../src/core/privacy/hmac';

describe('privacy guard: HMAC tag', () => {
  it('equals node:crypto createHmac(sha256) for every length, key size and UTF-8 form', () => {
    const pieces = ['a', 'Z', '9', '-', 'é', 'パ', '😀', '\ud800', '\udc00', '\u0000', '«'];
    for (const keyLen of [16, 32, 55, 64, 65, 200]) {
      const key = Buffer.alloc(keyLen);
      for (let i = 0; i < keyLen; i++) key[i] = (i * 37 + keyLen) & 255;
      const tag = createHmacTagger(key);
      for (let len = 0; len < 200; len++) {
        let v = '';
        for (let i = 0; i < len; i++) v += pieces[(i * 7 + len) % (len % 3 === 0 ? 4 : pieces.length)]!;
        assert.equal(
          tag(v),
          createHmac('sha256', key).update(v, 'utf8').digest('hex').slice(0, 8),
          `key ${keyLen}, value ${JSON.stringify(v)}`,
        );
      }
    }
  });

  it('the guard tags with the string key as UTF-8 bytes', () => {
    const key = 'unit-test-hmac-key-0123456789abcdef';
    const g = createPrivacyGuard({ hmacKey: key });
    assert.equal(
      g.tag('ada@lovelace.dev'),
      createHmac('sha256', key).update('ada@lovelace.dev').digest('hex').slice(0, 8),
    );
    const bytes = new Uint8Array(32).map((_, i) => i);
    assert.equal(
      createPrivacyGuard({ hmacKey: bytes }).tag('x'),
      createHmac('sha256', bytes).update('x').digest('hex').slice(0, 8),
    );
  });
});
