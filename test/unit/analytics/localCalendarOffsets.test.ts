/**
 * LocalCalendar.parts/date take the zone's offset per UTC day (Intl asked at its first and last quarter-hour, each
 * quarter-hour only on a day the offset changes) instead of one Intl call per quarter-hour. Checked against Intl
 * itself at random instants, and at every quarter-hour of DST days, in zones with :30 and :45 offsets and Lord Howe's
 * 30-minute DST.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocalCalendar } from '../../../src/core/reports/timeBuckets';

const ZONES = [
  'Asia/Tokyo',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
  'Australia/Adelaide',
];

/** What Intl says of the quarter-hour an instant falls in: local date, hour, weekday, offset in minutes. */
function intl(tz: string, ms: number) {
  const at = Math.floor(ms / 900_000) * 900_000;
  const f = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  const wall = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute));
  return {
    date: `${f.year}-${f.month}-${f.day}`,
    hour: Number(f.hour),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(f.weekday!),
    offsetMin: Math.round((wall - at) / 60_000),
  };
}

describe('analytics: LocalCalendar offsets per day agree with Intl per quarter-hour', () => {
  it('at random instants 2000–2040 in every zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, tz) => {
          const cal = new LocalCalendar(tz);
          const want = intl(tz, ms);
          assert.deepEqual(cal.parts(ms), want, `${tz} ${new Date(ms).toISOString()}`);
          assert.equal(cal.date(ms), want.date);
        },
      ),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('at every quarter-hour of the 2026 DST days (one calendar for all, as analytics uses it)', () => {
    for (const tz of ZONES) {
      const cal = new LocalCalendar(tz);
      for (const day of [
        '2026-03-08',
        '2026-03-29',
        '2026-04-05',
        '2026-09-27',
        '2026-10-04',
        '2026-10-25',
        '2026-11-01',
      ])
        for (
          let t = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
          t < Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000;
          t += 900_000
        )
          assert.deepEqual(cal.parts(t + 7), intl(tz, t), `${tz} ${new Date(t).toISOString()}`);
    }
  });
});
