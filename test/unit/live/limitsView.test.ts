import assert from 'node:assert/strict';
import { estimateLimits } from '../../../src/core/live/limitsEstimate';
import { type L10n, limitsView } from '../../../src/core/live/limitsView';
import type { OfficialLimits } from '../../../src/core/live/rateLimits';
import { PRICES, usage } from '../analytics/helpers';

/** vscode.l10n.t's English behaviour: the message with {n} replaced. */
const en: L10n = { t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)])) };
const NOW = Date.parse('2026-12-06T10:30:00Z');
const MIN = 60_000;
const STALE = 10 * MIN;
const official = (ageMs: number): OfficialLimits => ({
  source: 'official',
  fiveHour: { usedPercent: 42, resetsAt: NOW + 90 * MIN },
  sevenDay: { usedPercent: 10.4, resetsAt: NOW + 3 * 86_400_000 },
  observedAt: NOW - ageMs,
});
// An active block from 09:00: $1 per million input tokens, 1.5 M tokens so far
const estimate = estimateLimits(
  [usage({ ts: Date.parse('2026-12-06T09:10:00Z'), input: 1_000_000 }), usage({ ts: NOW - MIN, input: 500_000 })],
  PRICES,
  NOW,
);
const view = (o: OfficialLimits | undefined, e: typeof estimate | undefined = estimate) =>
  limitsView({ official: o, estimate: e, now: NOW, staleMs: STALE, locale: 'en-US', timeZone: 'UTC' }, en);

describe('limits item wording: official figures and the local estimate', () => {
  it('without the bridge: the estimate, called an estimate in the text and the tooltip, with no percentage and no quota colour', () => {
    const v = view(undefined);
    assert.equal(v.kind, 'estimate');
    assert.equal(v.text, '$(graph-line) 5h estimate $1.50');
    assert.doesNotMatch(v.text, /%/);
    assert.equal(v.officialWorstPercent, undefined);
    const tip = v.tooltip.join('\n');
    assert.match(tip, /Estimate from local transcripts, 0s ago/);
    assert.match(tip, /not your plan’s quota/);
    assert.match(tip, /Current 5-hour block: 09:00 AM – 02:00 PM/);
    assert.match(tip, /So far: 1.5M tokens, \$1.50/);
    assert.match(tip, /Burn rate: \$1.13\/h/); // $1.50 over 80 min
    assert.match(tip, /Projected by 02:00 PM: \$5.44/); // + 210 min at that rate
    assert.match(tip, /Install Status Line Bridge/);
    assert.match(tip, /only in its terminal UI/);
    assert.doesNotMatch(tip, /Official/);
  });

  it('fresh official figures and the estimate side by side, each with its source and age; only the official colours', () => {
    const v = view(official(40_000));
    assert.equal(v.kind, 'both');
    assert.equal(v.text, '$(dashboard) 5h 42% · 7d 10% · $(graph-line) est. $1.50');
    assert.equal(v.officialWorstPercent, 42);
    const tip = v.tooltip.join('\n');
    assert.match(tip, /Official, from Claude Code’s status line, 40s ago:/);
    assert.match(tip, /5 hours: 42% used, resets Dec 6, 12:00 PM/);
    assert.match(tip, /Estimate from local transcripts/);
    assert.match(
      tip,
      /only in its terminal UI: with its VS Code panel, official figures arrive only while a terminal session runs/,
    );
  });

  it('stale official figures are not shown as current: the text shows the estimate, the tooltip marks them out of date', () => {
    const v = view(official(2 * 60 * MIN));
    assert.equal(v.kind, 'estimate');
    assert.equal(v.text, '$(graph-line) 5h estimate $1.50');
    assert.equal(v.officialWorstPercent, undefined);
    assert.match(
      v.tooltip.join('\n'),
      /Last official figures, from Claude Code’s status line 2h 00m ago \(out of date\)/,
    );
  });

  it('no use in the current block: the estimate says idle; nothing at all: hidden', () => {
    const idle = estimateLimits([usage({ ts: NOW - 6 * 60 * MIN, input: 1 })], PRICES, NOW);
    const v = view(undefined, idle);
    assert.equal(v.text, '$(graph-line) 5h estimate idle');
    assert.match(v.tooltip.join('\n'), /No use in local transcripts during the current 5-hour block/);
    // beside fresh official figures an idle estimate stays in the tooltip
    const both = view(official(MIN), idle);
    assert.equal(both.kind, 'both');
    assert.equal(both.text, '$(dashboard) 5h 42% · 7d 10%');
    assert.match(both.tooltip.join('\n'), /No use in local transcripts/);
    assert.equal(
      limitsView({ official: undefined, estimate: undefined, now: NOW, staleMs: STALE, locale: 'en-US' }, en).kind,
      'none',
    );
    // official only (no store): shown as official
    const officialOnly = limitsView(
      { official: official(MIN), estimate: undefined, now: NOW, staleMs: STALE, locale: 'en-US' },
      en,
    );
    assert.equal(officialOnly.text, '$(dashboard) 5h 42% · 7d 10%');
  });
});
