import type { Masked } from '../privacy/masker';

/**
 * What the normalizer hands the store for one batch of lines. Every free-text column is `Masked`, so
 * unmasked text cannot reach the store by construction; ids, enums, numbers and timestamps stay plain.
 */
export interface SessionFacts {
  sessionId: string;
  projectPath?: Masked;
  gitBranch?: Masked;
  cliVersion?: string;
  entrypoint?: string;
  firstTs?: number;
  lastTs?: number;
  title?: Masked;
  /** custom-title 3 > ai-title 2 > legacy summary 1; the highest rank wins, later wins within a rank. */
  titleRank?: number;
  claudeCostUsd?: number;
  claudeCostUnknown?: boolean;
  claudeModelUsage?: Masked;
  /** Claude Code's own cumulative line counts (cost-state `totalLinesAdded` / `totalLinesRemoved`). */
  claudeLinesAdded?: number;
  claudeLinesRemoved?: number;
}

interface Placement {
  sessionId: string;
  /** The session the record was first written in (requestSessionId on fork copies), for fork attribution. */
  originSession: string;
  isSidechain: boolean;
  agentId?: string;
  sourceFile: string;
  byteOffset: number;
  ccVersion?: string;
}

export interface PromptRow extends Placement {
  id: string; // p:<uuid>
  ts?: number;
}

export interface ApiMessageRow extends Placement {
  key: string;
  interactionId: string; // r:<key>
  messageId: string;
  requestId?: string;
  ts?: number;
  model?: string;
  speed?: string;
  input: number;
  output: number;
  cache5m: number;
  cache1h: number;
  cacheCreation: number;
  cacheRead: number;
  lineUuid?: string;
  entrypoint?: string;
  legacyCostUsd?: number;
}

export interface TextRow {
  key: string;
  interactionId: string;
  ord: number;
  kind: 'prompt' | 'text' | 'thinking';
  text: Masked;
}

export interface ToolCallRow extends Placement {
  id: string;
  interactionId: string;
  name: string;
  inputJson: Masked;
  ts?: number;
}

export interface ToolResultRow {
  toolUseId: string;
  sessionId: string;
  originSession: string;
  result: Masked;
  isError: boolean;
  ts?: number;
}

export interface SubagentLinkRow {
  toolUseId: string;
  agentId: string;
  agentType?: string;
  file: string;
}

/** A `system/compact_boundary` line: where Claude Code summarised the conversation (`/compact` or automatically). */
export interface CompactionRow extends Placement {
  id: string; // c:<uuid>
  ts?: number;
  trigger?: 'manual' | 'auto';
  /** Context tokens before the compaction (compactMetadata.preTokens), where the line carries them. */
  preTokens?: number;
  postTokens?: number;
}

/** A session that began with `/clear` (its file starts with the clear command): the one before it was cleared. */
export interface ClearStartRow {
  sessionId: string;
  ts?: number;
}

export interface FindingRow {
  rowKey: string;
  sessionId: string;
  counts: Record<string, number>;
  /** The same findings per category and rule id (privacy_rule_findings: the report's top rules). */
  rules: Record<string, Record<string, number>>;
}

export interface IngestBatch {
  sessions: Map<string, SessionFacts>;
  prompts: PromptRow[];
  apiMessages: ApiMessageRow[];
  /** Assistant messages that carry no usage of their own but have content (synthetic errors) — kept as text. */
  texts: TextRow[];
  toolCalls: ToolCallRow[];
  toolResults: ToolResultRow[];
  subagentLinks: SubagentLinkRow[];
  findings: FindingRow[];
  compactions: CompactionRow[];
  clearStarts: ClearStartRow[];
}

export function emptyBatch(): IngestBatch {
  return {
    sessions: new Map(),
    prompts: [],
    apiMessages: [],
    texts: [],
    toolCalls: [],
    toolResults: [],
    subagentLinks: [],
    findings: [],
    compactions: [],
    clearStarts: [],
  };
}
