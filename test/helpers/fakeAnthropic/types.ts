/**
 * Types of the scripted fake Anthropic Messages API.
 *
 * A scenario is chosen by `SCENARIO:<name>` in the first user message of a request; the
 * scenario's `respond` is called with the step (= number of assistant messages already in the
 * request's `messages`) and returns either a message to stream or an HTTP error.
 */

export interface FakeUsage {
  input: number;
  output: number;
  /** cache writes with the 5-minute TTL */
  cacheWrite5m?: number;
  /** cache writes with the 1-hour TTL */
  cacheWrite1h?: number;
  cacheRead?: number;
  /** usage.speed as the API reports it ('fast' = fast mode, priced higher) */
  speed?: 'standard' | 'fast';
}

export type FakeBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown> };

export interface FakeMessageReply {
  kind: 'message';
  blocks: FakeBlock[];
  usage: FakeUsage;
  /** defaults to 'tool_use' when a tool_use block is present, else 'end_turn' */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
  /** answer with this model instead of echoing the requested one */
  model?: string;
  /** a side query the CLI does not write as an assistant line (e.g. the /compact summary call) */
  sideQuery?: boolean;
}

export interface FakeErrorReply {
  kind: 'error';
  status: number;
  errorType: string;
  message: string;
}

export type FakeReply = FakeMessageReply | FakeErrorReply;

export interface ScenarioContext {
  /** number of assistant messages already present in the request */
  step: number;
  /** scenario name from `SCENARIO:<name>` */
  scenario: string;
  /** the run label the driver set before starting the CLI (part of every id) */
  label: string;
  /** the working directory the driver says the CLI runs in (for absolute tool paths) */
  cwd: string;
  /** the model the CLI asked for */
  requestedModel: string;
  /** text of the last user message (tool results flattened), handy for assertions */
  lastUserText: string;
  /** the raw request body */
  body: RequestBody;
}

export type Scenario = (ctx: ScenarioContext) => FakeReply;

export interface RequestBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role: string; content: unknown }>;
  system?: unknown;
  tools?: unknown[];
  output_config?: { format?: { type?: string } };
  [k: string]: unknown;
}

/** What the server answered, one entry per request: the ground truth of what was emitted. */
export interface EmittedResponse {
  seq: number;
  label: string;
  /** scenario: a scripted turn; side: a scripted side query (compaction); title: session-title side
   * query; other: any request no scenario claimed */
  kind: 'scenario' | 'side' | 'title' | 'other';
  scenario: string | null;
  step: number;
  /** x-claude-code-agent-id header (subagent requests) */
  agentId: string | null;
  /** x-claude-code-session-id header */
  sessionId: string | null;
  status: number;
  messageId: string | null;
  requestId: string;
  model: string | null;
  usage: FakeUsage | null;
  toolUses: Array<{ id: string; name: string }>;
  stream: boolean;
}
