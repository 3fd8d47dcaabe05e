import assert from 'node:assert/strict';
import { describeScan } from '../../../src/core/ingest/scanLog';

const stats = { files: 114, filesRead: 0, interactions: 0, apiMessages: 0, ms: 12 };

describe('scan log line', () => {
  it('logs a scan that found nothing new at debug (the 30 s poll would otherwise fill the log)', () => {
    const line = describeScan({ reason: 'poll', stats, backend: 'node:sqlite', pruned: 0 });
    assert.equal(line.level, 'debug');
    assert.equal(
      line.message,
      'scan (poll): 0/114 files read, +0 interactions, +0 API messages in 12 ms (node:sqlite)',
    );
  });

  it('logs at info when the scan read a file, added rows or pruned sessions', () => {
    const read = describeScan({
      reason: 'change',
      stats: { ...stats, filesRead: 1 },
      backend: 'node:sqlite',
      pruned: 0,
    });
    assert.equal(read.level, 'info');
    const added = describeScan({
      reason: 'change',
      stats: { ...stats, interactions: 2 },
      backend: 'sql.js',
      pruned: 0,
    });
    assert.equal(added.level, 'info');
    const pruned = describeScan({ reason: 'poll', stats, backend: 'node:sqlite', pruned: 3 });
    assert.equal(pruned.level, 'info');
    assert.match(pruned.message, /; retention deleted 3 sessions$/);
  });
});
