/** What dist/dashboardData.js exports (a type only: esbuild leaves the module out of extension.js). */
export type DashboardDataModule = typeof import('./dashboardDataEntry');

/**
 * Loads dist/dashboardData.js next to this bundle (a runtime path), for commands that need the store, the exporter or
 * the Privacy Guard: evaluated on their first use, never during activation.
 */
export function requireDashboardData(): DashboardDataModule {
  const file = `${__dirname}/dashboardData.js`;
  return require(file) as DashboardDataModule;
}
