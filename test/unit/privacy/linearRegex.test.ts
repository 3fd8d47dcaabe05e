import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { LinearRegex } from '../../../src/core/privacy/linearRegex';

const all = (re: LinearRegex, text: string) => {
  const out: { index: number; match: string; s: string | undefined }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ index: m.index, match: m[0], s: m.groups?.s });
  return out;
};

describe('LinearRegex (custom rules on RE2 semantics)', () => {
  it("follows RegExp's global exec contract: UTF-16 offsets, named groups, lastIndex, null at the end", () => {
    const re = new LinearRegex('key=(?<s>[a-z]{2,4})', '');
    const text = '日本😀 key=abcd, KEY=zz key=q key=xy';
    assert.deepEqual(all(re, text), [
      { index: 5, match: 'key=abcd', s: 'abcd' },
      { index: 28, match: 'key=xy', s: 'xy' },
    ]);
    assert.equal(text.slice(5, 13), 'key=abcd');
    assert.equal(re.lastIndex, 0, 'reset after the last match, as RegExp does');
    re.lastIndex = 14;
    assert.equal(re.exec(text)?.index, 28, 'starts at lastIndex');
    assert.deepEqual(
      all(new LinearRegex('key=(?<s>[a-z]{2,4})', 'i'), text).map((m) => m.match),
      ['key=abcd', 'KEY=zz', 'key=xy'],
    );
  });

  it('finds the same leftmost-first matches as RegExp on the typical custom rule shapes', () => {
    const text = 'token acme_AbC123xyz999 and acme_short, ACME_UPPER00000000 x-api-key: 1234abcd-99 end';
    for (const [src, flags] of [
      ['acme_[A-Za-z0-9]{8,40}', ''],
      ['acme_[a-z0-9]{8,40}', 'i'],
      ['x-api-key:[ ]?(?<s>[0-9a-f]{8}-[0-9]{2})', ''],
      ['\\bacme_(?:[A-Z]{5}|[A-Za-z]{3})[0-9]{1,20}', ''],
    ] as const) {
      const v8 = [...text.matchAll(new RegExp(src, `${flags}g`))].map((m) => ({
        index: m.index,
        match: m[0],
        s: m.groups?.s,
      }));
      assert.deepEqual(all(new LinearRegex(src, flags), text), v8, src);
    }
  });

  it('masks with a pattern that backtracks polynomially on V8, in time linear in the text', () => {
    const guard = createPrivacyGuard({
      hmacKey: 'k'.repeat(32),
      customRules: [
        { id: 'adj', category: 'x_token', keywords: ['aa'], pattern: '[a]{0,200}[a]{0,200}[a]{0,200}[a]{0,200}b' },
      ],
    });
    // 120 chars: V8 needs seconds here, RE2 well under a millisecond (the CLI tests show the 500-char hang)
    const r = guard.maskText(`${'a'.repeat(120)} aab`);
    assert.match(r.text, /^a{120} \[REDACTED:x_token:[0-9a-f]{8}\]$/);
  });
});
