import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { latestOfficialLimits } from '../../../src/core/live/rateLimits';
import { setTopLevelKey } from '../../../src/core/live/settingsJsonEdit';
import { bridgeCommand, shSingleQuote, unquoteSingle } from '../../../src/core/live/statusLineBridge';
import {
  installStatusLineBridge,
  isStatusLineBridgeInstalled,
  readOfficialLimits,
  removeStatusLineBridge,
} from '../../../src/infra/live/statusLineBridgeFiles';
import { REPO_ROOT } from '../../helpers/repo';

const SCRIPT = path.join(REPO_ROOT, 'resources', 'statusline-bridge.sh');

/** A settings.json as users have them: hooks of their own, permissions, env, a status line, unknown keys. */
const REAL_WORLD = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "permissions": {
    "allow": ["Bash(npm run test:*)", "Read(~/.zshrc)"],
    "deny": ["Read(./.env)"]
  },
  "env": { "CLAUDE_CODE_ENABLE_TELEMETRY": "0" },
  "hooks": {
    "PostToolUse": [{ "matcher": "Edit|Write", "hooks": [{ "type": "command", "command": "npx prettier --write \\"$FILE\\"" }] }]
  },
  "statusLine": { "type": "command", "command": "~/.claude/statusline.sh 'a b'", "padding": 0 },
  "someFutureKey": { "nested": [1, 2, 3] },
  "model": "opus"
}
`;

describe('Claude Code settings.json editor', () => {
  it('sets and removes one key, keeping the others, their order and the file’s indentation', () => {
    const tabbed = '{\n\t"a": 1,\n\t"statusLine": {"type": "command", "command": "x"},\n\t"z": [1]\n}\n';
    const r = setTopLevelKey(tabbed, 'statusLine', { type: 'command', command: 'y' });
    assert.ok(r.ok);
    assert.equal(
      r.text,
      '{\n\t"a": 1,\n\t"statusLine": {\n\t\t"type": "command",\n\t\t"command": "y"\n\t},\n\t"z": [\n\t\t1\n\t]\n}\n',
    );
    assert.deepEqual(r.previous, { type: 'command', command: 'x' });
    const removed = setTopLevelKey(r.text, 'statusLine', undefined);
    assert.ok(removed.ok);
    assert.deepEqual(Object.keys(JSON.parse(removed.text)), ['a', 'z']);
    const fresh = setTopLevelKey(undefined, 'k', 1);
    assert.ok(fresh.ok);
    assert.equal(fresh.text, '{\n  "k": 1\n}\n');
  });

  it('refuses invalid JSON, comments and a non-object root with a clear error', () => {
    for (const bad of ['{"a": 1,', '// c\n{"a": 1}', '[1, 2]']) {
      const r = setTopLevelKey(bad, 'statusLine', {});
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, /not valid JSON|not a JSON object/);
    }
  });
});

describe('status line bridge', () => {
  let tmp: string;
  let paths: { settingsFile: string; script: string; spoolDir: string; stateFile: string };
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-bridge-'));
    paths = {
      settingsFile: path.join(tmp, 'claude', 'settings.json'),
      script: SCRIPT,
      spoolDir: path.join(tmp, 'data', 'statusline'),
      stateFile: path.join(tmp, 'data', 'statusline-bridge.json'),
    };
    mkdirSync(path.dirname(paths.settingsFile), { recursive: true });
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const run = (command: string, stdin: string | Buffer, env: NodeJS.ProcessEnv = {}) =>
    spawnSync('sh', ['-c', command], { input: stdin, env: { ...process.env, ...env } });

  it('install chains the user’s status line; the script spools the JSON and prints its output byte for byte', () => {
    const userScript = path.join(tmp, 'user statusline.sh');
    // prints bytes that must survive untouched: colours, UTF-8, no final newline, and what it read
    writeFileSync(userScript, `#!/bin/sh\nprintf '\\033[32m✓ main\\033[0m '; cat; printf 'end'\n`);
    chmodSync(userScript, 0o755);
    writeFileSync(
      paths.settingsFile,
      REAL_WORLD.replace("~/.claude/statusline.sh 'a b'", userScript.replace(/ /g, '\\\\ ')),
    );
    const before = readFileSync(paths.settingsFile, 'utf8');
    assert.equal(installStatusLineBridge(paths), 'installed');
    assert.equal(installStatusLineBridge(paths), 'already installed', 'idempotent');
    assert.ok(isStatusLineBridgeInstalled(paths.settingsFile));
    const settings = JSON.parse(readFileSync(paths.settingsFile, 'utf8'));
    assert.deepEqual(Object.keys(settings), Object.keys(JSON.parse(before)), 'key order kept');
    assert.deepEqual(settings.hooks, JSON.parse(before).hooks, 'the user’s hooks untouched');
    assert.equal(settings.statusLine.padding, 0, 'other statusLine fields kept');

    const payload =
      '{"session_id":"s1","rate_limits":{"five_hour":{"used_percentage":42.5,"resets_at":1796000000}},\n"cost":{"total_cost_usd":0.12}}\n';
    const direct = run(`${userScript.replace(/ /g, '\\ ')}`, payload);
    const bridged = run(settings.statusLine.command, payload);
    assert.equal(bridged.status, 0);
    assert.deepEqual(bridged.stdout, direct.stdout, 'output byte-equal to the user’s own status line');
    const spooled = readFileSync(path.join(paths.spoolDir, 'statusline.jsonl'), 'utf8');
    assert.equal(spooled, `${payload.replace(/\n/g, '')}\n`, 'one line per call');
    const limits = readOfficialLimits(paths.spoolDir);
    assert.equal(limits?.fiveHour?.usedPercent, 42.5);
    assert.equal(limits?.fiveHour?.resetsAt, 1_796_000_000_000);
    assert.equal(limits?.source, 'official');

    assert.equal(removeStatusLineBridge(paths), 'removed');
    assert.equal(readFileSync(paths.settingsFile, 'utf8'), before, 'remove restores the file exactly');
    assert.equal(removeStatusLineBridge(paths), 'not installed');
  });

  it('without a previous status line: prints nothing, and remove deletes the key it added', () => {
    writeFileSync(paths.settingsFile, '{\n  "model": "opus"\n}\n');
    assert.equal(installStatusLineBridge(paths), 'installed');
    const cmd = JSON.parse(readFileSync(paths.settingsFile, 'utf8')).statusLine.command;
    const r = run(cmd, '{"session_id":"x"}');
    assert.equal(r.status, 0);
    assert.equal(r.stdout.length, 0);
    assert.equal(removeStatusLineBridge(paths), 'removed');
    assert.equal(readFileSync(paths.settingsFile, 'utf8'), '{\n  "model": "opus"\n}\n');
  });

  it('a settings.json the install created is deleted again on removal', () => {
    assert.equal(installStatusLineBridge(paths), 'installed');
    assert.ok(existsSync(paths.settingsFile));
    assert.equal(removeStatusLineBridge(paths), 'removed');
    assert.equal(existsSync(paths.settingsFile), false);
  });

  it('keeps the spool bounded: past the cap it rotates to .1 (at most twice the cap on disk)', () => {
    writeFileSync(paths.settingsFile, '{}\n');
    installStatusLineBridge(paths);
    const cmd = JSON.parse(readFileSync(paths.settingsFile, 'utf8')).statusLine.command;
    const line = JSON.stringify({ session_id: 'x', pad: 'p'.repeat(200) });
    for (let i = 0; i < 30; i++) run(cmd, line, { CCT_STATUSLINE_SPOOL_MAX_BYTES: '1000' });
    const spool = path.join(paths.spoolDir, 'statusline.jsonl');
    assert.ok(!existsSync(spool) || statSync(spool).size <= 1000 + line.length + 1);
    assert.ok(existsSync(`${spool}.1`));
    assert.ok(statSync(`${spool}.1`).size <= 1000 + line.length + 1);
  });

  it('leaves an invalid or read-only settings.json untouched, with an error that says why', () => {
    writeFileSync(paths.settingsFile, '{"statusLine": {"type": "command", "command": "x"},}');
    assert.throws(() => installStatusLineBridge(paths), /was not changed: it is not valid JSON/);
    assert.equal(readFileSync(paths.settingsFile, 'utf8'), '{"statusLine": {"type": "command", "command": "x"},}');
    writeFileSync(paths.settingsFile, '{"model": "opus"}\n');
    chmodSync(paths.settingsFile, 0o444);
    assert.throws(() => installStatusLineBridge(paths), /read-only: it was left untouched/);
    assert.equal(readFileSync(paths.settingsFile, 'utf8'), '{"model": "opus"}\n');
  });

  it('after the user edited settings.json meanwhile, removal restores the status line and keeps their edit', () => {
    writeFileSync(paths.settingsFile, REAL_WORLD);
    installStatusLineBridge(paths);
    const edited = JSON.parse(readFileSync(paths.settingsFile, 'utf8'));
    edited.model = 'sonnet';
    writeFileSync(paths.settingsFile, `${JSON.stringify(edited, null, 2)}\n`);
    assert.equal(removeStatusLineBridge(paths), 'removed');
    const after = JSON.parse(readFileSync(paths.settingsFile, 'utf8'));
    const want = JSON.parse(REAL_WORLD);
    want.model = 'sonnet';
    assert.deepEqual(after, want);
    assert.deepEqual(Object.keys(after), Object.keys(want));
  });

  it('removal without the saved copy rebuilds the previous command from the bridge command', () => {
    writeFileSync(paths.settingsFile, REAL_WORLD);
    installStatusLineBridge(paths);
    rmSync(paths.stateFile);
    assert.equal(removeStatusLineBridge(paths), 'removed');
    assert.deepEqual(JSON.parse(readFileSync(paths.settingsFile, 'utf8')).statusLine, {
      type: 'command',
      command: "~/.claude/statusline.sh 'a b'",
      padding: 0,
    });
  });

  it('quotes any command so the shell hands it over unchanged', () => {
    const nasty = `a'b "c" $HOME \`x\` \\ ;|&`;
    assert.deepEqual(unquoteSingle(bridgeCommand('/s.sh', '/d', nasty).replace(/^sh /, '')), ['/s.sh', '/d', nasty]);
    assert.equal(execFileSync('sh', ['-c', `printf %s ${shSingleQuote(nasty)}`], { encoding: 'utf8' }), nasty);
  });

  it('reads the newest line with rate limits, skipping others and broken lines', () => {
    const l = latestOfficialLimits(
      [
        '{"rate_limits":{"seven_day":{"used_percentage":10,"resets_at":100}}}',
        '{"session_id":"no limits here"}',
        '{broken',
        '',
      ],
      5,
    );
    assert.deepEqual(l, {
      source: 'official',
      fiveHour: undefined,
      sevenDay: { usedPercent: 10, resetsAt: 100_000 },
      observedAt: 5,
    });
    assert.equal(latestOfficialLimits(['{"a":1}'], 0), undefined);
  });
});
