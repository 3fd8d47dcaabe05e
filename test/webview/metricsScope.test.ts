/**
 * The Metrics view's scopes (This machine / All my machines / My team) and the official limits beside the block
 * estimate, in Chromium with the built bundle under its CSP. metrics/get is the extension's real handler over the
 * real-CLI fixture store; remote/status and the remote scope's failure paths are the real handlers too (over a real
 * supabase-js client on a network where Supabase is down). The remote success path is proven on real PostgreSQL by
 * the db tier (test/db/e2e/remoteMetrics.e2e.test.ts); here a remote answer is the real local report relabelled.
 */
import assert from 'node:assert/strict';
import type { OfficialLimits } from '../../src/core/live/rateLimits';
import { createSupabaseClient } from '../../src/infra/supabase/client';
import { type MetricsReport, MetricsReportSchema, PROTOCOL_VERSION } from '../../src/shared/protocol';
import type { RemoteLinkState } from '../../src/vscode/dashboard/remoteLink';
import { requireBuilt } from '../helpers/repo';
import { FixtureHost, statusSnapshot } from './fixtureHost';
import { WebviewHarness } from './harness';
import { THEMES } from './themes';

// The fixtures were recorded at 2026-11-28T23:40Z; 20 minutes later their 5-hour block is still running.
const NOW = Date.parse('2026-11-29T00:00:00Z');
const USER = '00000000-0000-4000-8000-000000000001';

describe('Metrics scopes and official limits beside the block estimate in Chromium', function () {
  this.timeout(60_000);
  const h = new WebviewHarness();
  let host: FixtureHost;

  const link = (s: RemoteLinkState) => {
    host.remoteLink = { current: async () => s, syncMode: () => 'full' };
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
  const official = (over: Partial<OfficialLimits> = {}): OfficialLimits => ({
    source: 'official',
    fiveHour: { usedPercent: 82, resetsAt: Date.parse('2026-11-29T03:00:00Z') },
    sevenDay: { usedPercent: 41.4, resetsAt: undefined },
    observedAt: NOW - 2 * 60_000,
    ...over,
  });

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    host = await FixtureHost.fixtures();
    host.now = NOW;
    await h.start();
  });
  afterEach(() => {
    host.handlers.clear();
    host.remoteLink = undefined;
    host.officialLimits = undefined;
  });
  after(async () => {
    await h.stop();
    host?.close();
  });

  async function open(lang = 'en', state?: unknown) {
    const theme = THEMES.dark;
    host.requests.length = 0;
    await h.open({
      host,
      theme: theme.vars,
      themeKind: theme.kind,
      lang,
      viewport: { width: 1100, height: 1400 },
      state,
    });
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: statusSnapshot({ locale: lang }) });
    await h.post({ type: 'navigate', target: { view: 'metrics' } });
    if (state === undefined) await h.page.getByTestId('metrics-kpis').waitFor();
  }
  const metricsRequests = () => host.requests.filter((r) => r.method === 'metrics/get');
  const commandsSent = async () =>
    (await h.sent()).filter((m) => m.type === 'runCommand').map((m) => m.command as string);

  it('not connected: "All my machines" shows the state with "Connect Supabase…", asks nothing; This machine works', async () => {
    link({ state: 'notConfigured' });
    await open();
    assert.equal(await h.page.getByTestId('metrics-scope-team').count(), 0, '"My team" only for a team admin');
    assert.equal(await h.page.getByTestId('metrics-source').getAttribute('data-scope'), 'local');
    await h.page.getByTestId('metrics-scope-mine').check();
    const state = h.page.getByTestId('metrics-remote-state');
    await state.waitFor();
    assert.equal(await state.getAttribute('data-state'), 'notConfigured');
    assert.equal(await h.page.getByTestId('metrics-kpis').count(), 0, 'no figures under a scope that cannot run');
    assert.equal(await h.page.getByTestId('metrics-error').count(), 0, 'a state, not an error');
    assert.ok(
      metricsRequests().every((r) => (r.params.scope ?? 'local') === 'local'),
      'nothing is asked of a scope that cannot run',
    );
    await h.page.getByTestId('metrics-remote-connect').click();
    assert.deepEqual(await commandsSent(), ['claudeTracer.supabase.connect']);
    // the scope is kept with the view state: hidden and shown again, Metrics comes back on "All my machines"
    await h.page.waitForFunction(
      () =>
        (window as unknown as { __getState: () => { metricsScope?: string } }).__getState()?.metricsScope === 'mine',
    );
    const saved = await h.page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState());
    await open('en', saved);
    await h.page.getByTestId('metrics-remote-state').waitFor();
    assert.equal(await h.page.getByTestId('metrics-scope-mine').isChecked(), true);
    await h.page.getByTestId('metrics-scope-local').check();
    await h.page.getByTestId('metrics-kpis').waitFor();
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(await h.cspViolations(), []);
  });

  it('signed out: "Sign In…"; in Japanese too', async () => {
    link({ state: 'signedOut' });
    await open('ja');
    await h.page.getByTestId('metrics-scope-mine').check();
    await h.page.getByTestId('metrics-remote-sign-in').click();
    assert.deepEqual(await commandsSent(), ['claudeTracer.supabase.signIn']);
    assert.match((await h.page.getByTestId('metrics-remote-state').textContent())!, /サインイン/);
    assert.match((await h.page.getByTestId('metrics-scope').textContent())!, /自分のすべてのマシン/);
  });

  it('a Supabase outage is a clear error of the remote scope (real handler); "Show this machine" keeps working', async () => {
    link({ state: 'signedIn', userId: USER, client: downClient() });
    await open();
    await h.page.getByTestId('metrics-scope-mine').check();
    const err = h.page.getByTestId('metrics-error');
    await err.waitFor();
    assert.equal(await err.getAttribute('data-scope'), 'mine');
    assert.match((await err.textContent())!, /Supabase could not answer: .*could not be reached/);
    assert.equal(metricsRequests().at(-1)!.params.scope, 'mine');
    assert.equal(metricsRequests().at(-1)!.answer.ok, false);
    await h.page.getByTestId('metrics-local-instead').click();
    await h.page.getByTestId('metrics-kpis').waitFor();
    assert.equal(await h.page.getByTestId('metrics-error').count(), 0);
    assert.equal(metricsRequests().at(-1)!.params.scope, 'local');
    assert.equal(metricsRequests().at(-1)!.answer.ok, true);
  });

  it('signed in as a team admin: the scopes answer with their source and what synced rows cannot tell', async () => {
    link({ state: 'signedIn', userId: USER, client: downClient() });
    host.handlers.set('remote/status', () => ({ state: 'signedIn', teamAdmin: true, syncMode: 'full' }));
    await open();
    const local = MetricsReportSchema.parse(host.lastResult<MetricsReport>('metrics/get'));
    assert.match(await h.page.getByTestId('metrics-source').innerText(), /this machine/);
    assert.equal(await h.page.getByTestId('metrics-source-missing').count(), 0);
    const cannot = ['tool error rates and retries (tool results are not synced)'];
    assert.ok(
      local.insights.some((i) => i.sessionIds.length > 0),
      'the fixtures have insights naming sessions',
    );
    // a team's sessions are keyed user/session, as RemoteMetrics (SupabaseAnalyticsSource) keys them
    const key = (id: string) => `c0ffee00-1111-4000-8000-000000000001/${id}`;
    host.handlers.set('metrics/get', (p) => ({
      ...local,
      source: { scope: p.scope, notComputed: cannot },
      totals: { ...local.totals, sessions: p.scope === 'team' ? 99 : 42 },
      ...(p.scope === 'team'
        ? {
            insights: local.insights.map((i) => ({ ...i, sessionIds: i.sessionIds.map(key) })),
            sessionLabels: Object.fromEntries(Object.entries(local.sessionLabels).map(([k, v]) => [key(k), v])),
          }
        : {}),
    }));
    await h.page.getByTestId('metrics-scope-team').check();
    await h.page.locator('[data-testid="metrics-source"][data-scope="team"]').waitFor();
    assert.match(await h.page.getByTestId('metrics-source').innerText(), /members of the teams you administer/);
    assert.match(await h.page.getByTestId('metrics-source-missing').innerText(), /tool results are not synced/);
    assert.match(await h.page.getByTestId('metrics-kpis').innerText(), /99/);
    // a member's session was recorded elsewhere: named, labelled, but not a link into this machine's detail
    const teamLinks = h.page.getByTestId('insight-sessions').first();
    assert.ok((await teamLinks.locator('.elsewhere').count()) > 0);
    assert.equal(await teamLinks.locator('button').count(), 0);
    await h.page.getByTestId('metrics-scope-mine').check();
    await h.page.locator('[data-testid="metrics-source"][data-scope="mine"]').waitFor();
    assert.match(await h.page.getByTestId('metrics-kpis').innerText(), /42/);
    assert.ok((await h.page.getByTestId('insight-sessions').first().locator('button').count()) > 0);
    // kept current like Search: a remote change refetches the remote scope; a scan of this machine does not
    const before = metricsRequests().length;
    await h.post({ type: 'notify', event: 'dataChanged', scope: ['metrics'] });
    await h.post({ type: 'notify', event: 'dataChanged', scope: ['remote'] });
    for (let i = 0; i < 50 && metricsRequests().length === before; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      metricsRequests()
        .slice(before)
        .map((r) => r.params.scope),
      ['mine'],
    );
    // more syncs right after: no re-read of every synced row for each (at most one per 30 s, the rest collapse)
    await h.post({ type: 'notify', event: 'dataChanged', scope: ['remote'] });
    await h.post({ type: 'notify', event: 'dataChanged', scope: ['remote'] });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(metricsRequests().length, before + 1);
    // in Japanese, what synced rows cannot tell is said in Japanese too
    await open('ja');
    await h.page.getByTestId('metrics-scope-team').check();
    await h.page.locator('[data-testid="metrics-source"][data-scope="team"]').waitFor();
    assert.match(await h.page.getByTestId('metrics-source').innerText(), /管理するチームのメンバー/);
    assert.match(await h.page.getByTestId('metrics-source-missing').innerText(), /ツールの結果は同期されません/);
    assert.deepEqual(h.pageErrors, []);
  });

  it('official limits beside the estimate: each labelled, the official coloured by the limits thresholds, read time shown', async () => {
    host.officialLimits = official();
    await open();
    const m = MetricsReportSchema.parse(host.lastResult<MetricsReport>('metrics/get'));
    assert.deepEqual(m.officialLimits, {
      observedAtMs: NOW - 2 * 60_000,
      stale: false,
      fiveHour: { usedPercent: 82, resetsAtMs: Date.parse('2026-11-29T03:00:00Z') },
      sevenDay: { usedPercent: 41.4, resetsAtMs: null },
      warnPercent: 75,
      errorPercent: 90,
    });
    const five = h.page.getByTestId('official-fiveHour');
    assert.match(await five.innerText(), /5-hour limit used\s*official[\s\S]*82 %[\s\S]*Resets/i);
    assert.equal(await five.getAttribute('data-level'), 'warning');
    const seven = h.page.getByTestId('official-sevenDay');
    assert.match(await seven.innerText(), /7-day limit used[\s\S]*41 %/i);
    assert.equal(await seven.getAttribute('data-level'), 'ok');
    assert.match(await h.page.getByTestId('official-read').innerText(), /Read from Claude Code’s status line/);
    // the estimate keeps its own label and never a quota's colour
    const estimate = h.page.getByTestId('block-active');
    assert.match(await estimate.innerText(), /estimate/i);
    assert.doesNotMatch(await estimate.innerText(), /official/i);
    assert.equal(await estimate.locator('[data-level]').count(), 0);
    const border = (selector: string) =>
      h.page
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).borderLeftColor);
    const colours = {
      warn: await border('[data-testid="official-fiveHour"]'),
      ok: await border('[data-testid="official-sevenDay"]'),
      estimate: await border('[data-testid="block-active"] > div'),
    };
    assert.notEqual(colours.warn, colours.ok, 'a warning colour at 82 % (warn at 75 %)');
    assert.notEqual(colours.estimate, colours.warn);

    // out of date (older than the limits item's 10 minutes): still shown, marked so, not coloured
    host.officialLimits = official({ observedAt: NOW - 3 * 3_600_000 });
    await open('ja');
    assert.equal(await h.page.getByTestId('block-official').getAttribute('data-stale'), 'true');
    assert.equal(await h.page.getByTestId('official-fiveHour').getAttribute('data-level'), 'stale');
    assert.match(await h.page.getByTestId('official-read').innerText(), /古い値/);
    assert.match(await h.page.getByTestId('official-fiveHour').innerText(), /公式/);
    assert.match(await h.page.getByTestId('block-active').innerText(), /推定/);

    // no bridge data: nothing official is shown, the estimate stays
    host.officialLimits = undefined;
    await open();
    assert.equal(host.lastResult<MetricsReport>('metrics/get').officialLimits, null);
    assert.equal(await h.page.getByTestId('block-official').count(), 0);
    await h.page.getByTestId('block-active').waitFor();
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(await h.cspViolations(), []);
  });
});
