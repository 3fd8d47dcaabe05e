import { type BillingBlock, billingBlocks } from '../../core/analytics/billingBlocks';
import { priceUsage } from '../../core/analytics/pricedUsage';
import { fmtInt, fmtUsd, renderTable } from '../../core/reports/table';
import type { AnalyticsInput } from '../analyticsOptions';
import type { ParsedArgs } from '../args';
import type { CliIo } from '../command';
import { analyticsInputOrRemote } from '../remoteAnalyticsFlag';

/** `cct report blocks`: the 5-hour billing windows, their burn rate, and the active one's projection. */
export async function runReportBlocks(p: ParsedArgs, io: CliIo): Promise<number> {
  const input = await analyticsInputOrRemote('report', p, io);
  if (typeof input === 'number') return input;
  const blocks = billingBlocks(priceUsage(input.data.usage, input.prices), input.now);
  if (p.booleans.has('json')) {
    io.stdout.write(
      `${JSON.stringify({ type: 'blocks', timeZone: input.timeZone, now: iso(input.now), blocks: blocks.map(blockJson) })}\n`,
    );
    return 0;
  }
  io.stdout.write(renderBlocks(blocks, input));
  return 0;
}

export function blockJson(b: BillingBlock) {
  return {
    ...b,
    startMs: undefined,
    endMs: undefined,
    firstMs: undefined,
    lastMs: undefined,
    start: iso(b.startMs),
    end: iso(b.endMs),
    first: iso(b.firstMs),
    last: iso(b.lastMs),
  };
}

function renderBlocks(blocks: readonly BillingBlock[], input: AnalyticsInput): string {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone: input.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const when = (ms: number) => local.format(new Date(ms)).replace(',', '');
  const unpriced = (b: BillingBlock) => b.unpricedTokens > 0;
  const rows = blocks.map((b) => [
    `${when(b.startMs)}${b.active ? ' (active)' : ''}`,
    b.models.join(','),
    fmtInt(b.sessions),
    fmtInt(b.apiMessages),
    fmtInt(b.totalTokens),
    fmtUsd(b.costUsd, unpriced(b)),
    b.burn?.costPerHour == null ? '' : `$${b.burn.costPerHour.toFixed(2)}/h`,
    b.burn ? `${fmtInt(Math.round(b.burn.tokensPerMinute))}/min` : '',
    b.projection ? fmtUsd(b.projection.costUsd, unpriced(b)) : '',
  ]);
  const table = renderTable(
    [
      { header: 'Block start' },
      { header: 'Models' },
      { header: 'Sessions', align: 'right' },
      { header: 'Messages', align: 'right' },
      { header: 'Tokens', align: 'right' },
      { header: 'Cost (USD)', align: 'right' },
      { header: 'Burn $', align: 'right' },
      { header: 'Burn tokens', align: 'right' },
      { header: 'Projected', align: 'right' },
    ],
    rows,
  );
  const active = blocks.find((b) => b.active);
  const note = active?.projection
    ? `active block ends ${when(active.endMs)} (${Math.round(active.projection.remainingMinutes)} min left); projected ${fmtUsd(active.projection.costUsd)} and ${fmtInt(active.projection.totalTokens)} tokens at the current burn rate\n`
    : 'no active block\n';
  return `${table}${note}time zone: ${input.timeZone}; blocks are 5 h from the first message's hour (an estimate of Claude's usage windows, not its official limits)\n`;
}

const iso = (ms: number) => new Date(ms).toISOString();
