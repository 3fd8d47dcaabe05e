import * as z from 'zod';

/**
 * zod schemas for the transcript record types we read (docs/TRANSCRIPTS.md §3). Deliberately shallow and loose:
 * unknown fields pass through, and content blocks are checked where they are used (normalizer), so a new
 * CLI version adding fields never makes a line unreadable.
 */
const num = z.number().nullish();
const str = z.string().nullish();

export const UsageSchema = z.looseObject({
  input_tokens: num,
  output_tokens: num,
  cache_creation_input_tokens: num,
  cache_read_input_tokens: num,
  cache_creation: z.looseObject({ ephemeral_5m_input_tokens: num, ephemeral_1h_input_tokens: num }).nullish(),
  speed: str,
  service_tier: str,
});
export type Usage = z.infer<typeof UsageSchema>;

/** Envelope shared by message-class records (user/assistant/system/attachment). */
const envelope = {
  uuid: str,
  parentUuid: str,
  sessionId: str,
  timestamp: str,
  cwd: str,
  gitBranch: str,
  version: str,
  entrypoint: str,
  isSidechain: z.boolean().nullish(),
  agentId: str,
  requestSessionId: str,
};

export const UserRecordSchema = z.looseObject({
  ...envelope,
  type: z.literal('user'),
  isMeta: z.boolean().nullish(),
  isCompactSummary: z.boolean().nullish(),
  promptSource: str,
  origin: z.looseObject({ kind: str }).nullish(),
  message: z.looseObject({ role: str, content: z.union([z.string(), z.array(z.unknown())]) }),
  toolUseResult: z.unknown().optional(),
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

export const AssistantRecordSchema = z.looseObject({
  ...envelope,
  type: z.literal('assistant'),
  requestId: str,
  isApiErrorMessage: z.boolean().nullish(),
  /** ≤ 1.0.8 only: Claude Code's own per-line cost. */
  costUSD: num,
  apiBlockIndex: num,
  message: z.looseObject({
    id: str,
    model: str,
    content: z.union([z.string(), z.array(z.unknown())]).nullish(),
    stop_reason: str,
    usage: UsageSchema.nullish(),
  }),
});
export type AssistantRecord = z.infer<typeof AssistantRecordSchema>;

export const SystemRecordSchema = z.looseObject({
  ...envelope,
  type: z.literal('system'),
  subtype: str,
  durationMs: num,
  /** On `compact_boundary` lines. */
  compactMetadata: z.looseObject({ trigger: str, preTokens: num, postTokens: num }).nullish(),
  /** On `local_command` lines: the slash command that ran (`clear` starts a new session). */
  commandRun: z.looseObject({ command: str }).nullish(),
});
export type SystemRecord = z.infer<typeof SystemRecordSchema>;

/** Legacy title record; has no sessionId, so it belongs to the file it is in. */
export const SummaryRecordSchema = z.looseObject({ type: z.literal('summary'), summary: z.string(), leafUuid: str });
export type SummaryRecord = z.infer<typeof SummaryRecordSchema>;

export const CostStateRecordSchema = z.looseObject({
  type: z.literal('cost-state'),
  sessionId: str,
  totalCostUSD: z.number(),
  hasUnknownModelCost: z.boolean().nullish(),
  totalLinesAdded: z.number().nullish(),
  totalLinesRemoved: z.number().nullish(),
  modelUsage: z.record(z.string(), z.unknown()).nullish(),
});
export type CostStateRecord = z.infer<typeof CostStateRecordSchema>;

export const AiTitleRecordSchema = z.looseObject({ type: z.literal('ai-title'), sessionId: str, aiTitle: z.string() });
export const CustomTitleRecordSchema = z.looseObject({
  type: z.literal('custom-title'),
  sessionId: str,
  customTitle: z.string(),
});
export type AiTitleRecord = z.infer<typeof AiTitleRecordSchema>;
export type CustomTitleRecord = z.infer<typeof CustomTitleRecordSchema>;

export type TranscriptRecord =
  | UserRecord
  | AssistantRecord
  | SystemRecord
  | SummaryRecord
  | CostStateRecord
  | AiTitleRecord
  | CustomTitleRecord;

/** Types we parse and use. Look types up with recordSchemaFor, never by indexing: see there. */
export const RECORD_SCHEMAS: Readonly<Record<string, z.ZodType<TranscriptRecord>>> = {
  user: UserRecordSchema,
  assistant: AssistantRecordSchema,
  system: SystemRecordSchema,
  summary: SummaryRecordSchema,
  'cost-state': CostStateRecordSchema,
  'ai-title': AiTitleRecordSchema,
  'custom-title': CustomTitleRecordSchema,
};

/**
 * The schema for a record type, from own keys only: a line's `type` is untrusted text, and indexing a plain object
 * with "constructor" or "toString" returns Object.prototype's members, which are not schemas (issue 14 §3).
 */
export function recordSchemaFor(type: string): z.ZodType<TranscriptRecord> | undefined {
  return Object.hasOwn(RECORD_SCHEMAS, type) ? RECORD_SCHEMAS[type] : undefined;
}

/**
 * Types the CLI writes that we know and deliberately do not keep (bulky internals, copies of requests,
 * UI state). Counted as "ignored", not as "unknown". Attachments are context the harness injects, not
 * conversation; api-request-blob holds copies of prompts (and secrets) we would only duplicate.
 */
export const IGNORED_TYPES = new Set([
  'attachment',
  'progress',
  'queue-operation',
  'last-prompt',
  'mode',
  'permission-mode',
  'atis-latch',
  'tools-used',
  'file-history-snapshot',
  'file-history-delta',
  'api-request',
  'api-request-resumed',
  'api-request-shape',
  'api-request-blob',
  'agent-name',
  'agent-color',
  'agent-setting',
  'tag',
  'relocated',
  'session-owner',
  'isolation-latch',
  'dev-mods',
  'worktree-state',
  'bridge-session',
  'data-flow-records',
  'data-flow-incomplete',
  'derived-from',
  'pr-link',
  'history-suppression',
  'ended-by-model',
  'content-replacement',
  'memory-mode',
  'artifact-comment-monitor',
  'artifact-autoreact-ledger',
  'fork-context-ref',
  'repl-mode',
  'attribution-snapshot',
  'frame-link',
  'observer-ref',
  'continued-in',
  'resume-head-vouch',
]);
