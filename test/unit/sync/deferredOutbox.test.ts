import assert from 'node:assert/strict';
import { DeferredOutbox } from '../../../src/core/sync/deferredOutbox';
import type { OutboxPort } from '../../../src/core/sync/ports';

describe('DeferredOutbox', () => {
  it('is empty until a store is attached, then delegates', async () => {
    const d = new DeferredOutbox();
    assert.deepEqual(await d.next('session', 10, Date.now()), []);
    assert.deepEqual(await d.stats(), { pending: 0, deadLetters: 0 });
    assert.equal(await d.ensureSessionQueued('s'), false);
    assert.deepEqual(await d.requeueForMode('full', 10, () => false), { queued: 0, more: false });
    await assert.rejects(() => d.ack([1]), /not open yet/);
    const calls: string[] = [];
    const inner = {
      next: async (kind: string) => {
        calls.push(`next:${kind}`);
        return [];
      },
      ack: async (ids: readonly number[], sentAs?: string) => void calls.push(`ack:${ids.join(',')}:${sentAs}`),
      retryLater: async () => {},
      deadLetter: async () => {},
      discard: async () => {},
      ensureSessionQueued: async () => true,
      stats: async () => ({ pending: 3, deadLetters: 1 }),
      requeueForMode: async (mode: string, limit: number) => {
        calls.push(`requeue:${mode}:${limit}`);
        return { queued: 2, more: true };
      },
    } as unknown as OutboxPort;
    d.attach(inner);
    assert.equal(d.ready, true);
    await d.next('interaction', 5, 0);
    await d.ack([7, 8], 'metadata');
    assert.deepEqual(await d.stats(), { pending: 3, deadLetters: 1 });
    assert.deepEqual(await d.requeueForMode('full', 5, () => false), { queued: 2, more: true });
    assert.deepEqual(calls, ['next:interaction', 'ack:7,8:metadata', 'requeue:full:5']);
    d.unavailable('needs node:sqlite');
    assert.equal(d.notReadyReason, 'needs node:sqlite');
    assert.deepEqual(await d.next('session', 10, 0), []);
  });
});
