import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { procStartTime } from '../../../src/infra/live/processProbe';
import { COMMANDS, EXTENSION_ID } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

describe('Claude Code hooks', () => {
  it('the commands exist; install → a hook event reaches the live monitor → remove gives the settings back', async function () {
    this.timeout(60_000);
    const api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes(COMMANDS.installClaudeHooks));
    assert.ok(all.includes(COMMANDS.removeClaudeHooks));

    const config = process.env.CLAUDE_CONFIG_DIR!;
    const settingsFile = path.join(config, 'settings.json');
    const original = `${JSON.stringify(
      {
        model: 'opus',
        hooks: { Stop: [{ hooks: [{ type: 'command', command: 'true' }] }] },
        statusLine: { type: 'command', command: 'printf mine' },
      },
      null,
      2,
    )}\n`;
    writeFileSync(settingsFile, original);
    // A running process stands in for `claude` (this extension host); the registry says busy, written a minute ago.
    const sessions = path.join(config, 'sessions');
    mkdirSync(sessions, { recursive: true });
    const registry = path.join(sessions, `${process.pid}.json`);
    const sessionId = 'int-hook-session';
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/tmp';
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.installClaudeHooks, 'user'), 'installed');
      assert.equal(await vscode.commands.executeCommand(COMMANDS.installClaudeHooks, 'user'), 'already installed');
      const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
      assert.equal(settings.statusLine.command, 'printf mine');
      assert.equal(settings.hooks.Stop[0].hooks[0].command, 'true', 'the user’s own hook first');
      writeFileSync(
        registry,
        JSON.stringify({
          pid: process.pid,
          sessionId,
          cwd,
          procStart: procStartTime(process.pid),
          status: 'busy',
          updatedAt: Date.now() - 60_000,
        }),
      );
      await waitFor('live session', () => api.live.view(sessionId)?.state === 'active');

      // what Claude Code does on a permission prompt: run the Notification hook command with its JSON on stdin
      const command = settings.hooks.Notification.at(-1).hooks[0].command as string;
      const out = spawnSync('sh', ['-c', command], {
        input: JSON.stringify({
          session_id: sessionId,
          hook_event_name: 'Notification',
          notification_type: 'permission_prompt',
          message: 'Claude needs your permission to use Bash',
        }),
        env: { ...process.env, CLAUDE_PID: String(process.pid), CLAUDE_CODE_SESSION_ID: sessionId },
        encoding: 'utf8',
      });
      assert.equal(out.status, 0);
      assert.equal(out.stdout, '');
      await waitFor('waiting through the hook', () => api.live.view(sessionId)?.state === 'waiting');
      assert.equal(api.statusBar.waitingText, '$(bell-dot) 1');

      assert.equal(await vscode.commands.executeCommand(COMMANDS.removeClaudeHooks), 'removed');
      assert.equal(readFileSync(settingsFile, 'utf8'), original);
      assert.equal(await vscode.commands.executeCommand(COMMANDS.removeClaudeHooks), 'not installed');
    } finally {
      rmSync(registry, { force: true });
      rmSync(settingsFile, { force: true });
    }
    await waitFor('session gone', () => api.live.view(sessionId) === undefined);
  });

  it('marks a working session whose tool call runs far past that tool’s usual time as stalled ("quiet N min")', async function () {
    this.timeout(60_000);
    const api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    const config = process.env.CLAUDE_CONFIG_DIR!;
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/tmp';
    const sessionId = 'int-stalled-session';
    const projectDir = path.join(config, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(projectDir, { recursive: true });
    const transcript = path.join(projectDir, `${sessionId}.jsonl`);
    const started = new Date(Date.now() - 20 * 60_000).toISOString();
    const base = { sessionId, cwd, uuid: 'u1', parentUuid: null };
    // a prompt, then a Bash call 20 minutes ago that has no result: longer than any tool may run without history
    writeFileSync(
      transcript,
      `${[
        { ...base, type: 'user', timestamp: started, message: { role: 'user', content: 'build it' } },
        {
          ...base,
          uuid: 'u2',
          type: 'assistant',
          timestamp: started,
          requestId: 'req_stall',
          message: {
            id: 'msg_stall',
            model: 'claude-sonnet-4-5',
            content: [{ type: 'tool_use', id: 'toolu_stall', name: 'Bash', input: { command: 'make' } }],
            usage: { input_tokens: 10, output_tokens: 5 },
          },
        },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n')}\n`,
    );
    const registry = path.join(config, 'sessions', `${process.pid}.json`);
    mkdirSync(path.dirname(registry), { recursive: true });
    writeFileSync(
      registry,
      JSON.stringify({
        pid: process.pid,
        sessionId,
        cwd,
        procStart: procStartTime(process.pid),
        status: 'busy',
        updatedAt: Date.now() - 20 * 60_000,
      }),
    );
    try {
      await waitFor('stalled', () => api.live.view(sessionId)?.stalled !== undefined);
      const flag = api.live.view(sessionId)!.stalled!;
      assert.equal(flag.tool, 'Bash');
      assert.ok(flag.quietMinutes >= 19 && flag.quietMinutes <= 21, String(flag.quietMinutes));
      await waitFor('status text', () => /\$\(warning\) .*quiet (19|20|21) min/.test(api.statusBar.text));
      assert.match(
        api.statusBar.tooltip.replace(/&nbsp;/g, ' '),
        /Stalled\? Bash has run for 2\dm, far longer than it usually takes/,
      );
    } finally {
      rmSync(registry, { force: true });
      rmSync(transcript, { force: true });
    }
    await waitFor('session gone', () => api.live.view(sessionId) === undefined);
  });
});
