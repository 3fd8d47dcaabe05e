import type { EstimatedLimits } from './limitsEstimate';
import { formatElapsed, formatTokens, formatUsd } from './liveFormat';
import type { LimitWindow, OfficialLimits } from './rateLimits';

/** vscode.l10n's shape, so core can word the item and the adapter pass the real one (tests pass a formatter). */
export interface L10n {
  t(message: string, ...args: (string | number)[]): string;
}

/** What the limits item shows: its text, its tooltip as plain-text paragraphs, and how to colour it. */
export interface LimitsView {
  /** 'none': nothing to show (hide the item). */
  kind: 'official' | 'estimate' | 'both' | 'none';
  text: string;
  /** Paragraphs (plain text; the adapter escapes them). The first is the title. */
  tooltip: string[];
  /** The worst fresh official percentage (for the warning colours); undefined: never coloured (an estimate). */
  officialWorstPercent: number | undefined;
}

export interface LimitsViewInput {
  official: OfficialLimits | undefined;
  estimate: EstimatedLimits | undefined;
  now: number;
  /** Official figures older than this are no longer current. */
  staleMs: number;
  /** For times of day (block end, reset times). */
  locale: string;
  timeZone?: string;
}

/**
 * Words the limits item. Official figures (Claude Code's own, through the Status Line Bridge) and the estimate from
 * local 5-hour blocks are each labelled with their source and age; an estimate is never given a percentage or the
 * warning colours of a quota. When official figures are stale the text shows the estimate, and the tooltip keeps
 * the old official ones marked out of date.
 */
export function limitsView(input: LimitsViewInput, l10n: L10n): LimitsView {
  const { official, estimate, now } = input;
  const fresh = official && now - official.observedAt <= input.staleMs ? official : undefined;
  const time = (ms: number) =>
    new Date(ms).toLocaleTimeString(input.locale, { hour: '2-digit', minute: '2-digit', timeZone: input.timeZone });
  const when = (ms: number) =>
    new Date(ms).toLocaleString(input.locale, {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: input.timeZone,
    });
  const pct = (w: LimitWindow | undefined) => (w ? `${Math.round(w.usedPercent)}%` : '—');
  const block = estimate?.block;

  const parts: string[] = [];
  if (fresh) parts.push(`$(dashboard) 5h ${pct(fresh.fiveHour)} · 7d ${pct(fresh.sevenDay)}`);
  if (estimate) {
    const figure = block ? formatUsd(block.costUsd ?? undefined) : l10n.t('idle');
    // Beside official figures the estimate is short, and left to the tooltip when no block runs; alone it says
    // what it is in full.
    if (!fresh) parts.push(`$(graph-line) ${l10n.t('5h estimate {0}', figure)}`);
    else if (block) parts.push(`$(graph-line) ${l10n.t('est. {0}', figure)}`);
  }
  const kind = fresh && estimate ? 'both' : fresh ? 'official' : estimate ? 'estimate' : official ? 'official' : 'none';
  if (kind === 'none') return { kind, text: '', tooltip: [], officialWorstPercent: undefined };
  if (!parts.length && official)
    // Only stale official figures and no store to estimate from: say they are old rather than current.
    parts.push(`$(history) 5h ${pct(official.fiveHour)} · 7d ${pct(official.sevenDay)}`);

  const tip: string[] = [l10n.t('Claude Code usage limits')];
  if (official) {
    const age = formatElapsed(now - official.observedAt);
    tip.push(
      fresh
        ? l10n.t('Official, from Claude Code’s status line, {0} ago:', age)
        : l10n.t('Last official figures, from Claude Code’s status line {0} ago (out of date):', age),
    );
    const row = (label: string, w: LimitWindow | undefined) =>
      w &&
      tip.push(
        l10n.t('{0}: {1}% used, resets {2}', label, w.usedPercent.toFixed(0), w.resetsAt ? when(w.resetsAt) : '?'),
      );
    row(l10n.t('5 hours'), official.fiveHour);
    row(l10n.t('7 days'), official.sevenDay);
  }
  if (estimate) {
    tip.push(
      l10n.t(
        'Estimate from local transcripts, {0} ago (API-equivalent cost of this machine’s Claude Code use; not your plan’s quota, which also counts use elsewhere):',
        formatElapsed(now - estimate.computedAt),
      ),
    );
    if (block) {
      tip.push(l10n.t('Current 5-hour block: {0} – {1}', time(block.startMs), time(block.endMs)));
      tip.push(
        l10n.t('So far: {0} tokens, {1}', formatTokens(block.totalTokens), formatUsd(block.costUsd ?? undefined)),
      );
      if (block.burn)
        tip.push(
          l10n.t(
            'Burn rate: {0}/h, {1} tokens/min',
            formatUsd(block.burn.costPerHour ?? undefined),
            formatTokens(block.burn.tokensPerMinute),
          ),
        );
      if (block.projection)
        tip.push(
          l10n.t(
            'Projected by {0}: {1}, {2} tokens',
            time(block.endMs),
            formatUsd(block.projection.costUsd ?? undefined),
            formatTokens(block.projection.totalTokens),
          ),
        );
      if (block.unpricedTokens > 0) tip.push(l10n.t('Some models have no price: the cost is a lower bound.'));
    } else tip.push(l10n.t('No use in local transcripts during the current 5-hour block.'));
  }
  tip.push(
    official
      ? l10n.t(
          'Claude Code runs its status line only in its terminal UI: with its VS Code panel, official figures arrive only while a terminal session runs.',
        )
      : l10n.t(
          'No official figures: run Install Status Line Bridge. Claude Code runs its status line only in its terminal UI: with its VS Code panel, official figures arrive only while a terminal session runs.',
        ),
  );
  return {
    kind,
    text: parts.join(' · '),
    tooltip: tip,
    officialWorstPercent: fresh
      ? Math.max(fresh.fiveHour?.usedPercent ?? 0, fresh.sevenDay?.usedPercent ?? 0)
      : undefined,
  };
}
