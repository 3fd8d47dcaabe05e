import assert from 'node:assert/strict';
import { trackerHealth } from '../../../src/core/status/trackerHealth';
import type { IngestStatus } from '../../../src/shared/protocol';

const ingest = (state: IngestStatus['state'], message: string | null = null): IngestStatus => ({
  state,
  progress: null,
  lastScanAt: null,
  lastScanMs: null,
  message,
});

describe('status bar health: the error state when ingest or sync fails', () => {
  it('is healthy while scanning, idle or waiting for another window’s scan; sync off is a state, not an error', () => {
    for (const st of ['starting', 'idle', 'scanning', 'busy'] as const)
      assert.equal(trackerHealth(ingest(st, 'window 2'), undefined).error, undefined, st);
    assert.deepEqual(trackerHealth(ingest('idle'), undefined).sync, { state: 'off' });
    const signedOut = { mode: 'full', signedIn: false, breaker: 'closed' } as const;
    assert.equal(trackerHealth(ingest('idle'), signedOut).sync.state, 'signed-out');
    assert.equal(trackerHealth(ingest('idle'), signedOut).error, undefined);
  });

  it('a failed scan is an error with its message, one line and bounded', () => {
    const h = trackerHealth(ingest('error', `disk full (ENOSPC)\n${'x'.repeat(400)}`), undefined);
    assert.equal(h.error?.source, 'ingest');
    assert.equal(h.error?.code, 'scan-failed');
    assert.ok(h.error?.detail?.startsWith('disk full (ENOSPC) xxx'));
    assert.ok((h.error?.detail?.length ?? 0) <= 200);
  });

  it('sync that cannot deliver is an error saying why; rows waiting are not', () => {
    const on = { mode: 'metadata', signedIn: true, breaker: 'closed' } as const;
    assert.deepEqual(trackerHealth(ingest('idle'), { ...on, outcome: 'drained', pending: 3 }), {
      sync: { state: 'pending', pending: 3 },
    });
    assert.equal(trackerHealth(ingest('idle'), { ...on, outcome: 'drained', pending: 0 }).sync.state, 'synced');
    assert.deepEqual(trackerHealth(ingest('idle'), { ...on, outcome: 'auth-required', lastError: '401' }).error, {
      source: 'sync',
      code: 'auth-required',
      detail: '401',
    });
    assert.equal(trackerHealth(ingest('idle'), { ...on, breaker: 'open' }).error?.code, 'server-down');
    assert.equal(trackerHealth(ingest('idle'), { ...on, outcome: 'gave-up' }).error?.code, 'gave-up');
    // a failed scan is named first: it is what keeps the store from following the transcripts
    assert.equal(trackerHealth(ingest('error', 'x'), { ...on, outcome: 'gave-up' }).error?.source, 'ingest');
  });
});
