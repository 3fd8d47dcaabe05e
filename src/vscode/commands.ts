import * as vscode from 'vscode';
import { COMMANDS, DASHBOARD_VIEW_ID } from './ids';

export function registerCommands(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.showDashboard, async () => {
      // `<viewId>.focus` is contributed by VS Code for every view: it opens the container and reveals the view.
      await vscode.commands.executeCommand(`${DASHBOARD_VIEW_ID}.focus`);
    }),
  );
}
