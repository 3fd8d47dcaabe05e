import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DisposableStore } from '../../shared/disposable';
import {
  type DataScope,
  type HostToWebview,
  type NavigateTarget,
  PROTOCOL_VERSION,
  parseWebviewToHost,
  type RequestEnvelope,
  type ResponseEnvelope,
  type StatusSnapshot,
} from '../../shared/protocol';
import { renderWebviewHtml } from '../../shared/webviewHtml';
import type { Logger } from '../logger';

export interface DashboardWebviewDeps {
  extensionUri: vscode.Uri;
  /** Answers one RPC request (the controller's router, once its handlers are loaded). */
  dispatch(request: RequestEnvelope): Promise<ResponseEnvelope>;
  snapshot(): StatusSnapshot;
  log: Logger;
  /** The webview asked for an allowed command (runCommand). */
  runCommand(command: string): void;
}

/** The webview's options: scripts on, and local resources from the built webview and media only. */
export function dashboardWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/**
 * One webview showing the dashboard (the sidebar view or the editor panel): its HTML under the strict CSP (fresh
 * nonce), the `ready` handshake, snapshots, RPC requests answered through the shared router, dataChanged
 * notifications and deep links. Messages posted before `ready` would be lost, so they wait for it.
 */
export class DashboardWebview {
  private ready = false;
  private pendingTarget: NavigateTarget | undefined;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly webview: vscode.Webview,
    readonly kind: 'sidebar' | 'panel',
    private readonly deps: DashboardWebviewDeps,
  ) {
    const webviewRoot = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
    webview.options = dashboardWebviewOptions(deps.extensionUri);
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.css')).toString(),
      lang: vscode.env.language,
      title: 'Claude Code Tracer',
    });
    this.disposables.add(webview.onDidReceiveMessage((data: unknown) => this.onMessage(data)));
  }

  get isReady(): boolean {
    return this.ready;
  }

  postSnapshot(): void {
    if (this.ready) this.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: this.deps.snapshot() });
  }

  notify(scope: DataScope[]): void {
    if (this.ready && scope.length) this.post({ type: 'notify', event: 'dataChanged', scope });
  }

  navigate(target: NavigateTarget): void {
    if (this.ready) this.post({ type: 'navigate', target });
    else this.pendingTarget = target;
  }

  /** The webview was hidden (its page unloaded, retainContextWhenHidden is off): the next one handshakes again. */
  reset(): void {
    this.ready = false;
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private post(message: HostToWebview): void {
    void this.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.deps.log.debug(`${this.kind}: message ${message.type} not delivered (hidden)`);
      },
      (err: unknown) => this.deps.log.warn(`${this.kind}: postMessage failed: ${String(err)}`),
    );
  }

  private onMessage(data: unknown): void {
    const parsed = parseWebviewToHost(data);
    if (!parsed.ok) {
      this.deps.log.warn(`${this.kind}: dropped invalid webview message: ${parsed.error}`);
      return;
    }
    const msg = parsed.message;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.deps.log.debug(`${this.kind}: webview ready`);
        this.postSnapshot();
        if (this.pendingTarget) {
          this.post({ type: 'navigate', target: this.pendingTarget });
          this.pendingTarget = undefined;
        }
        break;
      case 'refresh':
        this.postSnapshot();
        break;
      case 'runCommand':
        this.deps.runCommand(msg.command);
        break;
      case 'log':
        this.deps.log[msg.level](`${this.kind} webview: ${msg.message}`);
        break;
      case 'request':
        void this.deps.dispatch(msg).then((response) => this.post(response));
        break;
    }
  }
}
