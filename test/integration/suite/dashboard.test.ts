import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import {
  type MethodDescriptor,
  type ParamsOf,
  remoteStatus,
  search,
  sessionCodeContext,
  sessionGet,
  sessionsQuery,
  sessionTurnIndex,
  sessionTurns,
  statusGet,
} from '../../../src/shared/protocol';
import { COMMANDS, DASHBOARD_PANEL_VIEW_TYPE, EXTENSION_ID } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

describe('dashboard host inside the extension host (real store built from the real-CLI fixtures)', () => {
  let api: TracerApi;
  let id = 1000;
  const expected = JSON.parse(process.env.CCT_EXPECTED_TOTALS ?? 'null') as { sessions: number };

  async function ok<M extends MethodDescriptor>(m: M, params: ParamsOf<M>) {
    const res = await api.dashboard.dispatch({ type: 'request', id: id++, method: m.name, params });
    assert.ok(res.ok, JSON.stringify(res));
    return m.result.parse(res.ok ? res.result : undefined) as ReturnType<M['result']['parse']>;
  }

  before(async () => {
    assert.ok(expected, 'the harness passes the CLI totals of the same tree');
    api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    await waitFor('first scan', () => api.lastScan() !== undefined || api.status().ingest.state === 'idle', 60_000);
    await api.scanNow();
  });

  it('answers sessions/query, session/get, session/turns, search and status/get from the store', async () => {
    const list = await ok(sessionsQuery, { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 200 });
    assert.ok(list.total >= expected.sessions, `${list.total} sessions, the CLI found ${expected.sessions}`);
    assert.equal(list.rows.length, list.total);
    const byCost = await ok(sessionsQuery, { filters: {}, sort: { by: 'cost', dir: 'desc' }, offset: 0, limit: 3 });
    assert.equal(byCost.rows.length, 3);
    const top = byCost.rows[0]!;
    assert.ok(top.costUsd !== null && list.rows.every((r) => r.costUsd === null || r.costUsd <= top.costUsd!));
    const header = await ok(sessionGet, { sessionId: top.sessionId });
    assert.equal(header.sessionId, top.sessionId);
    const turns = await ok(sessionTurns, { sessionId: top.sessionId, offset: 0, limit: 100 });
    assert.equal(turns.total, header.timelineItems);
    assert.ok(turns.turns.some((t) => t.kind === 'response' && t.tokens !== null));
    const found = await ok(search, { query: 'background', filters: {}, limit: 50 });
    assert.ok(['fts5', 'fts4'].includes(found.engine), found.engine);
    assert.ok(found.groups.length > 0);
    const status = await ok(statusGet, {});
    assert.ok(status.store && status.store.schemaVersion >= 9);
    const missing = await api.dashboard.dispatch({
      type: 'request',
      id: id++,
      method: 'session/get',
      params: { sessionId: 'nope' },
    });
    assert.ok(!missing.ok && missing.error.code === 'notFound');
  });

  it('links the remote search scopes to the Supabase connection: no project means notConfigured, rows not connected', async () => {
    // the sync bundle loads after activation; until then the link is 'unavailable'
    let st = await ok(remoteStatus, {});
    await waitFor('sync module linked', async () => {
      st = await ok(remoteStatus, {});
      return st.state !== 'unavailable';
    });
    assert.deepEqual(st, { state: 'notConfigured', teamAdmin: false, syncMode: 'off' });
    const mine = await api.dashboard.dispatch({
      type: 'request',
      id: id++,
      method: search.name,
      params: { query: 'background', scope: 'mine', filters: {}, limit: 10 },
    });
    assert.ok(!mine.ok && mine.error.code === 'unavailable', JSON.stringify(mine));
    const list = await ok(sessionsQuery, { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 200 });
    assert.ok(
      list.rows.every((r) => r.sync !== 'pending'),
      'without a project nothing shows as waiting to sync',
    );
  });

  it('shows the /compact boundary of the real-CLI fixture and answers where a turn is (deep links)', async () => {
    const compact = 'cc7f0000-0000-4000-8000-000000000010';
    const turns = await ok(sessionTurns, { sessionId: compact, offset: 0, limit: 500 });
    const dividers = turns.turns.filter((t) => t.kind === 'compaction');
    assert.equal(dividers.length, 1);
    assert.deepEqual(dividers[0]!.compaction, { trigger: 'manual', preTokens: 712, postTokens: 2555 });
    for (const t of turns.turns) {
      const at = await ok(sessionTurnIndex, { sessionId: compact, turnId: t.id });
      assert.equal(at.index, t.index, t.id);
    }
    const none = await ok(sessionTurnIndex, { sessionId: compact, turnId: 'p:nope' });
    assert.equal(none.index, null);
    const code = await ok(sessionCodeContext, { sessionId: compact });
    assert.ok(Array.isArray(code.files));
    // The deep link with a turn runs (the sidebar opens at it).
    await vscode.commands.executeCommand(COMMANDS.openSession, compact, { turnId: dividers[0]!.id });
  });

  it('"Open Dashboard in Editor" opens the dashboard as an editor tab whose webview completes its handshake', async () => {
    await vscode.commands.executeCommand(COMMANDS.openDashboardInEditor);
    await waitFor('panel ready', () => api.dashboard.isPanelReady, 30_000);
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(DASHBOARD_PANEL_VIEW_TYPE));
    assert.ok(tab, 'a webview tab of the dashboard panel type is open (the type its serializer restores)');
    // A second invocation reveals the same panel instead of opening another.
    await vscode.commands.executeCommand(COMMANDS.openDashboardInEditor);
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(DASHBOARD_PANEL_VIEW_TYPE));
    assert.equal(tabs.length, 1);
    // A deep link goes to the open panel.
    await vscode.commands.executeCommand(COMMANDS.openSession, 'cc7f0000-0000-4000-8000-000000000001');
    assert.equal(api.dashboard.isPanelOpen, true);
    await vscode.window.tabGroups.close(tabs[0]!);
    await waitFor('panel closed', () => !api.dashboard.isPanelOpen);
  });

  it('registers Open Session… and the panel serializer activation event', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes(COMMANDS.openSession) && all.includes(COMMANDS.openDashboardInEditor));
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents: string[] };
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${DASHBOARD_PANEL_VIEW_TYPE}`));
  });
});
