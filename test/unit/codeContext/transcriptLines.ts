/**
 * Transcript lines in the shape the real CLI (2.1.332) writes them (see test/fixtures/claude): a prompt, one line
 * per content block of a response with its usage, tool results as user lines, and a cost-state record.
 */
export interface SessionScript {
  sessionId: string;
  cwd: string;
  gitBranch: string;
  /** The prompt's time; each later line is a second after the one before. */
  start: string;
  prompt: string;
  tools: { name: string; input: Record<string, unknown> }[];
  linesAdded?: number;
  linesRemoved?: number;
}

export function transcript(s: SessionScript): string {
  let t = Date.parse(s.start);
  const next = () => {
    const iso = new Date(t).toISOString();
    t += 1000;
    return iso;
  };
  const env = (uuid: string, parentUuid: string | null) => ({
    parentUuid,
    isSidechain: false,
    uuid,
    userType: 'external',
    entrypoint: 'sdk-cli',
    cwd: s.cwd,
    sessionId: s.sessionId,
    version: '2.1.332',
    gitBranch: s.gitBranch,
  });
  const lines: unknown[] = [];
  const u0 = `${s.sessionId.slice(0, 8)}-0000-4000-8000-000000000000`;
  lines.push({
    ...env(u0, null),
    type: 'user',
    message: { role: 'user', content: s.prompt },
    timestamp: next(),
    permissionMode: 'default',
  });
  let parent = u0;
  s.tools.forEach((tool, i) => {
    const id = `toolu_${s.sessionId.slice(0, 8)}_${i}`;
    const a = `${s.sessionId.slice(0, 8)}-0000-4000-8000-${String(2 * i + 1).padStart(12, '0')}`;
    const r = `${s.sessionId.slice(0, 8)}-0000-4000-8000-${String(2 * i + 2).padStart(12, '0')}`;
    lines.push({
      ...env(a, parent),
      type: 'assistant',
      message: {
        id: `msg_${s.sessionId.slice(0, 8)}_${i}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-5-5',
        content: [{ type: 'tool_use', id, name: tool.name, input: tool.input }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
      },
      apiBlockIndex: 0,
      requestId: `req_${s.sessionId.slice(0, 8)}_${i}`,
      timestamp: next(),
    });
    lines.push({
      ...env(r, a),
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: 'ok', is_error: false }] },
      timestamp: next(),
      sourceToolAssistantUUID: a,
    });
    parent = r;
  });
  lines.push({
    type: 'cost-state',
    sessionId: s.sessionId,
    totalCostUSD: 0.001,
    totalLinesAdded: s.linesAdded ?? 0,
    totalLinesRemoved: s.linesRemoved ?? 0,
    modelUsage: {},
    hasUnknownModelCost: false,
  });
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** The project folder name Claude Code uses for a cwd. */
export function encodeCwd(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}
