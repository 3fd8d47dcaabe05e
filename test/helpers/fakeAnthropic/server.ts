/**
 * A scripted local fake of the Anthropic Messages API, good enough for the real Claude Code CLI
 * (`ANTHROPIC_BASE_URL=<url>`). It streams SSE exactly as the CLI expects:
 * message_start (with usage) → per block content_block_start / *_delta / content_block_stop (mandatory)
 * → message_delta (final usage, stop_reason) → message_stop, with a `request-id` header that the CLI
 * writes into the transcript as `requestId`.
 *
 * Ids are deterministic: they are built from the run label (set by the driver before each CLI run),
 * the scenario and the step, so regenerating fixtures gives the same message/request/tool ids.
 * Every answer is recorded in `emitted` — the ground truth of what the CLI was told.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EmittedResponse,
  FakeBlock,
  FakeMessageReply,
  FakeReply,
  FakeUsage,
  RequestBody,
  Scenario,
  ScenarioContext,
} from './types';

export * from './types';

export interface FakeAnthropicOptions {
  scenarios: Record<string, Scenario>;
  /** usage reported for session-title side queries (not written to transcripts by the CLI) */
  titleUsage?: FakeUsage;
  /** called for every request (for debugging) */
  onRequest?: (path: string, headers: http.IncomingHttpHeaders, body: RequestBody | null) => void;
}

export interface FakeAnthropicServer {
  url: string;
  emitted: EmittedResponse[];
  /** label and cwd for the next CLI run; ids of every answer include the label */
  setRun(run: { label: string; cwd: string }): void;
  close(): Promise<void>;
}

const DEFAULT_TITLE_USAGE: FakeUsage = { input: 40, output: 8 };

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const b of content as Array<Record<string, unknown>>) {
    if (!b || typeof b !== 'object') continue;
    if (typeof b.text === 'string') parts.push(b.text);
    if (b.type === 'tool_result') parts.push(textOf(b.content));
  }
  return parts.join('\n');
}

export function findScenario(body: RequestBody): string | null {
  const msgs = body.messages ?? [];
  for (const m of msgs) {
    if (m.role !== 'user') continue;
    const t = textOf(m.content);
    const match = /SCENARIO:([A-Za-z0-9_-]+)/.exec(t);
    if (match) return match[1] ?? null;
    // only the first user message that has real text decides
  }
  return null;
}

function isTitleQuery(body: RequestBody): boolean {
  const fmt = body.output_config?.format;
  if (fmt && fmt.type === 'json_schema') return true;
  return false;
}

function usageJson(u: FakeUsage, outputTokens: number) {
  const w5 = u.cacheWrite5m ?? 0;
  const w1 = u.cacheWrite1h ?? 0;
  return {
    input_tokens: u.input,
    output_tokens: outputTokens,
    cache_creation_input_tokens: w5 + w1,
    cache_read_input_tokens: u.cacheRead ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: w5, ephemeral_1h_input_tokens: w1 },
    service_tier: 'standard',
    ...(u.speed ? { speed: u.speed } : {}),
  };
}

function sse(res: http.ServerResponse, event: string, data: unknown) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function startFakeAnthropic(opts: FakeAnthropicOptions): Promise<FakeAnthropicServer> {
  const emitted: EmittedResponse[] = [];
  let run = { label: 'x', cwd: process.cwd() };
  const seen = new Map<string, number>();
  const sessionScenario = new Map<string, string>();
  let seq = 0;

  function uniqueSuffix(base: string): string {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_r${n}`;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://x');
    let body: RequestBody | null = null;
    try {
      body = raw ? (JSON.parse(raw) as RequestBody) : null;
    } catch {
      body = null;
    }
    opts.onRequest?.(url.pathname, req.headers, body);

    if (req.method === 'HEAD' || url.pathname === '/api/hello') {
      res.writeHead(200).end();
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/messages' || !body) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'fake: not found' } }));
      return;
    }

    const messages = body.messages ?? [];
    const step = messages.filter((m) => m.role === 'assistant').length;
    const agentId = (req.headers['x-claude-code-agent-id'] as string | undefined) ?? null;
    const sessionId = (req.headers['x-claude-code-session-id'] as string | undefined) ?? null;
    // after /compact the first user message is the summary, without the marker: the session keeps the
    // scenario it started with (subagents carry their own marker, which wins)
    let scenario = findScenario(body);
    if (scenario && sessionId && !agentId && !sessionScenario.has(sessionId)) sessionScenario.set(sessionId, scenario);
    if (!scenario && sessionId) scenario = sessionScenario.get(sessionId) ?? null;
    const scenarioFn = scenario ? opts.scenarios[scenario] : undefined;
    const requestedModel = body.model ?? 'claude-unknown';
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');

    let kind: EmittedResponse['kind'];
    let reply: FakeReply;
    let idBase: string;
    if (isTitleQuery(body)) {
      kind = 'title';
      idBase = uniqueSuffix(`${run.label}_title`);
      reply = {
        kind: 'message',
        blocks: [{ type: 'text', text: JSON.stringify({ title: `Fixture ${scenario ?? 'session'}` }) }],
        usage: opts.titleUsage ?? DEFAULT_TITLE_USAGE,
        stopReason: 'end_turn',
      };
    } else if (scenario && scenarioFn) {
      kind = 'scenario';
      idBase = uniqueSuffix(`${run.label}_${scenario}_s${step}`);
      const ctx: ScenarioContext = {
        step,
        scenario,
        label: run.label,
        cwd: run.cwd,
        requestedModel,
        lastUserText: lastUser ? textOf(lastUser.content) : '',
        body,
      };
      reply = scenarioFn(ctx);
    } else {
      kind = 'other';
      idBase = uniqueSuffix(`${run.label}_other`);
      reply = { kind: 'message', blocks: [{ type: 'text', text: 'ok' }], usage: { input: 5, output: 1 } };
    }

    const requestId = `req_fx_${idBase}`;
    const record: EmittedResponse = {
      seq: seq++,
      label: run.label,
      kind,
      scenario,
      step,
      agentId,
      sessionId,
      status: 200,
      messageId: null,
      requestId,
      model: null,
      usage: null,
      toolUses: [],
      stream: body.stream === true,
    };
    emitted.push(record);

    if (reply.kind === 'message' && reply.sideQuery) record.kind = 'side';
    if (reply.kind === 'error') {
      record.status = reply.status;
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(JSON.stringify({ type: 'error', error: { type: reply.errorType, message: reply.message } }));
      return;
    }
    writeMessage(
      res,
      reply,
      `msg_fx_${idBase}`,
      `toolu_fx_${idBase}`,
      requestId,
      requestedModel,
      body.stream === true,
      record,
    );
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `fake: ${String(e)}` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    emitted,
    setRun(r) {
      run = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function writeMessage(
  res: http.ServerResponse,
  reply: FakeMessageReply,
  messageId: string,
  toolIdBase: string,
  requestId: string,
  requestedModel: string,
  stream: boolean,
  record: EmittedResponse,
) {
  const model = reply.model ?? requestedModel;
  const hasTool = reply.blocks.some((b) => b.type === 'tool_use');
  const stopReason = reply.stopReason ?? (hasTool ? 'tool_use' : 'end_turn');
  const content = reply.blocks.map((b: FakeBlock, i) => {
    if (b.type === 'tool_use') {
      const id = `${toolIdBase}_b${i}`;
      record.toolUses.push({ id, name: b.name });
      return { type: 'tool_use', id, name: b.name, input: b.input };
    }
    if (b.type === 'thinking') return { type: 'thinking', thinking: b.thinking, signature: `sig_${messageId}_${i}` };
    return { type: 'text', text: b.text };
  });
  record.messageId = messageId;
  record.model = model;
  record.usage = reply.usage;

  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
    res.end(
      JSON.stringify({
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: usageJson(reply.usage, reply.usage.output),
      }),
    );
    return;
  }

  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
  sse(res, 'message_start', {
    type: 'message_start',
    message: {
      id: messageId,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageJson(reply.usage, 1),
    },
  });
  content.forEach((block, index) => {
    if (block.type === 'thinking') {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'thinking_delta', thinking: block.thinking },
      });
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: block.signature },
      });
    } else if (block.type === 'text') {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      const t = block.text ?? '';
      const cut = Math.floor(t.length / 2);
      for (const piece of cut > 0 ? [t.slice(0, cut), t.slice(cut)] : [t]) {
        sse(res, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: piece },
        });
      }
    } else {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      const json = JSON.stringify(block.input);
      const cut = Math.floor(json.length / 2);
      for (const piece of [json.slice(0, cut), json.slice(cut)]) {
        sse(res, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: reply.usage.output },
  });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}
