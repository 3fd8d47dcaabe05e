import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bucketUsage, dailyByModel } from '../../../src/core/analytics/buckets';
import { priceUsage } from '../../../src/core/analytics/pricedUsage';
import { sumUsage } from '../../../src/core/analytics/totals';
import { type BucketUnit, LocalCalendar, type Weekday } from '../../../src/core/reports/timeBuckets';
import { indexed, PRICES, usage } from './helpers';

/** Every zone this runtime knows (fast-check picks among them), plus the awkward ones always. */
const ZONES = Intl.supportedValuesOf('timeZone');
const AWKWARD = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // 30-minute DST shift
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30 with DST
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Kiritimati', // +14:00
  'Pacific/Apia', // skipped a whole day in 2011
];
const zone = fc.oneof(fc.constantFrom(...ZONES), fc.constantFrom(...AWKWARD));
// 2010–2035: covers zone rule changes and both DST directions many times.
const instant = fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2035, 0, 1) });
const row = fc.record({
  ts: instant,
  input: fc.nat(100_000),
  output: fc.nat(10_000),
  cacheRead: fc.nat(100_000),
  session: fc.constantFrom('a', 'b', 'c'),
});
const UNITS: BucketUnit[] = ['hourly', 'daily', 'weekly', 'monthly'];

/** The local wall clock of an instant straight from Intl, at full precision (no slot cache): the oracle. */
function oracle(ts: number, tz: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ts)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

describe('analytics: time-zone buckets (property-based)', () => {
  it('day × model rows (the Metrics stacked days) sum to the totals and land on the oracle local date', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), zone, (rs, tz) => {
        const priced = priceUsage(
          rs.map((r, i) =>
            usage({
              ts: r.ts,
              input: r.input,
              output: r.output,
              cacheRead: r.cacheRead,
              sessionId: r.session,
              model: i % 3 ? 'm' : 'mystery-model',
            }),
          ),
          PRICES,
        );
        const total = sumUsage(priced);
        const rows = dailyByModel(
          indexed(
            priced.map((p) => p.row),
            { timeZone: tz },
          ).aggregates,
        );
        assert.equal(
          rows.reduce((n, d) => n + d.totalTokens, 0),
          total.totalTokens,
        );
        assert.equal(
          rows.reduce((n, d) => n + d.apiMessages, 0),
          total.apiMessages,
        );
        const cost = rows.reduce((n, d) => n + (d.costUsd ?? 0), 0);
        assert.ok(Math.abs(cost - (total.costUsd ?? 0)) < 1e-9);
        const dates = new Set(priced.map((p) => oracle(p.row.ts, tz).date));
        assert.deepEqual(new Set(rows.map((d) => d.date)), dates);
        assert.equal(new Set(rows.map((d) => `${d.date}/${d.model}`)).size, rows.length);
      }),
      { numRuns: 150 },
    );
  });

  it('buckets sum to the totals in every time zone and unit (nothing lost, nothing counted twice)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), zone, fc.integer({ min: 0, max: 6 }), (rs, tz, ws) => {
        const priced = priceUsage(
          rs.map((r) =>
            usage({ ts: r.ts, input: r.input, output: r.output, cacheRead: r.cacheRead, sessionId: r.session }),
          ),
          PRICES,
        );
        const total = sumUsage(priced);
        const cal = new LocalCalendar(tz, { weekStartsOn: ws as Weekday });
        for (const unit of UNITS) {
          const buckets = bucketUsage(priced, cal, unit);
          assert.equal(new Set(buckets.map((b) => b.key)).size, buckets.length, `${unit}: keys are unique`);
          assert.equal(
            buckets.reduce((n, b) => n + b.apiMessages, 0),
            rs.length,
            `${unit} in ${tz}: messages`,
          );
          assert.equal(
            buckets.reduce((n, b) => n + b.totalTokens, 0),
            total.totalTokens,
            `${unit} in ${tz}: tokens`,
          );
          const cost = buckets.reduce((n, b) => n + (b.costUsd ?? 0), 0);
          assert.ok(Math.abs(cost - (total.costUsd ?? 0)) < 1e-9, `${unit} in ${tz}: cost ${cost} vs ${total.costUsd}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('shifting the zone moves rows between buckets but keeps each row in exactly one, at its true local time', () => {
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 30 }), zone, zone, (times, tzA, tzB) => {
        for (const tz of [tzA, tzB]) {
          const cal = new LocalCalendar(tz);
          for (const ts of times) {
            const o = oracle(ts, tz);
            assert.equal(cal.bucket(ts, 'daily'), o.date, `daily ${new Date(ts).toISOString()} in ${tz}`);
            assert.equal(cal.bucket(ts, 'monthly'), o.date.slice(0, 7));
            assert.ok(cal.bucket(ts, 'hourly').startsWith(`${o.date}T${String(o.hour).padStart(2, '0')}:00`));
            assert.equal(cal.parts(ts).hour, o.hour);
          }
        }
        // The same rows counted in two zones: the same total, each row once.
        const countIn = (tz: string) => {
          const cal = new LocalCalendar(tz);
          const m = new Map<string, number>();
          for (const ts of times) m.set(cal.bucket(ts, 'daily'), (m.get(cal.bucket(ts, 'daily')) ?? 0) + 1);
          return [...m.values()].reduce((a, b) => a + b, 0);
        };
        assert.equal(countIn(tzA), times.length);
        assert.equal(countIn(tzB), times.length);
      }),
      { numRuns: 300 },
    );
  });

  it('hourly keys of two different real hours never collide, even in the repeated hour of a DST fall-back', () => {
    fc.assert(
      fc.property(instant, zone, (ts, tz) => {
        const cal = new LocalCalendar(tz);
        assert.notEqual(cal.bucket(ts, 'hourly'), cal.bucket(ts + 3_600_000, 'hourly'));
      }),
      { numRuns: 500 },
    );
    // New York, 2026-11-01: 01:30 EDT and 01:30 EST are an hour apart and are two buckets.
    const ny = new LocalCalendar('America/New_York');
    assert.equal(ny.bucket(Date.UTC(2026, 10, 1, 5, 30), 'hourly'), '2026-11-01T01:00-04:00');
    assert.equal(ny.bucket(Date.UTC(2026, 10, 1, 6, 30), 'hourly'), '2026-11-01T01:00-05:00');
  });

  it('weeks start on the configured weekday and contain the day', () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: 0, max: 6 }), (ts, tz, ws) => {
        const cal = new LocalCalendar(tz, { weekStartsOn: ws as Weekday });
        const week = cal.bucket(ts, 'weekly');
        const day = cal.bucket(ts, 'daily');
        const w = Date.parse(`${week}T00:00:00Z`);
        const d = Date.parse(`${day}T00:00:00Z`);
        assert.equal(new Date(w).getUTCDay(), ws);
        assert.ok(d - w >= 0 && d - w <= 6 * 86_400_000, `${day} is in the week of ${week}`);
      }),
      { numRuns: 300 },
    );
    // Sunday 2026-11-29 in Tokyo: ISO week of Monday 23rd; a Sunday-start week of the 29th itself.
    const ts = Date.UTC(2026, 10, 29, 3);
    assert.equal(new LocalCalendar('Asia/Tokyo').bucket(ts, 'weekly'), '2026-11-23');
    assert.equal(new LocalCalendar('Asia/Tokyo', { weekStartsOn: 0 }).bucket(ts, 'weekly'), '2026-11-29');
    assert.throws(() => new LocalCalendar('UTC', { weekStartsOn: 7 as Weekday }), /weekStartsOn/);
  });

  it('hand-computed: one row at 23:30 UTC is a different local day in Tokyo and in Los Angeles', () => {
    const priced = priceUsage([usage({ ts: Date.UTC(2026, 2, 8, 23, 30), input: 1_000_000 })], PRICES);
    assert.deepEqual(
      bucketUsage(priced, new LocalCalendar('Asia/Tokyo'), 'daily').map((b) => [b.key, b.costUsd]),
      [['2026-03-09', 1]],
    );
    assert.deepEqual(
      bucketUsage(priced, new LocalCalendar('America/Los_Angeles'), 'daily').map((b) => [b.key, b.costUsd]),
      [['2026-03-08', 1]],
    );
  });
});
