import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

describe('e2e: the packaged extension in real VS Code (code-server) driven through Chromium', function () {
  let tmp: string;
  let claudeDir: string;
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-e2e-'));
    claudeDir = path.join(tmp, 'claude-config');
    mkdirSync(path.join(claudeDir, 'projects'), { recursive: true });
    const workspace = path.join(tmp, 'workspace');
    mkdirSync(workspace);
    cs = await CodeServer.start({ workspace, installVsix: [VSIX], env: { CLAUDE_CONFIG_DIR: claudeDir } });
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
    await frame.getByTestId('status-card').waitFor({ timeout: 60_000 });
    const roots = await frame.getByTestId('roots').locator('li').allTextContents();
    const ours = roots.find((r) => r.includes(claudeDir));
    assert.ok(ours, `roots list shows CLAUDE_CONFIG_DIR: ${JSON.stringify(roots)}`);
    assert.match(ours, /found/);
    assert.equal(await frame.getByTestId('version').textContent(), pkg.version);
  });

  it('runs "Claude Tracer: Show Dashboard" from the command palette', async () => {
    // Move away first: show the Explorer so our view is hidden.
    await activityBarEntry(page, 'Explorer').click();
    await page.locator('.sidebar .composite.title', { hasText: /Explorer/i }).waitFor();
    await runFromPalette(page, 'Claude Tracer: Show Dashboard');
    await dashboardFrame(page).getByTestId('status-card').waitFor({ timeout: 30_000 });
    await page.locator('.sidebar .composite.title', { hasText: /Claude Code Tracer/i }).waitFor();
  });

  it('opens the dashboard from the status-bar item', async () => {
    await activityBarEntry(page, 'Explorer').click();
    await page.locator('.sidebar .composite.title', { hasText: /Explorer/i }).waitFor();
    await statusItem(page).click();
    await page.locator('.sidebar .composite.title', { hasText: /Claude Code Tracer/i }).waitFor({ timeout: 30_000 });
    await dashboardFrame(page).getByTestId('status-card').waitFor({ timeout: 30_000 });
  });
});
