import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { CodeServer } from '../helpers/codeServer';
import { REPO_ROOT } from '../helpers/repo';
import { activityBarEntry, dashboardFrame, runFromPalette, statusItem, waitForWorkbench } from './workbench';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const VSIX = process.env.VSIX || path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
const SHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'claude');

/** Fake secrets the fixture transcripts carry (placeholder-shaped ones are hard negatives by design). */
const PLANTED = (
  JSON.parse(readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8')) as {
    secrets: { id: string; value: string; placeholderShaped?: boolean }[];
  }
).secrets.filter((s) => !s.placeholderShaped);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Waits for a file whose name matches in dir (the export is written after the dialog closes). */
async function eventuallyFile(dir: string, name: RegExp): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const hit = readdirSync(dir).find((f) => name.test(f));
    if (hit) return path.join(dir, hit);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no file matching ${name} in ${dir}: ${readdirSync(dir).join(', ')}`);
}

/** Which planted secrets (whole value, or its last 12 characters) occur in these bytes. */
function leaks(bytes: Buffer | string): string[] {
  const hay = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  return PLANTED.filter((s) => hay.includes(s.value) || (s.value.length >= 20 && hay.includes(s.value.slice(-12)))).map(
    (s) => s.id,
  );
}

describe('e2e: the packaged extension in real VS Code (code-server) driven through Chromium', () => {
  let tmp: string;
  let claudeDir: string;
  let dataDir: string;
  let workspace: string;
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-e2e-'));
    claudeDir = path.join(tmp, 'claude-config');
    dataDir = path.join(tmp, 'data');
    // Transcripts written by the real Claude Code CLI, with planted fake secrets in prompts and tool output.
    cpSync(path.join(FIXTURES, 'cli', 'projects'), path.join(claudeDir, 'projects'), { recursive: true });
    workspace = path.join(tmp, 'workspace');
    mkdirSync(workspace);
    cs = await CodeServer.start({
      workspace,
      installVsix: [VSIX],
      env: { CLAUDE_CONFIG_DIR: claudeDir, CCT_DATA_DIR: dataDir },
      // The Get Started walkthrough would open on this fresh profile and take the focus from the palette.
      settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': false },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(SHOTS, { recursive: true });
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) }).catch(() => {});
    }
  });

  after(async function () {
    await browser?.close().catch(() => {});
    const failed = this.test?.parent?.tests.some((t) => t.state === 'failed') ?? false;
    await cs?.stop({ keep: failed });
    if (failed && cs) console.log(`code-server log kept: ${cs.logFile}`);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs from the .vsix and shows its status-bar item', async () => {
    const item = statusItem(page);
    await item.waitFor({ timeout: 60_000 });
    assert.match((await item.textContent()) ?? '', /Claude Tracer/);
  });

  it('opens the activity-bar view and the webview renders the host snapshot', async () => {
    await activityBarEntry(page, 'Claude Code Tracer').click();
    const frame = dashboardFrame(page);
    // The dashboard opens on Sessions; the host snapshot is on the Status tab.
    await frame.getByTestId('nav-status').click({ timeout: 60_000 });
    await frame.getByTestId('status-view').waitFor({ timeout: 60_000 });
    await frame.getByTestId('version').waitFor({ timeout: 60_000 });
    const roots = await frame.getByTestId('roots').locator('li').allTextContents();
    const ours = roots.find((r) => r.includes(claudeDir));
    assert.ok(ours, `roots list shows CLAUDE_CONFIG_DIR: ${JSON.stringify(roots)}`);
    assert.match(ours, /found/);
    assert.equal(await frame.getByTestId('version').textContent(), pkg.version);
    console.log(
      `[measure] activate() of the packaged extension: ${await frame.getByTestId('activation').textContent()}`,
    );
  });

  it('ingests the transcripts and shows the totals in the dashboard', async () => {
    const frame = dashboardFrame(page);
    await frame.getByTestId('totals').waitFor({ timeout: 60_000 });
    assert.match((await frame.getByTestId('totals').textContent()) ?? '', /\b12 sessions\b/);
    assert.equal(await frame.getByTestId('store-backend').textContent(), 'node:sqlite');
  });

  it('searches a word from a fixture prompt, opens that session and its tool calls; no planted secret in the DOM', async () => {
    const frame = dashboardFrame(page);
    await frame.getByTestId('nav-search').click();
    await frame.getByTestId('search-input').fill('delegate');
    await frame.getByTestId('search-hit').first().click({ timeout: 30_000 });
    await frame.getByTestId('session-detail').waitFor({ timeout: 30_000 });
    const agent = frame.locator('[data-testid="tool-call"][data-tool="Agent"]').first();
    await agent.locator('summary').first().click({ timeout: 30_000 });
    await agent.getByTestId('tool-input').first().waitFor();
    await agent.getByTestId('subagent-toggle').click();
    await agent.getByTestId('subagent-run').getByTestId('turn').first().waitFor({ timeout: 30_000 });
    // The session with the planted secrets, its tool calls open: masked everywhere in the rendered DOM.
    await frame.getByTestId('back').click();
    await frame.getByTestId('search-input').fill('setup');
    await frame.getByTestId('search-hit').first().click({ timeout: 30_000 });
    await frame.getByTestId('tool-call').first().waitFor({ timeout: 30_000 });
    for (const summary of await frame.locator('[data-testid="tool-call"] summary').all()) await summary.click();
    assert.ok((await frame.locator('.mask-credential').count()) > 0, 'masked values are marked');
    const html = await frame.locator('html').evaluate((el) => el.outerHTML);
    assert.deepEqual(leaks(html), [], 'leak in the rendered session');

    // Export that session as Markdown: VS Code's save dialog (the simple one in code-server) takes the proposed
    // name in the workspace folder; the file is the masked conversation.
    await frame.getByTestId('export').click();
    await frame.getByRole('menuitem', { name: /markdown/i }).click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300); // the dialog fills in the proposed path
    await page.keyboard.press('Enter');
    const exported = await eventuallyFile(workspace, /^claude-session-.*\.md$/);
    const md = readFileSync(exported, 'utf8');
    assert.match(md, /setup/i, 'the exported conversation');
    assert.match(md, /«[^»]+»/, 'masked values stay masked in the export');
    assert.deepEqual(leaks(md), [], 'leak in the exported Markdown');
    await frame.getByTestId('nav-sessions').click();
  });

  it('opens Metrics: a chart drawn from the fixtures (chart.js loaded on demand in the real webview)', async () => {
    const frame = dashboardFrame(page);
    await frame.getByTestId('nav-metrics').click();
    await frame.getByTestId('metrics-kpis').waitFor({ timeout: 30_000 });
    const canvas = frame.getByTestId('chart-daily-canvas');
    await canvas.waitFor({ timeout: 30_000 });
    let drawn = false;
    for (let i = 0; i < 120 && !drawn; i++) {
      drawn = await canvas.evaluate((c) => {
        const el = c as HTMLCanvasElement;
        const px = el.getContext('2d')?.getImageData(0, 0, el.width, el.height).data;
        return !!px && px.some((v, k) => k % 4 === 3 && v > 0);
      });
      if (!drawn) await page.waitForTimeout(250);
    }
    assert.ok(drawn, 'the daily chart has drawn pixels');
    assert.match((await frame.getByTestId('kpi-cost').textContent()) ?? '', /\$\d/, 'a cost from the fixtures');
    await frame.getByTestId('nav-sessions').click();
  });

  it('no planted secret reaches the store files (WAL included), the extension logs or the webview', async () => {
    assert.ok(PLANTED.length >= 8, 'the fixtures carry planted secrets');
    const storeFiles = filesUnder(dataDir).filter((f) => /store\.db(-wal|-shm)?$/.test(f));
    assert.ok(
      storeFiles.some((f) => f.endsWith('store.db')),
      `store written: ${storeFiles.join(', ')}`,
    );
    for (const f of storeFiles) assert.deepEqual(leaks(readFileSync(f)), [], `leak in ${f}`);
    const logs = filesUnder(path.join(cs!.userDataDir, 'logs'));
    assert.ok(
      logs.some((f) => f.includes('Claude Code Tracer')),
      'the extension log channel was written',
    );
    for (const f of logs) assert.deepEqual(leaks(readFileSync(f)), [], `leak in ${f}`);
    const frame = dashboardFrame(page);
    const html = await frame.locator('html').evaluate((el) => el.outerHTML);
    assert.deepEqual(leaks(html), [], 'leak in the webview document');
    // Control: the secrets really are in the source transcripts, so the checks above can fail.
    const sources = filesUnder(path.join(claudeDir, 'projects')).map((f) => readFileSync(f));
    assert.ok(
      PLANTED.every((s) => sources.some((b) => leaks(b).includes(s.id))),
      'each planted secret is in the fixtures',
    );
  });

  it('"Show Sync Status" with sync off says nothing leaves the machine (no outbox count that reads as pending)', async () => {
    await runFromPalette(page, 'Claude Tracer: Show Sync Status');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Sync is off: nothing leaves this machine\./);
    assert.doesNotMatch(text, /pending|waiting to be sent/i, text);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('runs "Claude Tracer: Show Dashboard" from the command palette', async () => {
    // Move away first: show the Explorer so our view is hidden.
    await activityBarEntry(page, 'Explorer').click();
    await page.locator('.sidebar .composite.title', { hasText: /Explorer/i }).waitFor();
    await runFromPalette(page, 'Claude Tracer: Show Dashboard');
    await dashboardFrame(page).getByRole('tablist').waitFor({ timeout: 30_000 });
    await page.locator('.sidebar .composite.title', { hasText: /Claude Code Tracer/i }).waitFor();
  });

  it('opens the dashboard from the status-bar item', async () => {
    await activityBarEntry(page, 'Explorer').click();
    await page.locator('.sidebar .composite.title', { hasText: /Explorer/i }).waitFor();
    await statusItem(page).click();
    await page.locator('.sidebar .composite.title', { hasText: /Claude Code Tracer/i }).waitFor({ timeout: 30_000 });
    await dashboardFrame(page).getByRole('tablist').waitFor({ timeout: 30_000 });
  });
});
