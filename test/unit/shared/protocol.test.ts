import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, parseHostToWebview, parseWebviewToHost } from '../../../src/shared/protocol';

const status = {
  extensionVersion: '0.1.0',
  locale: 'ja',
  activationMs: 1.5,
  roots: [{ path: '/home/u/.claude', exists: true }],
  storeBackend: null,
  storePath: null,
  totals: null,
  ingest: { state: 'starting', progress: null, lastScanAt: null, lastScanMs: null, message: null },
  liveSession: null,
  generatedAt: '2026-11-28T00:00:00.000Z',
};

describe('host ⇄ webview protocol', () => {
  it('accepts a well-formed snapshot', () => {
    const r = parseHostToWebview({ type: 'snapshot', protocol: PROTOCOL_VERSION, status });
    assert.equal(r.ok, true);
  });

  it('rejects a snapshot of another protocol version', () => {
    const r = parseHostToWebview({ type: 'snapshot', protocol: PROTOCOL_VERSION + 1, status });
    assert.equal(r.ok, false);
  });

  it('rejects unknown message types and missing fields with a readable reason', () => {
    const r = parseHostToWebview({ type: 'snapshot', protocol: PROTOCOL_VERSION, status: { ...status, roots: 'x' } });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, /status\.roots/);
    assert.equal(parseHostToWebview({ type: 'nope' }).ok, false);
    assert.equal(parseHostToWebview(null).ok, false);
  });

  it('validates webview → host messages, including the command allow-list', () => {
    assert.equal(parseWebviewToHost({ type: 'ready', protocol: PROTOCOL_VERSION }).ok, true);
    assert.equal(parseWebviewToHost({ type: 'runCommand', command: 'claudeTracer.showDashboard' }).ok, true);
    assert.equal(
      parseWebviewToHost({ type: 'runCommand', command: 'workbench.action.terminal.sendSequence' }).ok,
      false,
    );
    assert.equal(parseWebviewToHost({ type: 'log', level: 'warn', message: 'x'.repeat(5000) }).ok, false);
  });
});
