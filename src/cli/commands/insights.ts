import { computeAnalytics } from '../../core/analytics/analytics';
import type { CompactionStats } from '../../core/analytics/efficiency';
import { fmtInt, fmtUsd, renderTable } from '../../core/reports/table';
import { ANALYTICS_USAGE, ANALYTICS_VALUE_FLAGS, analyticsInput } from '../analyticsOptions';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { blockJson } from './reportBlocks';

export const insightsCommand: CliCommand = {
  name: 'insights',
  summary: 'ranked findings with evidence: expensive sessions and why, failing tools, cost anomalies, efficiency',
  usage: `cct insights ${ANALYTICS_USAGE} [--k N] [--no-topics]`,
  async run(args, io) {
    const p = parseArgs(args, { values: [...ANALYTICS_VALUE_FLAGS, 'k'], booleans: ['json', 'no-topics'] });
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const kFlag = lastFlag(p, 'k');
    const k = kFlag === undefined ? undefined : Number(kFlag);
    if (k !== undefined && !(Number.isFinite(k) && k > 0))
      throw new UsageError(`--k must be a positive number, got '${kFlag}'`);
    const input = await analyticsInput(p, io.env, { topics: !p.booleans.has('no-topics') });
    // The same entry point as the dashboard's Metrics view, over the rows analyticsInput read for the flags.
    const a = await computeAnalytics(
      { read: () => input.data },
      {
        prices: input.prices,
        timeZone: input.timeZone,
        weekStartsOn: input.weekStartsOn,
        now: input.now,
        k,
      },
    );
    if (p.booleans.has('json')) {
      const { blocks, topics, ...rest } = a;
      io.stdout.write(
        `${JSON.stringify({
          type: 'insights',
          range: {
            since: input.sinceMs === undefined ? null : new Date(input.sinceMs).toISOString(),
            until: input.untilMs === undefined ? null : new Date(input.untilMs).toISOString(),
            project: input.project ?? null,
          },
          topics: topics?.topics ?? null,
          topicModel: topics ? { k: topics.k, silhouette: topics.silhouette, unclustered: topics.unclustered } : null,
          ...rest,
          blocks: blocks.map(blockJson),
        })}\n`,
      );
      return 0;
    }
    const out: string[] = [];
    out.push(
      `Insights (${a.totals.sessions} sessions, ${fmtUsd(a.totals.costUsd, a.totals.unpricedTokens > 0)}; time zone ${a.timeZone})`,
    );
    if (a.insights.length === 0) out.push('  nothing stands out');
    a.insights.forEach((i, n) => {
      out.push(`${String(n + 1).padStart(3)}. [${i.severity}] ${i.message}`);
    });
    out.push('');
    const e = a.efficiency;
    const num = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));
    const usd = (x: number | null) => (x === null ? '–' : `$${x.toFixed(4)}`);
    out.push(
      renderTable(
        [{ header: 'Efficiency' }, { header: 'Value', align: 'right' }],
        [
          ['tokens per prompt', e.tokensPerPrompt === null ? '–' : fmtInt(Math.round(e.tokensPerPrompt))],
          ['cost per prompt', usd(e.costPerPrompt)],
          ['cost per session (mean)', usd(e.costPerSession)],
          ['cost per session (median)', usd(e.medianCostPerSession)],
          ['cache hit ratio', e.cacheHitRatio === null ? '–' : `${(e.cacheHitRatio * 100).toFixed(1)} %`],
          ['caching saved (net)', usd(e.cacheSavings.netSavedUsd)],
          ['output ÷ input', num(e.outputPerInput)],
          ['tool calls per turn', num(e.toolCallsPerTurn)],
          ['tool retries after an error', fmtInt(e.retries)],
          [
            'subagent share of cost',
            e.subagentCostShare === null ? '–' : `${(e.subagentCostShare * 100).toFixed(1)} %`,
          ],
          ['median time to first response', seconds(e.medianFirstResponseMs)],
          [`turn duration, median (${fmtInt(e.timedTurns)} timed turns)`, seconds(e.medianTurnMs)],
          ['turn duration, 90th percentile', seconds(e.p90TurnMs)],
          ['sessions that hit compaction', compacted(e.compaction)],
          ['cost of those sessions', e.compaction ? costShare(e.compaction.costUsd, e.compaction.shareOfCost) : '–'],
        ],
      ),
    );
    if (e.tools.length)
      out.push(
        renderTable(
          [
            { header: 'Tool' },
            { header: 'Calls', align: 'right' },
            { header: 'Errors', align: 'right' },
            { header: 'Error rate', align: 'right' },
            { header: 'Retries', align: 'right' },
          ],
          e.tools.map((t) => [
            t.tool,
            fmtInt(t.calls),
            fmtInt(t.errors),
            t.errorRate === null ? '–' : `${Math.round(t.errorRate * 100)} %`,
            fmtInt(t.retries),
          ]),
        ),
      );
    if (a.topics?.topics.length)
      out.push(
        renderTable(
          [
            { header: 'Topic' },
            { header: 'Sessions', align: 'right' },
            { header: 'Cost (USD)', align: 'right' },
            { header: 'Time', align: 'right' },
          ],
          a.topics.topics.map((t) => [t.label, fmtInt(t.sessionIds.length), fmtUsd(t.costUsd), minutes(t.minutes)]),
        ),
      );
    const pt = a.patterns;
    const streak = (x: typeof pt.longestStreak) =>
      x ? `${x.days} day${x.days === 1 ? '' : 's'} (${x.from} – ${x.to})` : '–';
    out.push(
      `active days ${pt.activeDays}; longest streak ${streak(pt.longestStreak)}; current streak ${streak(pt.currentStreak)}; ` +
        `median session ${pt.sessionMinutes.median === null ? '–' : minutes(pt.sessionMinutes.median)}\n`,
    );
    const active = a.blocks.find((b) => b.active);
    if (active?.projection)
      out.push(
        `active 5-hour block: ${fmtUsd(active.costUsd)} so far, projected ${fmtUsd(active.projection.costUsd)} by ${new Date(active.endMs).toISOString()}\n`,
      );
    out.push(`not computed yet: ${[...a.notComputed, ...e.notComputed].join('; ')}\n`);
    io.stdout.write(out.join('\n'));
    return 0;
  },
};

const seconds = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);
const percent = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

/** "2 (22.2 %), 3 compactions": sessions, their share, all compactions; – when unknown (notComputed says why). */
function compacted(c: CompactionStats | null): string {
  if (!c) return '–';
  return `${fmtInt(c.sessions)} (${percent(c.shareOfSessions)}), ${fmtInt(c.compactions)} compaction${c.compactions === 1 ? '' : 's'}`;
}

function costShare(usd: number | null, share: number | null): string {
  return usd === null ? '–' : `$${usd.toFixed(4)} (${percent(share)})`;
}

/** Minutes as a short human duration (fixture sessions last seconds; real ones hours). */
function minutes(m: number): string {
  if (m < 1) return `${Math.round(m * 60)} s`;
  if (m < 120) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}
