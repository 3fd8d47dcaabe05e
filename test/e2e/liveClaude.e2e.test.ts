import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { CodeServer } from '../helpers/codeServer';
import { CLAUDE_BIN, claudeEnv, writeClaudeJson } from '../helpers/fakeAnthropic/runClaude';
import { type FakeAnthropicServer, startFakeAnthropic } from '../helpers/fakeAnthropic/server';
import type { Scenario } from '../helpers/fakeAnthropic/types';
import { REPO_ROOT } from '../helpers/repo';
import {
  activityBarEntry,
  closeWalkthroughIfShown,
  dashboardFrame,
  runFromPalette,
  statusItem,
  waitForWorkbench,
} from './workbench';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const VSIX = process.env.VSIX || path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
const SHOTS = path.join(REPO_ROOT, 'test-results', 'e2e');

/** A GitHub token typed into the prompt (fake, and split so no scanner flags this file). */
const TYPED_SECRET = `ghp_${'Zq8Lm2Xw9Rt4Yp6Vb3Nc'}${'7Kd1Hf5Gs0Ja2UeQ'}`;
/** The whole secret, or its last 12 characters (a partial mask would still leak), found in these bytes. */
const leaksTyped = (bytes: Buffer | string): boolean => {
  const hay = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  return hay.includes(TYPED_SECRET) || hay.includes(TYPED_SECRET.slice(-12));
};

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
  let configDir: string;
  let dataDir: string;

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-e2e-live-'));
    const home = path.join(tmp, 'home');
    const workspace = path.join(home, 'project');
    mkdirSync(workspace, { recursive: true });
    // With CLAUDE_CONFIG_DIR set, Claude Code keeps .claude.json there too (an empty value would mean the cwd).
    configDir = path.join(home, '.claude');
    mkdirSync(configDir, { recursive: true });
    writeClaudeJson(home, [workspace]);
    copyFileSync(path.join(home, '.claude.json'), path.join(configDir, '.claude.json'));
    dataDir = path.join(tmp, 'data');
    server = await startFakeAnthropic({ scenarios: LIVE });
    server.setRun({ label: 'e2e', cwd: workspace });
    // The extension host and the terminal's shell inherit this: claude talks to the fake API, writes into the temp HOME.
    const env = {
      ...(claudeEnv(home, server.url) as Record<string, string>),
      CLAUDE_CONFIG_DIR: configDir,
      CCT_DATA_DIR: dataDir,
    };
    cs = await CodeServer.start({
      workspace,
      installVsix: [VSIX],
      env,
      // The Get Started walkthrough would open on this fresh profile and take the focus from the palette.
      settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': false },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
    await statusItem(page).waitFor({ timeout: 60_000 });
    await closeWalkthroughIfShown(page);
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

    // The status bar binds to this terminal's session and follows the turn: 1 prompt, 12 + 6 tokens.
    await assertEventually(
      async () => /Claude: \S+.* · 1 turn · 18 tok · /.test(await statusText(page)),
      'one turn, 18 tokens',
    );
    await assertEventually(
      async () => /Runs in:\s*terminal\s"[^"]+"/.test(await hoverStatus(page)),
      'the tooltip saying it runs in a terminal of this window',
    );
    const label = await statusLabel(page);
    assert.match(label, /runs in terminal "[^"]+"/, `bound to a terminal of this window: ${label}`);
    assert.doesNotMatch(label, /guess/, 'bound through the process tree, not guessed');
    const first = liveSessionIds(configDir);
    assert.equal(first.length, 1);

    // /clear: a new session in the same process and terminal, its own counts
    await typeInTerminal(page, '/clear');
    await assertEventually(async () => {
      const ids = liveSessionIds(configDir);
      return ids.length === 1 && ids[0] !== first[0];
    }, 'a new session id after /clear');
    await assertEventually(async () => !/1 turn/.test(await statusText(page)), 'the old session’s counts gone');
    await typeInTerminal(page, `SCENARIO:live again, my token is ${TYPED_SECRET} ok`);
    await assertEventually(
      async () => /Claude: \S+.* · 1 turn · 18 tok · /.test(await statusText(page)),
      'the new session’s turn',
    );
    // The secret typed in that prompt: masked in the status bar, its tooltip and the dashboard while the session runs.
    const tooltip = await hoverStatus(page);
    assert.ok(tooltip.length > 0, 'the tooltip was read');
    assert.equal(leaksTyped(`${await statusText(page)} ${await statusLabel(page)} ${tooltip}`), false, 'status bar');
    await dashboardFrame(page).getByTestId('nav-sessions').click();
    await assertEventually(
      async () => /my token is/.test((await dashboardFrame(page).getByTestId('sessions-list').textContent()) ?? ''),
      'the session with the typed secret listed',
    );
    const dom = await dashboardFrame(page)
      .locator('html')
      .evaluate((el) => el.outerHTML);
    assert.equal(leaksTyped(dom), false, 'the dashboard shows the typed secret unmasked');
    const after = await statusLabel(page);
    assert.ok(after.includes(liveSessionIds(configDir)[0]!), after);
    assert.match(after, /runs in terminal "[^"]+"/, 'the new session is bound to the same terminal');

    await typeInTerminal(page, '/exit');
    await page.waitForFunction(
      () =>
        /Claude Tracer/.test(document.querySelector('.statusbar-item[id$="claudeTracer.status"]')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
  });

  it('the secret typed in the prompt reached the transcript, and never the store or the extension log', async () => {
    const transcripts = filesUnder(path.join(configDir, 'projects')).filter((f) => f.endsWith('.jsonl'));
    assert.ok(
      transcripts.some((f) => leaksTyped(readFileSync(f))),
      'control: Claude Code wrote the secret into its transcript',
    );
    const storeFiles = filesUnder(dataDir).filter((f) => /store\.db(-wal|-shm)?$/.test(f));
    assert.ok(storeFiles.length > 0, 'the store was written');
    for (const f of storeFiles) assert.equal(leaksTyped(readFileSync(f)), false, `leak in ${f}`);
    const logs = filesUnder(path.join(cs!.userDataDir, 'logs'));
    assert.ok(
      logs.some((f) => f.includes('Claude Code Tracer')),
      'the extension log channel was written',
    );
    for (const f of logs) assert.equal(leaksTyped(readFileSync(f)), false, `leak in ${f}`);
  });

  it('kill -9 of claude leaves a stale registry entry: the pid + start-time check ends the session', async () => {
    await page.locator('.terminal-wrapper.active .xterm').click();
    await page.keyboard.type(`${CLAUDE_BIN}\n`, { delay: 5 });
    await assertEventually(async () => /Claude: /.test(await statusText(page)), 'the session shown');
    const files = registryFiles(configDir);
    assert.equal(files.length, 1);
    const pid = Number(path.basename(files[0]!, '.json'));
    process.kill(pid, 'SIGKILL');
    await assertEventually(async () => /Claude Tracer/.test(await statusText(page)), 'the session ended');
    assert.equal(registryFiles(configDir).length, 1, 'the registry file is still there (stale)');
    rmSync(files[0]!); // what the next CLI start would clean up
  });

  it('two terminals running claude are told apart: the status bar follows the active one', async () => {
    const started: string[] = [];
    for (let i = 0; i < 2; i++) {
      await runFromPalette(page, 'Terminal: Create New Terminal');
      await page.waitForFunction(
        () => /[$#]\s*$/.test(document.querySelector('.terminal-wrapper.active .xterm-rows')?.textContent ?? ''),
        undefined,
        { timeout: 30_000 },
      );
      await page.locator('.terminal-wrapper.active .xterm').click();
      await page.keyboard.type(`${CLAUDE_BIN}\n`, { delay: 5 });
      await assertEventually(async () => liveSessionIds(configDir).length === i + 1, `claude #${i + 1} registered`);
      const id = liveSessionIds(configDir).find((x) => !started.includes(x))!;
      started.push(id);
      await assertEventually(async () => (await statusLabel(page)).includes(id), `the status bar on claude #${i + 1}`);
    }
    // back to the first terminal: the status bar shows the first session again
    // the terminal tabs list (shown with more than one terminal): the 2nd tab runs the first claude
    await page.locator('.terminal-tabs-entry').nth(1).click();
    await assertEventually(async () => (await statusLabel(page)).includes(started[0]!), 'the first session again');
    stopAll(configDir);
    await assertEventually(async () => /Claude Tracer/.test(await statusText(page)), 'both ended');
  });

  it('with the Status Line Bridge installed, the real CLI pipes its status line through it', async () => {
    await runFromPalette(page, 'Claude Tracer: Install Status Line Bridge');
    const settingsFile = path.join(configDir, 'settings.json');
    await assertEventually(
      async () => existsSync(settingsFile) && /statusline-bridge\.sh/.test(readFileSync(settingsFile, 'utf8')),
      'the bridge in settings.json',
    );
    // A fresh terminal at its prompt: the one the previous test used may still be restoring the screen after its
    // claude was killed, and keys typed then are lost.
    await runFromPalette(page, 'Terminal: Create New Terminal');
    await page.waitForFunction(
      () => /[$#]\s*$/.test(document.querySelector('.terminal-wrapper.active .xterm-rows')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('.terminal-wrapper.active .xterm').click();
    await page.keyboard.type(`${CLAUDE_BIN}\n`, { delay: 5 });
    const spool = path.join(dataDir, 'statusline', 'statusline.jsonl');
    await assertEventually(
      async () => existsSync(spool) && /"session_id":"[0-9a-f-]{36}"/.test(readFileSync(spool, 'utf8')),
      'a status line JSON from the real CLI in the spool',
    );
    // An API-key login gets no rate_limits (subscription logins only): a recorded payload stands in for one.
    writeFileSync(
      spool,
      `${JSON.stringify({ session_id: 'rec', rate_limits: { five_hour: { used_percentage: 12, resets_at: 1796000000 }, seven_day: { used_percentage: 80, resets_at: 1796500000 } } })}\n`,
      { flag: 'a' },
    );
    await page.waitForFunction(
      () =>
        /5h 12% · 7d 80%/.test(document.querySelector('.statusbar-item[id$="claudeTracer.limits"]')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    stopAll(configDir);
    await runFromPalette(page, 'Claude Tracer: Remove Status Line Bridge');
    await assertEventually(
      async () => !existsSync(settingsFile) || !/statusline-bridge\.sh/.test(readFileSync(settingsFile, 'utf8')),
      'the bridge removed',
    );
  });
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

async function statusText(page: Page): Promise<string> {
  return (await page.locator('.statusbar-item[id$="claudeTracer.status"]').textContent()) ?? '';
}

/** The main item's accessibility label: the session id and where it runs. */
async function statusLabel(page: Page): Promise<string> {
  return (await page.locator('.statusbar-item[id$="claudeTracer.status"]').getAttribute('aria-label')) ?? '';
}

/** The main item's tooltip, as the workbench renders it on hover. */
async function hoverStatus(page: Page): Promise<string> {
  await page.mouse.move(0, 0);
  await page.locator('.statusbar-item[id$="claudeTracer.status"]').hover();
  const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible', { hasText: 'Project:' }).last();
  const shown = await hover.waitFor({ timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  const text = shown ? ((await hover.textContent()) ?? '') : '';
  await page.mouse.move(0, 0);
  return text;
}

async function typeInTerminal(page: Page, line: string): Promise<void> {
  await page.locator('.terminal-wrapper.active .xterm').click();
  await page.keyboard.type(line, { delay: 10 });
  await page.waitForTimeout(500); // the slash-command menu settles
  await page.keyboard.press('Enter');
}

/** SIGTERM to every registered claude (a clean exit: each removes its registry file). */
function stopAll(configDir: string): void {
  for (const f of registryFiles(configDir)) {
    try {
      process.kill(Number(path.basename(f, '.json')), 'SIGTERM');
    } catch {
      rmSync(f, { force: true }); // stale
    }
  }
}

function registryFiles(configDir: string): string[] {
  const dir = path.join(configDir, 'sessions');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^\d+\.json$/.test(f))
        .map((f) => path.join(dir, f))
    : [];
}

function liveSessionIds(configDir: string): string[] {
  return registryFiles(configDir).flatMap((f) => {
    try {
      return [(JSON.parse(readFileSync(f, 'utf8')) as { sessionId: string }).sessionId];
    } catch {
      return [];
    }
  });
}

async function assertEventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
