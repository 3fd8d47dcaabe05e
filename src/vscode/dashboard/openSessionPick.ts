import * as vscode from 'vscode';
import { type RequestEnvelope, type ResponseEnvelope, type SessionRow, sessionsQuery } from '../../shared/protocol';

/** The quick pick shows this many most recent sessions; VS Code filters them as the user types. */
const PICK_LIMIT = 500;

interface SessionPickItem extends vscode.QuickPickItem {
  sessionId: string;
}

/**
 * "Open Session…": the most recent sessions, live ones first, searchable by first prompt (label), project
 * (description), time and cost (detail). Resolves the chosen id, or undefined when dismissed or none exist.
 */
export async function pickSession(
  dispatch: (r: RequestEnvelope) => Promise<ResponseEnvelope>,
  options: { title?: string } = {},
): Promise<string | undefined> {
  const response = await dispatch({
    type: 'request',
    id: 0,
    method: sessionsQuery.name,
    params: { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: PICK_LIMIT },
  });
  if (!response.ok) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Claude Code Tracer: cannot list sessions: {0}', response.error.message),
    );
    return undefined;
  }
  const rows = sessionsQuery.result.parse(response.result).rows;
  if (rows.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Claude Code Tracer: no sessions in the local store yet.'));
    return undefined;
  }
  const items = sessionPickItems(rows);
  const chosen = await vscode.window.showQuickPick(items, {
    title: options.title ?? vscode.l10n.t('Open Session'),
    placeHolder: vscode.l10n.t('Search by first prompt, project, time or cost'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.sessionId;
}

/** The quick pick's items: live sessions first, then the rest in the store's order (newest first). */
export function sessionPickItems(rows: readonly SessionRow[]): SessionPickItem[] {
  return [...rows.filter((r) => r.live), ...rows.filter((r) => !r.live)].map(pickItem);
}

function pickItem(r: SessionRow): SessionPickItem {
  const when = r.startMs === null ? '' : new Date(r.startMs).toLocaleString(vscode.env.language);
  const cost =
    r.costUsd === null
      ? vscode.l10n.t('cost unknown')
      : `$${r.costUsd.toFixed(2)}${r.unpricedModels.length ? ` ${vscode.l10n.t('(partly unpriced)')}` : ''}`;
  const project = r.projectPath ?? '';
  return {
    sessionId: r.sessionId,
    label: `${r.live ? '$(pulse) ' : ''}${r.firstPrompt ?? vscode.l10n.t('(no prompt)')}`,
    description: project.split(/[\\/]/).filter(Boolean).pop() ?? project,
    detail: [when, cost, vscode.l10n.t('{0} turns', r.turns), r.sessionId.slice(0, 8)].filter(Boolean).join(' · '),
  };
}
