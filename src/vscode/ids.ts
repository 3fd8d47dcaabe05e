/** Identifiers shared by package.json contributions, the adapters and the tests. */
export const EXTENSION_ID = 'claude-code-tracer.claude-code-tracer';
export const VIEW_CONTAINER_ID = 'claudeTracer';
export const DASHBOARD_VIEW_ID = 'claudeTracer.dashboard';
export const STATUS_ITEM_ID = 'claudeTracer.status';
export const COMMANDS = {
  showDashboard: 'claudeTracer.showDashboard',
  rescan: 'claudeTracer.rescan',
  rebuildIndex: 'claudeTracer.rebuildIndex',
  remaskArchive: 'claudeTracer.remaskArchive',
  showSessionsForFile: 'claudeTracer.showSessionsForFile',
} as const;
/** Registered by the sync bundle (dist/sync.js) once it has loaded, right after activation. */
export const SUPABASE_COMMANDS = {
  connect: 'claudeTracer.supabase.connect',
  signIn: 'claudeTracer.supabase.signIn',
  signInWithGitHub: 'claudeTracer.supabase.signInWithGitHub',
  signOut: 'claudeTracer.supabase.signOut',
  syncNow: 'claudeTracer.supabase.syncNow',
  showSyncStatus: 'claudeTracer.supabase.showSyncStatus',
  deleteRemoteData: 'claudeTracer.supabase.deleteRemoteData',
} as const;
export const LOG_CHANNEL_NAME = 'Claude Code Tracer';
