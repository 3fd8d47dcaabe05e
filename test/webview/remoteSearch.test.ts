import assert from 'node:assert/strict';
import { createSupabaseClient } from '../../src/infra/supabase/client';
import { PROTOCOL_VERSION, type SearchGroup, type SearchResult } from '../../src/shared/protocol';
import type { RemoteLinkState } from '../../src/vscode/dashboard/remoteLink';
import { requireBuilt } from '../helpers/repo';
import { FixtureHost, statusSnapshot } from './fixtureHost';
import { WebviewHarness } from './harness';
import { THEMES } from './themes';

// Search's scope chips ("This machine", "All my machines", "My team") and the sync-not-connected states, in Chromium
// with the built bundle under its CSP. remote/status, the not-connected rows and the remote search's failure paths
// are the extension's real handlers (over a real supabase-js client where one is needed); the remote search's
// successful answer is fed by the test (the db tier proves the server side on real PostgreSQL).

describe('dashboard remote search scopes and sync-not-connected states in Chromium', function () {
  this.timeout(60_000);
  const h = new WebviewHarness();
  let host: FixtureHost;

  const link = (s: RemoteLinkState, syncMode: 'off' | 'metadata' | 'full' = 'full') => {
    host.remoteLink = { current: async () => s, syncMode: () => syncMode };
  };
  /** A real supabase-js client on a network where Supabase is down. */
  const downClient = () =>
    createSupabaseClient(
      { url: 'http://127.0.0.1:9', anonKey: 'sb_publishable_test' },
      {
        storage: { getItem: async () => null, setItem: async () => {}, removeItem: async () => {} },
        autoRefreshToken: false,
        fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
      },
    );

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    host = await FixtureHost.fixtures();
    await h.start();
  });
  afterEach(() => {
    host.handlers.clear();
    host.remoteLink = undefined;
  });
  after(async () => {
    await h.stop();
    host?.close();
  });

  async function open(view: 'search' | 'status' | 'sessions' = 'search', lang = 'en') {
    const theme = THEMES.dark;
    host.requests.length = 0;
    await h.open({ host, theme: theme.vars, themeKind: theme.kind, lang, viewport: { width: 360, height: 640 } });
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: statusSnapshot({ locale: lang }) });
    if (view !== 'sessions') await h.page.getByTestId(`nav-${view}`).click();
  }
  const commandsSent = async () =>
    (await h.sent()).filter((m) => m.type === 'runCommand').map((m) => m.command as string);
  const searches = () => host.requests.filter((r) => r.method === 'search');

  it('not connected: the remote scopes show the state with "Connect Supabase…" instead of an error', async () => {
    link({ state: 'notConfigured' });
    await open();
    await h.page.getByTestId('search-input').fill('delegate');
    await h.page.getByTestId('search-hit').first().waitFor();
    assert.equal(await h.page.getByTestId('scope-team').count(), 0, '"My team" only for a team admin');
    await h.page.getByTestId('scope-mine').check();
    const state = h.page.getByTestId('remote-state');
    await state.waitFor();
    assert.equal(await state.getAttribute('data-state'), 'notConfigured');
    assert.equal(await h.page.getByTestId('search-error').count(), 0, 'a state, not an error');
    assert.equal(await h.page.getByTestId('search-hit').count(), 0);
    assert.ok(
      searches().every((r) => (r.params.scope ?? 'local') === 'local'),
      'nothing is sent to a scope that cannot run',
    );
    await h.page.getByTestId('remote-connect').click();
    assert.deepEqual(await commandsSent(), ['claudeTracer.supabase.connect']);
    // back to this machine: the local search answers again
    await h.page.getByTestId('scope-local').check();
    await h.page.getByTestId('search-hit').first().waitFor();
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(await h.cspViolations(), []);
  });

  it('signed out: "Sign In…"; in Japanese too', async () => {
    link({ state: 'signedOut' });
    await open('search', 'ja');
    await h.page.getByTestId('scope-mine').check();
    await h.page.getByTestId('remote-sign-in').click();
    assert.deepEqual(await commandsSent(), ['claudeTracer.supabase.signIn']);
    assert.match((await h.page.getByTestId('remote-state').textContent())!, /サインイン/);
    assert.match((await h.page.getByTestId('search-scope').textContent())!, /自分のすべてのマシン/);
  });

  it('a Supabase outage is a clear error of the remote scope; "Search this machine" keeps working', async () => {
    link({ state: 'signedIn', userId: '00000000-0000-4000-8000-000000000001', client: downClient() });
    await open();
    await h.page.getByTestId('scope-mine').check();
    await h.page.getByTestId('search-input').fill('delegate');
    const err = h.page.getByTestId('search-error');
    await err.waitFor();
    assert.match((await err.textContent())!, /Supabase could not answer: .*could not be reached/);
    assert.equal(searches().at(-1)!.params.scope, 'mine');
    await h.page.getByTestId('search-local-instead').click();
    await h.page.getByTestId('search-hit').first().waitFor();
    assert.equal(await h.page.getByTestId('search-error').count(), 0);
    assert.equal(searches().at(-1)!.params.scope, 'local');
  });

  it('signed in as a team admin: results say which machine or member they came from; highlights stay text', async () => {
    link({ state: 'signedIn', userId: '00000000-0000-4000-8000-000000000001', client: downClient() });
    host.handlers.set('remote/status', () => ({ state: 'signedIn', teamAdmin: true, syncMode: 'full' }));
    const group = (over: Partial<SearchGroup>, origin: SearchGroup['origin']): SearchGroup => ({
      sessionId: 'remote-1',
      projectPath: '/home/dev/work/alpha',
      firstPrompt: null,
      startMs: 1_764_000_000_000,
      hits: [
        {
          interactionId: `${over.sessionId ?? 'remote-1'}-h`,
          role: 'prompt',
          at: 1_764_000_000_000,
          snippet: { text: 'deploy <img src=x onerror=alert(1)> the cluster', highlights: [[0, 6]] },
        },
      ],
      origin,
      ...over,
    });
    let answers = 0;
    host.handlers.set('search', (p): SearchResult => {
      answers++;
      const groups = [
        group({}, { mine: true, machine: 'laptop', thisMachine: true, memberId: null, costUsd: 1.5 }),
        group(
          { sessionId: 'remote-2' },
          { mine: true, machine: 'desk', thisMachine: false, memberId: null, costUsd: 2 },
        ),
      ];
      if (p.scope === 'team')
        groups.push(
          group(
            { sessionId: 'remote-3' },
            { mine: false, machine: 'cys', thisMachine: false, memberId: 'c0ffee00-1111', costUsd: 3.25 },
          ),
        );
      return { engine: 'remote', groups };
    });
    await open();
    await h.page.getByTestId('scope-team').check();
    await h.page.getByTestId('search-input').fill('deploy');
    await h.page.getByTestId('search-group').nth(2).waitFor();
    assert.equal(searches().at(-1)!.params.scope, 'team');
    assert.deepEqual(await h.page.getByTestId('search-origin').allTextContents(), [
      'this machine',
      'on machine desk',
      'member c0ffee00',
    ]);
    assert.deepEqual(await h.page.getByTestId('search-cost').allTextContents(), ['$1.50', '$2.00', '$3.25']);
    const tags = await h.page
      .locator('[data-testid="snippet"] *')
      .evaluateAll((els) => [...new Set(els.map((e) => e.tagName))]);
    assert.deepEqual(tags, ['MARK'], 'hostile text stays text');
    // only the group recorded here opens (the detail reads this machine's store)
    assert.equal(await h.page.locator('button[data-testid="search-hit"]').count(), 1);
    // kept current: a realtime change ('remote') searches again
    const before = answers;
    await h.post({ type: 'notify', event: 'dataChanged', scope: ['remote'] });
    await h.page.waitForFunction(() => true);
    for (let i = 0; i < 50 && answers === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(answers > before, 'a dataChanged remote notification refreshes the remote results');
    assert.deepEqual(h.pageErrors, []);
  });

  it('Status and Sessions say "sync not connected" (with Connect) instead of rows pending', async () => {
    link({ state: 'notConfigured' });
    await open('status');
    await h.page.getByTestId('sync-not-connected').waitFor();
    assert.equal(await h.page.getByTestId('sync-pending').count(), 0);
    await h.page.getByTestId('sync-connect').click();
    assert.deepEqual(await commandsSent(), ['claudeTracer.supabase.connect']);
    await h.page.getByTestId('nav-sessions').click();
    await h.page.getByTestId('session-row').first().waitFor();
    assert.ok((await h.page.getByTestId('row-sync-off').count()) > 0, 'rows marked not connected');
    assert.equal(await h.page.locator('.sync:not(.off):not(.error)').count(), 0, 'no row shows as pending');

    link({ state: 'signedOut' });
    await open('status');
    await h.page.getByTestId('sync-signed-out').waitFor();
    await h.page.getByTestId('sync-pending').waitFor();
  });
});
