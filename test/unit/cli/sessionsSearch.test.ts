import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCct } from '../../helpers/cct';
import { FIXTURE_ROOT } from '../../helpers/dashboardFixtureStore';

describe('cct sessions --sort/--limit/--offset and cct search (real-CLI fixtures)', function () {
  this.timeout(60_000);
  let dir: string;
  let db: string;
  const env = () => ({ HOME: dir, CLAUDE_CONFIG_DIR: FIXTURE_ROOT });
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-cli-dash-'));
    db = path.join(dir, 'store.db');
    assert.equal((await runCct(['scan', '--root', FIXTURE_ROOT, '--db', db, '--serial'], env())).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pages the same list the unpaged command prints, in the asked order', async () => {
    const all = JSON.parse((await runCct(['sessions', '--db', db, '--json'], env())).out) as {
      sessionId: string;
      costUsd: number | null;
    }[];
    const byCost = [...all].sort(
      (a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || (a.sessionId < b.sessionId ? 1 : -1),
    );
    const page1 = JSON.parse(
      (await runCct(['sessions', '--db', db, '--json', '--sort', 'cost', '--limit', '3'], env())).out,
    );
    const page2 = JSON.parse(
      (await runCct(['sessions', '--db', db, '--json', '--sort', 'cost', '--limit', '3', '--offset', '3'], env())).out,
    );
    assert.deepEqual(
      [...page1, ...page2],
      byCost.slice(0, 6).map((s) => all.find((x) => x.sessionId === s.sessionId)),
      'same objects as the unpaged JSON (the contract), largest cost first',
    );
    const asc = JSON.parse((await runCct(['sessions', '--db', db, '--json', '--sort', 'time', '--asc'], env())).out);
    assert.equal(asc.length, Math.min(50, all.length));
  });

  it('refuses bad paging flags as usage errors', async () => {
    for (const args of [
      ['--sort', 'name'],
      ['--limit', '0'],
      ['--offset', '-1'],
      ['--limit', '1e3'],
    ]) {
      const r = await runCct(['sessions', '--db', db, ...args], env());
      assert.equal(r.code, 2, args.join(' '));
    }
  });

  it('search --json: one row per matching prompt or response, best first, masked snippets', async () => {
    const r = await runCct(['search', 'background', '--db', db, '--json'], env());
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as {
      sessionId: string;
      projectPath: string;
      at: string;
      role: string;
      snippet: string;
    }[];
    assert.ok(rows.length >= 4);
    for (const h of rows) {
      assert.deepEqual(Object.keys(h), ['sessionId', 'projectPath', 'at', 'role', 'snippet']);
      assert.match(h.snippet, /background/i);
      assert.ok(['prompt', 'response'].includes(h.role));
      assert.ok(!Number.isNaN(Date.parse(h.at)));
    }
    const limited = JSON.parse(
      (await runCct(['search', 'background', '--db', db, '--json', '--limit', '2'], env())).out,
    );
    assert.deepEqual(limited, rows.slice(0, 2));
    const beta = JSON.parse(
      (await runCct(['search', 'scenario', '--db', db, '--json', '--project', 'alpha'], env())).out,
    );
    assert.ok(beta.length > 0 && beta.every((h: { projectPath: string }) => h.projectPath.includes('alpha')));
    const secret = await runCct(['search', 'cctFixtureZq9Zq9Zq9Zq9Zq9Zq9Zq9Zq9Xy', '--db', db, '--json'], env());
    assert.deepEqual(JSON.parse(secret.out), []);
    assert.equal((await runCct(['search', '--db', db], env())).code, 2);
  });
});
