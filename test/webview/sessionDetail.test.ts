import assert from 'node:assert/strict';
import type { Store } from '../../src/infra/sqlite/store';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { requireBuilt } from '../helpers/repo';
import { FixtureHost, statusSnapshot } from './fixtureHost';
import { WebviewHarness } from './harness';
import { THEMES } from './themes';

// Session detail in Chromium (issues 9 + 13): compaction dividers from the real CLI's /compact, deep links and search
// hits that open a session at one turn (the host's real handlers over a real store answer where it is).

const ID = (n: string) => `cc7f0000-0000-4000-8000-0000000000${n}`;
const TOOLS = ID('01');
const COMPACT = ID('10');
const LONG = 2000;

const PR = 'https://github.com/acme/widgets/pull/42';

/** The tools session in a repository (as refreshCodeContext stores it), with a commit in a looked-up pull request. */
function addGitContext(store: Store): void {
  store.codeContext.saveGitContext(
    { sessionId: TOOLS, projectPath: '/tmp/cct-fixture-home/work/alpha', gitBranch: 'main', firstTs: 0, lastTs: 0 },
    {
      repoRoot: '/tmp/cct-fixture-home/work/alpha',
      worktree: null,
      remoteUrl: 'https://github.com/acme/widgets.git',
      branch: 'feature/widgets',
      headStart: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
      headEnd: 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5',
      commits: [
        {
          sha: 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5',
          subject: 'Fix the widget',
          authoredAt: '2026-11-28T10:00:00Z',
        },
      ],
      linesAdded: 12,
      linesRemoved: 3,
      missing: false,
      githubRepo: 'acme/widgets',
    } as never,
  );
  store.codeContext.savePulls(
    { repo: 'acme/widgets', sha: 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5', etag: null },
    JSON.stringify([
      { number: 42, title: 'Widgets <img src=x onerror=alert(1)>', state: 'open', url: PR, mergedAt: null },
    ]),
    null,
    Date.now(),
  );
}

/** 2,000 more prompts in the tools session, after its own turns: a deep link far down must page to its turn. */
function addLongTimeline(store: Store): void {
  store.db.exec(`WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${LONG - 1})
    INSERT INTO interactions (id, session_id, origin_session, kind, ts, is_sidechain, byte_offset)
    SELECT printf('p:long-%04d', i), '${TOOLS}', '${TOOLS}', 'prompt', 4102444800000 + i * 1000, 0, i FROM c;
    WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${LONG - 1})
    INSERT INTO texts (key, interaction_id, ord, kind, text)
    SELECT printf('t:long-%04d', i), printf('p:long-%04d', i), 0, 'prompt',
      printf('long turn %d', i) || CASE WHEN i % 3 = 0 THEN char(10) || 'a second line' ELSE '' END FROM c;`);
}

describe('session detail in Chromium: compaction, jumps to a turn, code context, view state', function () {
  this.timeout(60_000);
  const h = new WebviewHarness();
  let host: FixtureHost;

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    host = await FixtureHost.fixtures((s) => {
      addLongTimeline(s);
      addGitContext(s);
    });
    await h.start();
  });
  after(async () => {
    await h.stop();
    host?.close();
  });

  async function open(opts: { state?: unknown; width?: number } = {}): Promise<void> {
    const theme = THEMES.dark;
    host.requests.length = 0;
    await h.open({
      host,
      theme: theme.vars,
      themeKind: theme.kind,
      state: opts.state,
      viewport: { width: opts.width ?? 360, height: 640 },
    });
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: statusSnapshot() });
  }

  it("shows the real CLI's /compact boundary as a divider with its trigger and token counts", async () => {
    await open({ width: 900 });
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: COMPACT } });
    const divider = h.page.getByTestId('compaction');
    await divider.waitFor();
    assert.equal(await divider.count(), 1);
    assert.equal(await divider.getAttribute('role'), 'separator');
    assert.equal(await divider.getByTestId('compaction-trigger').textContent(), '(/compact)');
    assert.equal(await divider.getByTestId('compaction-tokens').textContent(), '712 → 2,555 tokens');
    // Turns before and after it.
    const order = await h.page
      .locator('[data-testid="timeline"] [data-index]')
      .evaluateAll((rows) =>
        rows
          .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
          .map((r) => (r.querySelector('[data-testid="compaction"]') ? 'compaction' : 'turn')),
      );
    const at = order.indexOf('compaction');
    assert.ok(at > 0 && at < order.length - 1, `divider between turns: ${order.join(',')}`);
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.pageErrors, []);
  });

  it('opens a deep link at its turn: pages to it, highlights and focuses it (timing printed)', async () => {
    await open();
    const target = 'p:long-1500';
    const started = Date.now();
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: TOOLS, turnId: target } });
    const turn = h.page.locator(`[data-turn-id="${target}"][data-highlighted="true"]`);
    await turn.waitFor();
    await h.page.waitForFunction(
      (id) => document.activeElement?.querySelector(`[data-turn-id="${id}"]`) !== null,
      target,
    );
    console.log(`      deep link to turn ${target} of ${LONG}+: highlighted and focused in ${Date.now() - started} ms`);
    const box = await turn.boundingBox();
    const list = await h.page.getByTestId('timeline').boundingBox();
    assert.ok(box && list && box.y >= list.y - 1 && box.y < list.y + list.height, 'the turn is in view');
    const ask = host.requests.find((r) => r.method === 'session/turnIndex')!;
    assert.deepEqual(ask.params, { sessionId: TOOLS, turnId: target });
    const index = (ask.answer as { ok: true; result: { index: number } }).result.index;
    assert.ok(index > 1500, `the host's index counts the session's own turns before: ${index}`);
    const pages = host.requests.filter((r) => r.method === 'session/turns').map((r) => r.params.offset as number);
    assert.ok(pages.length <= 6, `only the pages around the turn are fetched: ${pages.join(',')}`);
    assert.ok(pages.some((o) => o <= index && index < o + 50));
    // Only that turn is marked.
    assert.equal(await h.page.locator('[data-highlighted="true"]').count(), 1);
    // Keyboard users land on it: ArrowDown moves on to the next turn.
    await h.page.keyboard.press('ArrowDown');
    await h.page.waitForFunction(() => document.activeElement?.querySelector('[data-turn-id="p:long-1501"]') !== null);
    assert.deepEqual(h.pageErrors, []);
  });

  it('opens a search hit at the turn that matched', async () => {
    await open();
    await h.page.getByTestId('nav-search').click();
    await h.page.getByTestId('search-input').fill('delegate');
    const hit = h.page.getByTestId('search-hit').first();
    await hit.waitFor();
    const search = host.requests.filter((r) => r.method === 'search').at(-1)!;
    const groups = (search.answer as { ok: true; result: { groups: { hits: { interactionId: string }[] }[] } }).result
      .groups;
    const interactionId = groups[0]!.hits[0]!.interactionId;
    await hit.click();
    await h.page.locator(`[data-turn-id="${interactionId}"][data-highlighted="true"]`).waitFor();
    await h.page.waitForFunction(
      (id) => document.activeElement?.querySelector(`[data-turn-id="${id}"]`) !== null,
      interactionId,
    );
  });

  it('says so when the turn is not in the session, and still opens the session', async () => {
    await open();
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: COMPACT, turnId: 'p:not-there' } });
    await h.page.getByTestId('turn').first().waitFor();
    await h.page.getByText('That turn is not in this session’s timeline', { exact: false }).waitFor();
    assert.equal(await h.page.locator('[data-highlighted="true"]').count(), 0);
  });

  it('shows the code context: repository, branch, HEADs, commits, a PR opened through the host; filters Sessions by it', async () => {
    await open({ width: 900 });
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: TOOLS } });
    const code = h.page.getByTestId('code-context');
    await code.waitFor();
    await code.locator('summary').click();
    assert.match((await code.getByTestId('code-repository').textContent())!, /github\.com\/acme\/widgets\.git/);
    assert.equal(await code.getByTestId('code-branch').textContent(), 'feature/widgets');
    assert.match((await code.getByTestId('code-head').textContent())!, /a1b2c3d\s*→\s*f6e5d4c/);
    assert.match((await code.getByTestId('code-commits').textContent())!, /f6e5d4c\s*Fix the widget/);
    // A PR title with HTML stays text.
    const pr = code.getByTestId('open-pr');
    assert.match((await pr.textContent())!, /#42 Widgets <img src=x onerror=alert\(1\)>/);
    assert.equal(await code.locator('img').count(), 0);
    await pr.click();
    for (let i = 0; i < 50 && host.openedExternal.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(host.openedExternal, [PR]);
    // Sessions on this branch: the Sessions view, filtered in the store, shows only this session.
    await code.getByTestId('filter-by-branch').click();
    await h.page.getByTestId('sessions-view').waitFor();
    await h.page.getByTestId('chip-branch').waitFor();
    await h.page.getByTestId('chip-repository').waitFor();
    await h.page.locator(`[data-session-id="${TOOLS}"]`).waitFor();
    assert.equal(await h.page.getByTestId('session-row').count(), 1);
    const q = host.requests.filter((r) => r.method === 'sessions/query').at(-1)!;
    assert.deepEqual((q.params as { filters: unknown }).filters, {
      repository: 'https://github.com/acme/widgets.git',
      branch: 'feature/widgets',
    });
    // A session outside a repository says so.
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: COMPACT } });
    await h.page.getByTestId('no-repository').waitFor();
    assert.deepEqual(h.pageErrors, []);
  });

  it('links a session begun by /clear to the one it cleared, and back', async () => {
    await open({ width: 900 });
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: '629d7f54-362c-4505-836d-4b45c9f8ad5c' } });
    const back = h.page.getByTestId('related-clearedFrom');
    await back.waitFor();
    assert.match((await back.textContent())!, /After \/clear of session cc7f0000/);
    await back.click();
    await h.page.getByTestId('related-clearedInto').waitFor();
    assert.match((await h.page.getByTestId('related-clearedInto').textContent())!, /629d7f54/);
  });

  it('keeps the open session, filters and Metrics range in the view state and comes back to them', async () => {
    await open();
    await h.post({ type: 'navigate', target: { view: 'metrics' } });
    await h.page.getByTestId('metrics-view').waitFor();
    await h.page.getByTestId('metrics-range-7d').check();
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: COMPACT } });
    await h.page.getByTestId('compaction').waitFor();
    await h.page.waitForFunction((id) => {
      const s = (window as unknown as { __getState: () => { sessionId?: string; metricsRange?: string } }).__getState();
      return s?.sessionId === id && s.metricsRange === '7d';
    }, COMPACT);
    const state = await h.page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState());
    // Hidden and shown again (a new page with the saved state): the same session, then the same range.
    await open({ state });
    await h.page.getByTestId('compaction').waitFor();
    await h.page.getByTestId('back').click();
    await h.page.getByTestId('nav-metrics').click();
    await h.page.getByTestId('metrics-view').waitFor();
    assert.equal(await h.page.getByTestId('metrics-range-7d').isChecked(), true);
  });
});
