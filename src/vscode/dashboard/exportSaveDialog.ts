import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';

/** export/save in VS Code: asks where to save (webviews cannot download files); false when the user cancels. */
export async function saveWithDialog(suggestedName: string, format: 'csv' | 'json', content: string): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, suggestedName),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: vscode.l10n.t('Save'),
  });
  if (!target) return false;
  if (target.scheme === 'file') await fs.writeFile(target.fsPath, content, 'utf8');
  else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  return true;
}
