import assert from 'node:assert/strict';
import { formatElapsed, formatTokens, formatUsd } from '../../../src/core/live/liveFormat';

describe('live status figures', () => {
  it('formats tokens, cost and elapsed time compactly', () => {
    assert.deepEqual([0, 950, 1000, 12_345, 123_456, 4_560_000].map(formatTokens), [
      '0',
      '950',
      '1k',
      '12.3k',
      '123k',
      '4.56M',
    ]);
    assert.deepEqual([undefined, 0, 0.001, 0.42, 12.3].map(formatUsd), ['$?', '$0.00', '<$0.01', '$0.42', '$12.30']);
    assert.deepEqual([0, 45_000, 12 * 60_000, 65 * 60_000, 50 * 3_600_000].map(formatElapsed), [
      '0s',
      '45s',
      '12m',
      '1h 05m',
      '2d 2h',
    ]);
  });
});
