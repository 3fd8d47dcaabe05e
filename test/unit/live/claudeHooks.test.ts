import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  HOOK_MARKER,
  hookCommand,
  installedTracerHookEvents,
  installTracerHooks,
  removeTracerHooks,
  TRACED_HOOK_EVENTS,
} from '../../../src/core/live/claudeHooksSettings';
import {
  claudeHooksInstalled,
  HookSpoolReader,
  hookSpoolFile,
  installClaudeHooks,
  installHookScript,
  removeClaudeHooks,
} from '../../../src/infra/live/claudeHooksFiles';
import { REPO_ROOT } from '../../helpers/repo';

const SCRIPT = path.join(REPO_ROOT, 'resources', 'claude-tracer-hook.sh');

/** A settings.json as users have them: hooks of their own (one on an event we also use), a status line, unknown keys. */
const REAL_WORLD = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "permissions": { "allow": ["Bash(npm run test:*)"], "deny": ["Read(./.env)"] },
  "hooks": {
    "PostToolUse": [{ "matcher": "Edit|Write", "hooks": [{ "type": "command", "command": "npx prettier --write" }] }],
    "Stop": [{ "hooks": [{ "type": "command", "command": "say done", "timeout": 3 }], "_note": "mine" }],
    "Notification": [{ "matcher": "permission_prompt", "hooks": [{ "type": "http", "url": "http://127.0.0.1:9/n" }] }]
  },
  "statusLine": { "type": "command", "command": "~/.claude/statusline.sh", "padding": 0 },
  "someFutureKey": { "nested": [1, 2, 3] },
  "model": "opus"
}
`;

describe('Claude Code hooks in settings.json', () => {
  it('installs one entry per event after the user’s own, keeps every other key, hook and the order; idempotent', () => {
    const r = installTracerHooks(REAL_WORLD, '/ext/resources/claude-tracer-hook.sh', '/data/hooks');
    assert.ok(r.ok && r.changed);
    const after = JSON.parse(r.text);
    const before = JSON.parse(REAL_WORLD);
    assert.deepEqual(Object.keys(after), Object.keys(before), 'top-level order kept');
    for (const k of Object.keys(before)) if (k !== 'hooks') assert.deepEqual(after[k], before[k], k);
    assert.deepEqual(after.hooks.PostToolUse, before.hooks.PostToolUse);
    assert.deepEqual(after.hooks.Stop[0], before.hooks.Stop[0], 'the user’s Stop hook first, untouched');
    assert.deepEqual(after.hooks.Notification[0], before.hooks.Notification[0]);
    assert.deepEqual(installedTracerHookEvents(after), [...TRACED_HOOK_EVENTS]);
    assert.equal(
      after.hooks.Stop[1].hooks[0].command,
      hookCommand('/ext/resources/claude-tracer-hook.sh', '/data/hooks', 'Stop'),
    );
    // Stop runs in line: it comes last before `claude -p` exits, which drops async hooks still running (e2e)
    assert.equal(after.hooks.Stop[1].hooks[0].async, undefined, 'Stop runs in line');
    assert.equal(after.hooks.SessionEnd[0].hooks[0].async, undefined, 'SessionEnd runs in line');

    const again = installTracerHooks(r.text, '/ext/resources/claude-tracer-hook.sh', '/data/hooks');
    assert.ok(again.ok && !again.changed && again.alreadyInstalled);

    const removed = removeTracerHooks(r.text);
    assert.ok(removed.ok);
    assert.deepEqual(JSON.parse(removed.text), before, 'removal gives back the same settings');
    assert.ok((removeTracerHooks(removed.text) as { notInstalled?: boolean }).notInstalled);
  });

  it('an upgrade (another script path) replaces our old entries instead of adding a second set', () => {
    const v1 = installTracerHooks('{}', '/ext-1.0/resources/claude-tracer-hook.sh', '/d');
    assert.ok(v1.ok);
    const v2 = installTracerHooks(v1.text, '/ext-1.1/resources/claude-tracer-hook.sh', '/d');
    assert.ok(v2.ok && v2.changed);
    const hooks = JSON.parse(v2.text).hooks;
    for (const e of TRACED_HOOK_EVENTS) {
      assert.equal(hooks[e].length, 1, e);
      assert.match(hooks[e][0].hooks[0].command, /ext-1\.1/);
    }
  });

  it('a group holding the user’s hook and ours keeps the user’s on removal', () => {
    const mixed = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: 'command', command: 'say done' },
              { type: 'command', command: `sh '/x/${HOOK_MARKER}' '/d' Stop` },
            ],
          },
        ],
      },
    };
    const r = removeTracerHooks(JSON.stringify(mixed));
    assert.ok(r.ok);
    assert.deepEqual(JSON.parse(r.text), { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } });
  });

  it('refuses invalid JSON and a "hooks" that is not an object, with a clear error', () => {
    for (const bad of ['{"hooks": {},', '// c\n{}', '[]']) {
      const r = installTracerHooks(bad, '/s', '/d');
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, /not valid JSON|not a JSON object/);
    }
    const r = installTracerHooks('{"hooks": [1]}', '/s', '/d');
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /"hooks" value is not a JSON object/);
  });

  describe('on disk', () => {
    let tmp: string;
    let file: string;
    beforeEach(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-hooks-'));
      file = path.join(tmp, 'claude', 'settings.json');
      mkdirSync(path.dirname(file), { recursive: true });
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));
    const paths = () => ({ settingsFile: file, script: SCRIPT, spoolDir: path.join(tmp, 'data', 'hooks') });

    it('round-trips a real-world file: install, install again, remove, remove again', () => {
      writeFileSync(file, REAL_WORLD);
      chmodSync(file, 0o640);
      assert.equal(installClaudeHooks(paths()), 'installed');
      assert.equal(installClaudeHooks(paths()), 'already installed');
      assert.equal(statSync(file).mode & 0o777, 0o640, 'the file keeps its mode');
      assert.equal(claudeHooksInstalled(file).length, 7);
      assert.equal(removeClaudeHooks(file), 'removed');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(REAL_WORLD));
      assert.equal(removeClaudeHooks(file), 'not installed');
      assert.deepEqual(claudeHooksInstalled(file), []);
    });

    it('creates a missing settings file (and its folder), e.g. .claude/settings.local.json', () => {
      const local = path.join(tmp, 'ws', '.claude', 'settings.local.json');
      assert.equal(installClaudeHooks({ ...paths(), settingsFile: local }), 'installed');
      assert.equal(claudeHooksInstalled(local).length, 7);
      assert.equal(removeClaudeHooks(local), 'removed');
      assert.deepEqual(JSON.parse(readFileSync(local, 'utf8')), {});
    });

    it('the hooks run a copy of the script in the data dir: same path across extension versions, refreshed when it differs', () => {
      const dataHooks = path.join(tmp, 'data', 'hooks');
      const v1 = path.join(tmp, 'ext-1.0', 'claude-tracer-hook.sh');
      const v2 = path.join(tmp, 'ext-1.1', 'claude-tracer-hook.sh');
      mkdirSync(path.dirname(v1), { recursive: true });
      mkdirSync(path.dirname(v2), { recursive: true });
      writeFileSync(v1, readFileSync(SCRIPT));
      writeFileSync(v2, `${readFileSync(SCRIPT, 'utf8')}# 1.1\n`);
      const copy = installHookScript(v1, dataHooks);
      assert.equal(copy, path.join(dataHooks, 'claude-tracer-hook.sh'));
      assert.equal(statSync(copy).mode & 0o777, 0o700);
      assert.equal(installClaudeHooks({ settingsFile: file, script: copy, spoolDir: dataHooks }), 'installed');
      rmSync(path.dirname(v1), { recursive: true }); // the old extension version is removed on update
      assert.equal(installHookScript(v2, dataHooks), copy);
      assert.match(readFileSync(copy, 'utf8'), /# 1\.1\n$/);
      assert.equal(installClaudeHooks({ settingsFile: file, script: copy, spoolDir: dataHooks }), 'already installed');
      const command = JSON.parse(readFileSync(file, 'utf8')).hooks.Stop[0].hooks[0].command;
      const r = spawnSync('sh', ['-c', command], { input: '{"session_id":"s-1"}' });
      assert.equal(r.status, 0);
      assert.match(readFileSync(hookSpoolFile(dataHooks), 'utf8'), /"event":"Stop".*"session":"s-1"/);
    });

    it('leaves an invalid or read-only file untouched, with an error that says why', () => {
      const broken = '{"hooks": {"Stop": []},}';
      writeFileSync(file, broken);
      assert.throws(() => installClaudeHooks(paths()), /was not changed: it is not valid JSON/);
      assert.throws(() => removeClaudeHooks(file), /was not changed: it is not valid JSON/);
      assert.equal(readFileSync(file, 'utf8'), broken);
      writeFileSync(file, '{"model": "opus"}\n');
      chmodSync(file, 0o444);
      assert.throws(() => installClaudeHooks(paths()), /read-only: it was left untouched/);
      assert.equal(readFileSync(file, 'utf8'), '{"model": "opus"}\n');
    });
  });
});

describe('the hook script', () => {
  let tmp: string;
  let spoolDir: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-hookscript-'));
    spoolDir = path.join(tmp, 'spool');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const run = (event: string, payload: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync('sh', ['-c', hookCommand(SCRIPT, spoolDir, event as 'Stop')], {
      input: payload,
      env: { PATH: process.env.PATH, ...env },
    });
  const spooled = () =>
    readFileSync(hookSpoolFile(spoolDir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  it('appends one short line (event, pid, session, a known word) and never the prompt; prints nothing, exits 0', () => {
    const secret = 'sk-ant-api03-SECRETSECRETSECRET';
    const env = { CLAUDE_PID: '4242', CLAUDE_CODE_SESSION_ID: 'c46d3a3e-1111-2222-3333-444455556666' };
    const prompt = JSON.stringify({
      session_id: 'c46d3a3e-1111-2222-3333-444455556666',
      hook_event_name: 'UserPromptSubmit',
      prompt: `use ${secret} "notification_type":"idle_prompt"`,
    });
    const r1 = run('UserPromptSubmit', prompt, { ...env, CLAUDE_PROJECT_DIR: '/w/my proj' });
    const notif = JSON.stringify({
      session_id: 'x',
      hook_event_name: 'Notification',
      message: 'Claude needs your permission to use Bash',
      notification_type: 'permission_prompt',
    });
    const r2 = run('Notification', notif, env);
    for (const r of [r1, r2]) {
      assert.equal(r.status, 0);
      assert.equal(r.stdout.length, 0, 'no stdout: Claude Code would give it to the model');
      assert.equal(r.stderr.length, 0);
    }
    const lines = spooled();
    for (const l of lines) {
      assert.ok(Math.abs(l.t - Date.now() / 1000) < 60, 'the time it ran, in seconds');
      delete l.t;
    }
    assert.deepEqual(lines, [
      {
        v: 1,
        event: 'UserPromptSubmit',
        pid: 4242,
        session: 'c46d3a3e-1111-2222-3333-444455556666',
        detail: '',
        cwd: '/w/my proj',
      },
      {
        v: 1,
        event: 'Notification',
        pid: 4242,
        session: 'c46d3a3e-1111-2222-3333-444455556666',
        detail: 'permission_prompt',
        cwd: '',
      },
    ]);
    assert.ok(!readFileSync(hookSpoolFile(spoolDir), 'utf8').includes('SECRET'));
    assert.equal(statSync(hookSpoolFile(spoolDir)).mode & 0o777, 0o600);
  });

  it('takes the session id from the payload when the CLI does not export it; drops what could break the line', () => {
    assert.equal(run('Stop', '{"session_id":"abc-123","hook_event_name":"Stop"}').status, 0);
    assert.equal(run('Stop', '{"session_id":"ab\\"c","hook_event_name":"Stop"}').status, 0);
    assert.equal(run('Stop', 'not json at all').status, 0);
    const oddEvent = spawnSync('sh', [SCRIPT, spoolDir, 'Stop;x'], { input: '{"session_id":"abc-125"}' });
    assert.equal(oddEvent.status, 0);
    const quoteDir = run('Stop', '{"session_id":"abc-124"}', { CLAUDE_PROJECT_DIR: '/w/a"b' });
    assert.equal(quoteDir.status, 0);
    assert.deepEqual(
      spooled().map((l) => [l.session, l.pid, l.cwd]),
      [
        ['abc-123', 0, ''],
        ['abc-124', 0, ''],
      ],
    );
  });

  it('exits 0 even when the spool cannot be written', () => {
    writeFileSync(path.join(tmp, 'file'), '');
    const r = spawnSync('sh', ['-c', hookCommand(SCRIPT, path.join(tmp, 'file', 'sub'), 'Stop')], {
      input: '{"session_id":"abc"}',
    });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.length, 0);
  });

  it('keeps the spool bounded: past the cap it rotates to .1 (at most twice the cap on disk)', () => {
    for (let i = 0; i < 40; i++)
      run('Stop', '{}', { CLAUDE_CODE_SESSION_ID: `s-${i}`, CCT_HOOK_SPOOL_MAX_BYTES: '1000' });
    const file = hookSpoolFile(spoolDir);
    assert.ok(existsSync(`${file}.1`));
    assert.ok(statSync(`${file}.1`).size <= 1200);
    assert.ok(!existsSync(file) || statSync(file).size <= 1200);
  });
});

describe('hook spool reader', () => {
  let tmp: string;
  let file: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-hookspool-'));
    file = hookSpoolFile(tmp);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('starts at the end (history is not replayed), then reads whole lines only', () => {
    writeFileSync(file, 'old-1\nold-2\n');
    const r = new HookSpoolReader(tmp);
    assert.deepEqual(r.readNew(), []);
    appendFileSync(file, 'a\nb');
    assert.deepEqual(r.readNew(), ['a']);
    appendFileSync(file, 'c\n');
    assert.deepEqual(r.readNew(), ['bc']);
  });

  it('reads a spool created after it started from its first line', () => {
    const r = new HookSpoolReader(tmp);
    writeFileSync(file, 'first\n');
    assert.deepEqual(r.readNew(), ['first']);
  });

  it('loses no line across a rotation: the rest of .1 first, then the new file', () => {
    writeFileSync(file, 'x\n');
    const r = new HookSpoolReader(tmp);
    appendFileSync(file, 'before-rotation\n');
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'after-rotation\n');
    assert.deepEqual(r.readNew(), ['before-rotation', 'after-rotation']);
    appendFileSync(file, 'next\n');
    assert.deepEqual(r.readNew(), ['next']);
  });
});
