/**
 * Issue 14 §6: diagnostics carry positions and reasons, never transcript text. JSON.parse quotes the bad line
 * ("password=hunter2 x" is not valid JSON), and that text went into ingest_diagnostics.last_detail unmasked.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SCHEMA_VERSION } from '../../../src/infra/sqlite/migrations';

import { Store } from '../../../src/infra/sqlite/store';
import { openEngine, TempTree } from './engine';
import { assistant, jsonl, prompt } from './lines';

const SID = 'dddddddd-0000-4000-8000-000000000004';
// Distinct markers, each far from anything the store writes by itself.
const PASSWORD = 'password=Hq7vXk2PzW';
const API_KEY = `sk-ant-api03-${'Q7wErTy9UiOp4AsDf'.repeat(5)}-AA`;
const TYPE_SECRET = 'Tok3nInTyp3Zq';

function storeBytes(db: string): Buffer {
  return Buffer.concat(
    [db, `${db}-wal`, `${db}-journal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  );
}

function assertNoSecrets(bytes: Buffer, where: string): void {
  for (const s of [PASSWORD, API_KEY.slice(0, 10), API_KEY.slice(13, 30), TYPE_SECRET])
    assert.equal(bytes.includes(s), false, `${where} holds ${s}`);
}

describe('diagnostics hold positions and reasons, never transcript text (issue 14 §6)', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.dispose());

  for (const backend of ['node:sqlite', 'sql.js'] as const) {
    it(`malformed lines holding secrets leave no trace of them in the store file or its WAL (${backend})`, async () => {
      const good = jsonl(
        prompt({ uuid: 'u1', sessionId: SID, ts: '2026-11-01T10:00:00.000Z', text: 'hello' }),
        assistant({
          uuid: 'a1',
          sessionId: SID,
          ts: '2026-11-01T10:00:01.000Z',
          msgId: 'm1',
          reqId: 'r1',
          usage: { in: 5, out: 1 },
          block: { type: 'text', text: 'hi' },
        }),
      );
      const bad = [
        `${PASSWORD} x`, // JSON.parse quotes short lines whole
        `{"type":"user","message":${API_KEY}}`, // … and ten characters before the error in long ones
        `${API_KEY}`,
        JSON.stringify({ type: `${TYPE_SECRET}-${API_KEY}`, sessionId: SID }), // the type is transcript text too
        JSON.stringify({ type: 'user', sessionId: SID, message: { role: 'user', content: 42 }, note: PASSWORD }),
      ];
      const p = tree.write(`-p/${SID}.jsonl`, good + jsonl(...bad));
      const e = await openEngine(tree, backend);
      try {
        const stats = await e.scan();
        e.store.flush();
        assertNoSecrets(storeBytes(tree.db), 'the open store');
        assert.equal(e.session(SID)?.apiMessages, 1);
        assert.equal(stats.skipped.invalid_json, 3);
        assert.equal(stats.skipped['unknown_type:?'], 1);
        assert.equal(stats.skipped['schema:user'], 1);
        for (const k of Object.keys(stats.skipped)) assertNoSecrets(Buffer.from(k), 'a skipped-lines reason');
        const rows = e.store.db
          .prepare('SELECT path, reason, count, last_detail FROM ingest_diagnostics ORDER BY reason')
          .all()
          .map((r) => ({ path: r.path, reason: r.reason, count: Number(r.count), detail: r.last_detail }));
        // positions and reasons: the last malformed line (line 5 of the file, at its byte offset), its length
        const goodLines = good.split('\n').filter(Boolean);
        const offsetOf = (i: number) =>
          Buffer.byteLength(good) + bad.slice(0, i).reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
        assert.deepEqual(rows, [
          {
            path: p,
            reason: 'invalid_json',
            count: 3,
            detail: `line ${goodLines.length + 3}, byte ${offsetOf(2)}: ${Buffer.byteLength(bad[2]!)} bytes`,
          },
          {
            path: p,
            reason: 'schema:user',
            count: 1,
            detail: `line ${goodLines.length + 5}, byte ${offsetOf(4)}: message.content invalid_union`,
          },
          {
            path: p,
            reason: 'unknown_type:?',
            count: 1,
            detail: `line ${goodLines.length + 4}, byte ${offsetOf(3)}`,
          },
        ]);
      } finally {
        e.close();
      }
      assertNoSecrets(storeBytes(tree.db), 'the closed store');
    });
  }

  it('an unknown type that looks like a record type name is kept in the reason (new CLI versions show up)', async () => {
    tree.write(`-p/${SID}.jsonl`, jsonl(JSON.stringify({ type: 'brand-new_type2', sessionId: SID })));
    const e = await openEngine(tree);
    try {
      const stats = await e.scan();
      assert.deepEqual(stats.skipped, { 'unknown_type:brand-new_type2': 1 });
    } finally {
      e.close();
    }
  });

  it('schema v8 migration clears stored details and unknown-type reasons that may hold text', async () => {
    let s = await Store.open(tree.db, 'node:sqlite');
    const ins = s.db.prepare('INSERT INTO ingest_diagnostics (path, reason, count, last_detail) VALUES (?,?,?,?)');
    ins.run(['/a.jsonl', 'invalid_json', 2, `offset 10: Unexpected token 'p', "${PASSWORD}"... is not valid JSON`]);
    ins.run(['/a.jsonl', `unknown_type:${API_KEY.slice(0, 40)}`, 3, null]);
    ins.run(['/a.jsonl', `unknown_type:${TYPE_SECRET}`, 1, null]);
    ins.run(['/a.jsonl', 'unknown_type:?', 1, null]);
    ins.run(['/a.jsonl', 'unknown_type:away_summary', 4, 'offset 99']);
    // Replays v8 (and every later step) over rows an older build stored.
    s.db.exec('PRAGMA user_version = 7');
    s.close();
    s = await Store.open(tree.db, 'node:sqlite');
    try {
      assert.equal(Number(s.db.prepare('PRAGMA user_version').get()!.user_version), SCHEMA_VERSION);
      const rows = s.db
        .prepare('SELECT reason, count, last_detail FROM ingest_diagnostics ORDER BY reason')
        .all()
        .map((r) => [r.reason, Number(r.count), r.last_detail]);
      assert.deepEqual(rows, [
        ['invalid_json', 2, null],
        ['unknown_type:?', 5, null],
        ['unknown_type:away_summary', 4, null],
      ]);
    } finally {
      s.close();
    }
    assertNoSecrets(storeBytes(tree.db), 'the migrated store');
  });
});
