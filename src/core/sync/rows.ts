import { createHash } from 'node:crypto';
import type { Masked } from '../privacy/masker';

/**
 * The rows the sync engine sends (the remote rows; the store's own session row is core/sessions' SessionRecord),
 * exactly the columns the client writes in public.claude_sessions / public.claude_interactions
 * (supabase/migrations). `user_id` is never sent: the server fills it from the JWT (default auth.uid()) and RLS
 * WITH CHECK enforces it. Every batch carries COMPLETE, homogeneous rows: supabase-js sends
 * `?columns=<union of keys>` and PostgREST writes a missing key as NULL — not the column default — and on merge
 * overwrites the stored value with NULL (supabase/tests/database/20-postgrest-upsert.test.sql shows it).
 */
export interface RemoteSessionRow {
  session_id: string;
  project_path: Masked | null;
  start_time: string;
  end_time: string | null;
  status: 'active' | 'completed' | 'abandoned' | 'error';
  total_interactions: number;
  total_cost_usd: number;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  metadata: Record<string, unknown>;
  /** Code context (issue 13), null outside a known repository: the remote without credentials, masked. */
  git_remote_url: Masked | null;
  git_branch: Masked | null;
  git_head_start: string | null;
  git_head_end: string | null;
  /** Commits made during the session, oldest first (shas only: subjects stay local). */
  git_commit_shas: string[] | null;
  /** Pull requests containing them (titles stay local); null until the opt-in lookup found any answer. */
  git_pull_requests: SessionPullRequest[] | null;
}

/** A pull request as synced with its session (`url` masked like any text). */
export interface SessionPullRequest {
  number: number;
  state: string;
  url: Masked;
}

export type MessageType = 'user' | 'assistant' | 'system' | 'tool_use' | 'tool_result' | 'summary' | 'other';

export interface InteractionRow {
  session_id: string;
  /** Idempotency key with user_id: the transcript line uuid, or interactionUuid(localId) for derived rows. */
  message_uuid: string;
  message_type: MessageType;
  user_prompt: Masked | null;
  claude_response: Masked | null;
  tools_used: unknown;
  performance_metrics: unknown;
  context_analysis: unknown;
  privacy_status: unknown;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cost_usd: number | null;
  /** Transcript time (ISO). Never now(): with the partitioning plan it is part of the conflict key. */
  occurred_at: string;
}

export const SESSION_COLUMNS = [
  'session_id',
  'project_path',
  'start_time',
  'end_time',
  'status',
  'total_interactions',
  'total_cost_usd',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'metadata',
  'git_remote_url',
  'git_branch',
  'git_head_start',
  'git_head_end',
  'git_commit_shas',
  'git_pull_requests',
] as const satisfies readonly (keyof RemoteSessionRow)[];

export const INTERACTION_COLUMNS = [
  'session_id',
  'message_uuid',
  'message_type',
  'user_prompt',
  'claude_response',
  'tools_used',
  'performance_metrics',
  'context_analysis',
  'privacy_status',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'cost_usd',
  'occurred_at',
] as const satisfies readonly (keyof InteractionRow)[];

/** Exactly `columns`, in that order; a missing or undefined value becomes null. Extra keys are dropped. */
export function completeRow<T extends object>(row: T, columns: readonly (keyof T)[]): T {
  const out = {} as Record<string, unknown>;
  for (const c of columns) {
    const v = (row as Record<string, unknown>)[c as string];
    out[c as string] = v === undefined ? null : v;
  }
  return out as T;
}

export type SyncMode = 'off' | 'metadata' | 'full';
/** A mode rows are actually sent in. */
export type SendMode = Exclude<SyncMode, 'off'>;

/** Orders the modes by what they let leave the machine: rows sent in a lower mode lack what a higher one adds. */
export function modeRank(mode: SyncMode): number {
  return mode === 'full' ? 2 : mode === 'metadata' ? 1 : 0;
}

/**
 * What a mode lets leave the machine. `full`: masked text as stored. `metadata`: no prompt/response text, no
 * context analysis, tools reduced to their names, and privacy_status records that text was withheld.
 */
export function projectInteraction(row: InteractionRow, mode: SendMode): InteractionRow {
  const full = completeRow(row, INTERACTION_COLUMNS);
  if (mode === 'full') return full;
  return {
    ...full,
    user_prompt: null,
    claude_response: null,
    context_analysis: null,
    tools_used: toolNamesOnly(full.tools_used),
    privacy_status: {
      ...(isPlainObject(full.privacy_status) ? full.privacy_status : {}),
      text: 'withheld:metadata-mode',
    },
  };
}

export function projectSession(row: RemoteSessionRow): RemoteSessionRow {
  return completeRow(row, SESSION_COLUMNS);
}

function toolNamesOnly(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools == null ? null : [];
  return tools
    .map((t) => (typeof t === 'string' ? t : isPlainObject(t) && typeof t.name === 'string' ? t.name : null))
    .filter((n): n is string => n !== null);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NAMESPACE = Buffer.from('6f1c2b1e8d4a4b7e9a55c0de7ace0001', 'hex');
/**
 * A stable RFC 4122 version-5 UUID for a local interaction id that is not a uuid itself (e.g. `r:<message.id>`
 * for an API response merged from several lines): the same id always maps to the same uuid, so retries and
 * re-scans hit the same (user_id, message_uuid) key.
 */
export function interactionUuid(localId: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(localId))
    return localId.toLowerCase();
  const h = createHash('sha1').update(NAMESPACE).update(localId, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
