import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRACED_HOOK_EVENTS } from '../../src/core/live/claudeHooksSettings';
import { parseHookSpoolLine } from '../../src/core/live/hookEvents';
import { hookSpoolFile, installClaudeHooks, removeClaudeHooks } from '../../src/infra/live/claudeHooksFiles';
import { claudeEnv, runClaude } from '../helpers/fakeAnthropic/runClaude';
import { type FakeAnthropicServer, startFakeAnthropic } from '../helpers/fakeAnthropic/server';
import type { Scenario } from '../helpers/fakeAnthropic/types';
import { REPO_ROOT } from '../helpers/repo';

const SCRIPT = path.join(REPO_ROOT, 'resources', 'claude-tracer-hook.sh');
const PLANTED = 'sk-ant-api03-HOOKE2EPLANTEDNOTREAL0123456789';

/** One Bash call, then a plain answer. */
const SCENARIOS: Record<string, Scenario> = {
  hooks: ({ step }) =>
    step === 0
      ? {
          kind: 'message',
          blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo hi', description: 'Print hi' } }],
          usage: { input: 20, output: 8 },
        }
      : { kind: 'message', blocks: [{ type: 'text', text: 'Done.' }], usage: { input: 30, output: 3 } },
};

describe('e2e: the real Claude Code CLI runs the installed hooks', () => {
  let tmp: string;
  let server: FakeAnthropicServer;
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-e2e-hooks-'));
    server = await startFakeAnthropic({ scenarios: SCENARIOS });
  });
  after(async () => {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('each event of a -p session reaches the spool as one short line with the session and pid, never the prompt', async function () {
    this.timeout(120_000);
    const home = path.join(tmp, 'home');
    const cwd = path.join(home, 'proj');
    mkdirSync(cwd, { recursive: true });
    const settingsFile = path.join(home, '.claude', 'settings.json');
    const spoolDir = path.join(tmp, 'data', 'hooks');
    assert.equal(installClaudeHooks({ settingsFile, script: SCRIPT, spoolDir }), 'installed');
    server.setRun({ label: 'hk', cwd });
    const r = await runClaude({
      args: ['-p', `SCENARIO:hooks run it; my key is ${PLANTED}`, '--allowedTools', 'Bash'],
      cwd,
      env: claudeEnv(home, server.url),
      timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Done.', 'the hooks add nothing to what Claude Code prints');
    const projects = path.join(home, '.claude', 'projects');
    const [dir] = readdirSync(projects);
    const sessionId = readdirSync(path.join(projects, dir!))
      .find((f) => f.endsWith('.jsonl'))!
      .replace(/\.jsonl$/, '');
    // async hooks may still be finishing when -p exits
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = readFileSync(hookSpoolFile(spoolDir), 'utf8');
      if (text.includes('"Stop"') && text.includes('"SessionEnd"')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.ok(!text.includes(PLANTED) && !text.includes('run it'), 'no prompt text in the spool');
    const events = text.split('\n').filter(Boolean).map(parseHookSpoolLine);
    assert.ok(
      events.every((e) => e !== undefined),
      text,
    );
    const names = events.map((e) => e!.event);
    for (const want of ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd'] as const)
      assert.ok(names.includes(want), `${want} in ${names.join(',')}`);
    assert.ok(names.every((n) => (TRACED_HOOK_EVENTS as readonly string[]).includes(n)));
    for (const e of events) {
      assert.equal(e!.session, sessionId, `${e!.event} names the session`);
      assert.ok(e!.pid > 0, `${e!.event} carries Claude Code's pid`);
    }
    assert.equal(events.find((e) => e!.event === 'SessionStart')!.detail, 'startup');
    assert.equal(removeClaudeHooks(settingsFile), 'removed');
    assert.deepEqual(JSON.parse(readFileSync(settingsFile, 'utf8')), {});
  });
});
