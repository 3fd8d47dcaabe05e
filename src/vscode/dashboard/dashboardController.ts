import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { githubTarget } from '../../core/codeContext/githubTarget';
import { Disposable, DisposableStore } from '../../shared/disposable';
import type {
  DataScope,
  NavigateTarget,
  RequestEnvelope,
  ResponseEnvelope,
  StatusSnapshot,
} from '../../shared/protocol';
import { COMMANDS, DASHBOARD_PANEL_VIEW_TYPE, DASHBOARD_VIEW_ID } from '../ids';
import type { Logger } from '../logger';
import { readSettings } from '../settings';
import type { DashboardData, DashboardDataDeps, startDashboardData } from './dashboardDataEntry';
import type { DashboardStore } from './dashboardStore';
import { DashboardWebview, dashboardWebviewOptions } from './dashboardWebview';
import { pickSession } from './openSessionPick';
import type { RemoteLink } from './remoteLink';
import { RequestRouter } from './requestRouter';

export interface DashboardControllerDeps {
  extensionUri: vscode.Uri;
  dbPath: string;
  snapshot(): StatusSnapshot;
  liveSessionIds(): string[];
  log: Logger;
  /** The official rate limits the limits item last read (the Metrics view shows them beside its estimate). */
  officialLimits?: DashboardDataDeps['officialLimits'];
}

/**
 * The one dashboard host per window: feeds the sidebar webview view and the editor panel ("Open Dashboard in
 * Editor", restored after a reload by its serializer) from the same router and store connection, pushes snapshots
 * and dataChanged notifications to both, and opens sessions from deep links (claudeTracer.openSession).
 */
export class DashboardController extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewId = DASHBOARD_VIEW_ID;
  readonly router: RequestRouter;
  private data: DashboardStore | undefined;
  private dataHandle: DashboardData | undefined;
  /** Settles once the data handlers are registered (or failed to load: requests then answer unknownMethod). */
  private readonly handlersLoaded: Promise<void>;
  private sidebar: DashboardWebview | undefined;
  private sidebarView: vscode.WebviewView | undefined;
  private panel: vscode.WebviewPanel | undefined;
  private panelWebview: DashboardWebview | undefined;
  private sidebarDisposables = new DisposableStore();
  /** A deep link asked for before VS Code resolved the sidebar view: applied when it does. */
  private pendingSidebarTarget: NavigateTarget | undefined;
  private panelDisposables = new DisposableStore();
  /** Set once the sync bundle has loaded (setRemoteLink). */
  private remoteLink: RemoteLink | undefined;

  constructor(private readonly deps: DashboardControllerDeps) {
    super();
    this.router = new RequestRouter(deps.log.child('rpc'));
    this.handlersLoaded = loadDashboardData().then(
      (m) => {
        if (this.isDisposed) return;
        const data = this._register(
          m.startDashboardData({
            router: this.router,
            dbPath: deps.dbPath,
            log: deps.log,
            liveSessionIds: deps.liveSessionIds,
            snapshot: deps.snapshot,
            actions: sessionActionsInVsCode(),
            remoteLink: () => this.remoteLink,
            officialLimits: deps.officialLimits,
          }),
        );
        this.data = data.store;
        this.dataHandle = data;
      },
      (e: unknown) => deps.log.error(`dashboard data unavailable: ${e instanceof Error ? e.message : String(e)}`),
    );
    this._register({ dispose: () => this.sidebarDisposables.dispose() });
    this._register({ dispose: () => this.panelDisposables.dispose() });
    this._register({ dispose: () => this.panel?.dispose() });
    this._register(
      vscode.window.registerWebviewViewProvider(DASHBOARD_VIEW_ID, this, {
        webviewOptions: { retainContextWhenHidden: false },
      }),
    );
    this._register(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adoptPanel(panel),
      }),
    );
    this._register(vscode.commands.registerCommand(COMMANDS.openDashboardInEditor, () => this.openInEditor()));
    this._register(
      vscode.commands.registerCommand(COMMANDS.openSession, (sessionId?: unknown, options?: unknown) =>
        typeof sessionId === 'string' && sessionId
          ? this.openSession(sessionId, openSessionOptions(options))
          : this.pickAndOpenSession(),
      ),
    );
  }

  /** Some webview (sidebar or panel) has completed its handshake. */
  get isReady(): boolean {
    return !!(this.sidebar?.isReady || this.panelWebview?.isReady);
  }

  get isPanelOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The editor panel's webview has completed its handshake. */
  get isPanelReady(): boolean {
    return this.panelWebview?.isReady ?? false;
  }

  postSnapshot(): void {
    this.sidebar?.postSnapshot();
    this.panelWebview?.postSnapshot();
  }

  /** The Supabase connection (remote search scopes); the views refetch what depends on it. */
  setRemoteLink(link: RemoteLink | undefined): void {
    this.remoteLink = link;
    this.notifyDataChanged(['remote']);
  }

  /** A scan wrote to the store: the Metrics view's analytics worker recomputes (call before notifyDataChanged). */
  storeChanged(): void {
    this.dataHandle?.storeChanged();
  }

  /** New data in the store (a scan wrote, a live change, a sync): every open dashboard refetches these scopes. */
  notifyDataChanged(scope: DataScope[]): void {
    if (scope.some((s) => s !== 'live' && s !== 'status' && s !== 'remote')) this.data?.invalidate();
    this.sidebar?.notify(scope);
    this.panelWebview?.notify(scope);
  }

  /** Answers one request as a webview's would be (the integration tests drive the real handlers through it). */
  async dispatch(request: RequestEnvelope): Promise<ResponseEnvelope> {
    await this.handlersLoaded;
    return this.router.dispatch(request);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.sidebarDisposables.dispose();
    this.sidebarDisposables = new DisposableStore();
    const d = this.sidebarDisposables;
    this.sidebarView = view;
    const webview = d.add(new DashboardWebview(view.webview, 'sidebar', this.webviewDeps()));
    this.sidebar = webview;
    if (this.pendingSidebarTarget) {
      webview.navigate(this.pendingSidebarTarget);
      this.pendingSidebarTarget = undefined;
    }
    d.add(
      view.onDidDispose(() => {
        if (this.sidebar === webview) {
          this.sidebar = undefined;
          this.sidebarView = undefined;
        }
      }),
    );
    // Hidden, the page is unloaded (no retained context); shown again it loads and handshakes anew.
    d.add(view.onDidChangeVisibility(() => !view.visible && webview.reset()));
    this.deps.log.debug('dashboard view resolved');
  }

  /** Opens (or reveals) the dashboard as an editor tab, in the wide layout. */
  openInEditor(target?: NavigateTarget): void {
    if (this.panel) {
      this.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_PANEL_VIEW_TYPE,
        vscode.l10n.t('Claude Tracer Dashboard'),
        vscode.ViewColumn.Active,
        { ...dashboardWebviewOptions(this.deps.extensionUri), retainContextWhenHidden: false },
      );
      this.adoptPanel(panel);
    }
    if (target) this.panelWebview?.navigate(target);
  }

  /**
   * Shows one session: in the editor panel when it is open, else in the sidebar view; with a turnId (a timeline
   * Turn.id), scrolled to that turn, highlighted and focused.
   */
  async openSession(sessionId: string, options: { turnId?: string } = {}): Promise<void> {
    await this.openView({ view: 'session', sessionId, ...(options.turnId ? { turnId: options.turnId } : {}) });
  }

  /** Shows a view (a session, Metrics, Privacy…): in the editor panel when it is open, else in the sidebar view. */
  async openView(target: NavigateTarget): Promise<void> {
    if (this.panel) {
      this.openInEditor(target);
      return;
    }
    // Focusing resolves the view if it never was; the target waits for its handshake (or for the view).
    if (!this.sidebar) this.pendingSidebarTarget = target;
    await vscode.commands.executeCommand(`${DASHBOARD_VIEW_ID}.focus`);
    this.sidebar?.navigate(target);
    if (this.sidebar) this.pendingSidebarTarget = undefined;
  }

  private async pickAndOpenSession(): Promise<void> {
    const id = await pickSession((r) => this.dispatch(r));
    if (id) await this.openSession(id);
  }

  private adoptPanel(panel: vscode.WebviewPanel): void {
    this.panelDisposables.dispose();
    this.panelDisposables = new DisposableStore();
    const d = this.panelDisposables;
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'activity.svg');
    const webview = d.add(new DashboardWebview(panel.webview, 'panel', this.webviewDeps()));
    this.panelWebview = webview;
    d.add(
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.panelWebview = undefined;
          this.panelDisposables.dispose();
        }
      }),
    );
    d.add(panel.onDidChangeViewState((e) => !e.webviewPanel.visible && webview.reset()));
    this.deps.log.debug('dashboard panel opened');
  }

  private webviewDeps() {
    return {
      extensionUri: this.deps.extensionUri,
      dispatch: (r: RequestEnvelope) => this.dispatch(r),
      snapshot: this.deps.snapshot,
      log: this.deps.log,
      runCommand: (command: string) => void vscode.commands.executeCommand(command),
    };
  }

  /** Whether the sidebar view currently exists (resolved and not disposed). */
  get hasSidebar(): boolean {
    return this.sidebarView !== undefined;
  }
}

/** The `{ turnId }` of claudeTracer.openSession's second argument; anything else (other callers' values) is ignored. */
export function openSessionOptions(options: unknown): { turnId?: string } {
  if (typeof options !== 'object' || options === null) return {};
  const turnId = (options as { turnId?: unknown }).turnId;
  return typeof turnId === 'string' && turnId.length > 0 && turnId.length <= 300 ? { turnId } : {};
}

/** Loads dist/dashboardData.js next to this bundle (a runtime path: esbuild leaves it out of extension.js). */
async function loadDashboardData(): Promise<{ startDashboardData: typeof startDashboardData }> {
  // After activation: evaluating the store code inside activate() would count against activation time.
  await new Promise((resolve) => setImmediate(resolve));
  const file = `${__dirname}/dashboardData.js`;
  return require(file) as { startDashboardData: typeof startDashboardData };
}

/** What the Session detail's actions (export, open a touched file) do in VS Code. */
function sessionActionsInVsCode(): DashboardDataDeps['actions'] {
  return {
    pickSaveTarget: async (name, format) =>
      (
        await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(
            vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
            name,
          ),
          filters: { [format === 'markdown' ? 'Markdown' : format.toUpperCase()]: [name.split('.').pop() ?? '*'] },
          title: vscode.l10n.t('Export Session'),
        })
      )?.fsPath,
    writeFile: (file, text) => writeFile(file, text, 'utf8'),
    workspaceFolders: () => vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [],
    openFile: async (file) => {
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    },
    openExternal: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
    // github.com and the configured Enterprise host (read on each use: a settings change applies at once).
    githubHosts: () => {
      const t = githubTarget(readSettings().githubEnterpriseUrl);
      return 'error' in t ? ['github.com'] : [...new Set(['github.com', ...t.webHosts])];
    },
  };
}
