import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROTOCOL_VERSION, type SessionRow, type StatusSnapshot, type Turn } from '../../src/shared/protocol';
import { REPO_ROOT, requireBuilt } from '../helpers/repo';
import { FixtureHost, statusSnapshot } from './fixtureHost';
import { WebviewHarness } from './harness';
import { THEMES, type ThemeName } from './themes';

// The dashboard views in Chromium: the built bundle under its real CSP, RPC answered by a host over the real store
// built from the real-CLI fixtures (and by synthetic handlers where a test needs 20,000 rows or hostile text).

const ID = (n: string) => `cc7f0000-0000-4000-8000-0000000000${n}`;
const TOOLS = ID('01');
const AGENT = ID('03');
const FAIL = ID('04');

/** Screenshots go to a temp dir (printed); with UPDATE_SCREENSHOTS=1 the README's ones go to media/screenshots. */
const SHOTS = path.join(os.tmpdir(), 'cct-webview-shots');
const README_SHOTS = path.join(REPO_ROOT, 'media', 'screenshots');
const COMMITTED = new Set([
  'sessions-light',
  'sessions-dark',
  'session-detail-light',
  'session-detail-dark',
  'search-light',
  'search-dark',
  'session-detail-wide-dark',
]);

function syntheticRow(i: number): SessionRow {
  return {
    sessionId: `s-${String(i).padStart(5, '0')}`,
    projectPath: `/home/dev/src/project-${i % 37}`,
    firstPrompt: `prompt number ${i}`,
    startMs: 1_764_000_000_000 - i * 3_600_000,
    endMs: 1_764_000_000_000 - i * 3_600_000 + 600_000,
    durationMs: 600_000,
    turns: i % 50,
    apiMessages: i % 90,
    tokens: { input: i, output: i * 2, cacheWrite: 0, cacheRead: i * 10 },
    costUsd: i % 11 === 0 ? null : i / 1000,
    unpricedModels: i % 11 === 0 ? ['mystery-model'] : [],
    models: ['claude-sonnet-4-5-20250929'],
    live: i === 0,
    sync: 'clean',
    findings: i % 7,
    errors: i % 13 === 0 ? 1 : 0,
  };
}

function turn(over: Partial<Turn> & Pick<Turn, 'id' | 'index' | 'kind'>): Turn {
  return {
    ts: 1_764_000_000_000 + over.index * 1000,
    model: over.kind === 'response' ? 'claude-sonnet-4-5-20250929' : null,
    isSidechain: false,
    agentId: null,
    texts: [],
    toolCalls: [],
    tokens: null,
    costUsd: null,
    unpriced: false,
    latencyMs: null,
    hasError: false,
    ...over,
  };
}

describe('dashboard views in Chromium (fixture host over the real store)', function () {
  this.timeout(60_000);
  const h = new WebviewHarness();
  let host: FixtureHost;

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    host = await FixtureHost.fixtures();
    await h.start();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await h.stop();
    host?.close();
  });

  async function openWith(
    opts: {
      theme?: ThemeName;
      status?: StatusSnapshot;
      state?: unknown;
      width?: number;
      height?: number;
      host?: FixtureHost;
    } = {},
  ) {
    const theme = THEMES[opts.theme ?? 'dark'];
    host.requests.length = 0;
    await h.open({
      host: opts.host ?? host,
      theme: theme.vars,
      themeKind: theme.kind,
      state: opts.state,
      viewport: { width: opts.width ?? 360, height: opts.height ?? 640 },
    });
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: opts.status ?? statusSnapshot() });
  }

  const rowsShown = () => h.page.getByTestId('session-row').count();
  const shot = async (name: string) => {
    await h.page.evaluate(() => document.fonts.ready);
    const dir = process.env.UPDATE_SCREENSHOTS && COMMITTED.has(name) ? README_SHOTS : SHOTS;
    fs.mkdirSync(dir, { recursive: true });
    await h.page.screenshot({ path: path.join(dir, `${name}.png`) });
  };

  it('lists the fixture sessions from the store: short project name, full path on hover, cost', async () => {
    await openWith();
    await h.page.getByTestId('session-row').first().waitFor();
    assert.equal(await h.page.getByTestId('sessions-count').textContent(), `${host.sessionCount} sessions`);
    const tools = h.page.locator(`[data-session-id="${TOOLS}"]`);
    assert.equal(await tools.locator('.project').textContent(), 'alpha');
    assert.equal(await tools.locator('.project').getAttribute('title'), '/tmp/cct-fixture-home/work/alpha');
    assert.match((await tools.getByTestId('row-cost').textContent())!, /^\$\d+\.\d+/);
    // The planted GitHub token of the tools prompt is masked, and marked as a masked credential.
    assert.ok((await tools.locator('.mask-credential').count()) >= 1, 'masked span marked in the row');
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.pageErrors, []);
  });

  it('virtualizes 20,000 rows: few in the DOM, pages fetched on demand, End reaches the last (timings printed)', async () => {
    const ROWS = 20_000;
    const g0 = Date.now();
    const big = await FixtureHost.generated(ROWS);
    const generatedMs = Date.now() - g0;
    try {
      const t0 = Date.now();
      await openWith({ height: 720, host: big });
      await h.page.getByTestId('session-row').first().waitFor();
      const firstPaint = Date.now() - t0;
      assert.equal(await h.page.getByTestId('sessions-list').getAttribute('data-count'), String(ROWS));
      const inDom = await rowsShown();
      assert.ok(inDom > 5 && inDom < 60, `rows in the DOM: ${inDom}`);
      const pagesBefore = big.requests.filter((r) => r.method === 'sessions/query').length;

      // Scroll through the list in steps, recording frame times in the page.
      const frames = await h.page.evaluate(async () => {
        const el = document.querySelector('[data-testid="sessions-list"]') as HTMLElement;
        const times: number[] = [];
        let last = performance.now();
        for (let i = 0; i < 120; i++) {
          el.scrollTop += 2300;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        return times.sort((a, b) => a - b);
      });
      const p95 = frames[Math.floor(frames.length * 0.95)]!;
      const pagesAfter = big.requests.filter((r) => r.method === 'sessions/query').length;
      assert.ok(pagesAfter > pagesBefore, 'scrolling fetched more pages');
      assert.ok(pagesAfter < ROWS / 100, `only the pages scrolled past were fetched (${pagesAfter})`);

      // Keyboard: End jumps to the last row, which gets rendered and focused.
      const e0 = Date.now();
      // The active row (the first) is scrolled away: the list itself is the tab stop and hands focus to a row in view.
      await h.page.getByTestId('sessions-list').focus();
      await h.page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'option');
      await h.page.keyboard.press('End');
      await h.page.locator(`[aria-posinset="${ROWS}"]`).waitFor();
      await h.page.locator(`[aria-posinset="${ROWS}"] [data-session-id]`).waitFor();
      const endJump = Date.now() - e0;
      assert.equal(await h.page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')), String(ROWS));
      assert.ok((await rowsShown()) < 60);
      const firstPageMs = await h.page.getByTestId('sessions-view').getAttribute('data-first-page-ms');
      // A sort change: request → the new first page rendered.
      await h.page.getByTestId('sort-by').selectOption('cost');
      await h.page.waitForFunction(
        () => document.querySelector('[data-testid="sessions-view"]')?.getAttribute('data-first-page-ms') !== '',
      );
      const sortMs = await h.page.getByTestId('sessions-view').getAttribute('data-first-page-ms');
      const heap = await h.page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      );
      console.log(
        `      20,000 sessions (generated store, ${generatedMs} ms to fill), real handlers: first page ${firstPageMs} ms after the request (${firstPaint} ms from a new browser page), ` +
          `sort by cost → first page ${sortMs} ms, ${inDom} rows in the DOM, ` +
          `scroll frames p50 ${frames[frames.length >> 1]!.toFixed(1)} ms / p95 ${p95.toFixed(1)} ms over ${frames.length} steps, ` +
          `${pagesAfter} pages fetched, End → last row ${endJump} ms, JS heap ${(heap / 1048576).toFixed(1)} MiB`,
      );
    } finally {
      big.close();
    }
  });

  it('sends sort and filter changes to the host and shows its answer (round trips)', async () => {
    await openWith();
    await h.page.getByTestId('session-row').first().waitFor();
    await h.page.getByTestId('sort-by').selectOption('cost');
    await h.page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="sort-by"]')].some((s) => (s as HTMLSelectElement).value === 'cost'),
    );
    // What the store answered, in its order: the view shows exactly that order.
    await h.page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length > 0);
    await h.page.waitForTimeout(100);
    const answered = host.lastResult<{ rows: SessionRow[] }>('sessions/query').rows;
    const costs = answered.map((r) => r.costUsd ?? -1);
    assert.deepEqual(
      costs,
      [...costs].sort((a, b) => b - a),
      'the store sorted by cost, descending',
    );
    const byCost = answered.map((r) => r.sessionId);
    await h.page.waitForFunction(
      (first) => document.querySelector('[data-testid="session-row"]')?.getAttribute('data-session-id') === first,
      byCost[0],
    );
    const shown = await h.page
      .getByTestId('session-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-session-id')));
    assert.deepEqual(shown, byCost.slice(0, shown.length));
    const last = host.requests.filter((r) => r.method === 'sessions/query').at(-1)!;
    assert.deepEqual(last.params.sort, { by: 'cost', dir: 'desc' });

    await h.page.getByTestId('sort-dir').click();
    await h.page.waitForFunction(() => document.querySelector('[data-testid="sort-dir"]')?.textContent?.trim() === '↑');
    await h.page.waitForFunction(
      (first) => document.querySelector('[data-testid="session-row"]')?.getAttribute('data-session-id') === first,
      byCost.at(-1),
    );

    // Has errors: the fail and denied sessions only; a chip shows the filter and removes it.
    await h.page.getByTestId('filters-toggle').click();
    await h.page.getByTestId('filter-errors').check();
    await h.page.waitForFunction(
      (n) => document.querySelector('[data-testid="sessions-count"]')?.textContent !== `${n} sessions`,
      host.sessionCount,
    );
    const withErrors = host.lastResult<{ rows: SessionRow[]; total: number }>('sessions/query');
    assert.ok(withErrors.total >= 2 && withErrors.total < host.sessionCount);
    assert.ok(withErrors.rows.every((r) => r.errors > 0));
    assert.deepEqual(host.requests.filter((r) => r.method === 'sessions/query').at(-1)!.params.filters, {
      hasErrors: true,
    });
    assert.ok(await h.page.locator(`[data-session-id="${FAIL}"]`).isVisible());
    await h.page.getByTestId('filter-project').fill('gamma');
    await h.page.waitForFunction(() => document.querySelector('[data-testid="no-match"]') !== null, undefined, {
      timeout: 5000,
    });
    await h.page.getByTestId('chip-project').getByRole('button').click();
    await h.page.getByTestId('chip-hasErrors').getByRole('button').click();
    await h.page.waitForFunction(
      (n) => document.querySelector('[data-testid="sessions-count"]')?.textContent === `${n} sessions`,
      host.sessionCount,
    );
  });

  it('searches the store and highlights hits from ranges, as text nodes', async () => {
    await openWith();
    await h.page.getByTestId('nav-search').click();
    await h.page.getByTestId('search-input').fill('delegate');
    await h.page.getByTestId('search-hit').first().waitFor();
    const marks = await h.page.locator('[data-testid="snippet"] mark.hit').allTextContents();
    assert.ok(marks.length >= 1);
    for (const m of marks) assert.equal(m.toLowerCase(), 'delegate');
    const req = host.requests.filter((r) => r.method === 'search').at(-1)!;
    assert.equal(req.params.query, 'delegate');
    // Nothing but text and <mark> inside snippets.
    const tags = await h.page
      .locator('[data-testid="snippet"] *')
      .evaluateAll((els) => [...new Set(els.map((e) => e.tagName))]);
    assert.deepEqual(tags, ['MARK']);
    await shot('search-dark');
    // Enter on a hit opens its session.
    await h.page.getByTestId('search-input').press('ArrowDown');
    await h.page.keyboard.press('Enter');
    await h.page.getByTestId('session-detail').waitFor();
    await h.page.keyboard.press('Escape');
    await h.page.getByTestId('search-view').waitFor();
    assert.equal(await h.page.getByTestId('search-input').inputValue(), 'delegate');
  });

  it('shows the timeline of the agent fixture: tool calls collapsed, the subagent run nested under its call', async () => {
    await openWith({ width: 1000, height: 760 });
    await h.page.locator(`[data-session-id="${AGENT}"]`).click();
    await h.page.getByTestId('session-detail').waitFor();
    await h.page.getByTestId('turn').first().waitFor();
    const call = h.page
      .getByTestId('tool-call')
      .filter({ has: h.page.getByTestId('subagent-toggle') })
      .first();
    await call.waitFor();
    assert.equal(await call.getAttribute('data-tool'), 'Agent');
    assert.equal(await call.locator('details').getAttribute('open'), null, 'collapsed');
    await call.getByTestId('subagent-toggle').click();
    const run = call.getByTestId('subagent-run');
    await run.getByTestId('turn').first().waitFor();
    assert.ok((await run.getByTestId('turn').count()) >= 2, 'the subagent run has its own prompt and response');
    const turnsReq = host.requests.filter((r) => r.method === 'session/turns' && r.params.agentId);
    assert.equal(turnsReq.length, 1);
    await call.locator('summary').first().click();
    await call.getByTestId('tool-input').first().waitFor();
    await shot('session-detail-wide-dark');
  });

  it('marks failed tool calls and the masked values of the tools fixture by category', async () => {
    await openWith();
    await h.page.locator(`[data-session-id="${FAIL}"]`).click();
    await h.page.getByTestId('tool-error').first().waitFor();
    assert.ok((await h.page.getByTestId('tool-error').count()) >= 2);
    await h.page.getByTestId('back').click();
    await h.page.locator(`[data-session-id="${TOOLS}"]`).click();
    await h.page.getByTestId('turn').first().waitFor();
    const creds = await h.page.locator('.mask-credential').count();
    const pii = await h.page.locator('.mask-pii').count();
    assert.ok(creds >= 1, 'credential masks marked');
    assert.ok(pii >= 1, 'the e-mail is marked as personal data');
    assert.match((await h.page.locator('.mask-pii').first().getAttribute('title'))!, /^Masked email$/);
    await shot('session-detail-dark');
  });

  it('renders hostile transcript text inert: HTML, javascript: links, svg onload, in every view', async () => {
    const hostile = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '[click me](javascript:window.__xss=3)',
      '<svg onload="window.__xss=4"></svg>',
      '<iframe src="javascript:window.__xss=5"></iframe>',
      '[data](data:text/html,<script>window.__xss=6</script>) ![img](javascript:window.__xss=7)',
      '<a href="javascript:window.__xss=8">raw link</a>',
      '```html\n<img src=x onerror="window.__xss=9">\n```',
    ].join('\n\n');
    const session = 'xss-session';
    const rows = [{ ...syntheticRow(1), sessionId: session, firstPrompt: '<img src=x onerror="window.__xss=10">' }];
    host.handlers.set('sessions/query', () => ({ rows, total: 1 }));
    host.handlers.set('session/get', () => ({
      ...rows[0]!,
      title: '<svg onload="window.__xss=11">',
      gitBranch: '<b>main</b>',
      cwd: '/tmp/x',
      cliVersion: null,
      entrypoint: null,
      claudeCostUsd: null,
      toolCalls: 1,
      findingsByCategory: {},
      timelineItems: 3,
      related: [],
    }));
    host.handlers.set('session/turns', () => ({
      turns: [
        turn({
          id: 'p',
          index: 0,
          kind: 'prompt',
          texts: [{ kind: 'text', text: hostile, truncated: false, fullLength: 1 }],
        }),
        turn({
          id: 'r',
          index: 1,
          kind: 'response',
          texts: [{ kind: 'text', text: hostile, truncated: false, fullLength: 1 }],
          toolCalls: [
            {
              id: 't',
              name: '<img src=x onerror="window.__xss=12">',
              input: '{"command":"<script>window.__xss=13</script>"}',
              inputTruncated: false,
              result: '<img src=x onerror="window.__xss=14">',
              resultTruncated: false,
              isError: false,
              durationMs: 5,
              subagent: null,
            },
          ],
        }),
        turn({ id: 'c', index: 2, kind: 'compaction' }),
      ],
      total: 3,
    }));
    host.handlers.set('search', () => ({
      groups: [
        {
          sessionId: session,
          projectPath: '<img src=x onerror="window.__xss=15">',
          firstPrompt: null,
          startMs: null,
          hits: [
            {
              interactionId: 'p',
              role: 'prompt',
              at: null,
              snippet: { text: 'a <img src=x onerror="window.__xss=16"> b', highlights: [[2, 10]] },
            },
          ],
        },
      ],
      engine: 'fts5',
    }));
    try {
      await openWith();
      await h.page.getByTestId('session-row').first().click();
      await h.page.getByTestId('compaction').waitFor();
      await h.page.getByTestId('tool-call').locator('summary').click();
      await h.page.getByTestId('tool-result').waitFor();
      await h.page.getByTestId('nav-search').click();
      await h.page.getByTestId('search-input').fill('img');
      await h.page.getByTestId('search-hit').waitFor();
      await h.page.waitForTimeout(200);
      assert.equal(await h.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
      const dangerous = await h.page.evaluate(
        () =>
          document.querySelectorAll('#app img, #app script, #app svg, #app iframe, #app [onerror], #app [onload]')
            .length,
      );
      assert.equal(dangerous, 0);
      const hrefs = await h.page.evaluate(() =>
        [...document.querySelectorAll('#app a')].map((a) => a.getAttribute('href') ?? ''),
      );
      for (const href of hrefs) assert.doesNotMatch(href, /^\s*(javascript|data):/i);
      // The text itself is there, literally: nothing was swallowed.
      assert.match((await h.page.getByTestId('snippet').textContent())!, /<img src=x onerror=/);
      assert.deepEqual(await h.cspViolations(), []);
      assert.deepEqual(h.pageErrors, []);
      await h.page.getByTestId('nav-sessions').click();
      await h.page.getByTestId('session-row').first().click();
      await h.page.getByTestId('turn').first().waitFor();
      const promptText = await h.page.locator('[data-kind="prompt"]').textContent();
      assert.match(promptText!, /<script>window.__xss=2<\/script>/);
      // The fenced block is highlighted, its <img …> still text inside token spans.
      const code = h.page.locator('[data-kind="response"] .md pre code').first();
      assert.ok((await code.locator('.tok-str').count()) >= 1);
      assert.match((await code.textContent())!, /<img src=x onerror="window.__xss=9">/);
      const mdLinks = await h.page.locator('[data-kind="response"] .md a').count();
      assert.ok(mdLinks >= 1, 'the Markdown links are there, without their javascript: target');
    } finally {
      host.handlers.clear();
    }
  });

  it('moves with the keyboard: arrows between rows, Enter opens, Esc returns, arrows between tabs', async () => {
    await openWith();
    await h.page.getByTestId('session-row').first().waitFor();
    await h.page.keyboard.press('Tab'); // tab strip
    await h.page.keyboard.press('ArrowRight');
    assert.equal(await h.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'nav-search');
    await h.page.getByTestId('search-view').waitFor();
    await h.page.keyboard.press('ArrowLeft');
    await h.page.getByTestId('sessions-view').waitFor();
    // Focus moves on the next frame (the row may need rendering first): wait for it, then read it.
    const focusRow = async () => {
      await h.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      return h.page.evaluate(() => document.activeElement?.getAttribute('aria-posinset'));
    };
    await h.page.locator('[role="option"][tabindex="0"]').focus();
    assert.equal(await focusRow(), '1');
    await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('ArrowDown');
    assert.equal(await focusRow(), '3');
    await h.page.keyboard.press('ArrowUp');
    assert.equal(await focusRow(), '2');
    const id = await h.page.evaluate(() =>
      document.activeElement?.querySelector('[data-session-id]')?.getAttribute('data-session-id'),
    );
    await h.page.keyboard.press('Enter');
    await h.page.getByTestId('session-detail').waitFor();
    assert.equal(host.requests.filter((r) => r.method === 'session/get').at(-1)!.params.sessionId, id);
    await h.page.keyboard.press('Escape');
    await h.page.getByTestId('sessions-view').waitFor();
    // The list is drawn once the view's first page is back from the host (the view itself comes first).
    await h.page.getByTestId('sessions-list').waitFor();
    const roles = await h.page.evaluate(() => ({
      list: document.querySelector('[data-testid="sessions-list"]')?.getAttribute('role'),
      label: document.querySelector('[data-testid="sessions-list"]')?.getAttribute('aria-label'),
      tabs: document.querySelectorAll('[role="tab"]').length,
    }));
    assert.deepEqual(roles, { list: 'listbox', label: 'Sessions', tabs: 5 }); // Sessions, Search, Metrics, Privacy, Status
  });

  it('keeps UI state (view, sort, query) with vscode.setState and comes back to it', async () => {
    await openWith();
    await h.page.getByTestId('session-row').first().waitFor();
    await h.page.getByTestId('sort-by').selectOption('tokens');
    await h.page.getByTestId('nav-search').click();
    await h.page.getByTestId('search-input').fill('delegate');
    await h.page.waitForFunction(
      () => (window as unknown as { __getState: () => { query?: string } }).__getState()?.query === 'delegate',
    );
    const state = await h.page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState());
    assert.ok(JSON.stringify(state).length < 2000, 'UI state only: no host data saved');
    await openWith({ state });
    await h.page.getByTestId('search-hit').first().waitFor();
    assert.equal(await h.page.getByTestId('search-input').inputValue(), 'delegate');
    await h.page.getByTestId('nav-sessions').click();
    assert.equal(await h.page.getByTestId('sort-by').inputValue(), 'tokens');
    // A state from an unknown build is ignored field by field, never trusted.
    await openWith({ state: { view: 'nope', sort: { by: 'evil' }, query: 42 } });
    await h.page.getByTestId('sessions-view').waitFor();
    assert.equal(await h.page.getByTestId('sort-by').inputValue(), 'time');
  });

  it('teaches when empty: where we looked; the first scan with its progress', async () => {
    host.handlers.set('sessions/query', () => ({ rows: [], total: 0 }));
    try {
      await openWith({ theme: 'light' });
      await h.page.getByTestId('no-history').waitFor();
      const text = (await h.page.getByTestId('no-history').textContent())!;
      assert.match(text, /\/home\/dev\/\.claude\s*— found/);
      assert.match(text, /\/home\/dev\/\.config\/claude\s*— not found/);
      assert.match(text, /CLAUDE_CONFIG_DIR/);
      await shot('empty-light');
      await h.post({
        type: 'snapshot',
        protocol: PROTOCOL_VERSION,
        status: statusSnapshot({
          ingest: {
            state: 'scanning',
            progress: { filesDone: 3, filesTotal: 12, bytesDone: 3 * 1048576, bytesTotal: 12 * 1048576 },
            lastScanAt: null,
            lastScanMs: null,
            message: null,
          },
        }),
      });
      await h.page.getByTestId('first-scan').waitFor();
      assert.equal(await h.page.getByRole('progressbar').getAttribute('aria-valuenow'), '25');
      assert.match(
        (await h.page.getByTestId('first-scan').textContent())!.replace(/\s+/g, ' '),
        /3 \/ 12 files · 3\.0 MiB \/ 12\.0 MiB/,
      );
    } finally {
      host.handlers.delete('sessions/query');
    }
  });

  it('shows a failed request as an error, drops invalid and stray host messages', async () => {
    await openWith();
    await h.page.getByTestId('session-row').first().waitFor();
    await h.post({ type: 'response', id: 99_999, ok: true, result: {} });
    await h.post({ type: 'notify', event: 'dataChanged', scope: ['nope'] });
    await h.post({ type: 'response', id: 'x', ok: true });
    await h.post('<img src=x onerror=alert(1)>');
    host.handlers.set('sessions/query', () => ({ rows: [{ sessionId: 42 }], total: 1 }));
    try {
      await h.page.getByTestId('sort-by').selectOption('duration');
      await h.page.getByTestId('sessions-error').waitFor();
      assert.match((await h.page.getByTestId('sessions-error').textContent())!, /invalid result/);
    } finally {
      host.handlers.delete('sessions/query');
    }
    const warnings = h.console.filter((m) => m.type === 'warning').map((m) => m.text);
    assert.ok(warnings.some((w) => /dropped invalid host message/.test(w)));
    assert.ok(warnings.some((w) => /unknown request 99999/.test(w)));
    assert.deepEqual(h.pageErrors, []);
  });

  it('opens a deep link to a session; unknown ids say so', async () => {
    await openWith();
    await h.post({ type: 'navigate', target: { view: 'session', sessionId: 'no-such-session' } });
    await h.page.getByTestId('detail-error').waitFor();
    assert.match((await h.page.getByTestId('detail-error').textContent())!, /no longer in the store/);
    await h.post({ type: 'navigate', target: { view: 'status' } });
    await h.page.getByTestId('status-view').waitFor();
    await h.page.getByTestId('store-size').waitFor();
    assert.match((await h.page.getByTestId('sync-pending').textContent())!, /^\d+$/);
  });

  it('speaks Japanese when VS Code does: tabs, counts, relative times, detail labels', async () => {
    await openWith({ status: statusSnapshot({ locale: 'ja' }) });
    await h.page.getByTestId('session-row').first().waitFor();
    assert.equal(await h.page.getByTestId('nav-sessions').textContent(), 'セッション');
    assert.equal(await h.page.getByTestId('sessions-count').textContent(), `${host.sessionCount} 件のセッション`);
    assert.match((await h.page.locator('.when').first().textContent())!, /前|今/);
    await h.page.locator(`[data-session-id="${TOOLS}"]`).click();
    await h.page.getByTestId('copy-resume').waitFor();
    assert.equal(await h.page.getByTestId('copy-resume').textContent(), '再開コマンドをコピー');
    assert.equal(await h.page.locator('[data-kind="prompt"] .who').first().textContent(), 'あなた');
  });

  it('follows the theme: light, dark and high contrast from --vscode-* variables (screenshots)', async () => {
    for (const theme of ['light', 'dark', 'hc'] as const) {
      await openWith({ theme });
      await h.page.getByTestId('session-row').first().waitFor();
      const fg = await h.page.evaluate(() => getComputedStyle(document.body).color);
      const expected = await h.page.evaluate((c) => {
        const d = document.createElement('div');
        d.style.color = c;
        document.body.append(d);
        const v = getComputedStyle(d).color;
        d.remove();
        return v;
      }, THEMES[theme].vars['--vscode-foreground']!);
      assert.equal(fg, expected, `${theme}: body text uses --vscode-foreground`);
      await shot(`sessions-${theme}`);
    }
    // Live switch (the user changes the theme while the view is open): no reload, new colours.
    await h.setTheme(THEMES.light.vars, THEMES.light.kind);
    const bg = await h.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(248, 248, 248)');
  });

  it('writes screenshots of each view in light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await openWith({ theme });
      await h.page.getByTestId('session-row').first().waitFor();
      await shot(`sessions-${theme}`);
      await h.page.locator(`[data-session-id="${TOOLS}"]`).click();
      await h.page.getByTestId('turn').first().waitFor();
      await h.page.getByTestId('tool-call').first().locator('summary').click();
      await shot(`session-detail-${theme}`);
      await h.page.getByTestId('nav-search').click();
      await h.page.getByTestId('search-input').fill('scenario');
      await h.page.getByTestId('search-hit').first().waitFor();
      await shot(`search-${theme}`);
      await h.page.getByTestId('nav-status').click();
      await h.page.getByTestId('store-size').waitFor();
      await shot(`status-${theme}`);
    }
    await openWith({ theme: 'dark', width: 1100, height: 700 });
    await h.page.getByTestId('session-row').first().waitFor();
    await shot('sessions-wide-dark');
    console.log(`      screenshots in ${SHOTS}`);
  });
});
