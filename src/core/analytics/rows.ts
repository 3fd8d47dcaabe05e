import type { ToolStats } from './efficiency';
import type { TopicDoc } from './topics/topics';

/**
 * The typed rows analytics computes over. Any source can produce them: the local store (infra/sqlite/analyticsReads)
 * or, later, rows read from Supabase. Every function in this folder is pure over these rows.
 */

/** One API message of the usage ledger (deduplicated by message id + request id). */
export interface UsageRow {
  sessionId: string;
  /** Epoch ms; rows without a timestamp are left out at the boundary (they belong to no bucket). */
  ts: number;
  model: string | null;
  speed: string | null;
  input: number;
  output: number;
  cache5m: number;
  cache1h: number;
  /** All cache-write tokens (5m + 1h, or the total alone for CLIs that did not split it). */
  cacheCreation: number;
  cacheRead: number;
  /** Written by a subagent (sidechain) rather than the main thread. */
  isSidechain: boolean;
  /**
   * Set on a rollup cell (store or Postgres pre-aggregate): the row then stands for `n` API messages of one session,
   * model, speed, long-context tier and sidechain flag within one UTC quarter-hour, from `ts` (the first) to `lastTs`
   * (the last), its token fields being their sums. Absent on a plain row: one message at `ts`.
   */
  n?: number;
  lastTs?: number;
  /** The long-context tier the cell's messages were priced at (a sum of tokens cannot tell it). */
  promptAbove?: number;
}

/** One real user prompt (sidechain prompts are subagent instructions and are not rows). */
export interface PromptRow {
  sessionId: string;
  ts: number | null;
}

/** One tool call, with its result when it arrived. */
export interface ToolCallRow {
  id: string;
  sessionId: string;
  name: string;
  /**
   * Identifies the call's input, for retry detection only (never shown): the masked input JSON, or a digest of it
   * (the store reads a 53-bit hash, so two million calls do not keep their inputs in memory).
   */
  inputKey: string | null;
  ts: number | null;
  /** null: no result recorded (yet). */
  isError: boolean | null;
  isSidechain: boolean;
}

/** One main-thread compaction boundary (`system/compact_boundary`, manual or auto): only its session and time count. */
export interface CompactionRow {
  sessionId: string;
  ts: number | null;
}

/** One session's metadata. */
export interface SessionMeta {
  sessionId: string;
  projectPath: string | null;
  entrypoint: string | null;
  firstTs: number | null;
  lastTs: number | null;
  title: string | null;
}

/**
 * What analytics needs of one session beyond its usage sums, computed over the session's own rows in time order (retries,
 * first responses): the store caches it per session and recomputes it only for the sessions that changed.
 */
export interface SessionFacts {
  sessionId: string;
  /** Main-thread user prompts (with or without a time). */
  prompts: number;
  /**
   * When the timed prompts were sent, as flat pairs [first, last, first, last, …] (one pair per prompt from rows, one
   * per quarter-hour from the store): numbers, not an object per span, since a reader keeps 20,000 sessions' facts.
   */
  promptSpans: number[];
  /** Per prompt, the time to the first API message after it (efficiency.firstResponseDelays). */
  firstResponseMs: number[];
  /** The session's tool calls per tool (efficiency.toolStats over its calls). */
  tools: ToolStats[];
  /** Main-thread compaction boundaries; null: the source has no compaction rows (synced rows), so not 0. */
  compactions: number | null;
  /**
   * Per timed prompt answered before the next prompt: the time to the last API message of that turn (its recorded
   * time, the first line of that message), in ms (efficiency.turnDurations).
   */
  turnMs: number[];
}

/** One session's part of the input: its usage rows (or cells), facts and metadata. */
export interface SessionInput {
  usage: readonly UsageRow[];
  facts: SessionFacts | undefined;
  meta: SessionMeta | undefined;
}

/** Rows, or rollup cells and per-session facts: what the analytics functions compute over. */
export interface AnalyticsInput {
  sessions: SessionMeta[];
  /** Plain rows or rollup cells (UsageRow.n). */
  usage: UsageRow[];
  /**
   * The same input per session, when the source keeps it between reads: a session's object stays the same while the
   * session does, so a kept AnalyticsIndex redoes only the sessions whose object changed.
   */
  perSession?: ReadonlyMap<string, SessionInput>;
  /** perSession holds every session there is (not a filtered read): sessions missing from it are gone. */
  complete?: boolean;
  facts: SessionFacts[];
  /** Masked text (or cached terms) per session for topics; absent = topics not asked for. */
  topicDocs?: TopicDoc[];
  /**
   * The plain ledger rows in [fromMs, toMs): the 7-day cache-ratio split falls inside a quarter-hour, which a cell
   * cannot split. Absent: the input's own usage rows are plain rows and are filtered.
   */
  rowsBetween?: (fromMs: number, toMs: number) => UsageRow[];
  /** What this source's rows cannot tell (synced rows: tool results…), added to the result's notComputed. */
  notComputed?: string[];
}

/** Which rows analytics reads (the same for every source). */
export interface AnalyticsFilter {
  /** Rows at or after this instant (ms). */
  sinceMs?: number;
  /** Rows before this instant (ms). */
  untilMs?: number;
  /** Sessions whose project path contains this (case-insensitive), as `cct sessions --project`. */
  project?: string;
}

export interface AnalyticsRows {
  sessions: SessionMeta[];
  usage: UsageRow[];
  prompts: PromptRow[];
  toolCalls: ToolCallRow[];
  /** Main-thread compaction boundaries; absent = this source does not have them (the result says so, never 0). */
  compactions?: CompactionRow[];
  /** Masked text per session for topics; absent = topics not asked for. */
  topicDocs?: TopicDoc[];
}

/** How many API messages a usage row stands for (a rollup cell: several). */
export const messagesOf = (r: UsageRow) => r.n ?? 1;
/** The last message time of a usage row (a rollup cell: its last; a row: its own). */
export const lastTsOf = (r: UsageRow) => r.lastTs ?? r.ts;

export const totalTokens = (r: { input: number; output: number; cacheCreation: number; cacheRead: number }) =>
  r.input + r.output + r.cacheCreation + r.cacheRead;
