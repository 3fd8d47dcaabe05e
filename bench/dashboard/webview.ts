/**
 * `npm run bench:webview` — the dashboard's budgets (issue 9), measured on a production build of the webview in
 * Chromium under its real CSP, answered by the extension's real request router and handlers over real stores:
 *
 *   A. 20,000 sessions: first paint of the Sessions view after the view opens (≤ 300 ms), sort and filter changes to
 *      the new first page (≤ 150 ms), scroll frame times (p95 ≤ 16.7 ms), JS heap (≤ 150 MB)
 *   B. search over the 200 MiB benchmark tree (the same generated history `bench:transcripts` scans): keystroke to
 *      rendered results, p95 ≤ 150 ms
 *   C. a 2,000-turn session (a transcript written for it, ingested by the real pipeline): first turns visible ≤ 400 ms
 *   D. webview JS, production, gzip ≤ 300 KB (all views, chart.js included)
 *
 *   node --import tsx bench/dashboard/webview.ts [--sessions 20000] [--size-mib 200] [--runs 15]
 *
 * "After the view opens" is measured in the page from navigation start (HTML, script, handshake, request, query,
 * render), with the store connection already open as it is in the extension after its first request; the first open
 * of the store is printed apart.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Collector } from '../../src/core/collector/collector';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { createPrivacyGuard } from '../../src/core/privacy';
import { NodeFileTailer } from '../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../src/infra/fs/transcriptDiscovery';
import { Store } from '../../src/infra/sqlite/store';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { fillGeneratedStore } from '../../test/helpers/generatedDashboardStore';
import { REPO_ROOT } from '../../test/helpers/repo';
import { FixtureHost, statusSnapshot } from '../../test/webview/fixtureHost';
import { WebviewHarness } from '../../test/webview/harness';
import { ensureTree } from '../transcripts/generate';
import { writeLongSession } from './longSession';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const SESSIONS = Number(arg('sessions', '20000'));
const SIZE_MIB = Number(arg('size-mib', '200'));
const RUNS = Number(arg('runs', '15'));
const CACHE = path.join(process.env.CCT_BENCH_DIR ?? path.join(os.tmpdir(), 'cct-bench'));
const NODE22 = path.join(REPO_ROOT, 'node_modules/.bin/node');

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const rows: { budget: string; target: string; measured: string; ok: boolean }[] = [];
function report(budget: string, target: number, unit: string, median: number, p95: number | null, usesP95: boolean) {
  const v = usesP95 && p95 !== null ? p95 : median;
  rows.push({
    budget,
    target: `≤ ${target} ${unit}${usesP95 ? ' p95' : ''}`,
    measured:
      p95 === null ? `${median.toFixed(1)} ${unit}` : `median ${median.toFixed(1)} / p95 ${p95.toFixed(1)} ${unit}`,
    ok: v <= target,
  });
}

/** A production webview, built into a temp dir (dist/ stays as the tests built it). */
function buildProductionWebview(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-webview-'));
  const r = spawnSync(NODE22, ['esbuild.mjs', '--production', '--webview-outdir', out], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`webview build failed: ${r.stderr}`);
  return out;
}

async function generatedStore(n: number): Promise<string> {
  const file = path.join(CACHE, `webview-${n}s-v1.db`);
  if (fs.existsSync(`${file}.complete`)) return file;
  fs.mkdirSync(CACHE, { recursive: true });
  fs.rmSync(file, { force: true });
  const store = await Store.open(file, 'node:sqlite');
  fillGeneratedStore(store, n);
  store.refreshSessionStats(PriceTable.builtin());
  store.close();
  fs.writeFileSync(`${file}.complete`, '');
  return file;
}

/** The 200 MiB benchmark tree scanned by the real CLI (cached next to the tree). */
function treeStore(sizeMiB: number): { file: string; sessions: number } {
  const tree = ensureTree(sizeMiB, 1, undefined, (s) => console.log(s));
  const file = path.join(CACHE, `webview-tree-${sizeMiB}mib.db`);
  if (!fs.existsSync(`${file}.complete`)) {
    fs.rmSync(file, { force: true });
    const scan = spawnSync(NODE22, ['--import', 'tsx', 'src/cli/main.ts', 'scan', '--root', tree.dir, '--db', file], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, HOME: os.tmpdir() },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (scan.status !== 0) throw new Error(`scan failed: ${scan.stderr}`);
    fs.writeFileSync(`${file}.complete`, '');
  }
  return { file, sessions: fs.readdirSync(path.join(tree.dir, 'projects'), { recursive: true }).length };
}

/** One long session (2,000 prompts, each answered, every third with a tool call), ingested by the real pipeline. */
async function longSessionStore(turns: number): Promise<{ file: string; sessionId: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-long-'));
  const sessionId = writeLongSession(path.join(dir, 'projects'), turns);
  const file = path.join(dir, 'store.db');
  const store = await Store.open(file, 'node:sqlite');
  await new Collector(
    store,
    fsTranscriptSource,
    new NodeFileTailer({}),
    createPrivacyGuard({ hmacKey: 'bench-hmac-key-0123456789abcdef0123456789' }),
  ).scan([dir]);
  store.refreshSessionStats(PriceTable.builtin());
  store.close();
  return { file, sessionId };
}

/**
 * In the page, from navigation start: when the first element matching a selector appeared, and when each message
 * left for the host or arrived from it. The host's answer to `ready` (the status snapshot) is played at once, as the
 * extension host does, instead of by the harness's polling.
 */
const pageProbe = (snapshot: unknown) => `(() => {
  window.__firstSeen = {};
  window.__log = [];
  const watch = (sel) => {
    const mo = new MutationObserver(() => {
      if (window.__firstSeen[sel] === undefined && document.querySelector(sel)) {
        window.__firstSeen[sel] = performance.now();
        mo.disconnect();
      }
    });
    mo.observe(document, { childList: true, subtree: true });
  };
  window.__watchFirst = watch;
  watch('[data-testid="session-row"]');
  const acquire = window.acquireVsCodeApi;
  window.acquireVsCodeApi = () => {
    const api = acquire();
    const post = api.postMessage;
    api.postMessage = (m) => {
      window.__log.push(['out', m.type, m.method ?? '', performance.now()]);
      if (m.type === 'ready') setTimeout(() => window.postMessage(${JSON.stringify(snapshot)}, '*'));
      return post(m);
    };
    return api;
  };
  window.addEventListener('message', (e) => window.__log.push(['in', e.data?.type, '', performance.now()]), true);
})();`;

async function open(h: WebviewHarness, host: FixtureHost, viewport = { width: 400, height: 900 }) {
  const page = await h.open({ host, viewport });
  await page.addInitScript(pageProbe({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: statusSnapshot() }));
  // addInitScript applies from the next navigation on: reload so the probe exists from navigation start.
  await page.reload();
  return page;
}

/** Where the first paint's time went (navigation start → script loaded → ready → request → answer → row). */
async function breakdown(page: import('playwright-core').Page): Promise<string> {
  // A string, not a function: tsx would inject helpers (__name) that do not exist in the page.
  return page.evaluate(`(() => {
    const script = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.js'));
    const at = (dir, type) => window.__log.find((l) => l[0] === dir && l[1] === type)?.[3];
    const parts = [
      ['script fetched', script?.responseEnd],
      ['ready sent', at('out', 'ready')],
      ['first request', at('out', 'request')],
      ['first answer', at('in', 'response')],
      ['first row', window.__firstSeen['[data-testid="session-row"]']],
    ];
    return parts.map(([n, v]) => n + ' ' + (v === undefined ? '?' : v.toFixed(0))).join(' → ');
  })()`);
}

async function benchSessions(h: WebviewHarness): Promise<void> {
  const g0 = performance.now();
  const file = await generatedStore(SESSIONS);
  console.log(
    `A. ${SESSIONS.toLocaleString('en')} generated sessions (${((performance.now() - g0) / 1000).toFixed(1)} s to load or fill the store)`,
  );
  const host = FixtureHost.atPath(file, SESSIONS);
  try {
    // The first open of the store connection, printed apart (the extension opens it once per window).
    const c0 = performance.now();
    await host.answer('sessions/query', { filters: {}, sort: { by: 'time', dir: 'desc' }, offset: 0, limit: 50 });
    console.log(`   store connection opened + first query: ${(performance.now() - c0).toFixed(1)} ms`);

    // "After the view opens" counts everything in the page: HTML, script, handshake, the first request's round trip,
    // render. The round trip here goes through Playwright's CDP binding (the harness's stand-in for VS Code's message
    // channel), which costs ~100 ms on this machine against a few ms for VS Code's postMessage; the budget line
    // takes that bridge out (the host's own query time stays in) and the raw figure is printed next to it.
    const firstPaint: number[] = [];
    const rawPaint: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 10); i++) {
      const page = await open(h, host);
      await page.getByTestId('session-row').first().waitFor();
      const t = (await page.evaluate(`(() => {
        const at = (dir, type) => window.__log.find((l) => l[0] === dir && l[1] === type)?.[3];
        return { row: window.__firstSeen['[data-testid="session-row"]'], req: at('out', 'request'), ans: at('in', 'response') };
      })()`)) as { row: number; req: number; ans: number };
      const q = host.requests.filter((r) => r.method === 'sessions/query').at(-1);
      const bridge = Math.max(0, t.ans - t.req - (q?.ms ?? 0));
      rawPaint.push(t.row);
      firstPaint.push(t.row - bridge);
      if (i === 0 || i === 5)
        console.log(
          `   first paint, ms from navigation start: ${await breakdown(page)} (the host's sessions/query ${q?.ms.toFixed(1)} ms, the harness bridge ${bridge.toFixed(0)} ms)`,
        );
    }
    console.log(
      `   first paint with the harness bridge: median ${quantile(rawPaint, 0.5).toFixed(1)} / p95 ${quantile(rawPaint, 0.95).toFixed(1)} ms`,
    );
    report(
      'Sessions: first paint after the view opens (harness bridge excluded)',
      300,
      'ms',
      quantile(firstPaint, 0.5),
      quantile(firstPaint, 0.95),
      false,
    );

    const page = h.page;
    const change = async (act: () => Promise<unknown>): Promise<number> => {
      await act();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="sessions-view"]')?.getAttribute('data-first-page-ms') !== '',
      );
      return Number(await page.getByTestId('sessions-view').getAttribute('data-first-page-ms'));
    };
    const sortMs: number[] = [];
    const sorts = ['cost', 'tokens', 'duration', 'time'];
    for (let i = 0; i < RUNS; i++)
      sortMs.push(await change(() => page.getByTestId('sort-by').selectOption(sorts[i % sorts.length]!)));
    report('Sessions: sort change → new first page', 150, 'ms', quantile(sortMs, 0.5), quantile(sortMs, 0.95), true);

    // Scrolling as a user does (a wheel or trackpad: 120 px per frame), then flinging (a scrollbar drag: 2,300 px).
    // Per frame, the main thread's work: from the scroll event (a capturing listener, so it runs before the view's
    // own) to the end of that frame's rendering (a task queued from requestAnimationFrame runs after style, layout
    // and paint). The frame interval is printed too, next to an idle page's: headless Chromium paces frames itself.
    // A string, not a function: tsx would inject helpers (__name) that do not exist in the page.
    const frames = (step: number, n: number): Promise<{ work: number[]; interval: number[] }> =>
      page.evaluate(`(async () => {
        const el = document.querySelector('[data-testid="sessions-list"]');
        el.scrollTop = 0;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const work = [];
        const interval = [];
        let scrolledAt = 0;
        const onScroll = () => { scrolledAt = performance.now(); };
        el.addEventListener('scroll', onScroll, { capture: true });
        const channel = new MessageChannel();
        let last = performance.now();
        for (let i = 0; i < ${n}; i++) {
          scrolledAt = 0;
          el.scrollTop += ${step};
          await new Promise((r) =>
            requestAnimationFrame(() => {
              channel.port1.onmessage = () => r();
              channel.port2.postMessage(0);
            }),
          );
          const now = performance.now();
          if (scrolledAt > 0) work.push(now - scrolledAt);
          interval.push(now - last);
          last = now;
        }
        el.removeEventListener('scroll', onScroll, { capture: true });
        return { work, interval };
      })()`);
    const idle = await page.evaluate(async () => {
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    });
    const wheel = await frames(120, 300);
    const fling = await frames(2300, 120);
    const q = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(1)} / p95 ${quantile(xs, 0.95).toFixed(1)} ms`;
    console.log(`   frame interval: idle page ${q(idle)}; wheel ${q(wheel.interval)}; fling ${q(fling.interval)}`);
    report(
      'Sessions: scroll frame work (wheel, 120 px/frame)',
      16.7,
      'ms',
      quantile(wheel.work, 0.5),
      quantile(wheel.work, 0.95),
      true,
    );
    report(
      'Sessions: scroll frame work (fling, 2,300 px/frame)',
      16.7,
      'ms',
      quantile(fling.work, 0.5),
      quantile(fling.work, 0.95),
      true,
    );

    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
    report('Sessions: JS heap after scrolling all 20,000', 150, 'MB', heap / 1e6, null, false);
  } finally {
    host.close();
  }
}

async function benchSearch(h: WebviewHarness): Promise<void> {
  const t0 = performance.now();
  const tree = treeStore(SIZE_MIB);
  console.log(
    `B. ${SIZE_MIB} MiB benchmark tree, ${tree.sessions} files (${((performance.now() - t0) / 1000).toFixed(1)} s to load or scan)`,
  );
  const host = FixtureHost.atPath(tree.file, tree.sessions);
  try {
    const page = await open(h, host);
    await page.getByRole('tab', { name: /search/i }).click();
    const input = page.getByTestId('search-input');
    await input.waitFor();
    // Words typed one key at a time, slower than the view's debounce so that every keystroke gets its own results:
    // keystroke (the input event) → the results for that text rendered (the view's own data-latency-ms).
    const words = ['index', 'migration', 'retry', 'token', 'cache', 'deploy', 'parser', 'worker'];
    const latencies: number[] = [];
    for (const word of words) {
      await input.fill('');
      for (const ch of word) {
        await page.keyboard.type(ch);
        const typed = (await input.inputValue()).trim();
        await page.waitForFunction(
          (q) => document.querySelector('[data-testid="search-results"]')?.getAttribute('data-answered') === q,
          typed,
          { timeout: 10_000 },
        );
        latencies.push(Number(await page.getByTestId('search-results').getAttribute('data-latency-ms')));
      }
    }
    const hostMs = host.requests.filter((r) => r.method === 'search').map((r) => r.ms);
    const slowest = [...latencies].sort((a, b) => b - a).slice(0, 4);
    console.log(
      `   of which the host's search (store + snippets): median ${quantile(hostMs, 0.5).toFixed(1)} / p95 ${quantile(hostMs, 0.95).toFixed(1)} ms; slowest keystrokes ${slowest.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    report(
      'Search: keystroke → rendered results',
      150,
      'ms',
      quantile(latencies, 0.5),
      quantile(latencies, 0.95),
      true,
    );
  } finally {
    host.close();
  }
}

async function benchLongSession(h: WebviewHarness): Promise<void> {
  const TURNS = 2000;
  const long = await longSessionStore(TURNS);
  console.log(`C. one ${TURNS.toLocaleString('en')}-turn session`);
  const host = FixtureHost.atPath(long.file, 1);
  try {
    const ms: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 10); i++) {
      const page = await open(h, host);
      await page.getByTestId('session-row').first().waitFor();
      await page.evaluate(() =>
        (window as unknown as { __watchFirst(s: string): void }).__watchFirst('[data-testid="turn"]'),
      );
      const t = await page.evaluate(() => performance.now());
      await h.post({ type: 'navigate', target: { view: 'session', sessionId: long.sessionId } });
      await page.getByTestId('turn').first().waitFor();
      const seen = await page.evaluate(
        () => (window as unknown as { __firstSeen: Record<string, number> }).__firstSeen['[data-testid="turn"]']!,
      );
      ms.push(seen - t);
    }
    report(
      'Session detail (2,000 turns): first turns visible',
      400,
      'ms',
      quantile(ms, 0.5),
      quantile(ms, 0.95),
      false,
    );
  } finally {
    host.close();
    fs.rmSync(path.dirname(long.file), { recursive: true, force: true });
  }
}

function bundleSize(dir: string): void {
  const gz = (f: string) => gzipSync(fs.readFileSync(f), { level: 9 }).length;
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f));
  const js = files.filter((f) => f.endsWith('.js'));
  const entry = gz(path.join(dir, 'main.js'));
  const all = js.reduce((n, f) => n + gz(f), 0);
  const css = files.filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(f), 0);
  const chunks = js
    .filter((f) => !f.endsWith('main.js'))
    .map((f) => `${path.basename(f).replace(/-[A-Z0-9]+\.js$/, '')} ${(gz(f) / 1000).toFixed(1)}`)
    .join(', ');
  console.log(
    `D. webview JS, gzip: ${(entry / 1000).toFixed(1)} KB loaded at first paint, ${(all / 1000).toFixed(1)} KB in all (chunks on demand: ${chunks}); CSS ${(css / 1000).toFixed(1)} KB`,
  );
  report('Webview JS, production, gzip (all views, chart.js)', 300, 'KB', all / 1000, null, false);
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `dashboard webview budgets — ${cpus[0]?.model ?? 'cpu'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  );
  const dist = buildProductionWebview();
  bundleSize(dist);
  const h = new WebviewHarness(dist);
  await h.start();
  try {
    await benchSessions(h);
    await benchSearch(h);
    await benchLongSession(h);
  } finally {
    await h.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  }
  console.log('');
  const w = Math.max(...rows.map((r) => r.budget.length));
  for (const r of rows)
    console.log(`${r.ok ? 'PASS' : 'MISS'}  ${r.budget.padEnd(w)}  ${r.measured.padEnd(36)} target ${r.target}`);
  fs.mkdirSync(path.join(REPO_ROOT, 'bench', 'out'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'out', 'webview.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
