import { computeAnalytics } from '../../core/analytics/analytics';
import type { CompactionStats } from '../../core/analytics/efficiency';
import { fmtInt, fmtUsd, renderTable } from '../../core/reports/table';
import { formatAnalyticsMessage } from '../../shared/analyticsText';
import { notComputedText } from '../../shared/notComputedText';
import { ANALYTICS_USAGE, ANALYTICS_VALUE_FLAGS } from '../analyticsOptions';
import { lastFlag, parseArgs } from '../args';
import { cliLanguage } from '../cliLanguage';
import { type CliCommand, UsageError } from '../command';
import { analyticsInputOrRemote, REMOTE_BOOLEANS, REMOTE_HELP, REMOTE_USAGE } from '../remoteAnalyticsFlag';
import { type InsightsText, insightsText } from './insightsText';
import { blockJson } from './reportBlocks';

export const insightsCommand: CliCommand = {
  name: 'insights',
  summary: 'ranked findings with evidence: expensive sessions and why, failing tools, cost anomalies, efficiency',
  usage: `cct insights ${ANALYTICS_USAGE} [--k N] [--no-topics] [--lang en|ja] ${REMOTE_USAGE}\n${REMOTE_HELP}`,
  async run(args, io) {
    const p = parseArgs(args, {
      values: [...ANALYTICS_VALUE_FLAGS, 'k', 'lang'],
      booleans: ['json', 'no-topics', ...REMOTE_BOOLEANS],
    });
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const kFlag = lastFlag(p, 'k');
    const k = kFlag === undefined ? undefined : Number(kFlag);
    if (k !== undefined && !(Number.isFinite(k) && k > 0))
      throw new UsageError(`--k must be a positive number, got '${kFlag}'`);
    // Human output only: --json keeps the English message next to messageId and params.
    const lang = cliLanguage(lastFlag(p, 'lang'), io.env);
    const L = insightsText(lang);
    const input = await analyticsInputOrRemote('insights', p, io, { topics: !p.booleans.has('no-topics') });
    if (typeof input === 'number') return input;
    const source = p.booleans.has('team') ? 'team' : p.booleans.has('remote') ? 'mine' : 'local';
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
          source,
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
    const cost = (x: number | null, unpriced = false) => (x === null ? L.unpriced : fmtUsd(x, unpriced));
    out.push(L.heading(a.totals.sessions, cost(a.totals.costUsd, a.totals.unpricedTokens > 0), a.timeZone));
    // where the rows came from (the store says nothing: it is the default)
    if (source !== 'local') out.push(`  ${L.source[source]}`);
    if (a.insights.length === 0) out.push(`  ${L.nothing}`);
    a.insights.forEach((i, n) => {
      out.push(`${String(n + 1).padStart(3)}. [${L.severity[i.severity]}] ${formatAnalyticsMessage(i, lang)}`);
    });
    out.push('');
    const e = a.efficiency;
    const num = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));
    const usd = (x: number | null) => (x === null ? '–' : `$${x.toFixed(4)}`);
    out.push(
      renderTable(
        [{ header: L.efficiency }, { header: L.value, align: 'right' }],
        [
          [L.tokensPerPrompt, e.tokensPerPrompt === null ? '–' : fmtInt(Math.round(e.tokensPerPrompt))],
          [L.costPerPrompt, usd(e.costPerPrompt)],
          [L.costPerSessionMean, usd(e.costPerSession)],
          [L.costPerSessionMedian, usd(e.medianCostPerSession)],
          [L.cacheHitRatio, e.cacheHitRatio === null ? '–' : `${(e.cacheHitRatio * 100).toFixed(1)} %`],
          [L.cachingSaved, usd(e.cacheSavings.netSavedUsd)],
          [L.outputPerInput, num(e.outputPerInput)],
          [L.toolCallsPerTurn, num(e.toolCallsPerTurn)],
          [L.retries, fmtInt(e.retries)],
          [L.subagentShare, e.subagentCostShare === null ? '–' : `${(e.subagentCostShare * 100).toFixed(1)} %`],
          [
            L.firstResponse,
            e.medianFirstResponseMs === null ? '–' : L.seconds((e.medianFirstResponseMs / 1000).toFixed(1)),
          ],
          [L.turnMedian(fmtInt(e.timedTurns)), seconds(e.medianTurnMs, L)],
          [L.turnP90, seconds(e.p90TurnMs, L)],
          [L.compactedSessions, compacted(e.compaction, L)],
          [L.compactedCost, e.compaction ? costShare(e.compaction.costUsd, e.compaction.shareOfCost) : '–'],
        ],
      ),
    );
    if (e.tools.length)
      out.push(
        renderTable(
          [
            { header: L.tool },
            { header: L.calls, align: 'right' },
            { header: L.errors, align: 'right' },
            { header: L.errorRate, align: 'right' },
            { header: L.retriesHeader, align: 'right' },
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
            { header: L.topic },
            { header: L.sessions, align: 'right' },
            { header: L.costUsd, align: 'right' },
            { header: L.time, align: 'right' },
          ],
          a.topics.topics.map((t) => [t.label, fmtInt(t.sessionIds.length), cost(t.costUsd), minutes(t.minutes, L)]),
        ),
      );
    const pt = a.patterns;
    const streak = (x: typeof pt.longestStreak) => (x ? `${L.days(x.days)} (${x.from} – ${x.to})` : '–');
    out.push(
      `${L.patterns(
        pt.activeDays,
        streak(pt.longestStreak),
        streak(pt.currentStreak),
        pt.sessionMinutes.median === null ? '–' : minutes(pt.sessionMinutes.median, L),
      )}\n`,
    );
    const active = a.blocks.find((b) => b.active);
    if (active?.projection)
      out.push(
        `${L.activeBlock(cost(active.costUsd), cost(active.projection.costUsd), new Date(active.endMs).toISOString())}\n`,
      );
    const missing = [...a.notComputed, ...e.notComputed].map((x) => notComputedText(x, lang));
    // Nothing to say when everything was computed (the local store's usual case now).
    if (missing.length > 0) out.push(`${L.notComputed(missing.join(L.listSeparator))}\n`);
    io.stdout.write(out.join('\n'));
    return 0;
  },
};

const seconds = (ms: number | null, L: InsightsText) => (ms === null ? '–' : L.seconds((ms / 1000).toFixed(1)));
const percent = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

/** "2 (22.2 %), 3 compactions": sessions, their share, all compactions; – when unknown (notComputed says why). */
function compacted(c: CompactionStats | null, L: InsightsText): string {
  if (!c) return '–';
  return L.compacted(fmtInt(c.sessions), percent(c.shareOfSessions), c.compactions, fmtInt(c.compactions));
}

function costShare(usd: number | null, share: number | null): string {
  return usd === null ? '–' : `$${usd.toFixed(4)} (${percent(share)})`;
}

/** Minutes as a short human duration (fixture sessions last seconds; real ones hours). */
function minutes(m: number, L: InsightsText): string {
  if (m < 1) return L.seconds(Math.round(m * 60));
  if (m < 120) return L.minutes(m.toFixed(1));
  return L.hours((m / 60).toFixed(1));
}
