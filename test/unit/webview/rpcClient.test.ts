import assert from 'node:assert/strict';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { sessionGet } from '../../../src/shared/protocol';
import { createRpcClient, RpcRequestError } from '../../../webview/src/rpcClient';

function client() {
  const sent: WebviewToHost[] = [];
  const warnings: string[] = [];
  const c = createRpcClient(
    (m) => sent.push(m),
    (w) => warnings.push(w),
  );
  return { c, sent, warnings };
}

const header = {
  sessionId: 's1',
  projectPath: '/p',
  firstPrompt: 'hi',
  startMs: 1,
  endMs: 2,
  durationMs: 1,
  turns: 1,
  apiMessages: 1,
  tokens: { input: 1, output: 2, cacheWrite: 0, cacheRead: 0 },
  costUsd: 0.1,
  unpricedModels: [],
  models: ['m'],
  live: false,
  sync: 'clean',
  findings: 0,
  errors: 0,
  title: null,
  gitBranch: null,
  cwd: '/p',
  cliVersion: null,
  entrypoint: null,
  claudeCostUsd: null,
  toolCalls: 0,
  findingsByCategory: {},
  timelineItems: 2,
  related: [],
};

describe('webview RPC client', () => {
  it('sends a request envelope and resolves with the validated result', async () => {
    const { c, sent } = client();
    const p = c.request(sessionGet, { sessionId: 's1' });
    assert.deepEqual(sent, [{ type: 'request', id: 1, method: 'session/get', params: { sessionId: 's1' } }]);
    assert.equal(c.deliver({ type: 'response', id: 1, ok: true, result: header }), true);
    assert.equal((await p).sessionId, 's1');
  });

  it('rejects on an error response, an invalid result and a timeout', async () => {
    const { c, warnings } = client();
    const e1 = c.request(sessionGet, { sessionId: 'x' });
    c.deliver({ type: 'response', id: 1, ok: false, error: { message: 'no such session', code: 'notFound' } });
    await assert.rejects(e1, (e: unknown) => e instanceof RpcRequestError && e.code === 'notFound');
    const e2 = c.request(sessionGet, { sessionId: 'x' });
    c.deliver({ type: 'response', id: 2, ok: true, result: { sessionId: 3 } });
    await assert.rejects(e2, (e: unknown) => e instanceof RpcRequestError && e.code === 'invalidResult');
    assert.equal(warnings.length, 1);
    const e3 = c.request(sessionGet, { sessionId: 'x' }, { timeoutMs: 5 });
    await assert.rejects(e3, (e: unknown) => e instanceof RpcRequestError && e.code === 'timeout');
  });

  it('drops a response nobody waits for, and routes notifications and deep links', () => {
    const { c, warnings } = client();
    assert.equal(c.deliver({ type: 'response', id: 99, ok: true, result: 1 }), true);
    assert.match(warnings[0] ?? '', /unknown request 99/);
    const scopes: string[][] = [];
    c.onNotify((n) => scopes.push(n.scope));
    c.deliver({ type: 'notify', event: 'dataChanged', scope: ['sessions'] });
    assert.deepEqual(scopes, [['sessions']]);
    // A deep link that arrives before anyone listens is kept for the first listener.
    c.deliver({ type: 'navigate', target: { view: 'session', sessionId: 'abc' } });
    const targets: unknown[] = [];
    c.onNavigate((t) => targets.push(t));
    assert.deepEqual(targets, [{ view: 'session', sessionId: 'abc' }]);
  });
});
