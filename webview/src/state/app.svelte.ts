import { fill } from '../i18n';
import { DashboardState } from './dashboardState.svelte';
import { RemoteStatusState } from './remoteStatus.svelte';
import { UiState } from './uiState.svelte';

/**
 * The webview's two state objects, one per page: the host's status snapshot (with the UI language) and the
 * navigation/UI state. Views import them instead of threading props through the shell.
 */
export const dashboard = new DashboardState();
export const ui = new UiState();
/** The Supabase link (remote search scopes, "sync not connected"); views call load() when they show it. */
export const remote = new RemoteStatusState();

/** Tooltip of a masked span: "Masked email". */
export function maskLabel(category: string): string {
  return fill(dashboard.t.masked, { category: category.replace(/_/g, ' ') });
}

/** A clock for relative times, ticking once a minute. */
class Clock {
  now = $state(Date.now());
  constructor() {
    setInterval(() => {
      this.now = Date.now();
    }, 60_000);
  }
}
export const clock = new Clock();
