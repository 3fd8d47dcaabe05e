import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  budgetPeriods,
  crossedKeys,
  evaluateBudgets,
  ledgerKey,
  thresholdOfKey,
} from '../../../src/core/analytics/budgets';
import { periodSpend } from '../../../src/core/analytics/periodSpend';
import { LocalCalendar } from '../../../src/core/reports/timeBuckets';
import type { UsageGroupLike } from '../../../src/core/sessions/sessionSummary';
import { at, PRICES } from './helpers';

const ZONES = Intl.supportedValuesOf('timeZone');
/** Zones whose DST changes happen at or across local midnight, or by odd amounts, and a day-skipping one. */
const AWKWARD = [
  'UTC',
  'America/New_York',
  'America/Santiago', // DST starts at 24:00: local midnight does not exist that day
  'America/Havana', // DST at 00:00 → 01:00
  'Asia/Beirut', // DST at 00:00
  'America/Asuncion',
  'Australia/Lord_Howe', // 30-minute shift
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Apia', // skipped 2011-12-30
  'America/St_Johns',
];
const zone = fc.oneof(fc.constantFrom(...ZONES), fc.constantFrom(...AWKWARD));
const instant = fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2035, 0, 1) });

/** The local date of an instant straight from Intl (no slot cache): the oracle. */
function dateIn(ts: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(ts),
  );
}

describe('budget periods in the user time zone', () => {
  it('the day and the month contain now, start at the first instant of their date and end at the next one (any zone, DST)', () => {
    fc.assert(
      fc.property(zone, instant, (tz, now) => {
        const cal = new LocalCalendar(tz);
        const { daily, monthly } = budgetPeriods(cal, now);
        assert.equal(daily.key, dateIn(now, tz));
        assert.equal(monthly.key, dateIn(now, tz).slice(0, 7));
        for (const p of [daily, monthly]) {
          assert.ok(p.startMs <= now && now < p.endMs, `${tz} ${new Date(now).toISOString()} ${p.kind}`);
          // Every instant of the period has its date/month, and the instants just outside do not.
          const keyOf = (ms: number) => (p.kind === 'daily' ? dateIn(ms, tz) : dateIn(ms, tz).slice(0, 7));
          assert.equal(keyOf(p.startMs), p.key);
          assert.equal(keyOf(p.endMs - 1), p.key);
          assert.ok(keyOf(p.startMs - 1) < p.key, `${tz} ${p.kind} starts late`);
          assert.ok(keyOf(p.endMs) > p.key, `${tz} ${p.kind} ends early`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('consecutive days tile time: the next day starts where this one ends (no instant lost or counted twice)', () => {
    fc.assert(
      fc.property(zone, instant, (tz, now) => {
        const cal = new LocalCalendar(tz);
        const today = budgetPeriods(cal, now);
        const tomorrow = budgetPeriods(cal, today.daily.endMs);
        assert.equal(tomorrow.daily.startMs, today.daily.endMs);
        const nextMonth = budgetPeriods(cal, today.monthly.endMs);
        assert.equal(nextMonth.monthly.startMs, today.monthly.endMs);
      }),
      { numRuns: 200 },
    );
  });

  it('a DST day is 23 or 25 hours long; Apia skipped 2011-12-30 entirely', () => {
    const ny = new LocalCalendar('America/New_York');
    const spring = budgetPeriods(ny, at('2026-03-08T12:00:00Z')).daily;
    assert.equal((spring.endMs - spring.startMs) / 3_600_000, 23);
    const fall = budgetPeriods(ny, at('2026-11-01T12:00:00Z')).daily;
    assert.equal((fall.endMs - fall.startMs) / 3_600_000, 25);
    // Santiago: clocks go from 24:00 to 01:00 on 2026-09-06, so that day starts at 01:00 local (04:00Z).
    const scl = budgetPeriods(new LocalCalendar('America/Santiago'), at('2026-09-06T12:00:00Z')).daily;
    assert.equal(new Date(scl.startMs).toISOString(), '2026-09-06T04:00:00.000Z');
    const apia = new LocalCalendar('Pacific/Apia');
    const d29 = budgetPeriods(apia, at('2011-12-29T20:00:00Z')).daily;
    assert.equal(d29.key, '2011-12-29');
    assert.equal(budgetPeriods(apia, d29.endMs).daily.key, '2011-12-31');
  });
});

const spend = (costUsd: number) => ({ costUsd, unpriced: false, topSession: undefined });

describe('budget evaluation', () => {
  const periods = budgetPeriods(new LocalCalendar('Asia/Tokyo'), at('2026-12-06T03:00:00Z'));

  it('crossed thresholds per budget, 0 = off, sums that land on a threshold count as reaching it', () => {
    const s = evaluateBudgets({ dailyUsd: 10, monthlyUsd: 0, thresholds: [100, 50, 80, 50, -1] }, periods, {
      daily: spend(0.1 + 0.2 + 4.7), // 5.000000000000001 or 4.999…: float sums
      monthly: spend(1000),
    });
    assert.equal(s.length, 1);
    assert.equal(s[0]!.kind, 'daily');
    assert.equal(s[0]!.period.key, '2026-12-06');
    assert.deepEqual(s[0]!.crossed, [50]);
    const m = evaluateBudgets({ dailyUsd: 0, monthlyUsd: 100, thresholds: [50, 80, 100] }, periods, {
      monthly: spend(120),
    });
    assert.deepEqual(m[0]!.crossed, [50, 80, 100]);
    assert.equal(Math.round(m[0]!.percent), 120);
    assert.deepEqual(crossedKeys(m)[0]!.keys, [
      'budget_notified:monthly:2026-12:50',
      'budget_notified:monthly:2026-12:80',
      'budget_notified:monthly:2026-12:100',
    ]);
    assert.equal(thresholdOfKey(ledgerKey('daily', '2026-12-06', 80)), 80);
  });

  it('prices the period per group and names the session that spent most', () => {
    const g = (sessionId: string, model: string, input: number): UsageGroupLike => ({
      sessionId,
      model,
      speed: null,
      promptAbove: 0,
      slotMs: at('2026-12-06T00:00:00Z'),
      messages: 1,
      input,
      output: 0,
      cache5m: 0,
      cache1h: 0,
      cacheCreation: 0,
      cacheRead: 0,
      legacyCostUsd: null,
    });
    // 'm' is $1 per million input tokens, 'big' $10; 'nope' has no price
    const s = periodSpend(
      [g('a', 'm', 3_000_000), g('b', 'big', 200_000), g('a', 'm', 1_000_000), g('c', 'nope', 5)],
      PRICES,
    );
    assert.ok(Math.abs(s.costUsd - 6) < 1e-9);
    assert.equal(s.unpriced, true);
    assert.deepEqual(s.topSession, { sessionId: 'a', costUsd: 4 });
  });
});
