import assert from 'node:assert/strict';
import * as z from 'zod';
import {
  defineMethod,
  PROTOCOL_VERSION,
  parseHostToWebview,
  parseWebviewToHost,
  sessionsQuery,
} from '../../../src/shared/protocol';

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

describe('RPC envelopes (rpc.ts) and session methods', () => {
  it('accepts requests, both response shapes, notifications and deep links', () => {
    assert.equal(parseWebviewToHost({ type: 'request', id: 1, method: 'sessions/query', params: {} }).ok, true);
    assert.equal(parseHostToWebview({ type: 'response', id: 1, ok: true, result: { rows: [] } }).ok, true);
    assert.equal(
      parseHostToWebview({ type: 'response', id: 1, ok: false, error: { message: 'gone', code: 'notFound' } }).ok,
      true,
    );
    assert.equal(parseHostToWebview({ type: 'notify', event: 'dataChanged', scope: ['sessions', 'status'] }).ok, true);
    assert.equal(parseHostToWebview({ type: 'navigate', target: { view: 'session', sessionId: 'abc' } }).ok, true);
  });

  it('rejects malformed envelopes', () => {
    assert.equal(parseWebviewToHost({ type: 'request', id: -1, method: 'search', params: {} }).ok, false);
    assert.equal(parseWebviewToHost({ type: 'request', id: 1, method: '../etc', params: {} }).ok, false);
    assert.equal(parseHostToWebview({ type: 'response', id: 1, ok: false, result: 3 }).ok, false);
    assert.equal(parseHostToWebview({ type: 'notify', event: 'dataChanged', scope: [] }).ok, false);
    assert.equal(parseHostToWebview({ type: 'notify', event: 'dataChanged', scope: ['everything'] }).ok, false);
  });

  it('bounds sessions/query paging and rejects unknown sorts', () => {
    const ok = { filters: {}, sort: { by: 'cost', dir: 'desc' }, offset: 0, limit: 100 };
    assert.equal(sessionsQuery.params.safeParse(ok).success, true);
    assert.equal(sessionsQuery.params.safeParse({ ...ok, limit: 100_000 }).success, false);
    assert.equal(sessionsQuery.params.safeParse({ ...ok, sort: { by: 'name', dir: 'asc' } }).success, false);
    assert.equal(sessionsQuery.params.safeParse({ ...ok, filters: { status: 'running' } }).success, false);
  });

  it('defineMethod refuses a name the envelope would refuse', () => {
    assert.throws(() => defineMethod('Bad Name', z.object({}), z.object({})), /invalid method name/);
  });
});
