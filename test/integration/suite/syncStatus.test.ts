import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { EXTENSION_ID, SUPABASE_COMMANDS } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

describe('"Show Sync Status"', () => {
  before(async () => {
    const api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    await waitFor('first scan (the sync outbox is the store)', () => api.status().totals, 60_000);
    await waitFor('sync commands', async () =>
      (await vscode.commands.getCommands(true)).includes(SUPABASE_COMMANDS.showSyncStatus),
    );
  });

  it('with sync off says nothing leaves the machine and shows no pending rows', async () => {
    const text = await vscode.commands.executeCommand<string>(SUPABASE_COMMANDS.showSyncStatus);
    assert.match(text, /Sync is off: nothing leaves this machine\./);
    assert.doesNotMatch(text, /pending|waiting to be sent/i);
  });

  it('with sync on shows what waits to be sent', async () => {
    const cfg = vscode.workspace.getConfiguration('claudeTracer');
    await cfg.update('sync.mode', 'metadata', vscode.ConfigurationTarget.Global);
    try {
      const text = await vscode.commands.executeCommand<string>(SUPABASE_COMMANDS.showSyncStatus);
      assert.match(text, /^Sync: on \(metadata\)$/m);
      assert.match(text, /^Waiting to be sent: (\d+|n\/a) rows; refused by the server \(dead letters\): /m);
    } finally {
      await cfg.update('sync.mode', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
