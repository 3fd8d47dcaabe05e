import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';
import { readToolDurations, readToolDurationsFromFile } from '../../../src/infra/sqlite/toolDurationReads';

describe('usual tool durations from the store', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-tooldur-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads finished calls since a time, newest first, and folds them per tool (read-only from the host)', async () => {
    const file = path.join(tmp, 'store.db');
    const s = await Store.open(file, 'node:sqlite');
    const insert = s.db.prepare('INSERT INTO tool_calls (id, session_id, name, ts, result_ts) VALUES (?,?,?,?,?)');
    for (let i = 1; i <= 10; i++) insert.run([`b${i}`, 's', 'Bash', 10_000 + i, 10_000 + i + i * 1000]);
    insert.run(['old', 's', 'Bash', 10, 10 + 999_999]); // before the window
    insert.run(['open', 's', 'Bash', 20_000, null]); // no result yet
    insert.run(['noname', 's', null, 20_000, 20_001]); // a result line before its call line
    insert.run(['r1', 's', 'Read', 20_000, 20_005]);
    const want = new Map([
      ['Bash', { samples: 10, medianMs: 5000, p90Ms: 9000 }],
      ['Read', { samples: 1, medianMs: 5, p90Ms: 5 }],
    ]);
    assert.deepEqual(readToolDurations(s.db, { sinceMs: 1000, limit: 100 }), want);
    s.close();
    assert.deepEqual(readToolDurationsFromFile(file, { sinceMs: 1000, limit: 100 }), want);
    assert.equal(readToolDurationsFromFile(path.join(tmp, 'none.db'), { sinceMs: 0, limit: 1 }), undefined);
  });
});
