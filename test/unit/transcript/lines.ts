/**
 * Builders for hand-made transcript lines, shaped like the real CLI's (docs/TRANSCRIPTS.md §3–5).
 * Tests write the expected totals by hand next to the lines they build — never from the code under test.
 */
export interface UsageSpec {
  in: number;
  out: number;
  cw?: number;
  cr?: number;
  /** nested breakdown; when given, cache_creation_input_tokens is `cw` (which may be 0 — CLI 2.1.152 quirk) */
  c5?: number;
  c1?: number;
  speed?: string;
}

export function usage(u: UsageSpec): Record<string, unknown> {
  const o: Record<string, unknown> = {
    input_tokens: u.in,
    cache_creation_input_tokens: u.cw ?? 0,
    cache_read_input_tokens: u.cr ?? 0,
    output_tokens: u.out,
    service_tier: 'standard',
  };
  if (u.c5 !== undefined || u.c1 !== undefined)
    o.cache_creation = { ephemeral_5m_input_tokens: u.c5 ?? 0, ephemeral_1h_input_tokens: u.c1 ?? 0 };
  if (u.speed) o.speed = u.speed;
  return o;
}

interface Env {
  uuid: string;
  sessionId: string;
  ts: string;
  cwd?: string;
  isSidechain?: boolean;
  agentId?: string;
  requestSessionId?: string;
  parentUuid?: string | null;
}

function envelope(e: Env): Record<string, unknown> {
  const o: Record<string, unknown> = {
    parentUuid: e.parentUuid ?? null,
    isSidechain: e.isSidechain ?? false,
    userType: 'external',
    cwd: e.cwd ?? '/home/dev/proj',
    sessionId: e.sessionId,
    version: '2.1.332',
    gitBranch: 'main',
    entrypoint: 'sdk-cli',
    uuid: e.uuid,
    timestamp: e.ts,
  };
  if (e.agentId) o.agentId = e.agentId;
  if (e.requestSessionId) o.requestSessionId = e.requestSessionId;
  return o;
}

export function prompt(e: Env & { text: string; isMeta?: boolean }): string {
  return JSON.stringify({
    ...envelope(e),
    type: 'user',
    ...(e.isMeta ? { isMeta: true } : {}),
    message: { role: 'user', content: e.text },
  });
}

export function toolResult(e: Env & { toolUseId: string; content: string; isError?: boolean }): string {
  return JSON.stringify({
    ...envelope(e),
    type: 'user',
    message: {
      role: 'user',
      content: [{ tool_use_id: e.toolUseId, type: 'tool_result', content: e.content, is_error: e.isError ?? false }],
    },
    toolUseResult: { stdout: e.content, stderr: '', interrupted: false },
  });
}

export type Block =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export function assistant(
  e: Env & {
    msgId: string;
    reqId?: string;
    model?: string;
    usage: UsageSpec;
    block: Block;
    blockIndex?: number;
    stop?: string | null;
    costUSD?: number;
    apiError?: boolean;
  },
): string {
  // Field order as the real CLI writes it: message first, envelope after (matters for oversized-line salvage).
  const o: Record<string, unknown> = {
    parentUuid: e.parentUuid ?? null,
    isSidechain: e.isSidechain ?? false,
    message: {
      id: e.msgId,
      type: 'message',
      role: 'assistant',
      model: e.model ?? 'claude-opus-4-5',
      content: [e.block],
      stop_reason: e.stop === undefined ? 'end_turn' : e.stop,
      stop_sequence: null,
      usage: usage(e.usage),
    },
  };
  if (e.reqId) o.requestId = e.reqId;
  Object.assign(o, { type: 'assistant', ...envelope(e) });
  if (e.blockIndex !== undefined) o.apiBlockIndex = e.blockIndex;
  if (e.costUSD !== undefined) o.costUSD = e.costUSD;
  if (e.apiError) o.isApiErrorMessage = true;
  return JSON.stringify(o);
}

export const jsonl = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
