/**
 * `cct insights` in Japanese: with `--lang ja`, or when the environment's message locale (LC_ALL, LC_MESSAGES,
 * LANG, the first one set) is Japanese; over the real-CLI fixtures scanned into a real store. `--json` stays
 * English (message) with messageId and params; English human output is unchanged by a Japanese-free environment.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Insight } from '../../../src/core/analytics/insights';
import { formatAnalyticsMessage } from '../../../src/shared/analyticsText';
import { runCct } from '../../helpers/cct';
import { CLI_TREE } from '../fixtures/expected';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** The string params of a message: session ids, tools, models, project names. */
const stringsIn = (x: unknown): string[] =>
  typeof x === 'string'
    ? [x]
    : Array.isArray(x)
      ? x.flatMap(stringsIn)
      : x && typeof x === 'object'
        ? Object.values(x).flatMap(stringsIn)
        : [];

describe('cct insights in Japanese (--lang, LC_ALL / LC_MESSAGES / LANG)', () => {
  let tmp = '';
  let db = '';
  const insights = (args: string[], env: Record<string, string> = {}) =>
    runCct(['insights', '--db', db, '--tz', 'UTC', '--now', '2026-11-29T00:00:00Z', ...args], {
      HOME: os.tmpdir(),
      ...env,
    });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-insights-lang-'));
    db = path.join(tmp, 'store.db');
    const scan = await runCct(['scan', '--root', CLI_TREE, '--db', db, '--json'], { HOME: os.tmpdir() });
    assert.equal(scan.code, 0, scan.err);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--lang ja: every insight line in Japanese, and no English word left but identifiers, paths and flags', async () => {
    const r = await insights(['--lang', 'ja']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse((await insights(['--json'])).out);
    assert.ok(json.insights.length > 0);
    const lines = r.out.split('\n');
    assert.match(lines[0]!, /^インサイト（\d+ セッション、\$[\d.]+、タイムゾーン UTC）$/);
    json.insights.forEach((i: Insight, n: number) => {
      const sev = { high: '高', medium: '中', low: '低' }[i.severity];
      assert.equal(lines[n + 1], `${String(n + 1).padStart(3)}. [${sev}] ${formatAnalyticsMessage(i, 'ja')}`);
      assert.match(lines[n + 1]!, JAPANESE);
    });
    // What the data itself names stays as it is: session ids, tools, topic terms (from prompts), zone, models.
    const identifiers: string[] = [
      ...json.insights.flatMap((i: Insight) => [...i.evidence.sessionIds, ...stringsIn(i.params)]),
      ...json.efficiency.tools.map((t: { tool: string }) => t.tool),
      ...json.topics.flatMap((t: { terms: string[] }) => t.terms),
      ...json.byModel.map((m: { key: string }) => m.key),
      json.timeZone,
    ];
    let rest = r.out;
    for (const id of [...new Set(identifiers)].sort((a, b) => b.length - a.length)) rest = rest.split(id).join(' ');
    rest = rest.replace(/--[a-z-]+|\b\w*_\w*\b|\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, ' ');
    const english = (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['API', 'USD'].includes(w));
    assert.deepEqual(english, [], r.out);
  });

  it('the environment chooses the language when --lang is absent: LC_ALL, then LC_MESSAGES, then LANG', async () => {
    const en = (await insights([])).out;
    const ja = (await insights(['--lang', 'ja'])).out;
    assert.notEqual(en, ja);
    assert.match(en, /^Insights \(/);
    const cases: [Record<string, string>, string][] = [
      [{ LANG: 'ja_JP.UTF-8' }, ja],
      [{ LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'en_US.UTF-8' }, ja],
      [{ LC_ALL: 'ja_JP.UTF-8', LANG: 'en_US.UTF-8' }, ja],
      [{ LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }, en],
      [{ LC_ALL: '', LANG: 'ja_JP.UTF-8' }, ja],
      [{ LANG: 'fr_FR.UTF-8' }, en],
    ];
    for (const [env, want] of cases) assert.equal((await insights([], env)).out, want, JSON.stringify(env));
    assert.equal((await insights(['--lang', 'en'], { LANG: 'ja_JP.UTF-8' })).out, en, '--lang wins');
  });

  it('--json stays English (message) with messageId and params, whatever the locale', async () => {
    const plain = await insights(['--json']);
    const ja = await insights(['--json', '--lang', 'ja'], { LANG: 'ja_JP.UTF-8' });
    assert.equal(ja.out, plain.out);
    const a = JSON.parse(ja.out);
    for (const i of a.insights) {
      assert.ok(i.messageId && i.params, JSON.stringify(i));
      assert.equal(formatAnalyticsMessage(i, 'en'), i.message);
    }
  });

  it('an unknown --lang is a usage error naming the choices', async () => {
    const r = await insights(['--lang', 'fr']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--lang must be one of en, ja, got 'fr'/);
  });
});
