/**
 * The Metrics view's analytics blocks in Chromium: the production bundle under its real CSP, metrics/get answered by
 * the real handler (computeAnalytics over a store the real pipeline scanned from the real-CLI fixtures). Each block
 * shows the numbers the host computed, has a table alternative, and works from the keyboard; links open sessions.
 * With UPDATE_SCREENSHOTS=1 the README's Metrics screenshots go to media/screenshots.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatAnalyticsMessage } from '../../src/shared/analyticsText';
import { type MetricsReport, MetricsReportSchema, PROTOCOL_VERSION } from '../../src/shared/protocol';
import { REPO_ROOT, requireBuilt } from '../helpers/repo';
import { FixtureHost, statusSnapshot } from './fixtureHost';
import { WebviewHarness } from './harness';
import { THEMES, type ThemeName } from './themes';

// The fixtures were recorded at 2026-11-28T23:40Z; 20 minutes later their 5-hour block is still running.
const NOW = Date.parse('2026-11-29T00:00:00Z');
const SHOTS = path.join(os.tmpdir(), 'cct-webview-shots');
const README_SHOTS = path.join(REPO_ROOT, 'media', 'screenshots');
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const usd = (n: number) =>
  n !== 0 && Math.abs(n) < 0.01
    ? n.toLocaleString('en', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 })
    : n.toLocaleString('en', {
        style: 'currency',
        currency: 'USD',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });

describe('Metrics analytics blocks in Chromium (real handler over the fixture store)', function () {
  this.timeout(60_000);
  const h = new WebviewHarness();
  let host: FixtureHost;

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    host = await FixtureHost.fixtures();
    host.now = NOW;
    await h.start();
  });
  after(async () => {
    await h.stop();
    host?.close();
  });

  async function open(opts: { theme?: ThemeName; width?: number; lang?: string; h?: FixtureHost } = {}) {
    const theme = THEMES[opts.theme ?? 'dark'];
    const target = opts.h ?? host;
    target.requests.length = 0;
    await h.open({
      host: target,
      theme: theme.vars,
      themeKind: theme.kind,
      lang: opts.lang,
      viewport: { width: opts.width ?? 1100, height: 1400 },
    });
    await h.waitForSent('ready');
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: statusSnapshot({ locale: opts.lang ?? 'en' }),
    });
    await h.post({ type: 'navigate', target: { view: 'metrics' } });
    await h.page.getByTestId('metrics-kpis').waitFor();
    return MetricsReportSchema.parse(target.lastResult<MetricsReport>('metrics/get'));
  }

  it('5-hour blocks: the running block’s cost, burn rate and projection, labelled estimate; its table', async () => {
    const m = await open();
    const b = m.blocks.active;
    assert.ok(b && b.costUsd !== null && b.burnCostPerHour !== null && b.projectedCostUsd !== null);
    const card = h.page.getByTestId('chart-blocks');
    assert.equal(await h.page.getByTestId('block-cost').innerText(), usd(b.costUsd));
    assert.equal(await h.page.getByTestId('block-burn').innerText(), `${usd(b.burnCostPerHour)}/h`);
    assert.equal(await h.page.getByTestId('block-projected').innerText(), usd(b.projectedCostUsd));
    assert.match(await h.page.getByTestId('block-active').innerText(), /estimate/i);
    await h.page.getByTestId('chart-blocks-canvas').waitFor();
    await card.getByTestId('chart-blocks-table-mode').click();
    const rows = card.getByTestId('chart-blocks-table').locator('tbody tr');
    assert.equal(await rows.count(), m.blocks.recent.length);
    // th: start; td: end, messages, tokens, cost
    assert.equal((await rows.first().locator('td').allInnerTexts())[3], usd(b.costUsd));
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.pageErrors, []);
  });

  it('efficiency: cache hit ratio, saved, per prompt, retries, subagent share, turn latency, compaction; tools table', async () => {
    const m = await open();
    const pct = (x: number) => x.toLocaleString('en', { style: 'percent', maximumFractionDigits: 1 });
    const fig = async (id: string) => (await h.page.getByTestId(`eff-${id}`).locator('dd').innerText()).trim();
    assert.equal(await fig('cache-hit'), pct(m.cache.hitRatio!));
    assert.equal(await fig('cache-saved'), usd(m.cache.netSavedUsd));
    assert.equal(await fig('cost-per-prompt'), usd(m.efficiency.costPerPrompt!));
    assert.equal(await fig('retries'), String(m.efficiency.retries));
    assert.equal(await fig('subagent-share'), pct(m.efficiency.subagentCostShare!));
    // the compact fixture's /compact: 1 session, its share of sessions and of cost
    const e = m.efficiency;
    assert.equal(e.compactionSessions, 1);
    assert.equal(await fig('compaction'), `1 (${pct(e.compactionSessionShare!)})`);
    assert.equal(await fig('compaction-cost'), `${usd(e.compactionCostUsd!)} (${pct(e.compactionCostShare!)})`);
    const title = async (id: string) => h.page.getByTestId(`eff-${id}`).locator('dt').getAttribute('title');
    assert.equal(await title('compaction'), 'Compactions in all: 1 (manual /compact or automatic; main thread only).');
    const secs = (ms: number) => `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
    assert.equal(await fig('turn-median'), secs(e.medianTurnMs!));
    assert.equal(await fig('turn-p90'), secs(e.p90TurnMs!));
    assert.match((await title('turn-median')) ?? '', new RegExp(`next prompt .*over ${e.timedTurns} turns`));
    const card = h.page.getByTestId('chart-efficiency');
    await card.getByTestId('chart-efficiency-table-mode').click();
    const table = card.getByTestId('chart-efficiency-table');
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), [
      'Tool',
      'Calls',
      'Errors',
      'Error rate',
      'Retries after an error',
    ]);
    assert.deepEqual(
      await table.locator('tbody th').allInnerTexts(),
      m.tools.map((x) => x.tool),
    );
    const bash = m.tools.find((x) => x.tool === 'Bash')!;
    const row = await table.locator('tbody tr', { hasText: 'Bash' }).locator('td').allInnerTexts();
    assert.deepEqual(row, [String(bash.calls), String(bash.errors), pct(bash.errorRate!), String(bash.retries)]);
  });

  it('insights: ranked, each with its evidence; its session link opens the session detail', async () => {
    const m = await open();
    assert.ok(m.insights.length > 0);
    const items = h.page.getByTestId('insight');
    assert.equal(await items.count(), m.insights.length);
    for (const [n, i] of m.insights.entries()) {
      const item = items.nth(n);
      assert.equal(await item.getAttribute('data-kind'), i.kind);
      assert.equal((await item.locator('.message').innerText()).trim(), i.message);
    }
    // evidence opens from the keyboard (a <details> summary), then the first session link by Tab + Enter
    const first = items.first();
    await first.locator('summary').focus();
    await h.page.keyboard.press('Enter');
    assert.ok(await first.locator('dl.numbers').isVisible());
    const sid = m.insights[0]!.sessionIds[0]!;
    const link = first.locator(`[data-session-id="${sid}"]`);
    await link.focus();
    await h.page.keyboard.press('Enter');
    await h.page.getByTestId('session-detail').waitFor();
    await h.page.waitForFunction(
      (id) =>
        (window as unknown as { __sent: { method?: string; params?: { sessionId?: string } }[] }).__sent.some(
          (x) => x.method === 'session/get' && x.params?.sessionId === id,
        ),
      sid,
    );
  });

  it('insights in Japanese: each line from its messageId and params, and its evidence names, in Japanese', async () => {
    const m = await open({ lang: 'ja' });
    const items = h.page.getByTestId('insight');
    assert.equal(await items.count(), m.insights.length);
    for (const [n, i] of m.insights.entries()) {
      const shown = (await items.nth(n).locator('.message').innerText()).trim();
      assert.equal(shown, formatAnalyticsMessage(i, 'ja'));
      assert.match(shown, JAPANESE);
      assert.notEqual(shown, i.message);
    }
    const first = items.first();
    await first.locator('summary').click();
    const names = await first.locator('dl.numbers dt').allInnerTexts();
    assert.equal(names.length, Object.keys(m.insights[0]!.numbers).length);
    for (const name of names) assert.match(name, JAPANESE, `evidence name ${name}`);
    assert.deepEqual(h.pageErrors, []);
  });

  it('topics: label, terms, cost, time and sessions; Enter on a topic lists its sessions; the table has them all', async () => {
    const m = await open();
    assert.ok(m.topics && m.topics.items.length > 0);
    const topics = h.page.getByTestId('topic');
    assert.equal(await topics.count(), m.topics.items.length);
    const t0 = m.topics.items[0]!;
    assert.match(await topics.first().innerText(), new RegExp(t0.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.ok((await topics.first().innerText()).includes(t0.costUsd === null ? 'no price' : usd(t0.costUsd)));
    await topics.first().focus();
    await h.page.keyboard.press('Enter');
    assert.equal(await topics.first().getAttribute('aria-expanded'), 'true');
    const listed = h.page.getByTestId('topic-sessions').locator('[data-session-id]');
    assert.deepEqual(
      await listed.evaluateAll((els) => els.map((e) => e.getAttribute('data-session-id'))),
      t0.sessionIds,
    );
    await h.page.getByTestId('chart-topics-table-mode').click();
    assert.deepEqual(
      await h.page.getByTestId('chart-topics-table').locator('tbody th').allInnerTexts(),
      m.topics.items.map((x) => x.label),
    );
  });

  it('time series: one bar per day with rolling means in the table; no anomaly on the fixtures’ first day', async () => {
    const m = await open();
    await h.page.getByTestId('chart-series-canvas').waitFor();
    assert.ok(await h.page.getByTestId('anomalies-none').isVisible());
    await h.page.getByTestId('chart-series-table-mode').click();
    const rows = h.page.getByTestId('chart-series-table').locator('tbody tr');
    assert.equal(await rows.count(), m.series.daily.length);
    const day = m.series.daily.find((d) => d.costUsd > 0)!;
    const cells = await h.page
      .getByTestId('chart-series-table')
      .locator('tbody tr', { hasText: day.date })
      .locator('td')
      .allInnerTexts();
    assert.equal(cells[0], usd(day.costUsd));
  });

  it('an anomalous day is flagged with its one-line explanation and its sessions (planted history)', async () => {
    const other = await FixtureHost.fixtures();
    try {
      other.now = NOW;
      const base = MetricsReportSchema.parse(
        (await other.answer('metrics/get', { range: '30d', timeZone: 'UTC' })).ok
          ? other.lastResult<MetricsReport>('metrics/get')
          : null,
      );
      const dayCost = base.totals.costUsd!;
      // seven quiet days before the fixtures' day, each a tenth of its cost: opus output at $25 per million tokens
      const sid = base.insights[0]?.sessionIds[0] ?? Object.keys(base.sessionLabels)[0]!;
      await other.write((s) => {
        const insert = s.db.prepare(
          `INSERT INTO api_messages (key, session_id, origin_session, ts, model, input, output, cache_5m, cache_creation, cache_read)
           VALUES (?, ?, ?, ?, 'claude-opus-4-1', 0, ?, 0, 0, 0)`,
        );
        for (let d = 1; d <= 7; d++)
          insert.run([`planted-${d}`, sid, sid, NOW - (d + 1) * 86_400_000, Math.round((dayCost / 10 / 75) * 1e6)]);
      });
      const m = await open({ h: other });
      assert.equal(m.series.anomalies.length, 1, JSON.stringify(m.series.daily.filter((d) => d.costUsd > 0)));
      const a = m.series.anomalies[0]!;
      assert.equal(a.date, '2026-11-28');
      const shown = h.page.getByTestId('anomaly');
      assert.equal(await shown.count(), 1);
      assert.equal((await shown.locator('.explanation').innerText()).trim(), a.explanation);
      assert.equal(await shown.locator('[data-session-id]').count(), a.sessionIds.length);
      assert.ok(m.insights.some((i) => i.kind === 'cost_anomaly'));
      await h.page.getByTestId('chart-series-table-mode').click();
      const flagged = await h.page
        .getByTestId('chart-series-table')
        .locator('tbody tr', { hasText: '2026-11-28' })
        .locator('td')
        .allInnerTexts();
      assert.equal(flagged.at(-1), 'yes');
      // In Japanese: the same anomaly, its line and its insight from messageId and params.
      const ja = await open({ h: other, lang: 'ja' });
      const jaLine = (await h.page.getByTestId('anomaly').locator('.explanation').innerText()).trim();
      assert.equal(jaLine, formatAnalyticsMessage(ja.series.anomalies[0]!, 'ja'));
      assert.match(
        jaLine,
        /^2026年11月28日: \$[\d,.]+。普段の日（\$[\d,.]+）の [\d.]+倍です。.*件のセッションがその \d+% を占め/,
      );
      const insight = ja.insights.findIndex((i) => i.kind === 'cost_anomaly');
      assert.equal((await h.page.getByTestId('insight').nth(insight).locator('.message').innerText()).trim(), jaLine);
    } finally {
      other.close();
    }
  });

  it('code context: “no code context yet”, then cost per branch and per pull request once recorded', async () => {
    await open();
    assert.ok(await h.page.getByTestId('code-none').isVisible());
    const m0 = host.lastResult<MetricsReport>('metrics/get');
    const [a, b] = m0.insights[0]?.sessionIds.length
      ? [m0.insights[0].sessionIds[0]!, Object.keys(m0.sessionLabels).find((x) => x !== m0.insights[0]!.sessionIds[0])!]
      : Object.keys(m0.sessionLabels);
    await host.write((s) => {
      const ctx = (sha: string) =>
        ({
          repoRoot: '/work/alpha',
          worktree: null,
          remoteUrl: null,
          branch: 'feature/metrics',
          headStart: null,
          headEnd: sha,
          commits: [{ sha, subject: 'metrics', authoredAt: '2026-11-28T23:41:00Z' }],
          linesAdded: 1,
          linesRemoved: 0,
          missing: false,
          githubRepo: 'acme/alpha',
        }) as never;
      const pending = (sessionId: string) => ({ sessionId, projectPath: null, gitBranch: null, firstTs: 0, lastTs: 0 });
      s.codeContext.saveGitContext(pending(a!), ctx('a'.repeat(40)));
      s.codeContext.saveGitContext(pending(b!), ctx('b'.repeat(40)));
      s.codeContext.savePulls(
        { repo: 'acme/alpha', sha: 'a'.repeat(40), etag: null },
        JSON.stringify([
          { number: 42, title: 'Metrics view', state: 'open', url: 'https://github.com/acme/alpha/pull/42' },
        ]),
        null,
        NOW,
      );
    });
    try {
      const m = await open();
      assert.equal(m.codeContext.sessions, 2);
      const card = h.page.getByTestId('chart-code');
      const pulls = card.getByTestId('pulls');
      assert.match(await pulls.locator('tbody th').first().innerText(), /#42 Metrics view/);
      const pr = m.codeContext.pullRequests[0]!;
      assert.ok((await pulls.innerText()).includes(usd(pr.costUsd!)));
      await card.getByTestId('chart-code-table-mode').click();
      const row = await card.getByTestId('chart-code-table').locator('tbody tr').first().locator('td').allInnerTexts();
      const br = m.codeContext.branches[0]!;
      assert.deepEqual(row, ['feature/metrics', String(br.sessions), br.tokens.toLocaleString('en'), usd(br.costUsd!)]);
    } finally {
      await host.write((s) => {
        s.db.prepare('DELETE FROM session_git').run();
        s.db.prepare('DELETE FROM github_commit_prs').run();
      });
    }
  });

  it('the time zone and week start settings re-bucket the view (heatmap rows start on the configured day)', async () => {
    host.analyticsSettings = { timeZone: 'Asia/Tokyo', weekStartsOn: 0 };
    try {
      const m = await open();
      assert.equal(m.timeZone, 'Asia/Tokyo');
      assert.match(await h.page.getByTestId('metrics-zone').innerText(), /Asia\/Tokyo · Weeks start on Sun/);
      await h.page.getByTestId('chart-heatmap-table-mode').click();
      const days = await h.page.getByTestId('chart-heatmap-table').locator('tbody th').allInnerTexts();
      assert.deepEqual(days, ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
      // Saturday 23:40 UTC is Sunday 08:40 in Tokyo
      const sunday = await h.page
        .getByTestId('chart-heatmap-table')
        .locator('tbody tr')
        .first()
        .locator('td')
        .allInnerTexts();
      assert.notEqual(sunday[8], '0');
    } finally {
      host.analyticsSettings = { timeZone: '', weekStartsOn: 1 };
    }
  });

  it('every block is reachable by Tab, in light, dark and high-contrast themes, and in Japanese', async () => {
    for (const theme of ['light', 'dark', 'hc'] as const) {
      await open({ theme });
      const reached = new Set<string>();
      const wanted = ['insights', 'chart-blocks', 'chart-series', 'chart-efficiency', 'chart-topics', 'chart-heatmap'];
      for (let i = 0; i < 200 && !wanted.every((w) => reached.has(w)); i++) {
        await h.page.keyboard.press('Tab');
        const card = await h.page.evaluate(
          () => document.activeElement?.closest('section[data-testid]')?.getAttribute('data-testid') ?? null,
        );
        if (card) reached.add(card);
      }
      for (const id of [
        'insights',
        'chart-blocks',
        'chart-series',
        'chart-efficiency',
        'chart-topics',
        'chart-heatmap',
      ])
        assert.ok(reached.has(id), `${theme}: ${id} reached by Tab (${[...reached].join(', ')})`);
      assert.deepEqual(h.pageErrors, [], theme);
    }
    await open({ lang: 'ja' });
    assert.match(await h.page.getByTestId('chart-blocks').innerText(), /5 時間の課金ブロック[\s\S]*推定/);
    assert.match(await h.page.getByTestId('insights').innerText(), /インサイト/);
    assert.match(await h.page.getByTestId('chart-topics').innerText(), /トピック/);
    assert.match(
      await h.page.getByTestId('chart-efficiency').innerText(),
      /ターンの所要時間（中央値）[\s\S]*コンパクションが起きたセッション[\s\S]*コンパクションが起きたセッションのコスト/,
    );
  });

  for (const theme of ['light', 'dark'] as const)
    it(`screenshot: Metrics with the analytics blocks, ${theme} theme (editor and sidebar widths)`, async () => {
      // with the Status Line Bridge's official figures beside the block estimate, as a subscription login sees them
      host.officialLimits = {
        source: 'official',
        fiveHour: { usedPercent: 34, resetsAt: Date.parse('2026-11-29T03:00:00Z') },
        sevenDay: { usedPercent: 12, resetsAt: Date.parse('2026-12-03T09:00:00Z') },
        observedAt: NOW - 60_000,
      };
      for (const [width, suffix] of [
        [1100, ''],
        [320, '-sidebar'],
      ] as const) {
        await open({ theme, width });
        await h.page.getByTestId('chart-series-canvas').waitFor();
        const height = await h.page.evaluate(() => {
          const view = document.querySelector('[data-testid="metrics-view"]') as HTMLElement;
          let bottom = 0;
          for (const e of view.querySelectorAll('*')) bottom = Math.max(bottom, e.getBoundingClientRect().bottom);
          return Math.ceil(bottom + 12);
        });
        await h.page.setViewportSize({ width, height: Math.min(Math.max(height, 400), 8000) });
        await h.page.waitForTimeout(250);
        const dir = process.env.UPDATE_SCREENSHOTS ? README_SHOTS : SHOTS;
        fs.mkdirSync(dir, { recursive: true });
        await h.page.screenshot({ path: path.join(dir, `metrics-${theme}${suffix}.png`) });
      }
      host.officialLimits = undefined;
    });
});
