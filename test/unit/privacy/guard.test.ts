import assert from 'node:assert/strict';
import {
  CustomRuleError,
  compileCustomRules,
  createPrivacyGuard,
  UNSCANNED,
  unsafeRegexReason,
} from '../../../src/core/privacy';
import { makeTokens, Rng } from './tokens';

const KEY = 'unit-test-hmac-key-0123456789abcdef';
const t = makeTokens(new Rng(7));

describe('privacy guard: API', () => {
  it('rejects a short HMAC key and an unknown level', () => {
    assert.throws(() => createPrivacyGuard({ hmacKey: 'short' }), /at least 16 bytes/);
    assert.throws(() => createPrivacyGuard({ hmacKey: KEY, level: 'paranoid' as never }), /unknown privacy level/);
    assert.doesNotThrow(() => createPrivacyGuard({ hmacKey: new Uint8Array(32).fill(3) }));
  });

  it('findings carry offsets in the original text, in order, and the output splices them', () => {
    const g = createPrivacyGuard({ hmacKey: KEY });
    const a = t.githubClassic();
    const b = 'kenji@tanaka.jp';
    const text = `a=${a} mail ${b} end`;
    const r = g.maskText(text);
    assert.deepEqual(
      r.findings.map((f) => [text.slice(f.start, f.end), f.category, f.ruleId]),
      [
        [a, 'github_token', 'github-classic-token'],
        [b, 'email', 'email'],
      ],
    );
    let rebuilt = '';
    let pos = 0;
    for (const f of r.findings) {
      rebuilt += `${text.slice(pos, f.start)}X`;
      pos = f.end;
    }
    rebuilt += text.slice(pos);
    assert.equal(r.text.replace(/«[^»]*»|\[REDACTED:[^\]]*\]/g, 'X'), rebuilt);
  });

  it('merges overlapping findings into their union, labelled by the widest', () => {
    const g = createPrivacyGuard({ hmacKey: KEY });
    const pw = t.password();
    // the URL rule finds the password, the assignment rule finds the whole URL value: union wins
    const text = `DATABASE_PASSWORD=postgres://u:${pw}@db/x`;
    const r = g.maskText(text);
    assert.equal(r.findings.length, 1);
    assert.ok(!r.text.includes(pw));
  });

  it('maskJson masks every string recursively, keeps keys and non-strings, and counts per category', () => {
    const g = createPrivacyGuard({ hmacKey: KEY });
    const s1 = t.anthropic();
    const s2 = t.stripeLive();
    const pw = t.password();
    const input = {
      type: 'user',
      n: 3,
      ok: true,
      nil: null,
      message: { content: [{ type: 'tool_result', content: `export KEY=${s1}\nmail a.b@corp.io` }] },
      toolUseResult: {
        stdout: JSON.stringify({ nested: `Bearer ${s2}` }),
        file: { content: `password: "${pw}"` },
      },
      config: { db_password: pw, token_count: '12345', description: 'no secrets here' },
    };
    const { value, counts } = g.maskJson(input);
    const out = JSON.stringify(value);
    for (const s of [s1, s2, pw]) assert.ok(!out.includes(s), `leak of ${s.slice(0, 6)}`);
    assert.equal(value.n, 3);
    assert.equal(value.ok, true);
    assert.equal(value.nil, null);
    assert.equal(value.config.token_count, '12345');
    assert.equal(value.config.description, 'no secrets here');
    assert.deepEqual(Object.keys(value.config), ['db_password', 'token_count', 'description']);
    assert.doesNotThrow(() => JSON.parse(value.toolUseResult.stdout), 'JSON inside a string stays JSON');
    assert.deepEqual(counts, { anthropic_api_key: 1, email: 1, stripe_key: 1, password: 2 });
    assert.equal(input.config.db_password, pw, 'input is not mutated');
  });

  it('maskJson refuses circular structures', () => {
    const g = createPrivacyGuard({ hmacKey: KEY });
    const o: Record<string, unknown> = { a: 'x' };
    o.self = o;
    assert.throws(() => g.maskJson(o), /circular/);
  });

  it('fails closed when the time budget is exceeded', () => {
    const g = createPrivacyGuard({ hmacKey: KEY, budgetMs: () => -1 });
    const r = g.maskText(`hello ${t.anthropic()}`);
    assert.equal(r.text, UNSCANNED);
    assert.deepEqual(r.findings, [{ start: 0, end: r.findings[0]!.end, category: 'unscanned', ruleId: 'time-budget' }]);
  });

  it('levels: minimal has credentials only; strict adds my-number, usernames and bare high-entropy strings', () => {
    const min = createPrivacyGuard({ hmacKey: KEY, level: 'minimal' });
    const strict = createPrivacyGuard({ hmacKey: KEY, level: 'strict' });
    assert.ok(min.ruleIds.includes('anthropic-api-key') && !min.ruleIds.includes('email'));
    assert.ok(strict.ruleIds.includes('my-number') && strict.ruleIds.includes('high-entropy-string'));
    const blob = `${t.generic()}Zq`;
    assert.equal(strict.maskText(`value ${blob} here`).findings[0]?.category, 'high_entropy');
    assert.equal(createPrivacyGuard({ hmacKey: KEY }).maskText(`value ${blob} here`).findings.length, 0);
    assert.equal(strict.maskText('commit 9fceb02d0ae598e95dc970b74767f19372d61af8').findings.length, 0);
  });
});

describe('privacy guard: custom rules', () => {
  it('accepts a bounded rule with a keyword and applies it', () => {
    const g = createPrivacyGuard({
      hmacKey: KEY,
      customRules: [
        {
          id: 'acme',
          category: 'acme_token',
          keywords: ['acme_'],
          pattern: 'acme_[a-z0-9]{16,64}',
          keepPrefix: 'acme_',
        },
      ],
    });
    const r = g.maskText('token acme_9f3k2m7q1x8z4c6v0b5n ok');
    assert.match(r.text, /^token «acme_…acme_token:[0-9a-f]{8}» ok$/);
    assert.equal(r.findings[0]!.ruleId, 'custom:acme');
  });

  const bad: [unknown, RegExp][] = [
    [{ id: 'a', category: 'x', keywords: [], pattern: 'a{1,3}' }, /at least one keyword/],
    [{ id: 'a', category: 'x', pattern: 'a{1,3}' }, /keywords/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: 'ab+' }, /unbounded quantifier/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: 'ab.*' }, /unbounded quantifier/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: 'ab{2,}' }, /unbounded/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: '(a{1,5}){1,5}' }, /nested quantifiers/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: '(?:a|ab){1,20}' }, /alternatives/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: '(a)\\1' }, /backreferences/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: 'ab(' }, /unbalanced|invalid/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: 'a{0,3}' }, /empty string/],
    [{ id: 'a', category: 'Bad Cat', keywords: ['ab'], pattern: 'ab' }, /category/],
    [{ id: 'a', category: 'x', keywords: ['ab'], pattern: 'ab', extra: 1 }, /unrecognized|extra/i],
  ];
  for (const [rule, msg] of bad)
    it(`rejects ${JSON.stringify(rule)}`, () => {
      assert.throws(
        () => compileCustomRules([rule]),
        (e: unknown) => e instanceof CustomRuleError && msg.test(e.message),
      );
    });

  it('unsafeRegexReason allows bounded, optional and non-nested constructs', () => {
    for (const ok of [
      'abc',
      '[a-z]{1,8}',
      '(?:ab){1,4}',
      '(?:a{1,3}b)?',
      '(?<n>x)y{2}',
      '[+*{]{1,3}',
      'a\\+b',
      '(?=x)a{1,2}',
      'x{3}',
    ])
      assert.equal(unsafeRegexReason(ok), undefined, ok);
  });
});

describe('privacy guard: engine paths', () => {
  it('dense keyword hits (windowed scan) find exactly what sparse hits (sticky attempts) find', () => {
    const g = createPrivacyGuard({ hmacKey: KEY });
    const rng = new Rng(3);
    const items: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = rng.int(4);
      items.push(
        k === 0 ? `u${i}.x@mail${i % 7}.co.jp` : k === 1 ? `icon${i}@2x.png` : k === 2 ? `pkg@${i}.0.1` : `@@${i}`,
      );
    }
    const dense = items.join(' ');
    const expected: [number, number][] = [];
    let pos = 0;
    for (const it of items) {
      for (const f of g.maskText(it).findings) expected.push([pos + f.start, pos + f.end]);
      pos += it.length + 1;
    }
    const got = g.maskText(dense).findings.map((f) => [f.start, f.end]);
    assert.ok(expected.length > 500);
    assert.deepEqual(got, expected);
  });

  it('keyword hits across 64K block boundaries are not lost', () => {
    const g = createPrivacyGuard({ hmacKey: KEY });
    const s = t.anthropic();
    for (const offset of [65536 - 5, 65536 - 1, 65536, 131072 - 20]) {
      const text = `${'x'.repeat(offset)} ${s} tail`;
      const r = g.maskText(text);
      assert.equal(r.findings.length, 1, `offset ${offset}`);
      assert.equal(r.findings[0]!.start, offset + 1);
    }
  });

  it('pathological inputs complete and stay correct (timing is measured in npm run bench:privacy)', () => {
    const g = createPrivacyGuard({ hmacKey: KEY, budgetMs: () => 60_000 });
    const M = 1 << 20;
    const rep = (u: string) => u.repeat(Math.ceil(M / u.length)).slice(0, M);
    for (const u of [
      '@',
      'a@',
      '0',
      '1 ',
      '+1 ',
      '-----BEGIN PRIVATE KEY-----\\n',
      'token:   ',
      'a://a:',
      'fd00:',
      '10.',
    ]) {
      const r = g.maskText(rep(u));
      assert.notEqual(r.text, UNSCANNED, u);
      assert.equal(r.findings.length, 0, `no findings expected in ${JSON.stringify(u)} repeated`);
    }
  });
});
