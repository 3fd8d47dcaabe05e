import assert from 'node:assert/strict';
import { isPlaceholder } from '../../../src/core/privacy/validators';

/** The test list isPlaceholder had before its regexes were combined: the combined form must agree with it. */
const WORDS =
  /^(?:password|passwd|pass|pwd|secret|token|apikey|api_key|changeme|change_me|example|sample|dummy|test|testing|placeholder|redacted|none|null|nil|undefined|true|false|yes|no|empty|string|str|number|int|bool|boolean|any|bytes|required|optional|your[_-]?[a-z_-]*|my[_-][a-z_-]+|<[^>]*>|\[[^\]]*\]|\.\.\.|…|env|os|process|config|settings|self|this)$/i;
function reference(v: string): boolean {
  if (v.length === 0) return true;
  if (WORDS.test(v)) return true;
  if (/^\$|\{\{|\}\}|^%\(|^%[A-Za-z_]{1,40}%$|^%[sdv]$|^<.*>$|^#\{|^@\{/.test(v)) return true;
  if (/^(?:x{3,}|X{3,}|\*{3,}|\.{3,}|-{3,}|_{3,}|#{3,}|0{6,})$/.test(v)) return true;
  if (/(?:x{4,}|X{4,}|\*{4,})/.test(v)) return true;
  if (/^(.)\1{5,}$/.test(v)) return true;
  if (/abcdefgh|bcdefghi|01234567|12345678|23456789|qwertyui/i.test(v)) return true;
  if (/EXAMPLE|example|_HERE$|your[-_]|YOUR[-_]|\bREDACTED\b|«|\[REDACTED/.test(v)) return true;
  if (
    /^(?:os\.environ|process\.env|getenv|env\(|ENV\[|System\.getenv|settings\.|config\.|secrets\.|vault:|ref\+|arn:aws:secretsmanager)/i.test(
      v,
    )
  )
    return true;
  return false;
}

describe('privacy validators: isPlaceholder', () => {
  it('agrees with the one-test-per-pattern reference on every branch and on random strings', () => {
    const fixed = [
      '',
      'password',
      'PASSWORD',
      'your_api_key',
      'my-token',
      '<token>',
      '[secret]',
      '...',
      '…',
      `\${DB_PASS}`,
      '$X',
      '{{ secret }}',
      'a}}b',
      '%(pw)s',
      '%PASS%',
      '%s',
      '<x>',
      '#{x}',
      '@{x}',
      'xxx',
      'XXX',
      '***',
      '...',
      '---',
      '___',
      '###',
      '000000',
      'sk-xxxxabc',
      'abXXXXc',
      '****1234',
      'aaaaaa',
      'aaaaa',
      '111111',
      'ABCDEFGHxyz',
      'x12345678',
      'QWERTYUI',
      'AKIAIOSFODNN7EXAMPLE',
      'an_example',
      'KEY_HERE',
      'YOUR-KEY',
      'your-key',
      'REDACTED',
      'xREDACTED',
      '«sk-…»',
      '[REDACTED:email:12345678]',
      'os.environ["X"]',
      'PROCESS.ENV.X',
      'getenv(x)',
      'env(X)',
      'ENV[X]',
      'System.getenv',
      'settings.X',
      'Config.x',
      'secrets.X',
      'vault:x',
      'ref+x',
      'arn:aws:secretsmanager:x',
      'hunter2',
      'Tr0ub4dor&3',
      'sk-ant-api03-R2D2C3PO',
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'aaaaaab',
      'tokens',
      'mytoken',
    ];
    for (const v of fixed) assert.equal(isPlaceholder(v), reference(v), JSON.stringify(v));
    const alphabet = `aAbBxX0128*.-_#\${}%<>()@[]…«REDACTEXAMPLEyour_HEREqwertyuios.env:+ `;
    let seed = 11;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % k;
    };
    for (let t = 0; t < 20000; t++) {
      let v = '';
      const len = rnd(24);
      for (let i = 0; i < len; i++) v += alphabet[rnd(alphabet.length)];
      if (rnd(5) === 0) v = v.slice(0, 1).repeat(3 + rnd(6)) + (rnd(2) ? '' : v);
      assert.equal(isPlaceholder(v), reference(v), JSON.stringify(v));
    }
  });
});
