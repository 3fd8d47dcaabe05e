import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';
import type { MetricsReport } from '../../../src/shared/protocol';
import { MetricsReportCache } from '../../../src/vscode/dashboard/metricsCache';

/** The Metrics report cache on real SQLite connections: a commit by another connection (a scan) invalidates it. */
describe('MetricsReportCache', () => {
  let tmp = '';
  let reader: Store;
  let writer: Store;
  const parts = { timeZone: 'UTC', weekStartsOn: 1, nowMs: Date.parse('2026-11-29T00:00:10Z') };
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-metrics-cache-'));
    const db = path.join(tmp, 'store.db');
    writer = await Store.open(db, 'node:sqlite');
    reader = await Store.open(db, 'node:sqlite');
  });
  after(() => {
    reader?.close();
    writer?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reuses a report until another connection commits, the minute, zone or week start changes', () => {
    const cache = new MetricsReportCache();
    const report = { range: '30d' } as MetricsReport;
    const k1 = cache.key(reader, parts);
    cache.set('30d', k1, report);
    assert.equal(cache.get('30d', cache.key(reader, parts)), report);
    assert.equal(cache.get('7d', k1), undefined);
    assert.equal(cache.get('30d', cache.key(reader, { ...parts, nowMs: parts.nowMs + 60_000 })), undefined);
    assert.equal(cache.get('30d', cache.key(reader, { ...parts, timeZone: 'Asia/Tokyo' })), undefined);
    assert.equal(cache.get('30d', cache.key(reader, { ...parts, weekStartsOn: 0 })), undefined);
    writer.db.prepare(`INSERT INTO sessions (session_id, project_path) VALUES ('s-new', '/w')`).run();
    assert.equal(cache.get('30d', cache.key(reader, parts)), undefined, 'a scan committed: computed again');
  });

  it('a reopened connection (sql.js after a scan) never reuses the old one’s report', async () => {
    const cache = new MetricsReportCache();
    const report = { range: 'all' } as MetricsReport;
    cache.set('all', cache.key(reader, parts), report);
    const other = await Store.open(reader.db.path, 'node:sqlite');
    try {
      assert.equal(cache.get('all', cache.key(other, parts)), undefined);
    } finally {
      other.close();
    }
  });
});
