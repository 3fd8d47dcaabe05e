import assert from 'node:assert/strict';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { aadhaarValid, chinaResidentIdValid, teudatZehutValid } from '../../../src/core/privacy/nationalIdRules';
import { Rng } from './tokens';

const guard = createPrivacyGuard({ hmacKey: 'unit-test-hmac-key-0123456789abcdef' });

// check digits computed here, independently of src/, from the published algorithms
function cnComplete(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}
function verhoeffComplete(first11: string): string {
  for (let c = 0; c <= 9; c++) if (aadhaarValidReference(first11 + c)) return first11 + c;
  throw new Error('no check digit');
}
/** Verhoeff through its definition: the dihedral group D5 and the permutation (1 5 7 6 2 8 3 0 9 4) iterated. */
function aadhaarValidReference(d: string): boolean {
  const mul = (a: number, b: number) => {
    const r = (x: number) => x >= 5;
    const rot = (x: number, k: number) => (x + k) % 5;
    if (!r(a) && !r(b)) return rot(a, b);
    if (!r(a) && r(b)) return 5 + rot(b - 5, a);
    if (r(a) && !r(b)) return 5 + ((a - 5 - b + 5) % 5);
    return (a - 5 - (b - 5) + 5) % 5;
  };
  const p1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
  const perm = (i: number, x: number) => {
    let y = x;
    for (let k = 0; k < i % 8; k++) y = p1[y]!;
    return y;
  };
  let c = 0;
  for (let i = 0; i < d.length; i++) c = mul(c, perm(i, Number(d[d.length - 1 - i])));
  return c === 0;
}
function tzComplete(first8: string): string {
  for (let c = 0; c <= 9; c++) {
    const id = first8 + c;
    const sum = [...id].reduce((s, ch, i) => {
      const x = Number(ch) * ((i % 2) + 1);
      return s + (x > 9 ? x - 9 : x);
    }, 0);
    if (sum % 10 === 0) return id;
  }
  throw new Error('no check digit');
}

function masked(text: string, value: string): boolean {
  const r = guard.maskText(text);
  return !r.text.includes(value) && r.findings.some((f) => f.category === 'national_id');
}

describe('privacy rules: national identity numbers with a check digit', () => {
  const r = new Rng(91);
  const digits = (n: number) => r.str('0123456789', n);

  it('the validators agree with independent implementations of GB 11643, Verhoeff and the Teudat Zehut sum', () => {
    for (let i = 0; i < 200; i++) {
      const cn = cnComplete(`${1 + r.int(8)}${digits(5)}19${digits(2)}0${1 + r.int(9)}1${r.int(9)}${digits(3)}`);
      assert.ok(chinaResidentIdValid(cn), cn);
      assert.ok(!chinaResidentIdValid(cn.slice(0, 17) + (cn[17] === '0' ? '1' : '0')), cn);
      const a = verhoeffComplete(`${2 + r.int(8)}${digits(10)}`);
      assert.ok(aadhaarValid(a), a);
      assert.equal(aadhaarValid(`${a.slice(0, 11)}${(Number(a[11]) + 1) % 10}`), false, a);
      const tz = tzComplete(digits(8));
      assert.equal(teudatZehutValid(tz), !/^0+$/.test(tz), tz);
    }
    assert.ok(!chinaResidentIdValid('110101199002301234'), 'February 30th');
  });
  it('a China resident identity number, alone or in a sentence; an 18-digit id with a bad date or check stays', () => {
    const cn = cnComplete(`11010${r.int(10)}198${r.int(10)}0${1 + r.int(9)}1${r.int(9)}${digits(3)}`);
    for (const text of [`身份证号：${cn}`, `"id_card": "${cn}"`, `resident id ${cn}.`])
      assert.ok(masked(text, cn), text);
    const bad = cn.slice(0, 17) + (cn[17] === '1' ? '2' : '1');
    assert.equal(guard.maskText(`snowflake ${bad}`).findings.filter((f) => f.category === 'national_id').length, 0);
  });
  it('an Aadhaar number after a word naming it, grouped or not; a Verhoeff-valid number without one stays', () => {
    const a = verhoeffComplete(`${2 + r.int(8)}${digits(10)}`);
    const grouped = `${a.slice(0, 4)} ${a.slice(4, 8)} ${a.slice(8)}`;
    assert.ok(masked(`Aadhaar: ${grouped}`, grouped));
    assert.ok(masked(`my aadhar number is ${a}`, a));
    assert.equal(guard.maskText(`build ${a} finished`).findings.filter((f) => f.category === 'national_id').length, 0);
  });
  it('a Teudat Zehut after a word naming it; 9 digits elsewhere stay', () => {
    const tz = tzComplete(`${1 + r.int(9)}${digits(7)}`);
    assert.ok(masked(`Teudat Zehut ${tz}`, tz));
    assert.ok(masked(`מספר תעודת זהות: ${tz}`, tz));
    assert.equal(guard.maskText(`pid ${tz}`).findings.length, 0);
  });
});
