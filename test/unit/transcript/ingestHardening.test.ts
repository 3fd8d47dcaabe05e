/**
 * Issue 14 §3: one bad line or one unreadable file or directory must not stop ingestion of everything else,
 * and problems with the roots themselves are reported instead of skipped silently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { openEngine, TempTree } from './engine';
import { assistant, jsonl, prompt } from './lines';

const GOOD = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'bbbbbbbb-0000-4000-8000-000000000002';
const BAD = 'cccccccc-0000-4000-8000-000000000003';

/** A well-formed session: 1 prompt, 1 API message (tokens written by hand). */
function goodSession(sid: string, n = 1): string {
  return jsonl(
    prompt({ uuid: `${sid}-u`, sessionId: sid, ts: '2026-11-01T10:00:00.000Z', text: 'hello' }),
    assistant({
      uuid: `${sid}-a`,
      sessionId: sid,
      ts: '2026-11-01T10:00:01.000Z',
      msgId: `msg-${sid}-${n}`,
      reqId: `req-${sid}-${n}`,
      usage: { in: 100, out: 10 },
      block: { type: 'text', text: 'hi' },
    }),
  );
}

const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

const cct = (argv: string[]) => runCct(argv, { CCT_HMAC_KEY: 'hardening-test-key-0123456789abcdef' });

describe('ingest hardening: nothing one file holds stops the scan (issue 14 §3)', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.dispose());

  it('record types named like Object.prototype members are unknown types, and the rest of the scan is stored', async () => {
    tree.write(`-p-good/${GOOD}.jsonl`, goodSession(GOOD));
    tree.write(
      `-p-bad/${BAD}.jsonl`,
      jsonl(...PROTOTYPE_NAMES.map((t) => JSON.stringify({ type: t, sessionId: BAD }))) + goodSession(BAD),
    );
    const e = await openEngine(tree);
    try {
      const stats = await e.scan();
      assert.equal(stats.files, 2);
      const good = e.session(GOOD);
      assert.equal(good?.userPrompts, 1);
      assert.equal(good?.apiMessages, 1);
      // the file with the odd lines still gives its real records
      assert.equal(e.session(BAD)?.apiMessages, 1);
      // all ten counted as unknown; only the one that reads like a record type name is repeated (see §6)
      const unknown = Object.fromEntries(Object.entries(stats.skipped).filter(([k]) => k.startsWith('unknown_type:')));
      assert.deepEqual(unknown, { 'unknown_type:constructor': 1, 'unknown_type:?': 9 });
    } finally {
      e.close();
    }
  });

  it('property: arbitrary JSON values and arbitrary `type` strings never stop a scan; other sessions are stored', async () => {
    const typeName = fc.oneof(
      fc.constantFrom(
        ...PROTOTYPE_NAMES,
        'user',
        'assistant',
        'system',
        'summary',
        'cost-state',
        'ai-title',
        'custom-title',
        'attachment',
        'api-request',
      ),
      fc.string({ maxLength: 50 }),
    );
    // records shaped like transcript lines (a type plus arbitrary fields) and any JSON text at all
    const record = fc
      .tuple(typeName, fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }))
      .map(([type, rest]) => JSON.stringify({ ...rest, type }));
    const anyJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null');
    const line = fc.oneof(
      record,
      anyJson,
      fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
        const t = new TempTree();
        try {
          t.write(`-p-good/${GOOD}.jsonl`, goodSession(GOOD));
          t.write(`-p-bad/${BAD}.jsonl`, jsonl(...lines));
          t.write(`-p-other/${OTHER}.jsonl`, goodSession(OTHER));
          const e = await openEngine(t);
          try {
            const stats = await e.scan();
            assert.equal(stats.files, 3);
            for (const sid of [GOOD, OTHER]) {
              const s = e.session(sid);
              assert.equal(s?.userPrompts, 1, `${sid} prompts`);
              assert.equal(s?.apiMessages, 1, `${sid} API messages`);
              assert.equal(s?.tokens.input, 100);
            }
            // every line was accounted for: nothing thrown, nothing silently lost from the counts
            assert.equal(stats.lines, 4 + lines.length);
          } finally {
            e.close();
          }
        } finally {
          t.dispose();
        }
        runs++;
      }),
      { numRuns: 60, seed: 14_3 },
    );
    assert.equal(runs, 60);
  });

  it('a dangling symlink and a symlink loop under a root are reported as diagnostics, not skipped silently', async () => {
    tree.write(`-p-good/${GOOD}.jsonl`, goodSession(GOOD));
    const proj = path.dirname(tree.file(`-p-links/x`));
    fs.mkdirSync(proj, { recursive: true });
    fs.symlinkSync(path.join(proj, 'gone.jsonl.target'), path.join(proj, `${BAD}.jsonl`)); // dangling
    fs.symlinkSync('loop-a', path.join(proj, 'loop-b'));
    fs.symlinkSync('loop-b', path.join(proj, 'loop-a')); // ELOOP
    fs.symlinkSync('..', path.join(tree.projects, 'up')); // a project dir that is the projects dir again
    // a link to a file that is never opened, whatever it is called: it holds a readable session, which must not appear
    const creds = path.join(tree.root, '.credentials.json');
    fs.writeFileSync(creds, goodSession(OTHER));
    fs.symlinkSync(creds, path.join(proj, `${OTHER}.jsonl`));
    // a followed link to a real transcript is read like the file itself
    const elsewhere = path.join(tree.root, 'elsewhere', `${BAD}x.jsonl`);
    fs.mkdirSync(path.dirname(elsewhere));
    fs.writeFileSync(elsewhere, goodSession('eeeeeeee-0000-4000-8000-00000000000e'));
    fs.symlinkSync(elsewhere, path.join(proj, 'eeeeeeee-0000-4000-8000-00000000000e.jsonl'));
    const e = await openEngine(tree);
    try {
      const stats = await e.scan();
      assert.equal(e.session(GOOD)?.apiMessages, 1);
      assert.equal(e.session('eeeeeeee-0000-4000-8000-00000000000e')?.apiMessages, 1);
      assert.equal(e.session(OTHER), undefined);
      const reasons = stats.problems.map((p) => `${path.relative(tree.projects, p.path)} ${p.reason}`).sort();
      assert.deepEqual(reasons, [
        `-p-links/${OTHER}.jsonl forbidden_link_target`,
        `-p-links/${BAD}.jsonl dangling_symlink`,
        '-p-links/loop-a symlink_loop',
        '-p-links/loop-b symlink_loop',
        'up symlink_loop',
      ]);
      const diags = e.store.diagnostics().map((d) => `${path.relative(tree.projects, d.path)} ${d.reason}`);
      for (const r of reasons) assert.ok(diags.includes(r), `diagnostic ${r} in ${diags.join('; ')}`);
    } finally {
      e.close();
    }
  });

  it('cct scan: a missing --root, or one that is a symlink loop, is a clear error with a non-zero exit', async () => {
    let r = await cct(['scan', '--root', path.join(tree.root, 'nope'), '--db', tree.db, '--json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--root .*nope: does not exist/);
    fs.symlinkSync('self', path.join(tree.root, 'self'));
    r = await cct(['scan', '--root', path.join(tree.root, 'self'), '--db', tree.db]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--root .*self: symbolic link loop/);
    fs.writeFileSync(path.join(tree.root, 'plain'), 'x');
    r = await cct(['scan', '--root', path.join(tree.root, 'plain'), '--db', tree.db]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--root .*plain: not a directory/);
    // nothing was created for a refused scan
    assert.equal(fs.existsSync(tree.db), false);
  });

  it('an unreadable transcript and an unreadable project dir (EACCES, read as an unprivileged user) become diagnostics; the rest commits', async function () {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('runuser', ['--help']).error) this.skip(); // no way to drop privileges here
    tree.write(`-p-good/${GOOD}.jsonl`, goodSession(GOOD));
    const locked = tree.write(`-p-bad/${BAD}.jsonl`, goodSession(BAD));
    tree.write(`-p-closed/${OTHER}.jsonl`, goodSession(OTHER));
    const closed = path.join(tree.projects, '-p-closed');
    // everyone may walk the tree and write the store; the two targets are closed to everyone but root
    for (const d of [tree.root, path.join(tree.root, 'cfg'), tree.projects]) fs.chmodSync(d, 0o777);
    for (const d of ['-p-good', '-p-bad']) fs.chmodSync(path.join(tree.projects, d), 0o755);
    fs.chmodSync(path.join(tree.projects, '-p-good', `${GOOD}.jsonl`), 0o644);
    fs.chmodSync(locked, 0o000);
    fs.chmodSync(closed, 0o000);
    const args = ['scan', '--root', path.join(tree.root, 'cfg'), '--db', tree.db, '--json', '--serial'];
    let code: number;
    let out: string;
    let err: string;
    if (asRoot) {
      // root reads through chmod 000: run the real CLI as nobody so the kernel really refuses
      const r = spawnSync(
        'runuser',
        [
          '-u',
          'nobody',
          '--',
          'env',
          'CCT_HMAC_KEY=hardening-test-key-0123456789abcdef',
          process.execPath,
          '--import',
          'tsx',
          path.resolve('src/cli/main.ts'),
          ...args,
        ],
        { encoding: 'utf8', cwd: path.resolve('.'), timeout: 60_000 },
      );
      code = r.status ?? -1;
      out = r.stdout;
      err = r.stderr;
    } else ({ code, out, err } = await cct(args));
    fs.chmodSync(closed, 0o755);
    assert.equal(code, 0, err);
    // proof that the error path ran: the reader really was refused
    const stats = JSON.parse(out) as { problems: { path: string; reason: string }[]; totals: { sessions: number } };
    assert.deepEqual(stats.problems.map((p) => `${path.relative(tree.projects, p.path)} ${p.reason}`).sort(), [
      '-p-bad/cccccccc-0000-4000-8000-000000000003.jsonl unreadable:EACCES',
      '-p-closed unreadable:EACCES',
    ]);
    assert.match(err, /cct scan: .*-p-bad.*unreadable:EACCES/);
    assert.equal(stats.totals.sessions, 1);
    const store = await Store.open(tree.db);
    try {
      assert.deepEqual(
        store.sessions().map((s) => s.sessionId),
        [GOOD],
      );
      const diags = store.diagnostics().map((d) => `${path.relative(tree.projects, d.path)} ${d.reason}`);
      assert.ok(diags.includes(`-p-bad/${BAD}.jsonl unreadable:EACCES`), diags.join('; '));
      assert.ok(diags.includes('-p-closed unreadable:EACCES'), diags.join('; '));
    } finally {
      store.close();
    }
  });
});
