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

describe('session detail in Chromium: compaction dividers and jumps to a turn', function () {
  this.timeout(60_000);
  const h = new WebviewHarness();
  let host: FixtureHost;

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    host = await FixtureHost.fixtures(addLongTimeline);
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
});
