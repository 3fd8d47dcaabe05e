import type { TopicDoc } from '../../../../src/core/analytics/topics/topics';

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

/** One session's metadata. */
export interface SessionMeta {
  sessionId: string;
  projectPath: string | null;
  entrypoint: string | null;
  firstTs: number | null;
  lastTs: number | null;
  title: string | null;
}

export interface AnalyticsRows {
  sessions: SessionMeta[];
  usage: UsageRow[];
  prompts: PromptRow[];
  toolCalls: ToolCallRow[];
  /** Masked text per session for topics; absent = topics not asked for. */
  topicDocs?: TopicDoc[];
}

export const totalTokens = (r: { input: number; output: number; cacheCreation: number; cacheRead: number }) =>
  r.input + r.output + r.cacheCreation + r.cacheRead;
