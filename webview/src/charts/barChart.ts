import type { ChartConfiguration } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { Chart } from './chartJs';
import { themeColors } from './themeColors.svelte';

export interface BarSeries {
  label: string;
  data: (number | null)[];
  /** A fixed colour (e.g. errors in the theme's red); otherwise the palette's next one. */
  color?: string;
}

export interface BarSpec {
  labels: string[];
  series: BarSeries[];
  stacked: boolean;
  /** Bars along the y axis (long category names: projects, tools). */
  horizontal?: boolean;
  /** How values read in ticks and tooltips ($1.20, 1.2k). */
  format: (n: number) => string;
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
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: s.color ?? palette[i % palette.length],
        borderWidth: 0,
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: fg,
      font,
      plugins: {
        legend: { display: spec.series.length > 1, position: 'bottom', labels: { color: fg, boxWidth: 10, font } },
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
          ticks: { color: fg, font, autoSkip: true, maxRotation: 0 },
          grid: { display: false },
          border: { color: grid },
        },
        [valueAxis]: {
          stacked: spec.stacked,
          beginAtZero: true,
          ticks: { color: fg, font, callback: (v) => spec.format(Number(v)), maxTicksLimit: 6 },
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
    const chart = new Chart(canvas, config(spec));
    return () => chart.destroy();
  };
}
