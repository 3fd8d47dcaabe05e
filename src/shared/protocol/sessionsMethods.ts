import * as z from 'zod';
import { defineMethod } from './rpc';
import { StatusSnapshotSchema } from './status';

/**
 * The dashboard's session methods (Sessions, Session detail, Search, Status). Every transcript string in these
 * results is already masked by the Privacy Guard; the webview renders it as text or inert Markdown, never HTML.
 * Times are epoch milliseconds (UTC); the webview formats them in the user's zone.
 */

const SessionId = z.string().min(1).max(200);
const Ms = z.number().int();
const Count = z.number().int().nonnegative();

// ---- shared shapes ---------------------------------------------------------------------------------------------

/** The filter chips shared by Sessions and Search. Every field optional: {} means everything. */
export const SessionFiltersSchema = z.object({
  /** Case-insensitive substring of the project path. */
  project: z.string().max(500).optional(),
  /** Sessions active in [sinceMs, untilMs): last activity ≥ sinceMs and first activity < untilMs. */
  sinceMs: Ms.optional(),
  untilMs: Ms.optional(),
  /** Exact model id (one the session used for at least one API message). */
  model: z.string().max(200).optional(),
  /** live: written in the last few minutes or registered as running; ended: everything else. */
  status: z.enum(['live', 'ended']).optional(),
  /** Only sessions with at least one failed tool call. */
  hasErrors: z.boolean().optional(),
  /** Exact repository (CodeContext.repository: the masked remote URL, else the repository root). */
  repository: z.string().max(2000).optional(),
  /** Exact branch (from git's context of the session). */
  branch: z.string().max(500).optional(),
});
export type SessionFilters = z.infer<typeof SessionFiltersSchema>;

export const TokenCountsSchema = z.object({
  input: Count,
  output: Count,
  cacheWrite: Count,
  cacheRead: Count,
});
export type TokenCounts = z.infer<typeof TokenCountsSchema>;

/**
 * Per-session sync state: queued for Supabase, refused (dead letter), nothing waiting, or rows that would wait but
 * no Supabase project is connected (shown as "sync not connected", not as a pending upload).
 */
export const SyncStateSchema = z.enum(['pending', 'failed', 'clean', 'notConnected']);

/** One row of the Sessions list. */
export const SessionRowSchema = z.object({
  sessionId: SessionId,
  projectPath: z.string().nullable(),
  /** The session's title or first real prompt (masked), one line, at most ~200 characters. */
  firstPrompt: z.string().nullable(),
  startMs: Ms.nullable(),
  endMs: Ms.nullable(),
  durationMs: Count.nullable(),
  /** Real user prompts (not subagent instructions). */
  turns: Count,
  apiMessages: Count,
  tokens: TokenCountsSchema,
  /** API-equivalent cost of the priced models; null when nothing could be priced (never shown as $0). */
  costUsd: z.number().nonnegative().nullable(),
  /** Models without a known price: when non-empty the cost is partial and must be marked so. */
  unpricedModels: z.array(z.string()),
  models: z.array(z.string()),
  live: z.boolean(),
  sync: SyncStateSchema,
  /** Privacy Guard findings (masked spans) in this session, all categories. */
  findings: Count,
  /** Failed tool calls. */
  errors: Count,
});
export type SessionRow = z.infer<typeof SessionRowSchema>;

export const SessionSortSchema = z.object({
  by: z.enum(['time', 'cost', 'tokens', 'duration']),
  dir: z.enum(['asc', 'desc']),
});
export type SessionSort = z.infer<typeof SessionSortSchema>;

// ---- sessions/query --------------------------------------------------------------------------------------------

export const SessionsQueryParamsSchema = z.object({
  filters: SessionFiltersSchema,
  sort: SessionSortSchema,
  offset: Count,
  limit: z.number().int().min(1).max(500),
});
export type SessionsQueryParams = z.infer<typeof SessionsQueryParamsSchema>;

export const SessionsQueryResultSchema = z.object({
  rows: z.array(SessionRowSchema),
  /** Rows matching the filters (for the scrollbar of the virtualized list). */
  total: Count,
});
export type SessionsQueryResult = z.infer<typeof SessionsQueryResultSchema>;

export const sessionsQuery = defineMethod('sessions/query', SessionsQueryParamsSchema, SessionsQueryResultSchema);

// ---- session/get -----------------------------------------------------------------------------------------------

export const SessionHeaderSchema = SessionRowSchema.extend({
  title: z.string().nullable(),
  gitBranch: z.string().nullable(),
  /** The working directory to resume in (`cd <cwd> && claude --resume <id>`); the project path today. */
  cwd: z.string().nullable(),
  cliVersion: z.string().nullable(),
  entrypoint: z.string().nullable(),
  /** Claude Code's own cost figure, shown next to ours; null when the transcripts carry none. */
  claudeCostUsd: z.number().nonnegative().nullable(),
  toolCalls: Count,
  /** Findings per Privacy Guard category (counts, never values). */
  findingsByCategory: z.record(z.string(), Count),
  /** Timeline entries (session/turns total without agentId): the detail view sizes its list with it. */
  timelineItems: Count,
  /**
   * Sessions related to this one: `origin` = rows here came from it (resume/fork); `derived` = the reverse;
   * `clearedFrom` = this session began with /clear after that one; `clearedInto` = the reverse.
   */
  related: z.array(
    z.object({ sessionId: SessionId, relation: z.enum(['origin', 'derived', 'clearedFrom', 'clearedInto']) }),
  ),
});
export type SessionHeader = z.infer<typeof SessionHeaderSchema>;

/** Answers an error with code 'notFound' for an unknown id. */
export const sessionGet = defineMethod('session/get', z.object({ sessionId: SessionId }), SessionHeaderSchema);

// ---- session/turns ---------------------------------------------------------------------------------------------

/** A text or thinking block; long ones are cut at the host and marked truncated (fullLength says how long). */
export const TextBlockSchema = z.object({
  kind: z.enum(['text', 'thinking']),
  text: z.string(),
  truncated: z.boolean(),
  fullLength: Count,
});
export type TextBlock = z.infer<typeof TextBlockSchema>;

export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** The input as JSON text, cut to a preview; see inputTruncated. */
  input: z.string().nullable(),
  inputTruncated: z.boolean(),
  result: z.string().nullable(),
  resultTruncated: z.boolean(),
  isError: z.boolean(),
  durationMs: z.number().nullable(),
  /** A subagent (Task/Agent tool) run this call started: fetch its items with session/turns {agentId}. */
  subagent: z.object({ agentId: z.string(), type: z.string().nullable(), items: Count }).nullable(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** One timeline entry: a user prompt, an assistant API message, or a compaction boundary. */
export const TurnSchema = z.object({
  id: z.string(),
  /** Position in its timeline (0-based, same order as paging). */
  index: Count,
  kind: z.enum(['prompt', 'response', 'compaction']),
  ts: Ms.nullable(),
  model: z.string().nullable(),
  isSidechain: z.boolean(),
  agentId: z.string().nullable(),
  texts: z.array(TextBlockSchema),
  toolCalls: z.array(ToolCallSchema),
  /** Ledger tokens of this API message (responses only). */
  tokens: TokenCountsSchema.nullable(),
  costUsd: z.number().nonnegative().nullable(),
  /** The model had no known price (cost is null or partial: mark it, never $0). */
  unpriced: z.boolean(),
  /** Response: time since the previous entry of the timeline, where both timestamps exist. */
  latencyMs: z.number().nonnegative().nullable(),
  /** True when a tool call of this entry failed. */
  hasError: z.boolean(),
  /** Compaction boundaries: what triggered it and the context size before and after (null where not recorded). */
  compaction: z
    .object({
      trigger: z.enum(['manual', 'auto']).nullable(),
      preTokens: Count.nullable(),
      postTokens: Count.nullable(),
    })
    .nullable()
    .optional(),
});
export type Turn = z.infer<typeof TurnSchema>;

export const SessionTurnsParamsSchema = z.object({
  sessionId: SessionId,
  /** Absent: the main conversation. Present: the run of that subagent (nested under the tool call). */
  agentId: z.string().max(200).optional(),
  offset: Count,
  limit: z.number().int().min(1).max(500),
});
export type SessionTurnsParams = z.infer<typeof SessionTurnsParamsSchema>;

export const SessionTurnsResultSchema = z.object({ turns: z.array(TurnSchema), total: Count });
export type SessionTurnsResult = z.infer<typeof SessionTurnsResultSchema>;

export const sessionTurns = defineMethod('session/turns', SessionTurnsParamsSchema, SessionTurnsResultSchema);

/**
 * Where a turn sits in the main timeline (the index session/turns pages it at), for deep links and search hits. A
 * subagent's entry answers with the turn whose tool call started its run; null when the session has no such turn.
 */
export const sessionTurnIndex = defineMethod(
  'session/turnIndex',
  z.object({ sessionId: SessionId, turnId: z.string().min(1).max(300) }),
  z.object({ index: Count.nullable() }),
);

/** "Show more" of a truncated tool call: its full input and result (capped at 1 MiB each, still flagged). */
export const sessionToolCall = defineMethod(
  'session/toolCall',
  z.object({ sessionId: SessionId, toolCallId: z.string().min(1).max(300) }),
  ToolCallSchema,
);

// ---- search ----------------------------------------------------------------------------------------------------

/** Highlight ranges [start, end) in UTF-16 code units of `text`: the webview wraps them in <mark> as text nodes. */
export const SnippetSchema = z.object({
  text: z.string(),
  highlights: z.array(z.tuple([Count, Count])),
});
export type Snippet = z.infer<typeof SnippetSchema>;

export const SearchHitSchema = z.object({
  interactionId: z.string(),
  /** 'session': a synced session matched by its project path, branch or model (remote scopes only). */
  role: z.enum(['prompt', 'response', 'session']),
  at: Ms.nullable(),
  snippet: SnippetSchema,
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/**
 * Where a remote scope's group came from: the caller's own rows (from this or another machine) or a team member's.
 * Absent for the local scope.
 */
export const SearchOriginSchema = z.object({
  mine: z.boolean(),
  /** The machine name the syncing machine recorded (metadata.machine); null for rows synced before it existed. */
  machine: z.string().max(200).nullable(),
  /** The machine is this one (its name equals this host's). */
  thisMachine: z.boolean(),
  /** A team member's user id (null for the caller's own rows). */
  memberId: z.string().max(100).nullable(),
  /** The session's API-equivalent cost as synced (null when the server has none). */
  costUsd: z.number().nonnegative().nullable(),
});
export type SearchOrigin = z.infer<typeof SearchOriginSchema>;

export const SearchGroupSchema = z.object({
  sessionId: SessionId,
  projectPath: z.string().nullable(),
  firstPrompt: z.string().nullable(),
  startMs: Ms.nullable(),
  hits: z.array(SearchHitSchema),
  origin: SearchOriginSchema.optional(),
});
export type SearchGroup = z.infer<typeof SearchGroupSchema>;

/**
 * Where Search looks: 'local' this machine's store (FTS; the default), 'mine' the caller's synced rows from every
 * machine (Supabase, under RLS), 'team' the synced rows of the members of teams the caller is an owner/admin of.
 */
export const SearchScopeSchema = z.enum(['local', 'mine', 'team']);
export type SearchScope = z.infer<typeof SearchScopeSchema>;

export const SearchParamsSchema = z.object({
  /** Words to find (all of them, prefix match on the last); FTS operators are not exposed. */
  query: z.string().min(1).max(500),
  scope: SearchScopeSchema.optional(),
  filters: SessionFiltersSchema,
  /** Matching texts at most (before grouping). */
  limit: z.number().int().min(1).max(500),
});
export type SearchParams = z.infer<typeof SearchParamsSchema>;

export const SearchResultSchema = z.object({
  /** Best group first (the best hit of each group decides). */
  groups: z.array(SearchGroupSchema),
  /**
   * 'scan': this backend cannot read the file's FTS index, so a slower substring scan answered. 'remote': Supabase
   * answered (scopes 'mine' and 'team').
   */
  engine: z.enum(['fts5', 'fts4', 'scan', 'remote']),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const search = defineMethod('search', SearchParamsSchema, SearchResultSchema);

// ---- status/get ------------------------------------------------------------------------------------------------

export const StatusDetailsSchema = z.object({
  snapshot: StatusSnapshotSchema,
  /** Null until the store exists. */
  store: z
    .object({
      sizeBytes: Count,
      schemaVersion: Count,
      fts: z.object({ engine: z.enum(['fts5', 'fts4']), writable: z.boolean() }),
    })
    .nullable(),
  /** Lines the ingest skipped, per reason (reasons are codes, never transcript text). */
  skipped: z.array(z.object({ reason: z.string(), lines: Count, files: Count })),
  unpricedModels: z.array(z.string()),
  sync: z.object({
    pending: Count,
    deadLetters: z.array(
      z.object({ entity: z.string(), entityId: z.string(), reason: z.string(), attempts: Count, failedAt: Ms }),
    ),
  }),
});
export type StatusDetails = z.infer<typeof StatusDetailsSchema>;

export const statusGet = defineMethod('status/get', z.object({}), StatusDetailsSchema);

/** Every method of this file, for the router's registration and the tests. */
export const SESSIONS_METHODS = [
  sessionsQuery,
  sessionGet,
  sessionTurns,
  sessionTurnIndex,
  sessionToolCall,
  search,
  statusGet,
] as const;
