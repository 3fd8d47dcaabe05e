import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCct } from '../../helpers/cct';

const cct = (argv: string[]) => runCct(argv, { CCT_HMAC_KEY: 'retention-test-key-0123456789' });

/** A one-prompt, one-answer transcript of a session last active at `ts`. */
function transcript(sessionId: string, ts: string, n: number): string {
  const env = {
    isSidechain: false,
    userType: 'external',
    cwd: '/w/p',
    sessionId,
    version: '2.1.332',
    gitBranch: 'main',
  };
  const u = {
    ...env,
    parentUuid: null,
    type: 'user',
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    timestamp: ts,
    message: { role: 'user', content: `prompt ${n}` },
  };
  const a = {
    ...env,
    parentUuid: u.uuid,
    type: 'assistant',
    uuid: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
    timestamp: ts,
    requestId: `req_ret_${n}`,
    message: {
      id: `msg_ret_${n}`,
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 10, output_tokens: 5 },
    },
  };
  return `${JSON.stringify(u)}\n${JSON.stringify(a)}\n`;
}

describe('retention cap and rebuild (cct scan)', () => {
  let tmp: string;
  let projects: string;
  let db: string;
  const sessions = async () =>
    JSON.parse((await cct(['sessions', '--db', db, '--json'])).out) as { sessionId: string }[];

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-retention-'));
    projects = path.join(tmp, 'projects', '-w-p');
    mkdirSync(projects, { recursive: true });
    db = path.join(tmp, 'store.db');
    const day = 86_400_000;
    writeFileSync(
      path.join(projects, 'old.jsonl'),
      transcript('old', new Date(Date.now() - 40 * day).toISOString(), 1),
    );
    writeFileSync(path.join(projects, 'new.jsonl'), transcript('new', new Date(Date.now() - 1 * day).toISOString(), 2));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('--max-age-days deletes idle sessions after the scan, and a rescan does not bring them back', async () => {
    const r = await cct(['scan', '--root', path.join(tmp, 'projects'), '--db', db, '--max-age-days', '30', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).pruned, 1);
    assert.deepEqual(
      (await sessions()).map((s) => s.sessionId),
      ['new'],
    );
    await cct(['scan', '--root', path.join(tmp, 'projects'), '--db', db, '--json']);
    assert.deepEqual(
      (await sessions()).map((s) => s.sessionId),
      ['new'],
      'the file was read to its end: nothing new',
    );
  });

  it('--rebuild re-reads what exists and keeps sessions whose source files are gone', async () => {
    await cct(['scan', '--root', path.join(tmp, 'projects'), '--db', db]);
    unlinkSync(path.join(projects, 'old.jsonl'));
    const r = await cct(['scan', '--root', path.join(tmp, 'projects'), '--db', db, '--rebuild', '--json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.equal(out.filesRead, 1, 'the remaining file is read again from the start');
    assert.equal(out.apiMessages, 0, 'upserts on natural keys: nothing duplicated');
    assert.deepEqual((await sessions()).map((s) => s.sessionId).sort(), ['new', 'old'], 'the archived session stays');
  });

  it('--max-size-mb deletes the least recently active sessions first; bad values are usage errors', async () => {
    const r = await cct([
      'scan',
      '--root',
      path.join(tmp, 'projects'),
      '--db',
      db,
      '--max-size-mb',
      '0.0001',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.ok(JSON.parse(r.out).pruned >= 1);
    assert.ok(!(await sessions()).some((s) => s.sessionId === 'old'), 'the older session goes first');
    const bad = await cct(['scan', '--root', path.join(tmp, 'projects'), '--db', db, '--max-age-days', '-3']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--max-age-days must be a positive number/);
  });

  it('--rules FILE masks with custom rules before storing; a bad rules file is refused before the store is touched', async () => {
    const token = ['ac', 'me_', 'Q7zP'.repeat(6)].join('');
    writeFileSync(
      path.join(projects, 'custom.jsonl'),
      transcript('custom', new Date().toISOString(), 3).replace('prompt 3', `use ${token}`),
    );
    const rules = path.join(tmp, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify([{ id: 'acme', category: 'acme_token', keywords: ['acme_'], pattern: 'acme_[A-Za-z0-9]{24}' }]),
    );
    const r = await cct(['scan', '--root', path.join(tmp, 'projects'), '--db', db, '--rules', rules]);
    assert.equal(r.code, 0, r.err);
    const md = (await cct(['export', 'custom', '--db', db, '--format', 'md'])).out;
    assert.ok(!md.includes(token), 'the custom secret is not stored');
    assert.match(md, /\[REDACTED:acme_token:[0-9a-f]{8}\]/);
    writeFileSync(rules, JSON.stringify([{ id: 'redos', category: 'x', keywords: ['zz'], pattern: '(a+)+b' }]));
    const bad = await cct([
      'scan',
      '--root',
      path.join(tmp, 'projects'),
      '--db',
      path.join(tmp, 'other.db'),
      '--rules',
      rules,
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /redos.*unsafe/);
    assert.equal(existsSync(path.join(tmp, 'other.db')), false, 'no store was created');
  });
});
