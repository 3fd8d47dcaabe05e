import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { procStartTime } from '../../../src/infra/live/processProbe';
import { EXTENSION_ID } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

describe('live session indicator', () => {
  it('shows a live Claude Code session from the registry in the status bar, and clears it when the entry goes', async () => {
    const api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    const dir = path.join(process.env.CLAUDE_CONFIG_DIR!, 'sessions');
    mkdirSync(dir, { recursive: true });
    // A real, running process stands in for `claude`: this extension host itself.
    const file = path.join(dir, `${process.pid}.json`);
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/tmp';
    writeFileSync(
      file,
      JSON.stringify({
        pid: process.pid,
        sessionId: 'int-test-session',
        cwd,
        procStart: procStartTime(process.pid),
        status: 'busy',
        updatedAt: Date.now(),
      }),
    );
    try {
      await waitFor('live session', () => api.status().liveSession?.sessionId === 'int-test-session');
      assert.match(api.statusBar.text, /busy/);
      assert.equal(api.status().liveSession!.projectPath, cwd);
    } finally {
      rmSync(file, { force: true });
    }
    await waitFor('live session cleared', () => api.status().liveSession === null);
    assert.doesNotMatch(api.statusBar.text, /busy/);
  });

  it('shows a session registered without a status yet (Claude Code starting up) as starting, never "unknown"', async () => {
    const api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    const dir = path.join(process.env.CLAUDE_CONFIG_DIR!, 'sessions');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${process.pid}.json`);
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/tmp';
    // what CLI 2.1.x writes first: the record without `status` (the first status update comes later)
    const record = { pid: process.pid, sessionId: 'int-test-starting', cwd, procStart: procStartTime(process.pid) };
    writeFileSync(file, JSON.stringify({ ...record, startedAt: Date.now() }));
    try {
      await waitFor('live session', () => api.status().liveSession?.sessionId === 'int-test-starting');
      assert.match(api.statusBar.text, /Claude: starting/);
      assert.doesNotMatch(api.statusBar.text, /unknown/);
    } finally {
      rmSync(file, { force: true });
    }
    await waitFor('live session cleared', () => api.status().liveSession === null);
  });
});
