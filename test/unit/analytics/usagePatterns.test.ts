import assert from 'node:assert/strict';
import { factsOfRows } from '../../../src/core/analytics/sessionFacts';
import { usagePatterns } from '../../../src/core/analytics/usagePatterns';
import { LocalCalendar } from '../../../src/core/reports/timeBuckets';
import { at, indexed, usage } from './helpers';

describe('analytics: usage patterns (hand-computed)', () => {
  const cal = new LocalCalendar('Asia/Tokyo');
  // Tokyo dates: 11-01, 11-02, 11-03 (a 3-day streak), then 11-05, 11-06 (2 days, ending "yesterday")
  const rows = [
    usage({ ts: at('2026-10-31T16:00:00Z'), sessionId: 'a' }), // 11-01 01:00 Tokyo
    usage({ ts: at('2026-10-31T16:30:00Z'), sessionId: 'a' }), // 30 minutes later
    usage({ ts: at('2026-11-02T02:00:00Z'), sessionId: 'b' }),
    usage({ ts: at('2026-11-03T02:00:00Z'), sessionId: 'c' }),
    usage({ ts: at('2026-11-05T02:00:00Z'), sessionId: 'd' }),
  ];
  // 11-06 has a prompt only: prompts count as activity too
  const prompts = [
    { sessionId: 'a', ts: at('2026-10-31T15:50:00Z') },
    { sessionId: 'a', ts: null },
    { sessionId: 'e', ts: at('2026-11-06T01:00:00Z') },
  ];

  it('streaks of local days, current only when it reaches today or yesterday', () => {
    const p = usagePatterns(
      indexed(rows, { facts: factsOfRows([], prompts, []), timeZone: 'Asia/Tokyo' }),
      cal,
      at('2026-11-07T03:00:00Z'),
    );
    assert.equal(p.activeDays, 5);
    assert.deepEqual(p.longestStreak, { days: 3, from: '2026-11-01', to: '2026-11-03' });
    assert.deepEqual(p.currentStreak, { days: 2, from: '2026-11-05', to: '2026-11-06' });
    assert.equal(
      usagePatterns(
        indexed(rows, { facts: factsOfRows([], prompts, []), timeZone: 'Asia/Tokyo' }),
        cal,
        at('2026-11-08T03:00:00Z'),
      ).currentStreak,
      null,
    );
  });

  it('typical session length and prompts per session', () => {
    const p = usagePatterns(
      indexed(rows, { facts: factsOfRows([], prompts, []), timeZone: 'Asia/Tokyo' }),
      cal,
      at('2026-11-07T03:00:00Z'),
    );
    // a: 15:50 → 16:30 = 40 min; b, c, d, e: 0 min → median 0, p90 40
    assert.deepEqual(p.sessionMinutes, { median: 0, p90: 40 });
    // a: 2 prompts, e: 1, b/c/d: 0 → median 0, max 2
    assert.deepEqual(p.promptsPerSession, { median: 0, max: 2 });
  });
});
