import assert from 'node:assert/strict';
import * as z from 'zod';
import { defineMethod } from '../../../src/shared/protocol';
import { RequestRouter, RpcFailure } from '../../../src/vscode/dashboard/requestRouter';

const echo = defineMethod('test/echo', z.object({ n: z.number().int() }), z.object({ twice: z.number() }));

function router() {
  const logs: string[] = [];
  const log = {
    warn: (m: string) => logs.push(`warn ${m}`),
    error: (m: string) => logs.push(`error ${m}`),
    debug: () => {},
  };
  return { r: new RequestRouter(log), logs };
}

describe('dashboard request router', () => {
  it('answers a valid request with the handler result', async () => {
    const { r } = router();
    r.handle(echo, (p) => ({ twice: p.n * 2 }));
    assert.deepEqual(await r.dispatch({ type: 'request', id: 7, method: 'test/echo', params: { n: 21 } }), {
      type: 'response',
      id: 7,
      ok: true,
      result: { twice: 42 },
    });
  });

  it('drops invalid params before the handler runs, logs them and answers invalidParams', async () => {
    const { r, logs } = router();
    let ran = false;
    r.handle(echo, (p) => {
      ran = true;
      return { twice: p.n };
    });
    const res = await r.dispatch({ type: 'request', id: 1, method: 'test/echo', params: { n: 'x' } });
    assert.equal(ran, false);
    assert.equal(res.ok, false);
    if (!res.ok) assert.equal(res.error.code, 'invalidParams');
    assert.match(logs[0]!, /warn dropped request 1 \(test\/echo\): invalid params: n:/);
  });

  it('logs and refuses an unknown method', async () => {
    const { r, logs } = router();
    const res = await r.dispatch({ type: 'request', id: 2, method: 'nope/nothing', params: {} });
    assert.equal(res.ok, false);
    if (!res.ok) assert.equal(res.error.code, 'unknownMethod');
    assert.match(logs[0]!, /unknown method nope\/nothing/);
  });

  it('answers a throwing handler with its error, a RpcFailure with its code, a bad result as internal', async () => {
    const { r, logs } = router();
    const boom = defineMethod(
      'test/boom',
      z.object({ kind: z.enum(['throw', 'missing', 'bad']) }),
      z.object({ ok: z.literal(true) }),
    );
    r.handle(boom, async (p) => {
      if (p.kind === 'throw') throw new Error('disk on fire');
      if (p.kind === 'missing') throw new RpcFailure('no session x', 'notFound');
      return { ok: 'yes' } as unknown as { ok: true };
    });
    const thrown = await r.dispatch({ type: 'request', id: 3, method: 'test/boom', params: { kind: 'throw' } });
    assert.deepEqual(thrown, {
      type: 'response',
      id: 3,
      ok: false,
      error: { message: 'disk on fire', code: 'internal' },
    });
    const missing = await r.dispatch({ type: 'request', id: 4, method: 'test/boom', params: { kind: 'missing' } });
    assert.deepEqual(missing, {
      type: 'response',
      id: 4,
      ok: false,
      error: { message: 'no session x', code: 'notFound' },
    });
    const bad = await r.dispatch({ type: 'request', id: 5, method: 'test/boom', params: { kind: 'bad' } });
    assert.equal(bad.ok, false);
    assert.ok(logs.some((l) => /error test\/boom produced an invalid result/.test(l)));
  });

  it("keeps the code of a RpcFailure thrown by another bundle's copy of the class", async () => {
    const { r } = router();
    r.handle(echo, () => {
      // dist/dashboardData.js has its own RpcFailure: same name and code, different class.
      throw Object.assign(new Error('no session y'), { name: 'RpcFailure', code: 'notFound' });
    });
    const res = await r.dispatch({ type: 'request', id: 6, method: 'test/echo', params: { n: 1 } });
    assert.deepEqual(res, { type: 'response', id: 6, ok: false, error: { message: 'no session y', code: 'notFound' } });
  });

  it('refuses a second handler for a method and frees the name on dispose', () => {
    const { r } = router();
    const reg = r.handle(echo, (p) => ({ twice: p.n }));
    assert.throws(() => r.handle(echo, (p) => ({ twice: p.n })), /already registered/);
    reg.dispose();
    assert.deepEqual(r.methods, []);
  });
});
