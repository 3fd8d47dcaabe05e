import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import type { FileSessionItem } from '../../../src/vscode/fileSessionsCommand';
import { COMMANDS, EXTENSION_ID } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

// Runs after ingest.test.ts (file order): the session it adds would change the totals that file compares.

const SESSION = 'f11e5000-0000-4000-8000-000000000001';

/** A prompt and a Write tool call on `file`, in the shape Claude Code 2.1.x writes them. */
function transcript(cwd: string, file: string): string {
  const env = {
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId: SESSION,
    version: '2.1.332',
    gitBranch: 'main',
  };
  const lines = [
    {
      ...env,
      parentUuid: null,
      type: 'user',
      message: { role: 'user', content: 'write the release notes' },
      uuid: 'f11e5000-0000-4000-8000-00000000a001',
      timestamp: '2026-11-28T13:00:00.000Z',
    },
    {
      ...env,
      parentUuid: 'f11e5000-0000-4000-8000-00000000a001',
      type: 'assistant',
      message: {
        id: 'msg_files_0001',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [
          { type: 'tool_use', id: 'toolu_files_0001', name: 'Write', input: { file_path: file, content: 'x' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 5, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
      requestId: 'req_files_0001',
      uuid: 'f11e5000-0000-4000-8000-00000000a002',
      timestamp: '2026-11-28T13:00:01.000Z',
    },
  ];
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

describe('Show Sessions for This File (issue 13)', () => {
  let api: TracerApi;

  before(async () => {
    api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
  });

  it('is contributed to the palette, the explorer and the editor-title context menus, and registered', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
    };
    assert.ok(pkg.contributes.commands.some((c) => c.command === COMMANDS.showSessionsForFile));
    for (const menu of ['explorer/context', 'editor/title/context'])
      assert.ok(
        pkg.contributes.menus[menu]?.some((m) => m.command === COMMANDS.showSessionsForFile),
        `${menu} offers the command`,
      );
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMANDS.showSessionsForFile));
  });

  it('offers the sessions whose tools touched the file, with time, tool and prompt; git through the Git extension', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'cct-int-files-')));
    const file = path.join(dir, 'NOTES.md');
    writeFileSync(file, '# notes\n');
    // a repository VS Code's Git extension has open: the scan's git step reads it through the extension's API
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'T',
          GIT_AUTHOR_EMAIL: 't@example.invalid',
          GIT_COMMITTER_NAME: 'T',
          GIT_COMMITTER_EMAIL: 't@example.invalid',
          GIT_AUTHOR_DATE: '2026-11-28T13:00:01Z',
          GIT_COMMITTER_DATE: '2026-11-28T13:00:01Z',
        },
      });
    git('init', '-q', '-b', 'main');
    git('add', 'NOTES.md');
    git('commit', '-q', '-m', 'notes');
    const gitApi = vscode.extensions.getExtension<{ getAPI(v: 1): { repositories: { rootUri: vscode.Uri }[] } }>(
      'vscode.git',
    );
    assert.ok(gitApi, 'the built-in Git extension is present');
    await gitApi.activate();
    await vscode.commands.executeCommand('git.openRepository', dir);
    await waitFor('the Git extension has the repository open', () =>
      gitApi.exports.getAPI(1).repositories.some((r) => r.rootUri.fsPath === dir),
    );
    const readsBefore = api.gitReads().extension;
    const project = path.join(process.env.CLAUDE_CONFIG_DIR!, 'projects', dir.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(project, { recursive: true });
    const before = api.status().totals?.sessions ?? 0;
    writeFileSync(path.join(project, `${SESSION}.jsonl`), transcript(dir, file));
    await vscode.commands.executeCommand(COMMANDS.rescan);
    await waitFor('the new session', () => (api.status().totals?.sessions ?? 0) > before);
    assert.ok(api.gitReads().extension > readsBefore, JSON.stringify(api.gitReads()));

    // The command shows a quick pick; closing it resolves the command with the items it offered.
    const run = vscode.commands.executeCommand<FileSessionItem[] | undefined>(
      COMMANDS.showSessionsForFile,
      vscode.Uri.file(file),
    );
    let items: FileSessionItem[] | undefined;
    void run.then((r) => {
      items = r ?? [];
    });
    await waitFor('quick pick closed', async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return items !== undefined;
    });
    assert.equal(items!.length, 1);
    assert.equal(items![0]!.sessionId, SESSION);
    assert.match(items![0]!.label, /Write$/);
    assert.equal(items![0]!.detail, 'write the release notes');
    // the timeline entry of the response whose Write touched the file: openSession(sessionId, { turnId }) jumps there
    assert.equal(items![0]!.turnId, 'r:msg_files_0001:req_files_0001');
  });
});
