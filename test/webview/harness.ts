import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/shared/webviewHtml';
import { launchChromium } from '../helpers/chromium';
import { REPO_ROOT } from '../helpers/repo';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

/**
 * Serves the built webview bundle with the extension's own HTML shell and CSP, and stands in for the
 * VS Code webview host: `acquireVsCodeApi` records what the webview sends; `post()` plays host messages.
 */
export class WebviewHarness {
  private server!: http.Server;
  private browser!: Browser;
  page!: Page;
  origin = '';
  readonly console: { type: string; text: string }[] = [];
  readonly pageErrors: string[] = [];

  /** distDir: the built webview to serve (the benchmark serves a production build of its own). */
  constructor(private readonly distDir = path.join(REPO_ROOT, 'dist', 'webview')) {}

  async start(): Promise<void> {
    const distDir = this.distDir;
    this.server = http.createServer(async (req, res) => {
      try {
        const url = new URL(req.url ?? '/', this.origin);
        if (url.pathname === '/' || url.pathname === '/index.html') {
          const html = renderWebviewHtml({
            cspSource: this.origin,
            nonce: randomBytes(18).toString('base64url'),
            scriptUri: `${this.origin}/dist/main.js`,
            styleUri: `${this.origin}/dist/main.css`,
            lang: url.searchParams.get('lang') ?? 'en',
            title: 'harness',
          });
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
          return;
        }
        if (url.pathname.startsWith('/dist/')) {
          const file = path.join(distDir, path.normalize(url.pathname.slice('/dist/'.length)));
          if (!file.startsWith(distDir)) throw new Error('outside dist');
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
          return;
        }
        if (url.pathname === '/favicon.ico') {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(404).end();
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.browser = await launchChromium();
  }

  /**
   * Opens a fresh page; theme variables emulate a VS Code colour theme (themeKind: the body class VS Code sets).
   * With `host`, the page's RPC requests are answered by it (the webview's own boundary: our port); `state` is
   * what vscode.getState() returns (a view restored after being hidden).
   */
  async open(
    opts: {
      lang?: string;
      theme?: Record<string, string>;
      themeKind?: string;
      host?: { answer(method: string, params: unknown): Promise<unknown> };
      state?: unknown;
      viewport?: { width: number; height: number };
    } = {},
  ): Promise<Page> {
    await this.page
      ?.context()
      .close()
      .catch(() => {});
    const context = await this.browser.newContext({ viewport: opts.viewport ?? { width: 360, height: 720 } });
    this.page = await context.newPage();
    const host = opts.host;
    if (host) {
      // A binding runs in Node, outside the page's CSP, like VS Code's own message channel.
      await this.page.exposeFunction('__cctHostAnswer', (m: { method: string; params: unknown }) =>
        host.answer(m.method, m.params),
      );
    }
    this.console.length = 0;
    this.pageErrors.length = 0;
    this.page.on('console', (m: ConsoleMessage) => this.console.push({ type: m.type(), text: m.text() }));
    this.page.on('pageerror', (e) => this.pageErrors.push(e.message));
    const theme = opts.theme ?? {};
    // Runs before the page's own scripts and outside its CSP, as VS Code's webview host does.
    // A string, not a function: tsx/esbuild would inject helpers (__name) that do not exist in the page.
    await this.page.addInitScript(`(() => {
      const themeVars = ${JSON.stringify(theme)};
      const themeKind = ${JSON.stringify(opts.themeKind ?? '')};
      const sent = [];
      const violations = [];
      let state = ${JSON.stringify(opts.state ?? null)} ?? undefined;
      window.__getState = () => state;
      let acquired = false;
      window.__sent = sent;
      window.__cspViolations = violations;
      window.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: (m) => {
            sent.push(JSON.parse(JSON.stringify(m)));
            if (m && m.type === 'request' && window.__cctHostAnswer) {
              window.__cctHostAnswer({ method: m.method, params: m.params }).then((r) =>
                window.postMessage({ type: 'response', id: m.id, ...r }, '*'),
              );
            }
          },
          getState: () => state,
          setState: (s) => { state = s; },
        };
      };
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(themeVars)) document.documentElement.style.setProperty(k, v);
        if (themeKind) document.body.classList.add(themeKind);
      });
    })();`);
    await this.page.goto(`${this.origin}/?lang=${encodeURIComponent(opts.lang ?? 'en')}`);
    return this.page;
  }

  /** Messages the webview sent to the "host". */
  async sent(): Promise<Record<string, unknown>[]> {
    return this.page.evaluate(() => (window as unknown as { __sent: Record<string, unknown>[] }).__sent);
  }

  async waitForSent(type: string): Promise<Record<string, unknown>> {
    await this.page.waitForFunction(
      (t) => (window as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === t),
      type,
    );
    return (await this.sent()).find((m) => m.type === type)!;
  }

  /** Delivers a host → webview message the way VS Code does: a MessageEvent on the window. */
  async post(message: unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** Switches the theme variables live, as VS Code does when the user changes the colour theme. */
  async setTheme(vars: Record<string, string>, kind: string): Promise<void> {
    await this.page.evaluate(
      ({ vars, kind }) => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
        document.body.classList.add(kind);
      },
      { vars, kind },
    );
  }

  async cspViolations(): Promise<string[]> {
    const fromEvents = await this.page.evaluate(
      () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
    );
    const fromConsole = this.console
      .filter((m) => /Content Security Policy|Refused to/i.test(m.text))
      .map((m) => m.text);
    return [...fromEvents, ...fromConsole];
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => {});
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
