import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { COMMANDS, DASHBOARD_VIEW_ID, EXTENSION_ID } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

describe('Claude Code Tracer inside a real VS Code extension host', () => {
  let api: TracerApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<TracerApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = await ext.activate();
  });

  it('activates on startup and reports its activation time', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    assert.ok(api.activationMs > 0, 'activationMs measured inside activate()');
    console.log(`[measure] activate() took ${api.activationMs.toFixed(2)} ms`);
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes(COMMANDS.showDashboard));
    assert.ok(all.includes(`${DASHBOARD_VIEW_ID}.focus`), 'the webview view is contributed');
  });

  it('registers the Supabase commands once the sync module has loaded (after activation)', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[] };
    };
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.ok(contributed.filter((c) => c.startsWith('claudeTracer.supabase.')).length >= 7);
    await waitFor('supabase commands', async () => {
      const all = await vscode.commands.getCommands(true);
      return contributed.every((c) => all.includes(c));
    });
  });

  it('finds the Claude config dirs from CLAUDE_CONFIG_DIR', async () => {
    const expected = process.env.CLAUDE_CONFIG_DIR;
    assert.ok(expected, 'the harness sets CLAUDE_CONFIG_DIR');
    const root = await waitFor('root scan', () => api.status().roots.find((r) => r.path === expected && r.exists));
    assert.equal(root.exists, true);
    assert.equal(api.status().roots[0]!.path, expected);
  });

  it('shows the status-bar item and hides it when the setting says so', async () => {
    assert.equal(api.statusBar.visible, true);
    assert.match(api.statusBar.text, /Claude/);
    const cfg = vscode.workspace.getConfiguration('claudeTracer');
    await cfg.update('statusBar.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('status item hidden', () => !api.statusBar.visible);
    } finally {
      await cfg.update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('status item shown again', () => api.statusBar.visible);
  });

  it('falls back to the default when a setting holds an invalid value', async () => {
    const cfg = vscode.workspace.getConfiguration('claudeTracer');
    await cfg.update('statusBar.enabled', 'yes please', vscode.ConfigurationTarget.Global);
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(api.statusBar.visible, true, 'an invalid boolean falls back to the default (true)');
    } finally {
      await cfg.update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Show Dashboard" reveals the view and the webview completes its handshake', async () => {
    await vscode.commands.executeCommand(COMMANDS.showDashboard);
    await waitFor('webview ready', () => api.dashboard.isReady, 30_000);
    assert.equal(api.dashboard.isReady, true);
  });
});
