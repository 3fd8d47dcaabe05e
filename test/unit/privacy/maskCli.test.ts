import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { loadOrCreateMaskKey, maskKeyPath, maskKeyFor as storeKey } from '../../../src/infra/keys/maskKeyFile';
import { runCct } from '../../helpers/cct';
import { makeTokens, Rng } from './tokens';

const t = makeTokens(new Rng(99));

const run = (argv: string[], stdin: string, env: Record<string, string>) => runCct(argv, env, stdin);

describe('cct mask', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-mask-'));
    env = { CCT_MASK_KEY_FILE: path.join(dir, 'sub', 'mask.key') };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('masks stdin text to stdout and creates a 0600 key file on first use; tags are stable across runs', async () => {
    const s = t.anthropic();
    const r1 = await run(['mask'], `key=${s}\nmail: ada@lovelace.dev\n`, env);
    assert.equal(r1.code, 0, r1.err);
    assert.ok(!r1.out.includes(s));
    assert.match(r1.out, /^key=«sk-ant-api03-…anthropic_api_key:[0-9a-f]{8}»\nmail: \[REDACTED:email:[0-9a-f]{8}\]\n$/);
    const st = fs.statSync(env.CCT_MASK_KEY_FILE!);
    if (process.platform !== 'win32') assert.equal(st.mode & 0o777, 0o600);
    const r2 = await run(['mask'], `key=${s}\nmail: ada@lovelace.dev\n`, env);
    assert.equal(r2.out, r1.out, 'same key file, same tags');
  });

  it('--jsonl gives id, masked text and findings with offsets in the input', async () => {
    const s = t.githubClassic();
    const text = `push with ${s} please`;
    const lines = `${[JSON.stringify({ id: 'a1', text }), JSON.stringify({ id: 2, text: 'nothing here' })].join('\n')}\n`;
    const r = await run(['mask', '--jsonl'], lines, env);
    assert.equal(r.code, 0, r.err);
    const recs = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(recs.length, 2);
    assert.equal(recs[0].id, 'a1');
    assert.deepEqual(recs[0].findings, [
      { start: 10, end: 10 + s.length, category: 'github_token', ruleId: 'github-classic-token' },
    ]);
    assert.equal(text.slice(recs[0].findings[0].start, recs[0].findings[0].end), s);
    assert.deepEqual(recs[1], { id: 2, text: 'nothing here', findings: [] });
  });

  it('--jsonl reports a malformed line on stderr without echoing it, exit 1', async () => {
    const s = t.stripeLive();
    const r = await run(['mask', '--jsonl'], `not json ${s}\n${JSON.stringify({ id: 1, text: 'ok' })}\n`, env);
    assert.equal(r.code, 1);
    assert.match(r.err, /line 1/);
    assert.ok(!r.err.includes(s) && !r.out.includes(s));
    assert.equal(JSON.parse(r.out).text, 'ok');
  });

  it('--level minimal leaves personal data, strict masks My Number', async () => {
    const r = await run(['mask', '--level', 'minimal'], 'mail ada@lovelace.dev', env);
    assert.equal(r.out, 'mail ada@lovelace.dev');
    const n = t.myNumber();
    const s = await run(['mask', '--level=strict'], `個人番号 ${n}`, env);
    assert.match(s.out, /^個人番号 \[REDACTED:my_number:[0-9a-f]{8}\]$/);
    const bad = await run(['mask', '--level', 'max'], '', env);
    assert.equal(bad.code, 2);
  });

  it('--rules FILE adds custom rules and rejects unsafe ones with a clear message', async () => {
    const rules = path.join(dir, 'rules.json');
    fs.writeFileSync(
      rules,
      JSON.stringify({
        rules: [{ id: 'acme', category: 'acme_token', keywords: ['acme-'], pattern: 'acme-[0-9a-f]{12,40}' }],
      }),
    );
    const r = await run(['mask', '--rules', rules], 'use acme-9f3e2d7c1b8a4f6e now', env);
    assert.match(r.out, /^use \[REDACTED:acme_token:[0-9a-f]{8}\] now$/);
    fs.writeFileSync(rules, JSON.stringify([{ id: 'evil', category: 'x', keywords: ['ab'], pattern: '(a+)+b' }]));
    const e = await run(['mask', '--rules', rules], 'x', env);
    assert.equal(e.code, 2);
    assert.match(e.err, /custom rule 'evil': unsafe pattern/);
  });

  it('refuses a key file readable by others, and a malformed key', () => {
    if (process.platform === 'win32') return;
    const f = env.CCT_MASK_KEY_FILE!;
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, 'a'.repeat(64), { mode: 0o644 });
    fs.chmodSync(f, 0o644);
    assert.throws(() => loadOrCreateMaskKey({ env }), /accessible by other users/);
    fs.chmodSync(f, 0o600);
    assert.equal(loadOrCreateMaskKey({ env }).key, 'a'.repeat(64));
    fs.writeFileSync(f, 'nope');
    assert.throws(() => loadOrCreateMaskKey({ env }), /malformed/);
  });

  it('uses the same key file and key as the store (same secret, same tag in cct mask and in the store)', async () => {
    const data = path.join(dir, 'data');
    const e = { CCT_DATA_DIR: data };
    assert.equal(maskKeyPath({ env: e }), path.join(data, 'mask.key'));
    const fromStore = storeKey(data, e);
    assert.equal(loadOrCreateMaskKey({ env: e }).key, fromStore);
    const s = t.anthropic();
    const r = await run(['mask'], s, e);
    const expected = createPrivacyGuard({ hmacKey: fromStore }).maskText(s).text;
    assert.equal(r.out, expected);
    assert.equal(loadOrCreateMaskKey({ env: { CCT_HMAC_KEY: 'k'.repeat(20) } }).key, 'k'.repeat(20));
  });
});
