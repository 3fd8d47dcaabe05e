import assert from 'node:assert/strict';
import type { UsageRow } from '../../../src/core/analytics/rows';
import { costAnomalies, dailySeries, datesBetween, weeklySeries } from '../../../src/core/analytics/timeSeries';
import { LocalCalendar } from '../../../src/core/reports/timeBuckets';
import { indexed, usage } from './helpers';

const DAY = 86_400_000;
const start = Date.UTC(2026, 10, 2, 3); // Monday 2026-11-02 12:00 in Tokyo

/** `dollars[i]` on day i (Tokyo), all input tokens on model 'm' ($1 per million). */
function days(dollars: number[], session = (i: number) => `s${i}`) {
  return dollars.flatMap((d, i) =>
    d > 0 ? [usage({ ts: start + i * DAY, input: d * 1_000_000, sessionId: session(i) })] : [],
  );
}
const tokyo = (rows: UsageRow[]) => indexed(rows, { timeZone: 'Asia/Tokyo' });

describe('analytics: time series (hand-computed)', () => {
  const cal = new LocalCalendar('Asia/Tokyo');

  it('every day from the first to the last, idle days as zero; trailing 7- and 28-day means once there is that much history', () => {
    const dollars = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? i + 1 : 0));
    const s = dailySeries(tokyo(days(dollars)).aggregates);
    assert.equal(s.length, 29); // day 29 is idle: the series ends at the last usage (day 28)
    assert.equal(s[0]!.date, '2026-11-02');
    assert.equal(s[1]!.costUsd, 0);
    assert.equal(s[5]!.rolling7CostUsd, null);
    // days 0..6: 1 + 3 + 5 + 7 = 16 → 16/7
    assert.ok(Math.abs(s[6]!.rolling7CostUsd! - 16 / 7) < 1e-12);
    assert.equal(s[26]!.rolling28CostUsd, null);
    // days 0..27: 1 + 3 + … + 27 = 196
    assert.ok(Math.abs(s[27]!.rolling28CostUsd! - 196 / 28) < 1e-12);
    assert.deepEqual(datesBetween('2026-02-27', '2026-03-01'), ['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('week-over-week change against the calendar week before (idle weeks count as $0)', () => {
    const dollars = [...Array(7).fill(1), ...Array(7).fill(0), ...Array(7).fill(2), 3];
    const w = weeklySeries(tokyo(days(dollars)).aggregates, cal);
    assert.deepEqual(
      w.map((p) => [p.week, p.costUsd, p.changeVsPreviousWeek]),
      [
        ['2026-11-02', 7, null],
        ['2026-11-09', 0, -1],
        ['2026-11-16', 14, null],
        ['2026-11-23', 3, (3 - 14) / 14],
      ],
    );
  });

  it('flags a day beyond median + k·MAD with a one-line explanation naming the project and its sessions', () => {
    // 10 ordinary days of $1.00–$1.20, then a $9 day made by three sessions on project alpha
    const ordinary = [1, 1.1, 1.2, 1, 1.1, 1, 1.2, 1.1, 1, 1.1];
    const rows = [
      ...days(ordinary),
      ...['big1', 'big2', 'big3'].map((sessionId) => usage({ ts: start + 10 * DAY, input: 3_000_000, sessionId })),
    ];
    const ix = tokyo(rows);
    const series = dailySeries(ix.aggregates);
    const projectOf = (sid: string) => (sid.startsWith('big') ? '/work/alpha' : '/work/other');
    const a = costAnomalies(series, ix, { projectOf });
    assert.equal(a.length, 1);
    const x = a[0]!;
    assert.equal(x.date, '2026-11-12');
    assert.equal(x.costUsd, 9);
    assert.equal(x.baselineCostUsd, 1.1); // median of the ten ordinary days
    // MAD of the ten days around 1.1 is 0.1 → threshold 1.1 + 3 · 1.4826 · 0.1
    assert.ok(Math.abs(x.thresholdUsd - (1.1 + 3 * 1.4826 * 0.1)) < 1e-9);
    assert.deepEqual(x.evidence.sessionIds.sort(), ['big1', 'big2', 'big3']);
    assert.equal(x.evidence.project, '/work/alpha');
    assert.equal(
      x.explanation,
      '2026-11-12: $9.00, 8.2× your usual day ($1.10); 3 sessions on /work/alpha made 100 % and used 8.2× your usual daily tokens',
    );
    // No flag without enough history, and none for ordinary days.
    for (const d of [[1, 50], ordinary]) {
      const quiet = tokyo(days(d));
      assert.deepEqual(costAnomalies(dailySeries(quiet.aggregates), quiet), []);
    }
  });
});
