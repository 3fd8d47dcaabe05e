/**
 * `cct privacy-report` (issue 12) on real stores: the real-CLI fixtures scanned (their planted secrets are found by
 * built-in rules, now recorded per rule at ingest), and a store with planted findings of known times, rules, sessions
 * and a re-mask record, checked by hand. The report holds counts and rule names, never a secret.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';
import { PrivacyReportSchema } from '../../../src/shared/protocol/privacyReport';
import { runCct } from '../../helpers/cct';
import { CLI_TREE, manifest } from '../fixtures/expected';

const cct = (argv: string[]) => runCct(argv, { HOME: os.tmpdir() });

describe('cct privacy-report', () => {
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-privacy-report-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('real-CLI fixtures: every finding has its rule; no secret value in the report', async () => {
    const db = path.join(tmp, 'fixtures.db');
    const scan = await cct(['scan', '--root', CLI_TREE, '--db', db, '--json']);
    assert.equal(scan.code, 0, scan.err);
    const r = await cct(['privacy-report', '--db', db, '--json', '--tz', 'UTC']);
    assert.equal(r.code, 0, r.err);
    const report = PrivacyReportSchema.parse(JSON.parse(r.out));
    // the planted secrets are all in the tools session's transcript (…0001): a credential of each kind planted
    const cats = Object.fromEntries(report.byCategory.map((c) => [c.category, c.kind]));
    for (const c of ['github_token', 'anthropic_api_key', 'aws_access_key_id', 'slack_token', 'stripe_key', 'jwt'])
      assert.equal(cats[c], 'credential', c);
    assert.equal(cats.email, 'pii');
    // a fresh scan records every finding's rule: nothing "(not recorded)", and rules sum to the categories
    assert.ok(report.byRule.every((x) => x.ruleId !== null && !x.custom));
    assert.equal(
      report.byRule.reduce((n, x) => n + x.findings, 0),
      report.totals.findings,
    );
    const rules = new Set(report.byRule.map((x) => x.ruleId));
    for (const id of ['github-classic-token', 'anthropic-api-key', 'aws-access-key-id', 'slack-token', 'jwt'])
      assert.ok(rules.has(id), id);
    // all findings are on 2026-11-28 (UTC), in the alpha project's sessions
    assert.deepEqual(
      [...new Set(report.overTime.rows.map((x) => x.bucket))],
      ['2026-11-23'], // "all" is weekly; weeks start on Monday
    );
    assert.ok(report.topSessions.every((s) => s.projectPath === '/tmp/cct-fixture-home/work/alpha'));
    assert.equal(report.remask.state, 'never');
    for (const s of manifest.secrets) assert.ok(!r.out.includes(s.value), `${s.id} absent from the report`);
    const human = await cct(['privacy-report', '--db', db, '--tz', 'UTC']);
    assert.match(human.out, /archive last re-masked: never/);
    for (const s of manifest.secrets) assert.ok(!human.out.includes(s.value), `${s.id} absent from the table`);
  });

  it('planted findings: by category, rule (custom, unrecorded), day in the zone, top sessions, last re-mask', async () => {
    const db = path.join(tmp, 'planted.db');
    const store = await Store.open(db);
    try {
      const x = store.db;
      const at = (iso: string) => Date.parse(iso);
      x.prepare('INSERT INTO sessions (session_id, project_path, title, first_ts, last_ts) VALUES (?,?,?,?,?)').run([
        'sess-a',
        '/w/acme',
        'deploy',
        at('2026-11-20T10:00:00Z'),
        at('2026-11-27T23:30:00Z'),
      ]);
      x.prepare('INSERT INTO sessions (session_id, project_path, first_ts, last_ts) VALUES (?,?,?,?)').run([
        'sess-b',
        '/w/other',
        at('2026-11-28T01:00:00Z'),
        at('2026-11-28T01:10:00Z'),
      ]);
      const inter = x.prepare("INSERT INTO interactions (id, session_id, kind, ts) VALUES (?, ?, 'prompt', ?)");
      inter.run(['p:1', 'sess-a', at('2026-11-20T10:00:00Z')]);
      inter.run(['p:2', 'sess-a', at('2026-11-27T23:30:00Z')]); // Nov 28 08:30 in Tokyo
      inter.run(['p:3', 'sess-b', at('2026-11-28T01:00:00Z')]);
      x.prepare(
        "INSERT INTO tool_calls (id, session_id, name, ts, result_ts) VALUES ('tu1', 'sess-b', 'Bash', ?, ?)",
      ).run([at('2026-11-28T01:05:00Z'), at('2026-11-28T01:06:00Z')]);
      const f = x.prepare('INSERT INTO privacy_findings (row_key, session_id, category, count) VALUES (?,?,?,?)');
      const fr = x.prepare(
        'INSERT INTO privacy_rule_findings (row_key, session_id, category, rule_id, count) VALUES (?,?,?,?,?)',
      );
      // p:1 — stored before v9: a category count without its rule
      f.run(['p:1', 'sess-a', 'email', 2]);
      // p:2 — the custom rule found two company tokens, the built-in rule one GitHub token
      f.run(['p:2', 'sess-a', 'acme_token', 2]);
      fr.run(['p:2', 'sess-a', 'acme_token', 'custom:acme-token', 2]); // compiled custom rules carry custom:
      f.run(['p:2', 'sess-a', 'github_token', 1]);
      fr.run(['p:2', 'sess-a', 'github_token', 'github-classic-token', 1]);
      // tool input and result of sess-b; the title of sess-a (no time of its own: the session's last activity)
      f.run(['tc:tu1', 'sess-b', 'password', 1]);
      fr.run(['tc:tu1', 'sess-b', 'password', 'cli-password-flag', 1]);
      f.run(['tr:tu1', 'sess-b', 'password', 1]);
      fr.run(['tr:tu1', 'sess-b', 'password', 'named-secret-assignment', 1]);
      f.run(['title:sess-a', 'sess-a', 'email', 1]);
      fr.run(['title:sess-a', 'sess-a', 'email', 'email', 1]);
      x.prepare("INSERT INTO meta (key, value) VALUES ('remask_last', ?)").run([
        JSON.stringify({ at: '2026-11-25T09:00:00.000Z', level: 'strict', rulesHash: 'abc123' }),
      ]);
    } finally {
      store.close();
    }
    const rulesFile = path.join(tmp, 'rules.json');
    fs.writeFileSync(
      rulesFile,
      JSON.stringify([{ id: 'acme-token', category: 'acme_token', keywords: ['acme_'], pattern: 'acme_[a-z0-9]{16}' }]),
    );
    const run = async (...extra: string[]) => {
      const r = await cct(['privacy-report', '--db', db, '--json', '--now', '2026-11-28T12:00:00Z', ...extra]);
      assert.equal(r.code, 0, r.err);
      return PrivacyReportSchema.parse(JSON.parse(r.out));
    };

    const all = await run('--tz', 'Asia/Tokyo', '--level', 'strict', '--rules', rulesFile);
    assert.equal(all.level, 'strict');
    assert.deepEqual(all.customRules, [
      { id: 'custom:acme-token', category: 'acme_token', level: 'minimal', kind: 'credential' },
    ]);
    assert.deepEqual(all.remask, {
      state: 'done',
      at: '2026-11-25T09:00:00.000Z',
      level: 'strict',
      rulesHash: 'abc123',
    });
    assert.deepEqual(all.totals, { findings: 8, sessions: 2, categories: 4 });
    assert.deepEqual(
      all.byCategory.map((c) => [c.category, c.findings]),
      [
        ['email', 3],
        ['acme_token', 2],
        ['password', 2],
        ['github_token', 1],
      ],
    );
    assert.deepEqual(
      all.byRule.map((r) => [r.ruleId, r.category, r.custom, r.findings]),
      [
        ['custom:acme-token', 'acme_token', true, 2],
        [null, 'email', false, 2],
        ['email', 'email', false, 1],
        ['github-classic-token', 'github_token', false, 1],
        ['cli-password-flag', 'password', false, 1],
        ['named-secret-assignment', 'password', false, 1],
      ],
    );
    assert.deepEqual(
      all.topSessions.map((s) => [s.sessionId, s.findings, s.projectPath, s.categories]),
      [
        ['sess-a', 6, '/w/acme', { acme_token: 2, email: 3, github_token: 1 }],
        ['sess-b', 2, '/w/other', { password: 2 }],
      ],
    );
    assert.equal(all.overTime.unit, 'week');

    // 7 local days in Tokyo (Nov 22–28): p:1 (Nov 20) is out; p:2 and the title (Nov 28 08:30 JST) and sess-b's
    // tool call (Nov 28 10:05 JST) are on the last day
    const week = await run('--tz', 'Asia/Tokyo', '--range', '7d');
    assert.equal(week.overTime.unit, 'day');
    assert.equal(week.overTime.buckets.length, 7);
    assert.equal(week.overTime.buckets[0], '2026-11-22');
    assert.deepEqual(
      week.overTime.rows.map((r) => [r.bucket, r.category, r.findings]),
      [
        ['2026-11-28', 'acme_token', 2],
        ['2026-11-28', 'email', 1],
        ['2026-11-28', 'github_token', 1],
        ['2026-11-28', 'password', 2],
      ],
    );
    assert.equal(week.totals.findings, 6);
    // in New York the same instants fall on Nov 27 (p:2, title: 18:30 EST) and Nov 27 (sess-b: 20:05 EST)
    const ny = await run('--tz', 'America/New_York', '--range', '7d');
    assert.deepEqual([...new Set(ny.overTime.rows.map((r) => r.bucket))], ['2026-11-27']);
    assert.equal(ny.customRules.length, 0);
    assert.equal(ny.level, 'standard');
  });

  it('a damaged re-mask record and invalid custom rules are reported, not hidden', async () => {
    const db = path.join(tmp, 'damaged.db');
    const store = await Store.open(db);
    store.db.prepare("INSERT INTO meta (key, value) VALUES ('remask_last', '{not json')").run();
    store.close();
    const bad = path.join(tmp, 'bad-rules.json');
    fs.writeFileSync(bad, JSON.stringify([{ id: 'x', category: 'Bad Category', keywords: ['ab'], pattern: 'ab' }]));
    const r = await cct(['privacy-report', '--db', db, '--json', '--rules', bad]);
    assert.equal(r.code, 2);
    const report = PrivacyReportSchema.parse(JSON.parse(r.out));
    assert.equal(report.remask.state, 'unreadable');
    assert.match(report.customRulesError ?? '', /category/);
    assert.equal(report.totals.findings, 0);
    const human = await cct(['privacy-report', '--db', db]);
    assert.equal(human.code, 0);
    assert.match(human.out, /archive last re-masked: unreadable record/);
    assert.match(human.out, /no findings/);
    const missing = await cct(['privacy-report', '--db', path.join(tmp, 'nope.db')]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /no store at/);
    const badRange = await cct(['privacy-report', '--db', db, '--range', '2w']);
    assert.equal(badRange.code, 2);
  });
});
