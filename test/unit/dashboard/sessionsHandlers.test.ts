import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type MethodDescriptor,
  type ParamsOf,
  PROTOCOL_VERSION,
  parseHostToWebview,
  SESSIONS_METHODS,
  type StatusSnapshot,
  search,
  sessionGet,
  sessionsQuery,
  sessionToolCall,
  sessionTurns,
  statusGet,
} from '../../../src/shared/protocol';
import { DashboardStore } from '../../../src/vscode/dashboard/dashboardStore';
import { RequestRouter } from '../../../src/vscode/dashboard/requestRouter';
import { registerSessionsHandlers } from '../../../src/vscode/dashboard/sessionsHandlers';
import type { Logger } from '../../../src/vscode/logger';
import { fixtureStore } from '../../helpers/dashboardFixtureStore';

const quiet: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => quiet,
};

const snapshot: StatusSnapshot = {
  extensionVersion: '0.0.0-test',
  locale: 'en',
  activationMs: 1,
  roots: [],
  storeBackend: 'node:sqlite',
  storePath: null,
  totals: null,
  ingest: { state: 'idle', progress: null, lastScanAt: null, lastScanMs: null, message: null },
  liveSession: null,
  generatedAt: '2026-12-01T00:00:00.000Z',
};

describe('dashboard session handlers over a real store (through the router, as the webview sees them)', function () {
  this.timeout(60_000);
  let dir: string;
  let store: DashboardStore;
  let router: RequestRouter;
  let nextId = 1;
  async function call<M extends MethodDescriptor>(m: M, params: ParamsOf<M>) {
    const res = await router.dispatch({ type: 'request', id: nextId++, method: m.name, params });
    // What reaches the webview must pass its own envelope validation.
    assert.equal(parseHostToWebview(res).ok, true);
    return res;
  }
  async function ok<M extends MethodDescriptor>(m: M, params: ParamsOf<M>) {
    const res = await call(m, params);
    assert.ok(res.ok, JSON.stringify(res));
    return m.result.parse(res.ok ? res.result : undefined) as ReturnType<M['result']['parse']>;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-h-'));
    (await fixtureStore(dir, 'node:sqlite')).close();
    store = new DashboardStore(path.join(dir, 'store.db'), quiet);
    router = new RequestRouter({ warn() {}, error() {}, debug() {} });
    registerSessionsHandlers(router, { store, liveSessionIds: () => [], snapshot: () => snapshot });
  });
  after(() => {
    store?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers every session method of the protocol', () => {
    assert.deepEqual(router.methods, SESSIONS_METHODS.map((m) => m.name).sort());
  });

  it('sessions/query → session/get → session/turns → session/toolCall for each fixture session', async () => {
    const list = await ok(sessionsQuery, { filters: {}, sort: { by: 'cost', dir: 'desc' }, offset: 0, limit: 100 });
    assert.ok(list.total >= 10 && list.rows.length === list.total);
    for (const row of list.rows) {
      const header = await ok(sessionGet, { sessionId: row.sessionId });
      assert.equal(header.sessionId, row.sessionId);
      assert.equal(header.costUsd, row.costUsd);
      const turns = await ok(sessionTurns, { sessionId: row.sessionId, offset: 0, limit: 500 });
      assert.equal(turns.total, header.timelineItems);
      assert.equal(turns.turns.length, turns.total);
      const call = turns.turns.flatMap((t) => t.toolCalls)[0];
      if (call)
        assert.equal((await ok(sessionToolCall, { sessionId: row.sessionId, toolCallId: call.id })).id, call.id);
    }
    const withClaudeCost = list.rows.find((r) => r.costUsd !== null)!;
    const h = await ok(sessionGet, { sessionId: withClaudeCost.sessionId });
    assert.ok(h.claudeCostUsd !== null, "Claude Code's own cost is shown next to ours");
  });

  it('search groups hits by session with ranges; status/get describes the store', async () => {
    const r = await ok(search, { query: 'background', filters: {}, limit: 50 });
    assert.equal(r.engine, 'fts5');
    assert.ok(r.groups.length >= 1 && r.groups.every((g) => g.hits.length > 0));
    const st = await ok(statusGet, {});
    assert.equal(st.store?.fts.engine, 'fts5');
    assert.ok((st.store?.schemaVersion ?? 0) >= 9);
    assert.ok(st.skipped.some((s) => s.reason === 'synthetic_or_api_error'));
    assert.equal(st.snapshot.extensionVersion, '0.0.0-test');
  });

  it('answers an unknown session with notFound and invalid params with invalidParams', async () => {
    const missing = await call(sessionGet, { sessionId: 'no-such-session' });
    assert.ok(!missing.ok && missing.error.code === 'notFound');
    const turns = await call(sessionTurns, { sessionId: 'no-such-session', offset: 0, limit: 10 });
    assert.ok(!turns.ok && turns.error.code === 'notFound');
    const bad = await router.dispatch({ type: 'request', id: 99, method: 'sessions/query', params: { limit: -1 } });
    assert.ok(!bad.ok && bad.error.code === 'invalidParams');
  });

  it('answers empty results (not errors) before the first scan created the store', async () => {
    const empty = new RequestRouter({ warn() {}, error() {}, debug() {} });
    const none = new DashboardStore(path.join(dir, 'missing', 'store.db'), quiet);
    registerSessionsHandlers(empty, { store: none, liveSessionIds: () => [], snapshot: () => snapshot });
    const q = await empty.dispatch({
      type: 'request',
      id: 1,
      method: 'sessions/query',
      params: { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 10 },
    });
    assert.deepEqual(q, { type: 'response', id: 1, ok: true, result: { rows: [], total: 0 } });
    const st = await empty.dispatch({ type: 'request', id: 2, method: 'status/get', params: {} });
    assert.ok(st.ok && (st.result as { store: unknown }).store === null);
    assert.equal(PROTOCOL_VERSION, 1);
  });
});
