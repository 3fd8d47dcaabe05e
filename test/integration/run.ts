/**
 * Integration tier: mocha suites running INSIDE a real VS Code extension host (code-server 4.139.1),
 * loaded the way @vscode/test-electron loads them (extensionDevelopmentPath + extensionTestsPath).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { buildHostSuites } from '../helpers/buildTests';
import { launchChromium } from '../helpers/chromium';
import { CodeServer } from '../helpers/codeServer';
import { REPO_ROOT, requireBuilt } from '../helpers/repo';

const TIMEOUT_MS = Number(process.env.CCT_INTEGRATION_TIMEOUT_MS ?? 240_000);

async function main(): Promise<number> {
  requireBuilt('dist/extension.js', 'dist/webview/main.js');
  const suiteDir = await buildHostSuites('integration', path.join(REPO_ROOT, 'test', 'integration', 'suite'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-integration-'));
  const workspace = path.join(tmp, 'workspace');
  const claudeDir = path.join(tmp, 'claude-config');
  const dataDir = path.join(tmp, 'data');
  mkdirSync(workspace);
  // Real transcripts written by the real Claude Code CLI (test/fixtures/claude) for the extension to ingest.
  cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'claude', 'cli', 'projects'), path.join(claudeDir, 'projects'), {
    recursive: true,
  });
  // What the CLI ingests from the same tree: the extension must arrive at the same totals.
  const expected = JSON.parse(
    execFileSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist', 'cli.js'),
        'scan',
        '--root',
        claudeDir,
        '--db',
        path.join(tmp, 'expected.db'),
        '--json',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, CCT_DATA_DIR: path.join(tmp, 'expected-data') },
      },
    ),
  ) as { totals: { sessions: number; interactions: number; apiMessages: number } };
  const resultsFile = path.join(tmp, 'results.json');
  const shots = path.join(REPO_ROOT, 'test-results', 'integration');

  let cs: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let code = 1;
  const t0 = Date.now();
  try {
    cs = await CodeServer.start({
      workspace,
      smokeTestDriver: true,
      env: {
        CLAUDE_CONFIG_DIR: claudeDir,
        // The store and mask key of the run live in a temp dir, never in the user's data dir.
        CCT_DATA_DIR: dataDir,
        CCT_TEST_RESULTS: resultsFile,
        CCT_TEST_GREP: process.env.CCT_TEST_GREP ?? '',
        // bench:live asks the live-terminal test for more append → status bar samples.
        CCT_LIVE_SAMPLES: process.env.CCT_LIVE_SAMPLES ?? '',
        CCT_EXPECTED_TOTALS: JSON.stringify(expected.totals),
        CCT_PLANTED_SECRETS: JSON.stringify(
          (
            JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'claude', 'manifest.json'), 'utf8')) as {
              secrets: { value: string; placeholderShaped?: boolean }[];
            }
          ).secrets
            .filter((x) => !x.placeholderShaped)
            .map((x) => x.value),
        ),
      },
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let resolveExit!: (c: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (c: number) => resolveExit(c));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      // The extension host's console arrives here among the workbench's own log lines.
      if (process.env.VERBOSE) process.stdout.write(`[${type}] ${text}\n`);
      else if (text.includes('[cct-test] ')) process.stdout.write(`${text.replace('[cct-test] ', '')}\n`);
      else if (text.includes('[measure]')) process.stdout.write(`${text}\n`);
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', cs.remoteUri(REPO_ROOT)],
      ['extensionTestsPath', cs.remoteUri(path.join(suiteDir, 'index.js'))],
    ]);
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise<number>((r) => setTimeout(() => r(-1), TIMEOUT_MS));
    code = await Promise.race([exited, timeout]);
    if (code === -1) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'timeout.png') }).catch(() => {});
      console.error(
        `integration: timed out after ${TIMEOUT_MS} ms (screenshot in ${shots}, code-server log ${cs.logFile})`,
      );
      code = 2;
    } else if (code !== 0) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'failure.png') }).catch(() => {});
    }
  } finally {
    await browser?.close().catch(() => {});
    await cs?.stop({ keep: code !== 0 });
  }

  let results:
    | { passed: number; failed: number; pending: number; failures: { title: string; error: string }[] }
    | undefined;
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    // the runner never wrote results: it crashed or never started
  }
  rmSync(tmp, { recursive: true, force: true });
  if (!results) {
    console.error(`integration: no results from the extension host (exit ${code})`);
    console.log('integration: 0 passed, 1 failed');
    return code || 1;
  }
  for (const f of results.failures) console.error(`✗ ${f.title}\n${f.error}\n`);
  console.log(`integration finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(
    `integration: ${results.passed} passed, ${results.failed} failed${results.pending ? `, ${results.pending} skipped` : ''}`,
  );
  return results.failed > 0 ? 1 : code;
}

main().then(
  (c) => process.exit(c),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
