import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, DASHBOARD_VIEW_ID } from './ids';

export interface CommandsDeps {
  /** The store file; Open Store Folder reveals its folder. */
  dbPath: string;
  /** The "Claude Code Tracer" log channel. */
  log: { show(preserveFocus?: boolean): void };
}

export function registerCommands(deps: CommandsDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.showDashboard, async () => {
      // `<viewId>.focus` is contributed by VS Code for every view: it opens the container and reveals the view.
      await vscode.commands.executeCommand(`${DASHBOARD_VIEW_ID}.focus`);
    }),
    vscode.commands.registerCommand(COMMANDS.openStoreFolder, async () => {
      const folder = path.dirname(deps.dbPath);
      try {
        // the store file selected in its folder; the OS file manager is not there in a browser (code-server)
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(deps.dbPath));
      } catch {
        const copy = vscode.l10n.t('Copy Path');
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Claude Tracer: the store is in {0}', folder), copy)
          .then((a) => (a === copy ? vscode.env.clipboard.writeText(folder) : undefined));
      }
      return folder;
    }),
    vscode.commands.registerCommand(COMMANDS.showLog, () => {
      deps.log.show(false);
      return true;
    }),
  );
}
