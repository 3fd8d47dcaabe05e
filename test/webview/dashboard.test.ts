import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type StatusSnapshot } from '../../src/shared/protocol';
import { requireBuilt } from '../helpers/repo';
import { WebviewHarness } from './harness';

const snapshot = (over: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  extensionVersion: '9.8.7',
  locale: 'en',
  activationMs: 3.25,
  roots: [
    { path: '/home/dev/.claude', exists: true },
    { path: '/home/dev/.config/claude', exists: false },
  ],
  storeBackend: null,
  storePath: null,
  totals: null,
  ingest: { state: 'starting', progress: null, lastScanAt: null, lastScanMs: null, message: null },
  liveSession: null,
  generatedAt: '2026-11-28T10:00:00.000Z',
  ...over,
});

// The status snapshot the host pushes, shown by the Status view (opened through the saved UI state).
describe('dashboard webview in Chromium', () => {
  const h = new WebviewHarness();

  before(async () => {
    requireBuilt('dist/webview/main.js', 'dist/webview/main.css');
    await h.start();
  });
  after(async () => h.stop());

  beforeEach(async () => {
    await h.open({ state: { view: 'status' } });
  });

  it('sends ready with the protocol version once loaded', async () => {
    const ready = await h.waitForSent('ready');
    assert.deepEqual(ready, { type: 'ready', protocol: PROTOCOL_VERSION });
    assert.equal(await h.page.getByTestId('waiting').isVisible(), true);
  });

  it('renders the host snapshot', async () => {
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: snapshot() });
    await h.page.getByTestId('store-backend').waitFor();
    assert.equal(await h.page.getByTestId('version').textContent(), '9.8.7');
    const roots = await h.page.getByTestId('roots').locator('li').allTextContents();
    assert.equal(roots.length, 2);
    assert.match(roots[0]!, /found\s*\/home\/dev\/\.claude/);
    assert.match(roots[1]!, /not found\s*\/home\/dev\/\.config\/claude/);
    assert.match((await h.page.getByTestId('live-session').textContent())!, /No live Claude Code session/);
  });

  it('replaces the whole snapshot on the next message (live session appears)', async () => {
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: snapshot() });
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: snapshot({
        liveSession: { sessionId: 's1', projectPath: '/work/app', status: 'busy' },
        storeBackend: 'node:sqlite',
      }),
    });
    await h.page.getByText('/work/app').waitFor();
    assert.equal(await h.page.getByTestId('store-backend').textContent(), 'node:sqlite');
  });

  it('drops an invalid message, keeps the last good state and reports it to the host', async () => {
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: snapshot() });
    await h.page.getByTestId('store-backend').waitFor();
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: { ...snapshot(), extensionVersion: 42 } });
    await h.post({ type: 'evil', html: '<img src=x onerror=alert(1)>' });
    const log = await h.waitForSent('log');
    assert.equal(log.level, 'warn');
    assert.match(String(log.message), /dropped invalid host message/);
    assert.equal(await h.page.getByTestId('version').textContent(), '9.8.7');
    const warnings = h.console.filter((m) => m.type === 'warning' && /dropped invalid host message/.test(m.text));
    assert.equal(warnings.length, 2);
    assert.deepEqual(h.pageErrors, []);
  });

  it('shows ingest progress, then totals; another window ingesting; a failed scan', async () => {
    await h.waitForSent('ready');
    const base = { progress: null, lastScanAt: null, lastScanMs: null, message: null };
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: snapshot({
        ingest: {
          ...base,
          state: 'scanning',
          progress: { filesDone: 3, filesTotal: 12, bytesDone: 250, bytesTotal: 1000 },
        },
      }),
    });
    await h.page.getByRole('progressbar').waitFor();
    assert.equal(await h.page.getByRole('progressbar').getAttribute('aria-valuenow'), '25');
    assert.match((await h.page.getByTestId('ingest').textContent())!, /3 \/ 12 files/);
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: snapshot({
        storeBackend: 'sql.js',
        totals: { sessions: 1234, interactions: 56789, apiMessages: 4321 },
        ingest: { ...base, state: 'idle', lastScanAt: '2026-11-28T10:00:00.000Z', lastScanMs: 840 },
      }),
    });
    await h.page.getByTestId('totals').waitFor();
    assert.match(
      (await h.page.getByTestId('totals').textContent())!,
      /1,234 sessions · 56,789 interactions · 4,321 API messages/,
    );
    assert.match(
      (await h.page.getByTestId('interactions-term').getAttribute('title'))!,
      /one prompt you sent, or one response Claude returned with its text and tool calls/,
      'the word "interactions" explains itself on hover',
    );
    assert.equal(await h.page.getByRole('progressbar').count(), 0);
    assert.equal(await h.page.getByTestId('store-backend').textContent(), 'sql.js');
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: snapshot({ ingest: { ...base, state: 'busy', message: 'scan-worker:42' } }),
    });
    await h.page.getByTestId('ingest-busy').waitFor();
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: snapshot({ ingest: { ...base, state: 'error', message: 'SQLITE_FULL' } }),
    });
    assert.match((await h.page.getByTestId('ingest-error').textContent())!, /SQLITE_FULL/);
  });

  it('speaks Japanese when the host locale is ja', async () => {
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: snapshot({ locale: 'ja' }) });
    await h.page.getByTestId('store-backend').waitFor();
    assert.match(
      (await h.page.getByTestId('live-session').textContent())!,
      /実行中の Claude Code セッションはありません/,
    );
    assert.equal(await h.page.getByTestId('refresh').getAttribute('aria-label'), '更新');
    assert.equal(await h.page.getByTestId('nav-sessions').textContent(), 'セッション');
    await h.post({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      status: snapshot({ locale: 'ja', totals: { sessions: 1, interactions: 2, apiMessages: 1 } }),
    });
    assert.match(
      (await h.page.getByTestId('interactions-term').getAttribute('title'))!,
      /送信したプロンプト 1 件、または Claude が返した応答 1 件/,
    );
  });

  it('asks the host to refresh from the button', async () => {
    await h.waitForSent('ready');
    await h.page.getByTestId('refresh').click();
    const msg = await h.waitForSent('refresh');
    assert.deepEqual(msg, { type: 'refresh' });
  });

  it('takes its colours from --vscode-* theme variables', async () => {
    await h.open({
      state: { view: 'status' },
      theme: { '--vscode-foreground': 'rgb(1, 2, 3)', '--vscode-descriptionForeground': 'rgb(4, 5, 6)' },
    });
    await h.waitForSent('ready');
    const color = await h.page.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(color, 'rgb(1, 2, 3)');
    const muted = await h.page.getByTestId('waiting').evaluate((el) => getComputedStyle(el).color);
    assert.equal(muted, 'rgb(4, 5, 6)');
  });

  it('runs under the strict CSP without a single violation or page error', async () => {
    await h.waitForSent('ready');
    await h.post({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: snapshot() });
    await h.page.getByTestId('store-backend').waitFor();
    assert.deepEqual(await h.cspViolations(), []);
    assert.deepEqual(h.pageErrors, []);
    // The CSP really is enforced: an injected inline script without the nonce is refused.
    await h.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
    });
    await h.page.waitForFunction(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length > 0);
    assert.equal(await h.page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan), undefined);
  });
});
