import type * as vscode from 'vscode';
import { App, type TracerApi } from './app';

/** Only wires: build the app, hand VS Code one Disposable. */
export function activate(context: vscode.ExtensionContext): TracerApi {
  const start = performance.now();
  const app = new App(context, start);
  context.subscriptions.push(app);
  return app.api;
}

export function deactivate(): void {}
