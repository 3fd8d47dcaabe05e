import * as z from 'zod';
import {
  type MetricsRange,
  MetricsRangeSchema,
  type SearchScope,
  type SessionFilters,
  type SessionSort,
} from '../../../src/shared/protocol';
import { loadUiState, saveUiState } from '../vscodeApi';

/** The views the shell switches between; 'session' is the detail of one session. */
export const VIEWS = ['sessions', 'search', 'metrics', 'privacy', 'status', 'session'] as const;
export type ViewName = (typeof VIEWS)[number];

// What we saved earlier may come from an older build: anything unreadable falls back to its default.
const SavedSchema = z.object({
  view: z.enum(VIEWS).catch('sessions'),
  sessionId: z.string().max(200).nullable().catch(null),
  returnTo: z.enum(VIEWS).catch('sessions'),
  filters: z
    .object({
      project: z.string().max(500).optional(),
      sinceMs: z.number().int().optional(),
      untilMs: z.number().int().optional(),
      model: z.string().max(200).optional(),
      status: z.enum(['live', 'ended']).optional(),
      hasErrors: z.boolean().optional(),
      repository: z.string().max(2000).optional(),
      branch: z.string().max(500).optional(),
    })
    .catch({}),
  sort: z
    .object({ by: z.enum(['time', 'cost', 'tokens', 'duration']), dir: z.enum(['asc', 'desc']) })
    .catch({ by: 'time', dir: 'desc' }),
  query: z.string().max(500).catch(''),
  searchScope: z.enum(['local', 'mine', 'team']).catch('local'),
  /** Whose usage the Metrics view shows (the same scopes as Search). */
  metricsScope: z.enum(['local', 'mine', 'team']).catch('local'),
  /** The Metrics and Privacy views' range. */
  metricsRange: MetricsRangeSchema.catch('30d'),
  scroll: z.record(z.string(), z.number()).catch({}),
  active: z.record(z.string(), z.number().int().nonnegative()).catch({}),
});
type Saved = z.infer<typeof SavedSchema>;

/**
 * Navigation and UI state — never host data. Saved with vscode.setState so a hidden and re-shown view (or a
 * restored editor panel) comes back where it was.
 */
export class UiState {
  view = $state<ViewName>('sessions');
  sessionId = $state<string | null>(null);
  /** Where Esc / Back returns from the session detail. */
  returnTo = $state<ViewName>('sessions');
  filters = $state.raw<SessionFilters>({});
  sort = $state.raw<SessionSort>({ by: 'time', dir: 'desc' });
  query = $state('');
  /** Where Search looks: this machine (default) or, through Supabase, all my machines / my team. */
  searchScope = $state<SearchScope>('local');
  /** Whose usage Metrics shows: this machine (default), or through Supabase all my machines / my team. */
  metricsScope = $state<SearchScope>('local');
  metricsRange = $state<MetricsRange>('30d');
  /**
   * A turn to bring into view in the session detail (a deep link or a search hit): the detail consumes it (sets it
   * back to null) once it asked the host where the turn is. Not saved: a reload does not jump again.
   */
  focusTurn = $state.raw<{ sessionId: string; turnId: string } | null>(null);
  /** Scroll offsets and active rows per list (keys: 'sessions', 'session:<id>', 'search'). */
  scroll: Record<string, number> = {};
  active: Record<string, number> = {};
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const saved = SavedSchema.safeParse(loadUiState() ?? {});
    if (saved.success) this.#apply(saved.data);
    // Any change of the reactive fields is saved (debounced); scroll offsets are saved by save().
    $effect.root(() => {
      $effect(() => {
        void [
          this.view,
          this.sessionId,
          this.returnTo,
          this.filters,
          this.sort,
          this.query,
          this.searchScope,
          this.metricsScope,
          this.metricsRange,
        ];
        this.save();
      });
    });
  }

  #apply(s: Saved): void {
    this.view = s.view === 'session' && !s.sessionId ? 'sessions' : s.view;
    this.sessionId = s.sessionId;
    this.returnTo = s.returnTo === 'session' ? 'sessions' : s.returnTo;
    this.filters = s.filters;
    this.sort = s.sort;
    this.query = s.query;
    this.searchScope = s.searchScope;
    this.metricsScope = s.metricsScope;
    this.metricsRange = s.metricsRange;
    this.scroll = s.scroll;
    this.active = s.active;
  }

  show(view: Exclude<ViewName, 'session'>): void {
    this.view = view;
  }

  /** Opens a session's detail; with a turnId (a timeline Turn.id) scrolled to that turn, highlighted and focused. */
  openSession(sessionId: string, turnId?: string): void {
    if (this.view !== 'session') this.returnTo = this.view;
    this.sessionId = sessionId;
    this.view = 'session';
    this.focusTurn = turnId ? { sessionId, turnId } : null;
  }

  back(): void {
    this.view = this.returnTo;
  }

  setFilters(filters: SessionFilters): void {
    this.filters = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== ''));
  }

  /** Debounced: scrolling calls this on every frame. */
  save(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.saveNow(), 150);
  }

  saveNow(): void {
    clearTimeout(this.#timer);
    // Keep only a few detail scroll positions: the saved state should not grow with every session opened.
    const keys = Object.keys(this.scroll);
    for (const k of keys.filter((k) => k.startsWith('session:')).slice(0, -20)) {
      delete this.scroll[k];
      delete this.active[k];
    }
    const saved: Saved = {
      view: this.view,
      sessionId: this.sessionId,
      returnTo: this.returnTo,
      filters: $state.snapshot(this.filters),
      sort: $state.snapshot(this.sort),
      query: this.query,
      searchScope: this.searchScope,
      metricsScope: this.metricsScope,
      metricsRange: this.metricsRange,
      scroll: { ...this.scroll },
      active: { ...this.active },
    };
    saveUiState(saved);
  }
}
