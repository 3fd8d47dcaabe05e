/**
 * Issue 14 §8: a transcript file holding only a summary record showed as an empty session (no time, no prompts,
 * "unpriced"), so the dashboard said 36 sessions where there were 35. Metadata (titles, summaries, Claude's cost)
 * may describe a session, never create one.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';

/** The migration tested here (the later ones run after it again: they are idempotent). */
const V8 = 8;

import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { TempTree } from './engine';
import { assistant, jsonl, prompt } from './lines';

const REAL = '11111111-0000-4000-8000-000000000001';
const ONLY_SUMMARY = '22222222-0000-4000-8000-000000000002';
const ONLY_META = '33333333-0000-4000-8000-000000000003';
const ONLY_SYSTEM = '44444444-0000-4000-8000-000000000004';

const cct = (argv: string[]) => runCct(argv, { CCT_HMAC_KEY: 'meta-only-test-key-0123456789abcdef' });

const realSession = jsonl(
  JSON.stringify({ type: 'summary', summary: 'Fix the login bug', leafUuid: 'r-a' }),
  prompt({ uuid: 'r-u', sessionId: REAL, ts: '2026-11-02T09:00:00.000Z', text: 'fix login' }),
  assistant({
    uuid: 'r-a',
    sessionId: REAL,
    ts: '2026-11-02T09:00:05.000Z',
    msgId: 'm-r',
    reqId: 'q-r',
    usage: { in: 1000, out: 100 },
    block: { type: 'text', text: 'done' },
  }),
);

describe('a file without user or assistant messages creates no session (issue 14 §8)', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.dispose());

  it('cct scan totals, cct sessions and cct report count only sessions with messages; metadata still lands on real ones', async () => {
    tree.write(`-p/${REAL}.jsonl`, realSession);
    // the shape the issue found: a file holding one legacy summary (pointing at a leaf elsewhere)
    tree.write(
      `-p/${ONLY_SUMMARY}.jsonl`,
      jsonl(JSON.stringify({ type: 'summary', summary: 'Old conversation', leafUuid: 'elsewhere' })),
    );
    // titles and Claude's own cost for a session that has no messages anywhere
    tree.write(
      `-q/${ONLY_META}.jsonl`,
      jsonl(
        JSON.stringify({ type: 'custom-title', sessionId: ONLY_META, customTitle: 'renamed' }),
        JSON.stringify({ type: 'ai-title', sessionId: ONLY_META, aiTitle: 'a title' }),
        JSON.stringify({ type: 'cost-state', sessionId: ONLY_META, totalCostUSD: 0.5 }),
      ),
    );
    // system lines only (hook summaries, durations): times, but no message
    tree.write(
      `-q/${ONLY_SYSTEM}.jsonl`,
      jsonl(
        JSON.stringify({
          type: 'system',
          subtype: 'turn_duration',
          sessionId: ONLY_SYSTEM,
          uuid: 's1',
          timestamp: '2026-11-02T09:10:00.000Z',
          cwd: '/home/dev/q',
          durationMs: 5,
        }),
      ),
    );
    const root = path.join(tree.root, 'cfg');
    const scan = await cct(['scan', '--root', root, '--db', tree.db, '--json']);
    assert.equal(scan.code, 0, scan.err);
    const stats = JSON.parse(scan.out);
    assert.equal(stats.files, 4);
    assert.equal(stats.totals.sessions, 1);

    const sessions = JSON.parse((await cct(['sessions', '--db', tree.db, '--json'])).out) as {
      sessionId: string;
      title: string;
      userPrompts: number;
    }[];
    assert.deepEqual(
      sessions.map((s) => [s.sessionId, s.title, s.userPrompts]),
      [[REAL, 'Fix the login bug', 1]],
    );
    const report = JSON.parse((await cct(['report', 'session', '--db', tree.db, '--json', '--tz', 'UTC'])).out);
    assert.deepEqual(
      report.sessions.map((s: { sessionId: string }) => s.sessionId),
      [REAL],
    );
    const text = (await cct(['sessions', '--db', tree.db])).out;
    assert.doesNotMatch(text, /unpriced/);
    assert.doesNotMatch(text, new RegExp(ONLY_SUMMARY.slice(0, 8)));

    // metadata appended later to a session that exists still updates it (Claude's cost is written at exit)
    tree.append(
      `-p/${REAL}.jsonl`,
      jsonl(
        JSON.stringify({ type: 'cost-state', sessionId: REAL, totalCostUSD: 0.25 }),
        JSON.stringify({ type: 'custom-title', sessionId: REAL, customTitle: 'login fixed' }),
      ),
    );
    const again = JSON.parse((await cct(['scan', '--root', root, '--db', tree.db, '--json'])).out);
    assert.equal(again.totals.sessions, 1);
    const after = JSON.parse((await cct(['sessions', '--db', tree.db, '--json'])).out);
    assert.deepEqual(
      after.map((s: { sessionId: string; title: string; claudeCostUsd: number }) => [
        s.sessionId,
        s.title,
        s.claudeCostUsd,
      ]),
      [[REAL, 'login fixed', 0.25]],
    );
  });

  it(`schema v${V8} removes the empty sessions earlier versions stored for such files`, async () => {
    let s = await Store.open(tree.db, 'node:sqlite');
    const ins = s.db.prepare(
      'INSERT INTO sessions (session_id, title, title_rank, claude_cost_usd, first_ts, last_ts, project_path) VALUES (?,?,?,?,?,?,?)',
    );
    ins.run([ONLY_SUMMARY, 'Old conversation', 1, null, null, null, null]);
    ins.run([ONLY_META, 'renamed', 3, 0.5, null, null, null]);
    ins.run([REAL, 'kept: has a prompt', 1, null, null, null, null]);
    s.db
      .prepare("INSERT INTO interactions (id, session_id, kind, is_sidechain) VALUES ('p:x', ?, 'prompt', 0)")
      .run([REAL]);
    s.db.exec(`PRAGMA user_version = ${V8 - 1}`);
    s.close();
    s = await Store.open(tree.db, 'node:sqlite');
    try {
      assert.deepEqual(
        s.sessions().map((r) => r.sessionId),
        [REAL],
      );
    } finally {
      s.close();
    }
  });
});
