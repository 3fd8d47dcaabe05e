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
});
