import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable, DisposableStore } from '../shared/disposable';
import { type HostToWebview, PROTOCOL_VERSION, parseWebviewToHost, type StatusSnapshot } from '../shared/protocol';
import { renderWebviewHtml } from '../shared/webviewHtml';
import { DASHBOARD_VIEW_ID } from './ids';
import type { Logger } from './logger';

/**
 * The sidebar dashboard (a webview view). The host owns the state and pushes full snapshots after the
 * webview's `ready` handshake; the webview keeps only UI state.
 */
export class DashboardViewProvider extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewId = DASHBOARD_VIEW_ID;

  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** The listeners of the current view; replaced whenever VS Code resolves the view again. */
  private viewDisposables = new DisposableStore();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly snapshot: () => StatusSnapshot,
    private readonly log: Logger,
  ) {
    super();
    this._register({ dispose: () => this.viewDisposables.dispose() });
  }

  get isReady(): boolean {
    return this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewDisposables.dispose();
    this.viewDisposables = new DisposableStore();
    this.view = view;
    this.ready = false;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [webviewRoot, vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.css')).toString(),
      lang: vscode.env.language,
      title: 'Claude Code Tracer',
    });
    const d = this.viewDisposables;
    d.add(view.webview.onDidReceiveMessage((data: unknown) => this.onMessage(data)));
    d.add(
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
    d.add(
      view.onDidChangeVisibility(() => {
        if (view.visible) this.postSnapshot();
      }),
    );
    this.log.debug('dashboard view resolved');
  }

  /** Sends the current snapshot if the webview has completed its handshake; otherwise it gets one on `ready`. */
  postSnapshot(): void {
    if (!this.view || !this.ready) return;
    this.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: this.snapshot() });
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.log.debug(`message ${message.type} not delivered (view hidden)`);
      },
      (err: unknown) => this.log.warn(`postMessage failed: ${String(err)}`),
    );
  }

  private onMessage(data: unknown): void {
    const parsed = parseWebviewToHost(data);
    if (!parsed.ok) {
      this.log.warn(`dropped invalid webview message: ${parsed.error}`);
      return;
    }
    const msg = parsed.message;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.log.debug('webview ready');
        this.postSnapshot();
        break;
      case 'refresh':
        this.postSnapshot();
        break;
      case 'runCommand':
        void vscode.commands.executeCommand(msg.command);
        break;
      case 'log':
        this.log[msg.level](`webview: ${msg.message}`);
        break;
    }
  }
}
