/**
 * The extension's `claudeTracer.sync.excludeProjects` recorded in the shared store (meta), for `cct sync push`:
 * the format (zod-checked JSON array), the recorder the extension calls whenever it applies its sync settings,
 * and the store round trip on both SQLite backends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeExclusions,
  EXCLUDED_PROJECTS_META_KEY,
  ExclusionRecorder,
  encodeExclusions,
} from '../../../src/core/sync/exclusions';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { Store } from '../../../src/infra/sqlite/store';
import { readStoredExclusions, writeStoredExclusions } from '../../../src/infra/sqlite/syncExclusions';

describe('sync exclusions recorded for the CLI', () => {
  it('decodes a JSON array of globs; anything else is unreadable, absence is "none"', () => {
    assert.deepEqual(decodeExclusions(undefined), { state: 'none' });
    assert.deepEqual(decodeExclusions(null), { state: 'none' });
    assert.deepEqual(decodeExclusions('[]'), { state: 'ok', globs: [] });
    assert.deepEqual(decodeExclusions(encodeExclusions([' **/secret ', '/a/b', '', '/a/b'])), {
      state: 'ok',
      globs: ['**/secret', '/a/b'],
    });
    for (const bad of ['', '{', '"**/x"', '{"globs":["x"]}', '[1]', '["x",null]', 'null']) {
      const r = decodeExclusions(bad);
      assert.equal(r.state, 'unreadable', `${JSON.stringify(bad)} → ${JSON.stringify(r)}`);
      assert.ok(r.state === 'unreadable' && r.error.length > 0);
    }
  });

  it('the recorder writes the latest list when the store attaches, then on every record; a failed write is reported and retried', () => {
    const writes: string[][] = [];
    const errors: unknown[] = [];
    const rec = new ExclusionRecorder((e) => errors.push(e));
    rec.record(['**/early']); // settings applied before the store connection exists
    rec.record(['**/client-*']);
    assert.equal(writes.length, 0, 'nothing written before the store is attached');
    let fail = false;
    rec.attach((g) => {
      if (fail) throw new Error('database is locked');
      writes.push([...g]);
    });
    assert.deepEqual(writes, [['**/client-*']], 'only the latest list, on attach');
    rec.record(['**/client-*']); // re-applied unchanged: written again (another window may have overwritten it)
    rec.record([]); // the user removed every exclusion: recorded as an empty list, not left stale
    assert.deepEqual(writes, [['**/client-*'], ['**/client-*'], []]);
    fail = true;
    rec.record(['/work/secret']);
    assert.equal(errors.length, 1);
    fail = false;
    rec.record(['/work/secret']);
    assert.deepEqual(writes.at(-1), ['/work/secret']);
    rec.detach();
    rec.record(['/after/dispose']);
    assert.deepEqual(writes.at(-1), ['/work/secret']);
  });

  for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
    it(`store round trip in meta, read by a second connection (${backend})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cct-excl-'));
      try {
        const db = join(dir, 'store.db');
        const ext = await Store.open(db, backend);
        assert.deepEqual(readStoredExclusions(ext), { state: 'none' });
        const rec = new ExclusionRecorder((e) => assert.fail(String(e)));
        rec.record(['**/beta', '/tmp/x/*']);
        rec.attach((g) => writeStoredExclusions(ext, g));
        ext.close(); // sql.js: written to the file on close
        const cli = await Store.open(db, backend);
        assert.deepEqual(readStoredExclusions(cli), { state: 'ok', globs: ['**/beta', '/tmp/x/*'] });
        assert.equal(
          cli.db.prepare('SELECT value FROM meta WHERE key = ?').get([EXCLUDED_PROJECTS_META_KEY])!.value,
          '["**/beta","/tmp/x/*"]',
        );
        cli.db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(['["**/beta"', EXCLUDED_PROJECTS_META_KEY]);
        assert.equal(readStoredExclusions(cli).state, 'unreadable');
        cli.db.prepare('UPDATE meta SET value = NULL WHERE key = ?').run([EXCLUDED_PROJECTS_META_KEY]);
        assert.equal(readStoredExclusions(cli).state, 'unreadable', 'a NULL value is not "never recorded"');
        cli.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
