import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes one Claude Code transcript of `turns` prompts under `projectsDir` (the dashboard benchmark's 2,000-turn
 * session): each prompt answered by an assistant message with usage, every third answer calling a tool whose result
 * follows, in the record shapes Claude Code 2.1 writes (user / assistant lines chained by parentUuid). Returns its id.
 */
export function writeLongSession(projectsDir: string, turns: number): string {
  const sessionId = '0b0e0000-0000-4000-8000-00000000b0e0';
  const cwd = '/home/bench/code/long-session';
  const dir = path.join(projectsDir, cwd.replace(/[^A-Za-z0-9]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  const base = Date.UTC(2026, 10, 20, 9);
  const common = {
    isSidechain: false,
    userType: 'external',
    entrypoint: 'cli',
    cwd,
    sessionId,
    version: '2.1.332',
    gitBranch: 'main',
  };
  const lines: string[] = [];
  let parent: string | null = null;
  let t = base;
  const uuid = (kind: number, i: number) => `00000000-0000-4000-8${kind}00-${String(i).padStart(12, '0')}`;
  const at = () => {
    t += 1500;
    return new Date(t).toISOString();
  };
  for (let i = 0; i < turns; i++) {
    const u = uuid(1, i);
    lines.push(
      JSON.stringify({
        ...common,
        parentUuid: parent,
        type: 'user',
        message: { role: 'user', content: `step ${i}: refactor the parser module and explain the change in detail` },
        uuid: u,
        timestamp: at(),
      }),
    );
    const a = uuid(2, i);
    const tool = i % 3 === 0;
    const content: unknown[] = [
      {
        type: 'text',
        text: `Step ${i} done. The parser now **streams** its input; see \`parse()\`:\n\n\`\`\`ts\nexport function parse(line: string) {\n  return JSON.parse(line);\n}\n\`\`\`\n`,
      },
    ];
    if (tool)
      content.push({
        type: 'tool_use',
        id: `toolu_long_${i}`,
        name: 'Bash',
        input: { command: `npm test -- --grep step-${i}` },
      });
    lines.push(
      JSON.stringify({
        ...common,
        parentUuid: u,
        type: 'assistant',
        requestId: `req_long_${i}`,
        message: {
          id: `msg_long_${i}`,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content,
          stop_reason: tool ? 'tool_use' : 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: 40 + (i % 17),
            output_tokens: 200 + (i % 91),
            cache_creation_input_tokens: 300,
            cache_read_input_tokens: 1000 + i * 10,
          },
        },
        uuid: a,
        timestamp: at(),
      }),
    );
    parent = a;
    if (tool) {
      const r = uuid(3, i);
      lines.push(
        JSON.stringify({
          ...common,
          parentUuid: a,
          type: 'user',
          message: {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: `toolu_long_${i}`,
                content: `ok: 12 passing (step ${i})`,
                is_error: false,
              },
            ],
          },
          toolUseResult: { stdout: `ok: 12 passing (step ${i})`, stderr: '', interrupted: false },
          uuid: r,
          timestamp: at(),
        }),
      );
      parent = r;
    }
  }
  fs.writeFileSync(path.join(dir, `${sessionId}.jsonl`), `${lines.join('\n')}\n`);
  return sessionId;
}
