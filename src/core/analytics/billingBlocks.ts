import type { CostedUsage } from './pricedUsage';
import { lastTsOf, type UsageRow } from './rows';
import { addRow, emptyTotals, type UsageTotals } from './totals';

export const BLOCK_MS = 5 * 3_600_000;
const HOUR_MS = 3_600_000;

/**
 * One 5-hour billing window, as Claude's subscription limits count them (and as ccusage estimates them): it starts
 * at its first message's time floored to the UTC hour and covers 5 hours from there.
 */
export interface BillingBlock extends UsageTotals {
  startMs: number;
  /** startMs + 5 h. */
  endMs: number;
  firstMs: number;
  lastMs: number;
  sessions: number;
  models: string[];
  /** Still running at `now`: inside its 5 hours and with a message in the last 5 hours. */
  active: boolean;
  /** Over first → last message (active block: first message → now); null without a duration. */
  burn: { costPerHour: number | null; tokensPerMinute: number } | null;
  /** Active block only: its cost if the current burn rate holds to the end of the block. */
  projection: { costUsd: number | null; totalTokens: number; remainingMinutes: number } | null;
}

/**
 * Groups usage into 5-hour blocks: a block starts at its first row's time floored to the hour, and a new one
 * starts when a row comes 5 h or more after the block's start, or 5 h or more after the previous row (a gap).
 */
export function billingBlocks(rows: readonly CostedUsage[], now: number): BillingBlock[] {
  const sorted = [...rows].sort((a, b) => a.row.ts - b.row.ts);
  const scanner = new BillingBlockScanner();
  scanner.scan(
    { rows: sorted.map((p) => p.row), costs: sorted.map((p) => p.costUsd ?? Number.NaN) },
    Number.NEGATIVE_INFINITY,
  );
  return scanner.blocks(now);
}

/** Rows oldest first, with their costs in a parallel array (NaN: unpriced): no object per row to keep. */
export interface TimeOrderedRows {
  rows: readonly UsageRow[];
  costs: ArrayLike<number>;
}

interface OpenBlock {
  b: BillingBlock;
  sessions: Set<string>;
  models: Set<string>;
  /** Index of its first row in the rows scanned. */
  from: number;
}

/**
 * billingBlocks kept between refreshes (AnalyticsIndex): a block depends only on the rows before it, so when rows
 * change from some instant on, the blocks that started before the block holding that instant stay, and the scan
 * resumes at that block's first row. After a new session at the end of the history, that is one or two blocks.
 */
export class BillingBlockScanner {
  private list: OpenBlock[] = [];

  /**
   * Rescans `ordered` (all rows, oldest first) from the block holding `changedFromMs` on: every row before that
   * instant must be the one the previous scan saw at the same index.
   */
  scan(ordered: TimeOrderedRows, changedFromMs: number): void {
    let keep = this.list.length;
    while (keep > 0 && this.list[keep - 1]!.b.firstMs >= changedFromMs) keep--;
    // The block holding the instant is rescanned too (its rows after it may have changed).
    if (keep > 0) keep--;
    const { rows, costs } = ordered;
    const from = keep < this.list.length ? this.list[keep]!.from : keep === 0 ? 0 : rows.length;
    this.list.length = keep;
    let cur: OpenBlock | undefined;
    for (let i = from; i < rows.length; i++) {
      const row = rows[i]!;
      const ts = row.ts;
      if (!cur || ts - cur.b.startMs >= BLOCK_MS || ts - cur.b.lastMs >= BLOCK_MS) {
        const start = Math.floor(ts / HOUR_MS) * HOUR_MS;
        cur = {
          b: {
            ...emptyTotals(),
            startMs: start,
            endMs: start + BLOCK_MS,
            firstMs: ts,
            lastMs: ts,
            sessions: 0,
            models: [],
            active: false,
            burn: null,
            projection: null,
          },
          sessions: new Set(),
          models: new Set(),
          from: i,
        };
        this.list.push(cur);
      }
      addRow(cur.b, row, costs[i]);
      // A rollup cell ends at its last message; cells of one quarter-hour overlap, so the block keeps the latest.
      cur.b.lastMs = Math.max(cur.b.lastMs, lastTsOf(row));
      cur.sessions.add(row.sessionId);
      cur.models.add(row.model ?? '(unknown)');
    }
  }

  /** The blocks as of `now` (copies: the scanner keeps its own). */
  blocks(now: number): BillingBlock[] {
    return this.list.map((o) =>
      finish({ ...o.b, sessions: o.sessions.size, models: [...o.models].sort(), burn: null, projection: null }, now),
    );
  }
}

/**
 * Burn rate over the block's span: first → last message for a finished block; first message → now for the active
 * one, because its window is running whether or not messages come (a 14-second burst at the start of a block is
 * not a rate to project over the next four hours).
 */
function finish(b: BillingBlock, now: number): BillingBlock {
  b.active = now >= b.startMs && now < b.endMs && now - b.lastMs < BLOCK_MS;
  const spanMin = ((b.active ? Math.max(now, b.lastMs) : b.lastMs) - b.firstMs) / 60_000;
  b.burn =
    spanMin > 0
      ? {
          costPerHour: b.costUsd === null ? null : (b.costUsd / spanMin) * 60,
          tokensPerMinute: b.totalTokens / spanMin,
        }
      : null;
  if (b.active) {
    const remainingMinutes = (b.endMs - now) / 60_000;
    b.projection = b.burn
      ? {
          costUsd:
            b.costUsd === null || b.burn.costPerHour === null
              ? null
              : b.costUsd + (b.burn.costPerHour / 60) * remainingMinutes,
          totalTokens: Math.round(b.totalTokens + b.burn.tokensPerMinute * remainingMinutes),
          remainingMinutes,
        }
      : { costUsd: b.costUsd, totalTokens: b.totalTokens, remainingMinutes };
  }
  return b;
}
