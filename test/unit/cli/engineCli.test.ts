import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt, toolResult } from '../transcript/lines';

const cct = (argv: string[], env: Record<string, string> = {}) =>
  runCct(argv, { CCT_HMAC_KEY: 'cli-test-key-0123456789abcdef', ...env });

const A = 'eeeeeeee-0000-4000-8000-00000000000a';
const B = '99999999-0000-4000-8000-00000000000b';
const SECRET = `ghp_${'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'}`;

describe('cct scan / sessions / report / export (the output contract)', () => {
  let tree: TempTree;
  let db: string;
  before(async () => {
    tree = new TempTree();
    db = tree.db;
    // A: two messages either side of midnight UTC (23:30 and 00:30), opus-4-5
    tree.write(
      `-home-dev-alpha/${A}.jsonl`,
      jsonl(
        prompt({
          uuid: 'u1',
          sessionId: A,
          ts: '2026-11-20T23:29:00.000Z',
          text: `use ${SECRET} <b>bold</b>`,
          cwd: '/home/dev/alpha',
        }),
        assistant({
          uuid: 'a1',
          sessionId: A,
          ts: '2026-11-20T23:30:00.000Z',
          msgId: 'm1',
          reqId: 'r1',
          usage: { in: 1000, out: 100 },
          cwd: '/home/dev/alpha',
          block: { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: `echo ${SECRET}` } },
        }),
        toolResult({
          uuid: 'u2',
          sessionId: A,
          ts: '2026-11-20T23:30:01.000Z',
          toolUseId: 'toolu_1',
          content: 'done',
          cwd: '/home/dev/alpha',
        }),
        assistant({
          uuid: 'a2',
          sessionId: A,
          ts: '2026-11-21T00:30:00.000Z',
          msgId: 'm2',
          reqId: 'r2',
          usage: { in: 2000, out: 200 },
          cwd: '/home/dev/alpha',
          block: { type: 'text', text: 'all good' },
        }),
      ),
    );
    // B: one message in March (Berlin switches to summer time on 2026-03-29), haiku-4-5
    tree.write(
      `-home-dev-beta/${B}.jsonl`,
      jsonl(
        prompt({ uuid: 'v1', sessionId: B, ts: '2026-03-28T23:29:00.000Z', text: 'spring', cwd: '/home/dev/beta' }),
        assistant({
          uuid: 'b1',
          sessionId: B,
          ts: '2026-03-28T23:30:00.000Z',
          msgId: 'm3',
          reqId: 'r3',
          model: 'claude-haiku-4-5',
          usage: { in: 10, out: 1, cr: 100 },
          cwd: '/home/dev/beta',
          block: { type: 'text', text: 'bloom' },
        }),
      ),
    );
  });
  after(() => tree.dispose());

  it('scan --json: {files, lines, sessions, interactions, apiMessages, skipped, ms}; --root accepts a projects/ dir too', async () => {
    const r = await cct(['scan', '--root', path.join(tree.root, 'cfg'), '--db', db, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(
      {
        files: j.files,
        lines: j.lines,
        sessions: j.sessions,
        interactions: j.interactions,
        apiMessages: j.apiMessages,
        skipped: j.skipped,
      },
      { files: 2, lines: 6, sessions: 2, interactions: 5, apiMessages: 3, skipped: {} },
    );
    assert.equal(typeof j.ms, 'number');
    const again = JSON.parse((await cct(['scan', '--root', tree.projects, '--db', db, '--json'])).out);
    assert.deepEqual([again.files, again.lines, again.apiMessages], [2, 0, 0]);
  });

  it('sessions --json: one element per session with the contract fields, priced', async () => {
    const r = await cct(['sessions', '--db', db, '--json']);
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as Record<string, unknown>[];
    assert.deepEqual(
      list.map((s) => s.sessionId),
      [B, A],
    );
    const a = list[1]!;
    for (const k of [
      'sessionId',
      'projectPath',
      'gitBranch',
      'startTime',
      'endTime',
      'userPrompts',
      'apiMessages',
      'toolCalls',
      'tokens',
      'costUsd',
      'claudeCostUsd',
      'models',
      'unpricedModels',
    ]) {
      assert.ok(k in a, `missing ${k}`);
    }
    assert.deepEqual(
      { ...a, title: undefined, status: undefined, cliVersion: undefined, entrypoint: undefined },
      {
        sessionId: A,
        projectPath: '/home/dev/alpha',
        gitBranch: 'main',
        title: undefined,
        status: undefined,
        cliVersion: undefined,
        entrypoint: undefined,
        startTime: '2026-11-20T23:29:00.000Z',
        endTime: '2026-11-21T00:30:00.000Z',
        userPrompts: 1,
        apiMessages: 2,
        toolCalls: { Bash: 1 },
        tokens: { input: 3000, output: 300, cacheCreation: 0, cacheRead: 0 },
        cacheCreation5m: 0,
        cacheCreation1h: 0,
        // opus-4-5: 3000·$5 + 300·$25 per MTok = 15000 + 7500 µ$
        costUsd: 0.0225,
        claudeCostUsd: null,
        models: ['claude-opus-4-5'],
        unpricedModels: [],
        git: null, // /home/dev/alpha is no repository here (issue 13)
      },
    );
    const filtered = JSON.parse((await cct(['sessions', '--db', db, '--json', '--project', 'BETA'])).out);
    assert.deepEqual(
      filtered.map((s: { sessionId: string }) => s.sessionId),
      [B],
    );
    const since = JSON.parse(
      (await cct(['sessions', '--db', db, '--json', '--since', '2026-11-01', '--tz', 'UTC'])).out,
    );
    assert.deepEqual(
      since.map((s: { sessionId: string }) => s.sessionId),
      [A],
    );
  });

  it('report daily buckets by the local calendar of --tz (midnight and DST edges)', async () => {
    const days = async (tz: string) => {
      const r = await cct(['report', 'daily', '--db', db, '--json', '--tz', tz]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      return j.daily.map((d: { period: string; tokens: { input: number } }) => [d.period, d.tokens.input]);
    };
    assert.deepEqual(await days('UTC'), [
      ['2026-03-28', 10],
      ['2026-11-20', 1000],
      ['2026-11-21', 2000],
    ]);
    // UTC takes the fixed-offset path (rollup grouped by day in SQL); Africa/Abidjan (also +00:00, no DST) the
    // 15-minute path: same buckets, tokens and cost.
    assert.deepEqual(await days('Africa/Abidjan'), await days('UTC'));
    for (const kind of ['daily', 'weekly', 'monthly']) {
      const a = JSON.parse((await cct(['report', kind, '--db', db, '--json', '--tz', 'UTC'])).out);
      const b = JSON.parse((await cct(['report', kind, '--db', db, '--json', '--tz', 'Africa/Abidjan'])).out);
      const strip = (rows: { costUsd: number }[]) => rows.map(({ costUsd: _c, ...rest }) => rest);
      assert.deepEqual(strip(a[kind]), strip(b[kind]), kind);
      for (const [i, r] of (a[kind] as { costUsd: number }[]).entries())
        assert.ok(Math.abs(r.costUsd - b[kind][i].costUsd) < 1e-12, kind);
    }
    assert.deepEqual(await days('Asia/Tokyo'), [
      ['2026-03-29', 10],
      ['2026-11-21', 3000],
    ]);
    assert.deepEqual(await days('America/Los_Angeles'), [
      ['2026-03-28', 10],
      ['2026-11-20', 3000],
    ]);
    // 23:30Z on 28 March is 00:30 CET on the 29th (the switch to CEST happens at 01:00Z that night)
    assert.deepEqual(await days('Europe/Berlin'), [
      ['2026-03-29', 10],
      ['2026-11-21', 3000],
    ]);
    // India is UTC+5:30: 23:30Z → 05:00 next day; the 15-minute slots keep half-hour zones exact
    assert.deepEqual(await days('Asia/Kolkata'), [
      ['2026-03-29', 10],
      ['2026-11-21', 3000],
    ]);
    const r = JSON.parse((await cct(['report', 'daily', '--db', db, '--json', '--tz', 'UTC'])).out);
    // totals: 3010 in, 301 out, 100 read; cost 22500 µ$ + haiku 10·1 + 1·5 + 100·0.1 = 25 µ$
    assert.deepEqual(r.totals.tokens, { input: 3010, output: 301, cacheCreation: 0, cacheRead: 100, total: 3411 });
    assert.ok(Math.abs(r.totals.costUsd - 0.022525) < 1e-12);
  });

  it('report weekly (ISO weeks, labelled by Monday), monthly, session; human tables are aligned', async () => {
    const weekly = JSON.parse((await cct(['report', 'weekly', '--db', db, '--json', '--tz', 'UTC'])).out);
    assert.deepEqual(
      weekly.weekly.map((w: { period: string }) => w.period),
      ['2026-03-23', '2026-11-16'],
    );
    const monthly = JSON.parse((await cct(['report', 'monthly', '--db', db, '--json', '--tz', 'UTC'])).out);
    assert.deepEqual(
      monthly.monthly.map((m: { period: string; apiMessages: number }) => [m.period, m.apiMessages]),
      [
        ['2026-03', 1],
        ['2026-11', 2],
      ],
    );
    const session = JSON.parse((await cct(['report', 'session', '--db', db, '--json'])).out);
    assert.equal(session.sessions.length, 2);
    const human = await cct(['report', 'daily', '--db', db, '--tz', 'UTC']);
    const lines = human.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^Date\s+Models\s+Input\s+Output/);
    const totalLine = lines.find((l) => l.startsWith('Total'))!;
    assert.equal(totalLine.length, lines[0]!.length, 'right-aligned columns end at the same place');
    assert.match(totalLine, /3,010/);
  });

  it('export: masked conversation as md, json and html (escaped)', async () => {
    for (const format of ['md', 'json', 'html']) {
      const r = await cct(['export', A.slice(0, 8), '--format', format, '--db', db]);
      assert.equal(r.code, 0, r.err);
      assert.ok(!r.out.includes(SECRET), `${format}: the token is masked`);
      assert.match(r.out, /all good/);
    }
    const html = (await cct(['export', A, '--format', 'html', '--db', db])).out;
    assert.match(html, /&lt;b&gt;bold&lt;\/b&gt;/);
    assert.ok(!html.includes('<b>bold</b>'));
    const json = JSON.parse((await cct(['export', A, '--format', 'json', '--db', db])).out);
    assert.deepEqual(
      json.items.map((i: { kind: string }) => i.kind),
      ['prompt', 'response', 'response'],
    );
    assert.equal(json.items[1].toolCalls[0].result, 'done');
  });

  it('errors go to stderr with a non-zero exit', async () => {
    let r = await cct(['sessions', '--db', path.join(tree.root, 'nope.db'), '--json']);
    assert.equal(r.code, 1);
    assert.match(r.err, /no store at/);
    assert.equal(r.out, '');
    r = await cct(['report', 'daily', '--db', db, '--tz', 'Mars/Olympus']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown time zone/);
    r = await cct(['report', 'hourly', '--db', db]);
    assert.equal(r.code, 2);
    r = await cct(['export', 'ffffffff', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no session/);
    r = await cct(['sessions', '--db', db, '--since', '2026-02-30']);
    assert.equal(r.code, 2);
  });
});

describe('cct sessions --prices (user overrides)', () => {
  let tree: TempTree;
  before(async () => {
    tree = new TempTree();
    const S = '77777777-0000-4000-8000-000000000001';
    tree.write(
      `-p/${S}.jsonl`,
      jsonl(
        assistant({
          uuid: 'a',
          sessionId: S,
          ts: '2026-11-20T10:00:00.000Z',
          msgId: 'm',
          reqId: 'r',
          model: 'my-proxy-model',
          usage: { in: 1_000_000, out: 0 },
          block: { type: 'text', text: 'x' },
        }),
      ),
    );
    assert.equal((await cct(['scan', '--root', tree.projects, '--db', tree.db])).code, 0);
  });
  after(() => tree.dispose());

  it('an unknown model is unpriced until an override prices it; a bad file is a usage error', async () => {
    let s = JSON.parse((await cct(['sessions', '--db', tree.db, '--json'])).out)[0];
    assert.equal(s.costUsd, null);
    assert.deepEqual(s.unpricedModels, ['my-proxy-model']);
    const file = tree.write(
      '../prices.json',
      JSON.stringify([
        {
          model: 'my-proxy-model',
          effectiveFrom: '2026-01-01',
          input: 2,
          output: 8,
          cacheWrite5m: 2.5,
          cacheWrite1h: 4,
          cacheRead: 0.2,
        },
      ]),
    );
    s = JSON.parse((await cct(['sessions', '--db', tree.db, '--json', '--prices', file])).out)[0];
    assert.equal(s.costUsd, 2);
    assert.deepEqual(s.unpricedModels, []);
    const bad = tree.write('../bad.json', JSON.stringify([{ model: 'x' }]));
    const r = await cct(['report', 'daily', '--db', tree.db, '--prices', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid price row/);
  });
});
