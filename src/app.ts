import * as os from 'node:os';
import * as vscode from 'vscode';
import { LiveSessionMonitor } from './core/live/liveSessionMonitor';
import { INITIAL_INGEST, buildStatusSnapshot } from './core/status/statusModel';
import { claudeConfigRoots } from './core/transcript/claudeRoots';
import { pathExists } from './infra/fs/pathExists';
import { readLiveRegistry } from './infra/live/liveRegistryReader';
import { isProcessAlive } from './infra/live/processProbe';
import { Disposable } from './shared/disposable';
import type { StatusSnapshot } from './shared/protocol';
import { registerCommands } from './vscode/commands';
import { DashboardViewProvider } from './vscode/dashboardViewProvider';
import { LOG_CHANNEL_NAME } from './vscode/ids';
import { type Logger, createLogger } from './vscode/logger';
import { onDidChangeSettings, readSettings } from './vscode/settings';
import { StatusBarController } from './vscode/statusBar';

/** What `activate()` returns: a small read-only surface for integration tests and other extensions. */
export interface TracerApi {
  readonly activationMs: number;
  status(): StatusSnapshot;
  readonly dashboard: { readonly isReady: boolean; postSnapshot(): void };
  readonly statusBar: { readonly visible: boolean; readonly text: string };
}

/** Composition root: builds every component and wires them; owns their lifetimes. */
export class App extends Disposable {
  readonly api: TracerApi;
  private readonly log: Logger;
  private roots: { path: string; exists: boolean }[] = [];
  private readonly live: LiveSessionMonitor;
  private activationMs = 0;

  constructor(context: vscode.ExtensionContext, activationStart: number) {
    super();
    const channel = this._register(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
    this.log = createLogger(channel);
    const version = String(context.extension.packageJSON.version ?? '0.0.0');

    const statusBar = this._register(new StatusBarController());
    const dashboard = this._register(
      new DashboardViewProvider(context.extensionUri, () => this.snapshot(version), this.log.child('webview')),
    );
    this._register(
      vscode.window.registerWebviewViewProvider(DashboardViewProvider.viewId, dashboard, {
        webviewOptions: { retainContextWhenHidden: false },
      }),
    );
    this._register(registerCommands());

    const applySettings = () => {
      const s = readSettings();
      statusBar.setVisible(s.statusBarEnabled);
    };
    applySettings();
    this._register(onDidChangeSettings(() => {
      applySettings();
      this.log.info('settings changed');
    }));

    const refresh = () => {
      const s = this.snapshot(version);
      statusBar.update(s);
      dashboard.postSnapshot();
    };
    this.roots = claudeConfigRoots({ env: process.env, homeDir: os.homedir() }).map((p) => ({ path: p, exists: false }));
    const liveLog = this.log.child('live');
    this.live = this._register(
      new LiveSessionMonitor({
        readRegistry: () => readLiveRegistry(this.roots.map((r) => r.path)),
        isAlive: isProcessAlive,
        workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
        onError: (e) => liveLog.warn(`registry read failed: ${String(e)}`),
      }),
    );
    this._register(
      this.live.onDidChange((s) => {
        liveLog.info(`${s.all.length} live session(s)${s.primary ? `, primary ${s.primary.sessionId} (${s.primary.status})` : ''}`);
        refresh();
      }),
    );
    refresh();
    void this.live.refresh();
    void this.refreshRoots().then(refresh, (err: unknown) => this.log.error(`root scan failed: ${String(err)}`));

    this.activationMs = performance.now() - activationStart;
    this.log.info(`activated v${version} in ${this.activationMs.toFixed(1)} ms`);
    const self = this;
    this.api = {
      get activationMs() {
        return self.activationMs;
      },
      status: () => this.snapshot(version),
      dashboard,
      statusBar,
    };
  }

  private async refreshRoots(): Promise<void> {
    this.roots = await Promise.all(this.roots.map(async (r) => ({ path: r.path, exists: await pathExists(r.path) })));
  }

  private snapshot(version: string): StatusSnapshot {
    return buildStatusSnapshot({
      extensionVersion: version,
      locale: vscode.env.language,
      activationMs: this.activationMs,
      roots: this.roots,
      storeBackend: null,
      storePath: null,
      totals: null,
      ingest: INITIAL_INGEST,
      liveSession: this.live.current.primary
        ? {
            sessionId: this.live.current.primary.sessionId,
            projectPath: this.live.current.primary.projectPath,
            status: this.live.current.primary.status,
          }
        : null,
      now: new Date(),
    });
  }
}
