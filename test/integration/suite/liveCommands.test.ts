import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { procStartTime } from '../../../src/infra/live/processProbe';
import { sessionsQuery } from '../../../src/shared/protocol';
import { sessionPickItems } from '../../../src/vscode/dashboard/openSessionPick';
import { COMMANDS, EXTENSION_ID, HOOK_COMMANDS } from '../../../src/vscode/ids';
import { openWalkthroughOnce, WALKTHROUGH_SHOWN_KEY } from '../../../src/vscode/walkthrough';
import { waitFor } from './waitFor';

const SID = 'int-cmds-0000-4000-8000-000000000001';
const settings = () => vscode.workspace.getConfiguration('claudeTracer');
const G = vscode.ConfigurationTarget.Global;

/** A Memento in memory (the walkthrough's first-install flag). */
class MemoryMemento implements vscode.Memento {
  private readonly m = new Map<string, unknown>();
  keys() {
    return [...this.m.keys()];
  }
  get<T>(key: string, def?: T): T {
    return (this.m.has(key) ? this.m.get(key) : def) as T;
  }
  async update(key: string, value: unknown) {
    this.m.set(key, value);
  }
}

describe('live commands, settings, status bar states and onboarding', () => {
  let api: TracerApi;
  const pkg = () =>
    vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: {
        commands: { command: string; category: string }[];
        menus: { commandPalette: { command: string; when: string }[] };
        configuration: {
          properties: Record<string, { order?: number; description?: string; markdownDescription?: string }>;
        };
        walkthroughs: { id: string; steps: { id: string; media: { image: string }; description: string }[] }[];
      };
    };

  async function fixtureSessions() {
    const r = await api.dashboard.dispatch({
      type: 'request',
      id: 1,
      method: sessionsQuery.name,
      params: { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 50 },
    });
    assert.ok(r.ok, JSON.stringify(r));
    return sessionsQuery.result.parse(r.result).rows;
  }

  before(async function () {
    this.timeout(90_000);
    api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    await waitFor('first scan', () => api.status().totals && api.status().ingest.state === 'idle', 60_000);
  });

  it('contributes and registers the commands, in the Claude Tracer category, session ones only when one exists', async () => {
    const ids = [
      COMMANDS.openInClaudeCode,
      COMMANDS.exportSession,
      COMMANDS.copyResumeCommand,
      COMMANDS.addPrivacyRule,
      COMMANDS.openStoreFolder,
      COMMANDS.showLog,
    ];
    const all = await vscode.commands.getCommands(true);
    const contributed = pkg().contributes.commands;
    for (const id of ids) {
      assert.ok(all.includes(id), `${id} registered`);
      assert.equal(contributed.find((c) => c.command === id)?.category, 'Claude Tracer', id);
    }
    const when = (id: string) => pkg().contributes.menus.commandPalette.find((m) => m.command === id)?.when;
    for (const id of [COMMANDS.openInClaudeCode, COMMANDS.exportSession, COMMANDS.copyResumeCommand])
      assert.equal(when(id), 'claudeTracer.hasSessions', id);
  });

  it('every setting has a description and an order, so the settings page reads top-down', () => {
    const props = pkg().contributes.configuration.properties;
    const entries = Object.entries(props);
    assert.ok(entries.length >= 25);
    for (const [k, p] of entries) {
      assert.ok(typeof p.order === 'number', `${k} has an order`);
      assert.ok(p.description || p.markdownDescription, `${k} has a description`);
    }
    assert.equal(new Set(entries.map(([, p]) => p.order)).size, entries.length, 'no two settings share an order');
    assert.ok(props['claudeTracer.tracking.enabled']!.order! < props['claudeTracer.logLevel']!.order!);
  });

  it('the walkthrough opened on the first activation, and never again', async () => {
    assert.equal(await api.walkthroughOpened, true, 'a fresh profile is a first install');
    const w = pkg().contributes.walkthroughs[0]!;
    assert.deepEqual(
      w.steps.map((s) => s.id),
      ['sessions', 'privacy', 'statusBar', 'supabase', 'hooks'],
    );
    assert.ok(
      w.steps.find((s) => s.id === 'hooks')!.description.includes(HOOK_COMMANDS.installHooks) ||
        w.steps.find((s) => s.id === 'hooks')!.description.startsWith('%'),
    );
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    for (const s of w.steps) await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, s.media.image));
    const seen = new MemoryMemento();
    await seen.update(WALKTHROUGH_SHOWN_KEY, true);
    assert.equal(await openWalkthroughOnce(seen), false, 'the flag is set: not again');
    const fresh = new MemoryMemento();
    assert.equal(await openWalkthroughOnce(fresh), true);
    assert.equal(fresh.get(WALKTHROUGH_SHOWN_KEY), true);
    assert.equal(await openWalkthroughOnce(fresh), false);
    // VS Code's own "open walkthroughs on install" turned off: not opened, and not later either.
    const wb = vscode.workspace.getConfiguration('workbench');
    await wb.update('welcomePage.walkthroughs.openOnInstall', false, vscode.ConfigurationTarget.Global);
    try {
      const quiet = new MemoryMemento();
      assert.equal(await openWalkthroughOnce(quiet), false);
      assert.equal(quiet.get(WALKTHROUGH_SHOWN_KEY), true);
    } finally {
      await wb.update('welcomePage.walkthroughs.openOnInstall', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the quick pick lists live sessions first, searchable by first prompt, project, time and cost', async () => {
    const rows = await fixtureSessions();
    assert.ok(rows.length >= 2);
    const asLive = rows.map((r, i) => ({ ...r, live: i === rows.length - 1 }));
    const items = sessionPickItems(asLive);
    assert.equal(items[0]!.sessionId, rows[rows.length - 1]!.sessionId, 'the live one first');
    assert.match(items[0]!.label, /^\$\(pulse\) /);
    assert.equal(items.length, rows.length);
    for (const it of items) {
      assert.ok(it.description !== undefined && it.detail, 'project and detail for the search');
      assert.match(it.detail!, /\$|cost unknown/);
    }
  });

  it('Copy Resume Command puts `cd <cwd> && claude --resume <id>` for the terminal’s shell on the clipboard', async () => {
    const [row] = await fixtureSessions();
    const line = await vscode.commands.executeCommand<string>(COMMANDS.copyResumeCommand, row!.sessionId);
    assert.match(line ?? '', new RegExp(`^cd .+ && claude --resume ${row!.sessionId}$`));
    assert.equal(await vscode.env.clipboard.readText(), line);
  });

  it('Export Session… writes the masked conversation (no planted secret in it)', async function () {
    this.timeout(60_000);
    const rows = await fixtureSessions();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-export-'));
    const secrets = JSON.parse(process.env.CCT_PLANTED_SECRETS ?? '[]') as string[];
    try {
      for (const [i, fmt] of (['markdown', 'json', 'html'] as const).entries()) {
        const row = rows[i % rows.length]!;
        const file = path.join(tmp, `s.${fmt}`);
        const written = await vscode.commands.executeCommand<string>(COMMANDS.exportSession, row.sessionId, fmt, file);
        assert.equal(written, file);
        const text = readFileSync(file, 'utf8');
        assert.ok(text.includes(row.sessionId), fmt);
        for (const s of secrets) assert.ok(!text.includes(s), `${fmt}: a planted secret leaked`);
      }
      // every fixture, all formats: nothing unmasked
      for (const row of rows) {
        const file = path.join(tmp, `${row.sessionId}.md`);
        await vscode.commands.executeCommand(COMMANDS.exportSession, row.sessionId, 'markdown', file);
        const text = readFileSync(file, 'utf8');
        for (const s of secrets) assert.ok(!text.includes(s), 'a planted secret leaked');
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('Open in Claude Code without the Claude Code extension offers the terminal instead (and hands nothing over)', async () => {
    assert.equal(vscode.extensions.getExtension('anthropic.claude-code'), undefined, 'not installed in the test host');
    const [row] = await fixtureSessions();
    const result = vscode.commands.executeCommand(COMMANDS.openInClaudeCode, row!.sessionId);
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await result, undefined);
  });

  it('Add Privacy Rule… validates with the RE2 engine, tests a sample and saves to the scope chosen', async () => {
    try {
      const r = await vscode.commands.executeCommand<{
        rule: { id: string; keywords: string[] };
        preview: { masked: string; matches: string[] };
        target: string;
      }>(COMMANDS.addPrivacyRule, {
        name: 'int acme',
        pattern: 'acme_[A-Za-z0-9]{12}',
        sample: 'token acme_abcdefABCDEF here',
        target: 'user',
      });
      assert.equal(r?.rule.id, 'int-acme');
      assert.deepEqual(r?.rule.keywords, ['acme_']);
      assert.deepEqual(r?.preview.matches, ['acme_abcdefABCDEF']);
      assert.ok(!r?.preview.masked.includes('abcdefABCDEF'));
      const saved = settings().inspect<{ id: string }[]>('privacy.customRules')?.globalValue ?? [];
      assert.deepEqual(
        saved.map((x) => x.id),
        ['int-acme'],
      );
      // an invalid pattern is refused and nothing is saved
      const bad = vscode.commands.executeCommand(COMMANDS.addPrivacyRule, {
        name: 'bad',
        pattern: 'acme_.*',
        sample: 'x',
        target: 'user',
      });
      await new Promise((res) => setTimeout(res, 300));
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.equal(await bad, undefined);
      assert.equal((settings().inspect<unknown[]>('privacy.customRules')?.globalValue ?? []).length, 1);
    } finally {
      await settings().update('privacy.customRules', undefined, G);
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  it('Open Store Folder and Show Log run', async () => {
    const folder = await vscode.commands.executeCommand<string>(COMMANDS.openStoreFolder);
    assert.equal(folder, process.env.CCT_DATA_DIR);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.showLog), true);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  describe('a live session (a real process and its registry entry)', () => {
    let child: ChildProcess;
    let registry = '';
    let transcript = '';
    const cwd = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/tmp';
    const config = () => process.env.CLAUDE_CONFIG_DIR!;
    const line = (o: object) => `${JSON.stringify({ sessionId: SID, cwd: cwd(), ...o })}\n`;

    before(async () => {
      child = spawn('sleep', ['600'], { stdio: 'ignore' });
      await waitFor('child pid', () => child.pid && procStartTime(child.pid));
      const dir = path.join(config(), 'projects', cwd().replace(/[^A-Za-z0-9]/g, '-'));
      mkdirSync(dir, { recursive: true });
      transcript = path.join(dir, `${SID}.jsonl`);
      writeFileSync(
        transcript,
        line({
          type: 'user',
          uuid: 'u1',
          timestamp: '2026-12-01T10:00:00.000Z',
          message: { role: 'user', content: 'mail alice.tanaka@tanaka-shoji.co.jp the report' },
        }) +
          line({
            type: 'assistant',
            uuid: 'a1',
            timestamp: '2026-12-01T10:00:02.000Z',
            requestId: 'req-1',
            message: {
              id: 'msg-1',
              model: 'acme-model-x',
              content: [{ type: 'text', text: 'ok' }],
              usage: { input_tokens: 1_000_000, output_tokens: 0 },
            },
          }),
      );
      mkdirSync(path.join(config(), 'sessions'), { recursive: true });
      registry = path.join(config(), 'sessions', `${child.pid}.json`);
      writeFileSync(
        registry,
        JSON.stringify({
          pid: child.pid,
          sessionId: SID,
          cwd: cwd(),
          procStart: procStartTime(child.pid!),
          kind: 'interactive',
          entrypoint: 'cli',
          status: 'waiting',
          updatedAt: Date.now(),
        }),
      );
      await waitFor('the live session in the status bar', () => api.statusBar.text.includes('waiting for you'));
    });

    after(async () => {
      child.kill('SIGKILL');
      rmSync(registry, { force: true });
      rmSync(transcript, { force: true });
      for (const k of [
        'tracking.enabled',
        'tracking.excludeProjects',
        'tracking.extraRoots',
        'statusBar.waitingCount',
        'pricing.overrides',
      ])
        await settings().update(k, undefined, G);
      api.reportSyncHealth(undefined);
    });

    it('the tooltip shows the sync state and the privacy findings of the stored session', async function () {
      this.timeout(60_000);
      await waitFor(
        'stored findings in the tooltip',
        () => /Privacy:.*1 masked \(email 1\)/.test(plain(api.statusBar.tooltip)),
        45_000,
      );
      assert.match(plain(api.statusBar.tooltip), /Sync:.*off \(nothing leaves this machine\)/);
      assert.ok(!api.statusBar.tooltip.includes('alice.tanaka'), 'never the value');
    });

    it('an error state (distinct icon and colour) when sync fails, with the reason in the tooltip', async () => {
      assert.equal(api.statusBar.inError, false);
      api.reportSyncHealth({
        mode: 'full',
        signedIn: true,
        breaker: 'open',
        outcome: 'circuit-open',
        lastError: 'fetch failed: ECONNREFUSED',
      });
      assert.equal(api.statusBar.inError, true);
      assert.match(api.statusBar.text, /^\$\(error\) \$\(bell-dot\) Claude: waiting for you/);
      assert.match(plain(api.statusBar.tooltip), /Problem:.*Supabase server does not answer.*ECONNREFUSED/);
      api.reportSyncHealth(undefined);
      assert.equal(api.statusBar.inError, false);
      assert.doesNotMatch(api.statusBar.text, /\$\(error\)/);
    });

    it('settings apply live: waiting count, price overrides, excluded projects, extra roots', async function () {
      this.timeout(60_000);
      await waitFor('waiting count', () => api.statusBar.waitingText === '$(bell-dot) 1');
      await settings().update('statusBar.waitingCount', false, G);
      await waitFor('waiting count hidden', () => api.statusBar.waitingText === '');
      await settings().update('statusBar.waitingCount', undefined, G);
      await waitFor('waiting count back', () => api.statusBar.waitingText === '$(bell-dot) 1');

      // a model the price table does not know: no cost, until the user prices it
      await waitFor('figures of the transcript', () => /1 turn/.test(api.statusBar.text));
      assert.match(api.statusBar.text, / · \$\?$/);
      await settings().update('pricing.overrides', { 'acme-model-x': { input: 2, output: 10 } }, G);
      await waitFor('the override priced it', () => / · \$2\.00$/.test(api.statusBar.text));
      await settings().update('pricing.overrides', { 'acme-model-x': { input: 'two' } }, G);
      await waitFor('an invalid override is dropped', () => / · \$\?$/.test(api.statusBar.text));

      await settings().update('tracking.excludeProjects', [path.basename(cwd())], G);
      await waitFor('excluded: not shown', () => !api.live.views().some((v) => v.session.sessionId === SID));
      assert.doesNotMatch(api.statusBar.text, /waiting for you/);
      await settings().update('tracking.excludeProjects', undefined, G);
      await waitFor('shown again', () => api.live.views().some((v) => v.session.sessionId === SID));

      const extra = mkdtempSync(path.join(os.tmpdir(), 'cct-extra-root-'));
      try {
        await settings().update('tracking.extraRoots', [extra], G);
        await waitFor('extra root searched', () => api.roots().some((r) => r.path === extra && r.exists));
        await settings().update('tracking.extraRoots', undefined, G);
        await waitFor('extra root dropped', () => !api.roots().some((r) => r.path === extra));
      } finally {
        rmSync(extra, { recursive: true, force: true });
      }
    });

    it('Pause Tracking turns tracking.enabled off: nothing in the status bar; Resume brings it back', async () => {
      await vscode.commands.executeCommand(COMMANDS.pauseTracking);
      assert.equal(settings().get('tracking.enabled'), false);
      await waitFor('hidden', () => !api.statusBar.visible);
      assert.equal(api.statusBar.waitingText, '');
      assert.equal(api.live.views().length, 0);
      await vscode.commands.executeCommand(COMMANDS.resumeTracking);
      assert.equal(settings().inspect('tracking.enabled')?.globalValue, undefined, 'back to the default');
      await waitFor('shown', () => api.statusBar.visible && api.statusBar.text.includes('waiting for you'));
      // the setting itself, changed on the settings page
      await settings().update('tracking.enabled', false, G);
      await waitFor('hidden by the setting', () => !api.statusBar.visible);
      await settings().update('tracking.enabled', undefined, G);
      await waitFor('shown by the setting', () => api.statusBar.visible);
    });
  });
});

/** The tooltip's Markdown as text: escapes and &nbsp; from appendText removed. */
function plain(md: string): string {
  return md.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}
