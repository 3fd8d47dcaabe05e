/**
 * The analytics rollups hold topic terms, words of a session's masked text: Forget deletes them with the session, and
 * a finished re-mask drops every cached term (recomputed from the re-masked text at the next refresh).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { Store } from '../../../src/infra/sqlite/store';

describe('store: analytics rollups follow Forget and re-mask', () => {
  let tmp = '';
  let store: Store;
  const count = (sql: string, p: (string | number)[] = []) => Number(store.db.prepare(sql).get(p)?.n ?? 0);
  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-anpriv-'));
    store = await Store.open(path.join(tmp, 'store.db'));
    const db = store.db;
    db.transaction(() => {
      for (const sid of ['keep', 'gone']) {
        db.prepare('INSERT INTO sessions (session_id, project_path, updated_at) VALUES (?, ?, 1)').run([sid, '/w/p']);
        db.prepare("INSERT INTO interactions (id, session_id, kind, ts) VALUES (?, ?, 'prompt', 1000)").run([
          `p:${sid}`,
          sid,
        ]);
        const text = `migrate the billing schema, mail zqx9-ABCDEFGHIJKLMNOPQRST ${sid}`;
        const row = db
          .prepare("INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES (?, ?, 0, 'prompt', ?)")
          .run([`x:${sid}`, `p:${sid}`, text]);
        db.prepare('INSERT INTO texts_fts (rowid, text) VALUES (?, ?)').run([row.lastInsertRowid, text]);
        db.prepare(
          "INSERT INTO api_messages (key, session_id, ts, model, input, output) VALUES (?, ?, 2000, 'claude-sonnet-4-5', 10, 20)",
        ).run([`a:${sid}`, sid]);
      }
    });
    store.refreshAnalyticsRollups(PriceTable.builtin());
  });
  afterEach(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('Forget deletes the session’s cells and facts (with its terms)', () => {
    assert.equal(
      count("SELECT count(*) AS n FROM analytics_sessions WHERE session_id = 'gone' AND terms LIKE '%schema%'"),
      1,
    );
    store.forget(['gone']);
    assert.equal(count("SELECT count(*) AS n FROM analytics_sessions WHERE session_id = 'gone'"), 0);
    assert.equal(count("SELECT count(*) AS n FROM analytics_cells WHERE session_id = 'gone'"), 0);
    assert.equal(count("SELECT count(*) AS n FROM analytics_sessions WHERE session_id = 'keep'"), 1);
  });

  it('a re-mask drops the cached terms; the next refresh recomputes them from the re-masked text', async () => {
    assert.equal(count("SELECT count(*) AS n FROM analytics_sessions WHERE terms LIKE '%abcdefghijklmnopqrst%'"), 2);
    await store.remask({
      guard: createPrivacyGuard({
        hmacKey: 'rollup-test-key-0123456789abcdef',
        customRules: [{ id: 'zqx', category: 'zqx_token', keywords: ['zqx9-'], pattern: 'zqx9-[A-Za-z0-9]{20}' }],
      }),
      level: 'standard',
      rulesHash: 'h',
      leaseOwner: 'test',
    });
    assert.equal(count('SELECT count(*) AS n FROM analytics_sessions WHERE terms IS NOT NULL'), 0);
    assert.deepEqual(store.refreshAnalyticsRollups(PriceTable.builtin()).changed.sort(), ['gone', 'keep']);
    assert.equal(count("SELECT count(*) AS n FROM analytics_sessions WHERE terms LIKE '%abcdefghijklmnopqrst%'"), 0);
    assert.equal(count("SELECT count(*) AS n FROM analytics_sessions WHERE terms LIKE '%schema%'"), 2);
  });
});
