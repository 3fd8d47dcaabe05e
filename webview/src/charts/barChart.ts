import type { ChartConfiguration, Scale } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { loadChart } from './chartJs';
import { themeColors } from './themeColors.svelte';

export interface BarSeries {
  label: string;
  data: (number | null)[];
  /** A fixed colour (e.g. errors in the theme's red); otherwise the palette's next one. */
  color?: string;
  /** A colour per bar (e.g. anomalous days flagged in red); overrides `color` where set. */
  colors?: (string | undefined)[];
}

export interface BarSpec {
  labels: string[];
  series: BarSeries[];
  stacked: boolean;
  /** Bars along the y axis (long category names: projects, tools). */
  horizontal?: boolean;
  /** How values read in ticks and tooltips ($1.20, 1.2k). */
  format: (n: number) => string;
  /** Counts: ticks on whole numbers only (no "0.5 findings"). */
  integer?: boolean;
  /** Series drawn as lines over the bars, on the same value axis (rolling means); null values leave a gap. */
  lines?: BarSeries[];
}

/**
 * Keeps the `max - 1` largest series and sums the rest into one "other" series, so a stacked chart never repeats a
 * colour of the palette for two different things.
 */
export function topSeries(series: BarSeries[], max: number, otherLabel: string): BarSeries[] {
  if (series.length <= max) return series;
  const total = (s: BarSeries) => s.data.reduce<number>((n, v) => n + (v ?? 0), 0);
  const sorted = [...series].sort((a, b) => total(b) - total(a));
  const kept = sorted.slice(0, max - 1);
  const rest = sorted.slice(max - 1);
  const other = kept[0]!.data.map((_, i) => rest.reduce<number>((n, s) => n + (s.data[i] ?? 0), 0));
  return [...series.filter((s) => kept.includes(s)), { label: otherLabel, data: other }];
}

function config(spec: BarSpec): ChartConfiguration<'bar'> {
  const palette = themeColors.palette();
  const fg = themeColors.foreground();
  const grid = themeColors.gridLines();
  const font = { family: themeColors.font(), size: 11 };
  const valueAxis = spec.horizontal ? 'x' : 'y';
  const categoryAxis = spec.horizontal ? 'y' : 'x';
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: [
        ...spec.series.map((s, i) => {
          const base = s.color ?? palette[i % palette.length]!;
          return {
            type: 'bar' as const,
            label: s.label,
            data: s.data,
            backgroundColor: s.colors ? s.colors.map((c) => c ?? base) : base,
            borderWidth: 0,
            maxBarThickness: 28,
            order: 2,
          };
        }),
        ...(spec.lines ?? []).map((s, i) => ({
          type: 'line' as const,
          label: s.label,
          data: s.data,
          borderColor: s.color ?? palette[(spec.series.length + i) % palette.length],
          backgroundColor: s.color ?? palette[(spec.series.length + i) % palette.length],
          borderWidth: 2,
          borderDash: i % 2 ? [4, 3] : [],
          pointRadius: 0,
          spanGaps: false,
          order: 1,
          // a line never stacks on the bars
          stack: `line-${i}`,
        })),
      ] as ChartConfiguration<'bar'>['data']['datasets'],
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: fg,
      font,
      plugins: {
        legend: {
          display: spec.series.length + (spec.lines?.length ?? 0) > 1,
          position: 'bottom',
          labels: { color: fg, boxWidth: 10, font },
        },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const v = spec.horizontal ? ctx.parsed.x : ctx.parsed.y;
              return `${ctx.dataset.label ?? ''}: ${v === null ? '–' : spec.format(v)}`;
            },
          },
        },
      },
      scales: {
        [categoryAxis]: {
          stacked: spec.stacked,
          ticks: {
            color: fg,
            font,
            autoSkip: true,
            maxRotation: 0,
            // Long names (projects, rules) are shortened to fit a narrow sidebar; the tooltip and the table keep them.
            ...(spec.horizontal
              ? {
                  callback(this: Scale, v: string | number) {
                    const label = String(this.getLabelForValue(Number(v)));
                    const max = Math.max(10, Math.floor(this.chart.width / 17));
                    return label.length > max ? `${label.slice(0, max - 1)}…` : label;
                  },
                }
              : {}),
          },
          grid: { display: false },
          border: { color: grid },
        },
        [valueAxis]: {
          stacked: spec.stacked,
          beginAtZero: true,
          ticks: {
            color: fg,
            font,
            callback: (v) => spec.format(Number(v)),
            maxTicksLimit: 6,
            ...(spec.integer ? { precision: 0 } : {}),
          },
          grid: { color: grid },
          border: { display: false },
        },
      },
    },
  };
}

/**
 * A chart.js bar chart on a canvas, as a Svelte attachment: created when the canvas mounts, destroyed when it goes
 * or when the spec or the theme changes (the attachment re-runs; reading themeColors.version makes it depend on
 * the theme), so there is never a chart left drawing on a detached canvas.
 */
export function barChart(spec: BarSpec): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    void themeColors.version;
    // Built now, while the attachment tracks what it reads (theme colours), then drawn once chart.js is loaded.
    const cfg = config(spec);
    let chart: { destroy(): void } | undefined;
    let gone = false;
    void loadChart().then((Chart) => {
      if (!gone) chart = new Chart(canvas, cfg);
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  };
}
