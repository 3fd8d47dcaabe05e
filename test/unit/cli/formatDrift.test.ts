import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';
import { runDriftSampleInWorker } from '../../../src/infra/worker/runDriftSampleInWorker';
import { runCct } from '../../helpers/cct';

const cct = (argv: string[]) => runCct(argv, { CCT_HMAC_KEY: 'drift-test-key-0123456789abcdef' });

const S = 'dddddddd-0000-4000-8000-000000000001';
const EMAIL = 'jane.planted@acme-widgets.io';
const API_KEY = `sk-ant-api03-${'Q7wErTy9UiOp4AsDf'.repeat(5)}-AA`;

const envelope = (version: string, n: number) => ({
  sessionId: S,
  version,
  cwd: '/w/drift',
  uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  timestamp: new Date(Date.now() - 60_000 + n).toISOString(),
});
const prompt = (version: string, n: number) =>
  `${JSON.stringify({ ...envelope(version, n), type: 'user', parentUuid: null, message: { role: 'user', content: `hello ${n}` } })}\n`;
/** A record type this build does not know, from a newer Claude Code, holding a secret and an address. */
const unknown = (version: string, n: number) =>
  `${JSON.stringify({ ...envelope(version, n), type: 'workspace-digest', digest: { owner: EMAIL, token: API_KEY, [EMAIL]: 1 } })}\n`;
/** An assistant line without the message id ingest needs (a field moved). */
const noId = (version: string, n: number) =>
  `${JSON.stringify({ ...envelope(version, n), type: 'assistant', message: { role: 'assistant', model: 'claude-sonnet-4-5', content: [] } })}\n`;

describe('format drift (cct scan, cct drift-sample)', function () {
  this.timeout(60_000);
  let tmp: string;
  let root: string;
  let file: string;
  let db: string;
  const scan = async () => {
    const r = await cct(['scan', '--root', root, '--db', db, '--serial']);
    assert.equal(r.code, 0, r.err);
    return r.err.split('\n').filter((l) => l.includes('format drift'));
  };

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-drift-'));
    root = path.join(tmp, 'claude');
    mkdirSync(path.join(root, 'projects', '-w-drift'), { recursive: true });
    file = path.join(root, 'projects', '-w-drift', `${S}.jsonl`);
    db = path.join(tmp, 'store.db');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('warns once per Claude Code version, counts by reason and version, and keeps positions, not text', async () => {
    writeFileSync(file, prompt('2.1.332', 1) + unknown('2.9.0', 2) + noId('2.9.0', 3) + unknown('2.9.0', 4));
    const first = await scan();
    assert.equal(first.length, 1, first.join('\n'));
    assert.match(first[0]!, /Claude Code 2\.9\.0/);
    assert.match(first[0]!, /unknown_type:workspace-digest ×2/);
    assert.match(first[0]!, /assistant_without_message_id ×1/);

    appendFileSync(file, unknown('2.9.0', 5));
    assert.deepEqual(await scan(), [], 'the same version again: no second warning');

    appendFileSync(file, unknown('2.10.1', 6));
    const third = await scan();
    assert.equal(third.length, 1);
    assert.match(third[0]!, /Claude Code 2\.10\.1/);

    const s = await Store.open(db);
    try {
      assert.deepEqual(
        s.drift.driftCounts().map((d) => [d.reason, d.version, d.count]),
        [
          ['unknown_type:workspace-digest', '2.10.1', 1],
          ['assistant_without_message_id', '2.9.0', 1],
          ['unknown_type:workspace-digest', '2.9.0', 3],
        ],
      );
      const positions = s.drift.driftSamplePositions();
      assert.equal(positions.length, 5);
      assert.ok(positions.every((p) => p.path === file));
    } finally {
      s.close();
    }
    const bytes = readFileSync(db);
    assert.equal(bytes.includes(Buffer.from(EMAIL)), false, 'the store keeps positions only');
  });

  it('drift-sample writes the offending lines masked at the strict level', async () => {
    writeFileSync(file, prompt('2.1.332', 1) + unknown('2.9.0', 2) + noId('2.9.0', 3));
    await scan();
    const out = path.join(tmp, 'sample.json');
    const r = await cct(['drift-sample', '--db', db, '--out', out, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { file: out, counts: 2, lines: 2 });
    const text = readFileSync(out, 'utf8');
    assert.equal(text.includes(EMAIL), false, 'the address is masked (in a value and in a key)');
    assert.equal(text.includes(API_KEY), false, 'the API key is masked');
    assert.equal(text.includes(API_KEY.slice(0, 24)), false);
    const sample = JSON.parse(text);
    assert.equal(sample.privacyLevel, 'strict');
    const lines = sample.lines as {
      reason: string;
      claudeCodeVersion: string;
      file: string;
      record: { type: string; digest: { owner: string } };
    }[];
    assert.deepEqual(
      lines.map((l) => [l.reason, l.claudeCodeVersion, l.file]),
      [
        ['assistant_without_message_id', '2.9.0', `${S}.jsonl`],
        ['unknown_type:workspace-digest', '2.9.0', `${S}.jsonl`],
      ],
    );
    const digest = lines[1]!.record;
    assert.equal(digest.type, 'workspace-digest', 'the structure stays readable');
    assert.match(digest.digest.owner, /^\[?[A-Z_:a-z0-9-]+/);
    assert.notEqual(digest.digest.owner, EMAIL);
    assert.equal(statSync(out).mode & 0o777, 0o600);
  });

  it("the editor's Save Drift Sample (in the scan worker) writes the same masked sample", async () => {
    writeFileSync(file, prompt('2.1.332', 1) + unknown('2.9.0', 2));
    await scan();
    const out = path.join(tmp, 'editor-sample.json');
    const r = await runDriftSampleInWorker({
      dbPath: db,
      out,
      hmacKey: 'drift-test-key-0123456789abcdef',
      version: 'test',
    });
    assert.deepEqual(r, { lines: 1 });
    const text = readFileSync(out, 'utf8');
    assert.equal(text.includes(EMAIL), false);
    assert.equal(text.includes(API_KEY), false);
    assert.equal(JSON.parse(text).lines[0].record.type, 'workspace-digest');
  });
});
