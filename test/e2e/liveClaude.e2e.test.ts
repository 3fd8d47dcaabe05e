import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { CodeServer } from '../helpers/codeServer';
import { CLAUDE_BIN, claudeEnv, writeClaudeJson } from '../helpers/fakeAnthropic/runClaude';
import { type FakeAnthropicServer, startFakeAnthropic } from '../helpers/fakeAnthropic/server';
import type { Scenario } from '../helpers/fakeAnthropic/types';
import { REPO_ROOT } from '../helpers/repo';
import { activityBarEntry, dashboardFrame, runFromPalette, statusItem, waitForWorkbench } from './workbench';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const VSIX = process.env.VSIX || path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
const SHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');

/** One plain answer; the interactive CLI then waits for the next prompt. */
const LIVE: Record<string, Scenario> = {
  live: () => ({
    kind: 'message',
    blocks: [{ type: 'text', text: 'Hello from the fake API.' }],
    usage: { input: 12, output: 6, cacheWrite5m: 0, cacheRead: 0, cacheWrite1h: 0 },
  }),
};

describe('e2e: the real Claude Code CLI in a VS Code terminal', () => {
  let tmp: string;
  let server: FakeAnthropicServer | undefined;
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-e2e-live-'));
    const home = path.join(tmp, 'home');
    const workspace = path.join(home, 'project');
    mkdirSync(workspace, { recursive: true });
    // With CLAUDE_CONFIG_DIR set, Claude Code keeps .claude.json there too (an empty value would mean the cwd).
    const configDir = path.join(home, '.claude');
    mkdirSync(configDir, { recursive: true });
    writeClaudeJson(home, [workspace]);
    copyFileSync(path.join(home, '.claude.json'), path.join(configDir, '.claude.json'));
    server = await startFakeAnthropic({ scenarios: LIVE });
    server.setRun({ label: 'e2e', cwd: workspace });
    // The extension host and the terminal's shell inherit this: claude talks to the fake API, writes into the temp HOME.
    const env = {
      ...(claudeEnv(home, server.url) as Record<string, string>),
      CLAUDE_CONFIG_DIR: configDir,
      CCT_DATA_DIR: path.join(tmp, 'data'),
    };
    cs = await CodeServer.start({ workspace, installVsix: [VSIX], env });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
    await statusItem(page).waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(SHOTS, { recursive: true });
      await page
        .screenshot({
          path: path.join(SHOTS, `live-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`),
        })
        .catch(() => {});
    }
  });

  after(async function () {
    await browser?.close().catch(() => {});
    const failed = this.test?.parent?.tests.some((t) => t.state === 'failed') ?? false;
    await cs?.stop({ keep: failed });
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the live session while claude runs, ingests its transcript, and clears on /exit', async () => {
    await runFromPalette(page, 'Terminal: Create New Terminal');
    const rows = page.locator('.terminal-wrapper.active .xterm-rows');
    await rows.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => /[$#]\s*$/.test(document.querySelector('.terminal-wrapper.active .xterm-rows')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('.terminal-wrapper.active .xterm').click();
    await page.keyboard.type(`${CLAUDE_BIN}\n`, { delay: 5 });

    // Claude Code registers itself in <config>/sessions/<pid>.json: the status bar shows it.
    await page.waitForFunction(
      () =>
        /Claude: (idle|busy|waiting)/.test(
          document.querySelector('.statusbar-item[id$="claudeTracer.status"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(1500); // let the TUI settle before typing
    await page.locator('.terminal-wrapper.active .xterm').click();
    await page.keyboard.type('SCENARIO:live say hello', { delay: 10 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        (document.querySelector('.terminal-wrapper.active .xterm-rows')?.textContent ?? '').includes(
          'Hello from the fake API.',
        ),
      undefined,
      {
        timeout: 60_000,
      },
    );

    // The transcript Claude Code just wrote is tailed into the store and counted in the dashboard.
    await activityBarEntry(page, 'Claude Code Tracer').click();
    await dashboardFrame(page).getByTestId('nav-status').click({ timeout: 60_000 });
    const totals = dashboardFrame(page).getByTestId('totals');
    await totals.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => true); // keep the frame locator fresh
    await assertEventually(
      async () => /\b1 sessions\b.*\b1 API messages\b/s.test((await totals.textContent()) ?? ''),
      'one session, one API message',
    );
    assert.match((await dashboardFrame(page).getByTestId('live-session').textContent()) ?? '', /project/);

    await page.locator('.terminal-wrapper.active .xterm').click();
    await page.keyboard.type('/exit', { delay: 10 });
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        /Claude Tracer/.test(document.querySelector('.statusbar-item[id$="claudeTracer.status"]')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
  });
});

async function assertEventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
