import type { Chart } from 'chart.js';

let loading: Promise<typeof Chart> | undefined;

/**
 * chart.js, loaded on first use (its own chunk: ~160 KB of the webview's code that the Sessions list never needs).
 * Only what the dashboard's charts use is registered, so esbuild drops the other controllers, elements and scales;
 * lines draw the rolling means over the daily cost bars (a mixed chart).
 */
export function loadChart(): Promise<typeof Chart> {
  loading ??= import('chart.js').then(
    ({
      BarController,
      BarElement,
      CategoryScale,
      Chart,
      Legend,
      LinearScale,
      LineController,
      LineElement,
      PointElement,
      Tooltip,
    }) => {
      Chart.register(
        BarController,
        BarElement,
        CategoryScale,
        LinearScale,
        Tooltip,
        Legend,
        LineController,
        LineElement,
        PointElement,
      );
      return Chart;
    },
  );
  return loading;
}
