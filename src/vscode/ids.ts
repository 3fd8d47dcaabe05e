/** Identifiers shared by package.json contributions, the adapters and the tests. */
export const EXTENSION_ID = 'claude-code-tracer.claude-code-tracer';
export const VIEW_CONTAINER_ID = 'claudeTracer';
export const DASHBOARD_VIEW_ID = 'claudeTracer.dashboard';
/** The editor-tab dashboard ("Open Dashboard in Editor"), restored after a reload by its serializer. */
export const DASHBOARD_PANEL_VIEW_TYPE = 'claudeTracer.dashboardPanel';
export const STATUS_ITEM_ID = 'claudeTracer.status';
export const WAITING_ITEM_ID = 'claudeTracer.waiting';
export const LIMITS_ITEM_ID = 'claudeTracer.limits';
export const BUDGET_ITEM_ID = 'claudeTracer.budget';
export const COMMANDS = {
  showDashboard: 'claudeTracer.showDashboard',
  rescan: 'claudeTracer.rescan',
  rebuildIndex: 'claudeTracer.rebuildIndex',
  remaskArchive: 'claudeTracer.remaskArchive',
  openDashboardInEditor: 'claudeTracer.openDashboardInEditor',
  openSession: 'claudeTracer.openSession',
  showPrivacyReport: 'claudeTracer.showPrivacyReport',
  startClaudeInTerminal: 'claudeTracer.startClaudeInTerminal',
  revealTerminal: 'claudeTracer.revealTerminal',
  goToNextWaiting: 'claudeTracer.goToNextWaitingSession',
  pauseTracking: 'claudeTracer.pauseTracking',
  resumeTracking: 'claudeTracer.resumeTracking',
  installStatusLineBridge: 'claudeTracer.installStatusLineBridge',
  removeStatusLineBridge: 'claudeTracer.removeStatusLineBridge',
  installClaudeHooks: 'claudeTracer.installClaudeHooks',
  removeClaudeHooks: 'claudeTracer.removeClaudeHooks',
  showSessionsForFile: 'claudeTracer.showSessionsForFile',
  /** The budget item's click (not in the palette): the dashboard's Metrics view. */
  openBudgetMetrics: 'claudeTracer.openBudgetMetrics',
  openInClaudeCode: 'claudeTracer.openInClaudeCode',
  exportSession: 'claudeTracer.exportSession',
  copyResumeCommand: 'claudeTracer.copyResumeCommand',
  addPrivacyRule: 'claudeTracer.addPrivacyRule',
  openStoreFolder: 'claudeTracer.openStoreFolder',
  showLog: 'claudeTracer.showLog',
} as const;
/** Installed by the hooks feature (its own branch); the walkthrough links to them. */
export const HOOK_COMMANDS = {
  installHooks: 'claudeTracer.installHooks',
  removeHooks: 'claudeTracer.removeHooks',
} as const;
/** The onboarding walkthrough (`contributes.walkthroughs`), as `<publisher>.<name>#<id>`. */
export const WALKTHROUGH_ID = 'claude-code-tracer.claude-code-tracer#claudeTracer.gettingStarted';
/** Forget and format drift (registered by the sync bundle, which carries the store; see forgetCommands.ts). */
export const PRIVACY_COMMANDS = {
  forgetSession: 'claudeTracer.forgetSession',
  forgetProject: 'claudeTracer.forgetProject',
  unforget: 'claudeTracer.unforget',
  saveDriftSample: 'claudeTracer.saveDriftSample',
} as const;
/** Context keys for `when` clauses. */
export const CONTEXT_KEYS = {
  hasLiveSession: 'claudeTracer.hasLiveSession',
  hasWaitingSession: 'claudeTracer.hasWaitingSession',
  hasBoundTerminal: 'claudeTracer.hasBoundTerminal',
  trackingPaused: 'claudeTracer.trackingPaused',
  /** The local store holds at least one session (the session commands show only then). */
  hasSessions: 'claudeTracer.hasSessions',
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
