/**
 * The Metrics and Privacy views in Chromium: the production bundle under its real CSP, answered by the real
 * handlers (metrics/get: computeAnalytics → src/core/metrics; src/core/privacy/buildPrivacyReport) over a store scanned from the real-CLI
 * fixtures. Screenshots of both views in light and dark themes go to test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rangeStartMs } from '../../src/core/metrics/metricsRange';
import { buildPrivacyReport } from '../../src/core/privacy/buildPrivacyReport';
import { LocalCalendar } from '../../src/core/reports/timeBuckets';
import { Store } from '../../src/infra/sqlite/store';
import { MetricsReportSchema, PrivacyReportParamsSchema, PrivacyReportSchema } from '../../src/shared/protocol';
import { runCct } from '../helpers/cct';
import { REPO_ROOT, requireBuilt } from '../helpers/repo';
import { FixtureHost, statusSnapshot } from './fixtureHost';
import { WebviewHarness } from './harness';
import { THEMES, type ThemeName } from './themes';

const SHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
// The fixtures were recorded on 2026-11-28 (UTC); "now" is the next day so every range holds them.
const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('Metrics and Privacy views in Chromium', () => {
  const h = new WebviewHarness();
  let host: FixtureHost;
  let tmp = '';
  let store: Store;

  before(async function () {
    this.timeout(120_000);
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-webview-metrics-'));
    const db = path.join(tmp, 'store.db');
    const scan = await runCct(['scan', '--root', path.join(REPO_ROOT, 'test/fixtures/claude/cli'), '--db', db], {
      HOME: os.tmpdir(),
    });
    assert.equal(scan.code, 0, scan.err);
    store = await Store.open(db);
    store.db
      .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('remask_last', ?)")
      .run([JSON.stringify({ at: '2026-11-28T09:30:00.000Z', level: 'standard', rulesHash: 'b41c9e07d2aa51f3' })]);
    host = await FixtureHost.open();
    // metrics/get: the real handler (metricsHandlers.ts) on the fixture host's store, at NOW.
    host.now = NOW;
    // privacy/report: the function privacyHandlers.ts calls, with a custom rule configured.
    host.handlers.set('privacy/report', (raw) => {
      const p = PrivacyReportParamsSchema.parse(raw);
      const since = rangeStartMs(p.range, new LocalCalendar(p.timeZone), NOW);
      return buildPrivacyReport(store.privacyReportRows(since), {
        ...p,
        nowMs: NOW,
        level: 'standard',
        customRules: [{ id: 'acme-token', category: 'acme_token', keywords: ['acme_'], pattern: 'acme_[a-z0-9]{16}' }],
      });
    });
    host.handlers.set('export/save', () => ({ saved: true }));
    host.handlers.set('privacy/openSettings', () => ({ opened: true }));
    await h.start();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await h.stop();
    host?.close();
    store?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function openView(view: 'metrics' | 'privacy', theme: ThemeName = 'dark', width = 900) {
    const t = THEMES[theme];
    await h.open({ host, theme: t.vars, themeKind: t.kind, viewport: { width, height: 1400 } });
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: 1, status: statusSnapshot() });
    await h.post({ type: 'navigate', target: { view } });
    await h.page.getByTestId(`${view}-view`).waitFor();
  }

  it('Metrics: a chart with data drawn on its canvas, and its table alternative with the same numbers', async () => {
    await openView('metrics');
    // The chart is drawn from the answer (computed in the analytics worker, which starts on this first request).
    await h.page.getByTestId('chart-daily-canvas').waitFor();
    const req = host.requests.filter((r) => r.method === 'metrics/get').at(-1)!;
    assert.equal(req.params.range, '30d');
    assert.equal(typeof req.params.timeZone, 'string');
    // chart.js drew bars: the canvas has non-transparent pixels in its plot area
    // chart.js is loaded on demand (its own chunk): wait until the chart has drawn, then count its pixels
    const paintedPixels = () =>
      h.page.getByTestId('chart-daily-canvas').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
    let painted = 0;
    for (let i = 0; i < 50 && painted <= 500; i++) {
      painted = await paintedPixels();
      if (painted <= 500) await h.page.waitForTimeout(100);
    }
    assert.ok(painted > 500, `painted pixels: ${painted}`);
    const report = MetricsReportSchema.parse(
      await host
        .answer('metrics/get', { range: '30d', timeZone: req.params.timeZone })
        .then((r) => (r.ok ? r.result : null)),
    );
    assert.ok(report.totals.apiMessages > 0);
    assert.match(await h.page.getByTestId('kpi-cost').innerText(), /^\$\d/);

    await h.page.getByTestId('chart-daily-table-mode').click();
    const table = h.page.getByTestId('chart-daily-table');
    await table.waitFor();
    const headers = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(headers, ['Date', ...report.models, 'Cost (USD)']);
    assert.equal(await table.locator('tbody tr').count(), report.days.length);
    const day = report.days.find((d) => report.daily.some((x) => x.date === d))!;
    const row = await table.locator('tbody tr', { hasText: day }).locator('td').allInnerTexts();
    const cost = report.daily.filter((x) => x.date === day).reduce((n, x) => n + (x.costUsd ?? 0), 0);
    assert.equal(
      row.at(-1),
      cost.toLocaleString('en', {
        style: 'currency',
        currency: 'USD',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }),
    );
    // the table is plain text: selectable and copyable
    assert.equal(await table.evaluate((t) => getComputedStyle(t).userSelect), 'auto');

    // CSV export goes to the host with the raw numbers
    await h.page.getByTestId('chart-daily-csv').click();
    await h.page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'export/save'),
    );
    const save = (await h.sent()).find((m) => m.method === 'export/save') as {
      params: { suggestedName: string; content: string; format: string };
    };
    assert.equal(save.params.format, 'csv');
    assert.equal(save.params.suggestedName, 'cost-per-day-30d.csv');
    assert.match(save.params.content, new RegExp(`^Date,${report.models.join(',')},Cost \\(USD\\)\\r\\n`));
    assert.ok(save.params.content.includes(`${day},`));

    // the range selector asks again
    await h.page.getByTestId('metrics-range-7d').check();
    await h.page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string; params?: { range?: string } }[] }).__sent.some(
        (m) => m.method === 'metrics/get' && m.params?.range === '7d',
      ),
    );
    for (const id of ['chart-projects', 'chart-cache', 'chart-efficiency', 'chart-lengths', 'chart-heatmap'])
      assert.ok(await h.page.getByTestId(id).isVisible(), id);
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.pageErrors, []);
  });

  it('Metrics redraws its charts in the new colours when the theme changes', async () => {
    await openView('metrics', 'light');
    const canvas = h.page.getByTestId('chart-daily-canvas');
    await canvas.waitFor();
    const colours = () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<string>();
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
        return [...seen];
      });
    const before = new Set(await colours());
    await h.setTheme(
      { ...THEMES.dark.vars, '--vscode-charts-blue': '#ff00ff', '--vscode-charts-orange': '#00ff00' },
      THEMES.dark.kind,
    );
    await h.page.waitForTimeout(200);
    const after = await colours();
    assert.ok(after.includes('255,0,255') || after.includes('0,255,0'), 'bars in the new palette');
    assert.ok(!before.has('255,0,255'));
  });

  it('Privacy: the report with level, custom rule, last re-mask, categories, rules and sessions', async () => {
    await openView('privacy');
    await h.page.getByTestId('privacy-config').waitFor();
    const report = PrivacyReportSchema.parse(
      await host.answer('privacy/report', { range: '30d', timeZone: 'UTC' }).then((r) => (r.ok ? r.result : null)),
    );
    assert.match(await h.page.getByTestId('privacy-level').innerText(), /^standard/);
    assert.match(await h.page.getByTestId('privacy-rules').innerText(), /custom:acme-token \(acme_token\)/);
    assert.match(await h.page.getByTestId('privacy-remask').innerText(), /level standard, rules b41c9e07d2aa/);
    assert.match(
      await h.page.getByTestId('privacy-total').innerText(),
      new RegExp(`${report.totals.findings} masked values in ${report.totals.sessions} sessions`),
    );
    await h.page.getByTestId('chart-findings-time-canvas').waitFor();
    await h.page.getByTestId('chart-rules-table-mode').click();
    const rules = await h.page.getByTestId('chart-rules-table').locator('tbody th').allInnerTexts();
    assert.deepEqual(
      rules,
      report.byRule.map((r) => r.ruleId),
    );
    await h.page.getByTestId('privacy-settings').click();
    await h.page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'privacy/openSettings'),
    );
    // counts and rule names only: no planted secret reaches the page
    const text = await h.page.locator('body').innerText();
    const manifest = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/claude/manifest.json'), 'utf8'),
    ) as {
      secrets: { value: string }[];
    };
    for (const s of manifest.secrets) assert.ok(!text.includes(s.value));
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.pageErrors, []);
  });

  it('Privacy: "Re-mask archive" asks first, then runs the claudeTracer.remaskArchive command', async () => {
    await openView('privacy');
    await h.page.getByTestId('privacy-config').waitFor();
    const runs = async () =>
      (await h.sent()).filter((m) => m.type === 'runCommand' && m.command === 'claudeTracer.remaskArchive').length;
    await h.page.getByTestId('remask-archive').click();
    await h.page.getByTestId('remask-confirm').waitFor();
    await h.page.getByTestId('remask-cancel').click();
    assert.equal(await h.page.getByTestId('remask-confirm').count(), 0);
    assert.equal(await runs(), 0, 'cancelled: nothing ran');
    await h.page.getByTestId('remask-archive').click();
    // The confirmation takes the focus: Enter runs it (keyboard users).
    await h.page.getByTestId('remask-run').waitFor();
    await h.page.keyboard.press('Enter');
    await h.page.getByTestId('remask-started').waitFor();
    assert.equal(await runs(), 1);
    assert.deepEqual(h.pageErrors, []);
  });

  it('Japanese UI', async () => {
    const t = THEMES.dark;
    await h.open({ host, theme: t.vars, themeKind: t.kind, lang: 'ja', viewport: { width: 900, height: 1000 } });
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: 1, status: statusSnapshot({ locale: 'ja' }) });
    await h.post({ type: 'navigate', target: { view: 'metrics' } });
    await h.page.getByTestId('chart-daily').waitFor();
    assert.match(await h.page.getByTestId('chart-daily').innerText(), /モデル別の日次コスト/);
  });

  /** Screenshot of the whole view: the shell scrolls inside, so the viewport grows to the content first. */
  async function shoot(file: string, width: number) {
    const height = await h.page.evaluate(() => {
      // the bottom of the view's last block, scrolled or not (the shell's scroller is taller than its content)
      const view = document.querySelector('[data-testid$="-view"]') as HTMLElement;
      let bottom = 0;
      for (const e of view.querySelectorAll('*')) bottom = Math.max(bottom, e.getBoundingClientRect().bottom);
      let scrolled = 0;
      for (let e: HTMLElement | null = view; e; e = e.parentElement) scrolled += e.scrollTop;
      return Math.ceil(bottom + scrolled + 12);
    });
    await h.page.setViewportSize({ width, height: Math.min(Math.max(height, 400), 4000) });
    await h.page.waitForTimeout(250);
    await h.page.screenshot({ path: path.join(SHOTS, file) });
  }

  for (const theme of ['light', 'dark'] as const)
    for (const view of ['metrics', 'privacy'] as const)
      it(`screenshot: ${view}, ${theme} theme (editor width and sidebar width)`, async () => {
        const canvas = view === 'metrics' ? 'chart-daily-canvas' : 'chart-findings-time-canvas';
        await openView(view, theme, 1100);
        await h.page.getByTestId(canvas).waitFor();
        await shoot(`${view}-${theme}.png`, 1100);
        await openView(view, theme, 320);
        await h.page.getByTestId(canvas).waitFor();
        await shoot(`${view}-${theme}-sidebar.png`, 320);
      });
});
