import * as vscode from 'vscode';
import { WALKTHROUGH_ID } from './ids';

/** globalState key: the walkthrough was opened once (on the first activation after install). */
export const WALKTHROUGH_SHOWN_KEY = 'claudeTracer.walkthroughShown';

/**
 * Opens the "Get Started with Claude Code Tracer" walkthrough on the first activation after install, never again
 * (the flag is set before opening, so a reload during it does not open it twice), unless the user turned off
 * VS Code's own `workbench.welcomePage.walkthroughs.openOnInstall`. Resolves whether it opened.
 */
export async function openWalkthroughOnce(state: vscode.Memento): Promise<boolean> {
  if (state.get<boolean>(WALKTHROUGH_SHOWN_KEY, false)) return false;
  await state.update(WALKTHROUGH_SHOWN_KEY, true);
  if (vscode.workspace.getConfiguration('workbench').get<boolean>('welcomePage.walkthroughs.openOnInstall') === false)
    return false;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  return true;
}
