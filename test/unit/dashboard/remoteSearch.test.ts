import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { groupRemoteHits, type RemoteMatch, sameMachine } from '../../../src/core/search/remoteHits';
import { createSupabaseClient } from '../../../src/infra/supabase/client';
import {
  type MethodDescriptor,
  type ParamsOf,
  parseHostToWebview,
  remoteStatus,
  SearchResultSchema,
  search,
  sessionGet,
  sessionsQuery,
} from '../../../src/shared/protocol';
import { DashboardStore } from '../../../src/vscode/dashboard/dashboardStore';
import { RemoteSearchHandlers } from '../../../src/vscode/dashboard/remoteHandlers';
import type { RemoteLink, RemoteLinkState } from '../../../src/vscode/dashboard/remoteLink';
import { RequestRouter } from '../../../src/vscode/dashboard/requestRouter';
import { registerSessionsHandlers } from '../../../src/vscode/dashboard/sessionsHandlers';
import type { Logger } from '../../../src/vscode/logger';
import { fixtureStore } from '../../helpers/dashboardFixtureStore';

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

const match = (over: Partial<RemoteMatch>): RemoteMatch => ({
  ownerId: 'u-me',
  mine: true,
  sessionId: 's1',
  projectPath: '/home/me/app',
  startMs: Date.UTC(2026, 5, 1),
  costUsd: 1.25,
  machine: 'laptop',
  hitId: 'h1',
  role: 'prompt',
  at: Date.UTC(2026, 5, 1, 0, 1),
  excerpt: 'please refactor the Kubernetes deployment',
  ...over,
});

describe('remote search: mapping of search_synced rows to the Search view groups', () => {
  it('groups by owner and session in rank order, marks where each came from, highlights as ranges', () => {
    const groups = groupRemoteHits(
      [
        match({}),
        match({ sessionId: 's2', machine: 'desk', hitId: 'h2', role: 'response', excerpt: 'kubernetes fixed' }),
        match({ hitId: 'h3', excerpt: 'more kube text' }),
        // the same session id under a team member: ids are unique per user only, so it is a group of its own
        match({ ownerId: 'u-cy', mine: false, machine: 'laptop', hitId: 'h4', costUsd: null }),
        match({ hitId: 'h1' }), // a duplicate row of a hit already seen
      ],
      'kube',
      'LAPTOP.example.com',
    );
    assert.deepEqual(
      groups.map((g) => [g.sessionId, g.origin, g.hits.map((h) => h.interactionId)]),
      [
        ['s1', { mine: true, machine: 'laptop', thisMachine: true, memberId: null, costUsd: 1.25 }, ['h1', 'h3']],
        ['s2', { mine: true, machine: 'desk', thisMachine: false, memberId: null, costUsd: 1.25 }, ['h2']],
        ['s1', { mine: false, machine: 'laptop', thisMachine: false, memberId: 'u-cy', costUsd: null }, ['h4']],
      ],
    );
    const h = groups[0]!.hits[0]!;
    assert.equal(h.snippet.text, 'please refactor the Kubernetes deployment');
    assert.deepEqual(
      h.snippet.highlights.map(([a, b]) => h.snippet.text.slice(a, b)),
      ['Kube'],
      'ranges into the text, never markup',
    );
    // what the host sends must pass the protocol's own validation
    assert.equal(SearchResultSchema.safeParse({ engine: 'remote', groups }).success, true);
  });

  it('treats host names case-insensitively and without their domain; an empty name is no machine', () => {
    assert.equal(sameMachine('Laptop', 'laptop.local'), true);
    assert.equal(sameMachine('desk', 'laptop'), false);
    assert.equal(sameMachine('', ''), false);
  });
});

describe('remote search handlers: not connected, signed out, outage (local scope unaffected)', function () {
  this.timeout(60_000);
  let dir: string;
  let store: DashboardStore;
  let router: RequestRouter;
  let link: RemoteLink | undefined;
  let state: RemoteLinkState;
  let nextId = 1;
  const call = async <M extends MethodDescriptor>(m: M, params: ParamsOf<M>) => {
    const res = await router.dispatch({ type: 'request', id: nextId++, method: m.name, params });
    assert.equal(parseHostToWebview(res).ok, true);
    return res;
  };
  /** A real supabase-js client whose requests meet the given network. */
  const clientOn = (fetchImpl: typeof fetch) =>
    createSupabaseClient(
      { url: 'http://127.0.0.1:9', anonKey: 'sb_publishable_test' },
      {
        storage: { getItem: async () => null, setItem: async () => {}, removeItem: async () => {} },
        autoRefreshToken: false,
        fetch: fetchImpl,
      },
    );

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-remote-'));
    (await fixtureStore(dir, 'node:sqlite')).close();
    store = new DashboardStore(path.join(dir, 'store.db'), quiet);
    router = new RequestRouter({ warn() {}, error() {}, debug() {} });
    const remote = new RemoteSearchHandlers(router, { link: () => link, machine: async () => 'laptop' });
    registerSessionsHandlers(router, { store, liveSessionIds: () => [], snapshot: () => ({}) as never, remote });
  });
  after(() => {
    store?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const setLink = (s: RemoteLinkState) => {
    state = s;
    link = { current: async () => state, syncMode: () => 'full' };
  };

  it('remote/status says unavailable / notConfigured / signedOut, and remote scopes answer unavailable', async () => {
    link = undefined;
    let r = await call(remoteStatus, {});
    assert.ok(r.ok && (r.result as { state: string }).state === 'unavailable', JSON.stringify(r));
    setLink({ state: 'notConfigured' });
    r = await call(remoteStatus, {});
    assert.deepEqual(r.ok && r.result, { state: 'notConfigured', teamAdmin: false, syncMode: 'full' });
    setLink({ state: 'signedOut' });
    r = await call(remoteStatus, {});
    assert.deepEqual(r.ok && r.result, { state: 'signedOut', teamAdmin: false, syncMode: 'full' });
    for (const scope of ['mine', 'team'] as const) {
      const s = await call(search, { query: 'fixture', scope, filters: {}, limit: 10 });
      assert.equal(!s.ok && s.error.code, 'unavailable', JSON.stringify(s));
    }
  });

  it('a Supabase outage is a clear error of the remote scope; the local scope keeps answering', async () => {
    for (const [what, f] of [
      ['network down', (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch],
      ['503', (async () => new Response('{"message":"unavailable"}', { status: 503 })) as typeof fetch],
    ] as const) {
      setLink({ state: 'signedIn', userId: '00000000-0000-4000-8000-000000000001', client: clientOn(f) });
      const s = await call(search, { query: 'fixture', scope: 'mine', filters: {}, limit: 10 });
      assert.ok(!s.ok, what);
      assert.match(s.error.message, /Supabase could not be reached/, what);
      const st = await call(remoteStatus, {});
      assert.deepEqual(st.ok && st.result, { state: 'signedIn', teamAdmin: false, syncMode: 'full' }, what);
      const local = await call(search, { query: 'the', filters: {}, limit: 10 });
      assert.ok(local.ok, what);
      assert.notEqual((local.result as { engine: string }).engine, 'remote');
    }
  });

  it('an expired session is "sign in again" (unavailable), not an outage', async () => {
    const expired = (async () =>
      new Response('{"code":"PGRST301","message":"JWT expired"}', {
        status: 401,
        headers: { 'content-type': 'application/json' },
      })) as typeof fetch;
    setLink({ state: 'signedIn', userId: '00000000-0000-4000-8000-000000000001', client: clientOn(expired) });
    const s = await call(search, { query: 'fixture', scope: 'team', filters: {}, limit: 10 });
    assert.equal(!s.ok && s.error.code, 'unavailable', JSON.stringify(s));
  });

  it('Sessions rows and the session header say notConnected instead of pending while no project is connected', async () => {
    link = undefined;
    const before = await call(sessionsQuery, { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 50 });
    assert.ok(before.ok);
    const rows = (before.result as { rows: { sessionId: string; sync: string }[] }).rows;
    const pending = rows.filter((r) => r.sync === 'pending');
    assert.ok(pending.length > 0, 'the fixture store has rows waiting in the outbox');
    setLink({ state: 'notConfigured' });
    const after = await call(sessionsQuery, { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 50 });
    assert.ok(after.ok);
    const now = (after.result as { rows: { sessionId: string; sync: string }[] }).rows;
    assert.deepEqual(
      now.filter((r) => pending.some((p) => p.sessionId === r.sessionId)).map((r) => r.sync),
      pending.map(() => 'notConnected'),
    );
    const h = await call(sessionGet, { sessionId: pending[0]!.sessionId });
    assert.equal(h.ok && (h.result as { sync: string }).sync, 'notConnected');
    setLink({ state: 'signedOut' });
    const signedOut = await call(sessionsQuery, {
      filters: {},
      sort: { by: 'time', dir: 'desc' },
      offset: 0,
      limit: 50,
    });
    assert.ok(signedOut.ok);
    assert.ok(
      (signedOut.result as { rows: { sync: string }[] }).rows.some((r) => r.sync === 'pending'),
      'a connected project keeps its pending state',
    );
  });
});
