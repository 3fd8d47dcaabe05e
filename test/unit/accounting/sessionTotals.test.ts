import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openEngine, TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt, toolResult } from '../transcript/lines';

const P = 'bbbbbbbb-0000-4000-8000-00000000000p';
const F = 'bbbbbbbb-0000-4000-8000-00000000000f';
const L = 'bbbbbbbb-0000-4000-8000-00000000000l';
const U = 'bbbbbbbb-0000-4000-8000-00000000000u';
const t = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}.000Z`;
const OPUS = 'claude-opus-4-5';
const HAIKU = 'claude-haiku-4-5';

/** Parent session: streaming placeholders, repeated final usage, API errors, 1h cache breakdown, an Agent call. */
function parentLines(sessionId: string, copyOf?: string): string[] {
  const env = (uuid: string, s: number) => ({
    uuid,
    sessionId,
    ts: t(s),
    ...(copyOf ? { requestSessionId: copyOf } : {}),
  });
  return [
    prompt({ ...env('u1', 0), text: 'list files please' }),
    // msg_1: three block lines, placeholders 1 and 3, final 42 (≤ 2.1.9x behaviour)
    assistant({
      ...env('a1', 1),
      msgId: 'msg_1',
      reqId: 'req_1',
      model: OPUS,
      usage: { in: 10, out: 1, cw: 100 },
      stop: null,
      blockIndex: 0,
      block: { type: 'thinking', thinking: 'plan' },
    }),
    assistant({
      ...env('a2', 1),
      msgId: 'msg_1',
      reqId: 'req_1',
      model: OPUS,
      usage: { in: 10, out: 3, cw: 100 },
      stop: null,
      blockIndex: 1,
      block: { type: 'text', text: 'Running ls.' },
    }),
    assistant({
      ...env('a3', 2),
      msgId: 'msg_1',
      reqId: 'req_1',
      model: OPUS,
      usage: { in: 10, out: 42, cw: 100 },
      stop: 'tool_use',
      blockIndex: 2,
      block: { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
    }),
  ].concat(
    copyOf
      ? []
      : [
          toolResult({ ...env('u2', 3), toolUseId: 'toolu_1', content: 'a.txt' }),
          // msg_2: identical final usage on both block lines (≥ 2.1.98): counted once
          assistant({
            ...env('a4', 4),
            msgId: 'msg_2',
            reqId: 'req_2',
            model: OPUS,
            usage: { in: 5, out: 20, cr: 110 },
            blockIndex: 0,
            block: { type: 'text', text: 'Found a.txt' },
          }),
          assistant({
            ...env('a5', 4),
            msgId: 'msg_2',
            reqId: 'req_2',
            model: OPUS,
            usage: { in: 5, out: 20, cr: 110 },
            blockIndex: 1,
            block: { type: 'text', text: 'Done.' },
          }),
          // the CLI's own error placeholders: never counted, whatever usage they carry
          assistant({
            ...env('a6', 5),
            msgId: 'err-1',
            reqId: 'req_e',
            model: '<synthetic>',
            usage: { in: 0, out: 0 },
            apiError: true,
            block: { type: 'text', text: 'API Error: 400' },
          }),
          assistant({
            ...env('a7', 5),
            msgId: 'err-2',
            reqId: 'req_e2',
            model: OPUS,
            usage: { in: 999, out: 999 },
            apiError: true,
            block: { type: 'text', text: 'API Error: 500' },
          }),
          // msg_3: cache_creation_input_tokens 0 but breakdown 30 (5m) + 70 (1h) → 100 (CLI 2.1.152)
          assistant({
            ...env('a8', 6),
            msgId: 'msg_3',
            reqId: 'req_3',
            model: OPUS,
            usage: { in: 7, out: 9, cw: 0, c5: 30, c1: 70 },
            block: { type: 'text', text: 'cached' },
          }),
          JSON.stringify({ type: 'cost-state', sessionId, totalCostUSD: 0.5 }),
          assistant({
            ...env('a9', 7),
            msgId: 'msg_4',
            reqId: 'req_4',
            model: OPUS,
            usage: { in: 1, out: 2 },
            block: {
              type: 'tool_use',
              id: 'toolu_agent',
              name: 'Agent',
              input: { prompt: 'look around', description: 'Sub task' },
            },
          }),
          JSON.stringify({ type: 'cost-state', sessionId, totalCostUSD: 0.7 }),
          JSON.stringify({ type: 'ai-title', sessionId, aiTitle: 'Listing files' }),
        ],
  );
}

describe('accounting: session totals from hand-made transcripts (expected values summed by hand)', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
    tree.write(`-home-dev-proj/${P}.jsonl`, jsonl(...parentLines(P)));
    // the subagent's lines carry the PARENT's sessionId
    tree.write(
      `-home-dev-proj/${P}/subagents/agent-xyz.jsonl`,
      jsonl(
        prompt({ uuid: 's1', sessionId: P, ts: t(8), text: 'look around', isSidechain: true, agentId: 'xyz' }),
        assistant({
          uuid: 's2',
          sessionId: P,
          ts: t(9),
          msgId: 'msg_s1',
          reqId: 'req_s1',
          model: HAIKU,
          usage: { in: 50, out: 5 },
          isSidechain: true,
          agentId: 'xyz',
          block: { type: 'text', text: 'seen it' },
        }),
      ),
    );
    tree.write(
      `-home-dev-proj/${P}/subagents/agent-xyz.meta.json`,
      JSON.stringify({ agentType: 'general-purpose', toolUseId: 'toolu_agent' }),
    );
    // the fork copies u1 + msg_1 (same uuids and ids, requestSessionId = P), then has its own turn
    tree.write(
      `-home-dev-proj/${F}.jsonl`,
      jsonl(
        ...parentLines(F, P),
        prompt({ uuid: 'f1', sessionId: F, ts: t(20), text: 'and now?' }),
        assistant({
          uuid: 'f2',
          sessionId: F,
          ts: t(21),
          msgId: 'msg_9',
          reqId: 'req_9',
          model: OPUS,
          usage: { in: 3, out: 4 },
          block: { type: 'text', text: 'forked' },
        }),
      ),
    );
    // make the fork OLDER on disk, so it is read first: attribution must not depend on read order
    const old = new Date('2026-01-01');
    fs.utimesSync(tree.file(`-home-dev-proj/${F}.jsonl`), old, old);
    // ≤ 1.0.8: costUSD per line, no requestId, a placeholder line before the final one
    tree.write(
      `-old/${L}.jsonl`,
      jsonl(
        prompt({ uuid: 'l1', sessionId: L, ts: t(30), text: 'old times' }),
        assistant({
          uuid: 'l2',
          sessionId: L,
          ts: t(31),
          msgId: 'msg_old',
          model: 'claude-3-5-sonnet-20241022',
          usage: { in: 100, out: 1 },
          stop: null,
          costUSD: 0.001,
          block: { type: 'text', text: 'par' },
        }),
        assistant({
          uuid: 'l3',
          sessionId: L,
          ts: t(31),
          msgId: 'msg_old',
          model: 'claude-3-5-sonnet-20241022',
          usage: { in: 100, out: 10 },
          costUSD: 0.002,
          block: { type: 'text', text: 'tial' },
        }),
      ),
    );
    tree.write(
      `-new/${U}.jsonl`,
      jsonl(
        assistant({
          uuid: 'x1',
          sessionId: U,
          ts: t(40),
          msgId: 'msg_x',
          reqId: 'req_x',
          model: 'claude-nonexistent-9',
          usage: { in: 1000, out: 1000 },
          block: { type: 'text', text: '?' },
        }),
        assistant({
          uuid: 'x2',
          sessionId: U,
          ts: t(41),
          msgId: 'msg_y',
          reqId: 'req_y',
          model: 'us.anthropic.claude-opus-4-5-20251101-v1:0',
          usage: { in: 1000, out: 0 },
          block: { type: 'text', text: '!' },
        }),
      ),
    );
  });
  afterEach(() => tree.dispose());

  for (const backend of ['node:sqlite', 'sql.js'] as const) {
    it(`${backend}: parent = own messages (placeholders → max output, ties once, errors skipped) + subagent; fork copies counted once`, async () => {
      const e = await openEngine(tree, backend);
      await e.scan();
      const p = e.session(P)!;
      assert.equal(p.userPrompts, 1, 'the subagent prompt is not a user prompt');
      assert.equal(p.apiMessages, 5); // msg_1, msg_2, msg_3, msg_4, msg_s1
      assert.deepEqual(p.tokens, {
        input: 10 + 5 + 7 + 1 + 50,
        output: 42 + 20 + 9 + 2 + 5,
        cacheCreation: 100 + 0 + (30 + 70) + 0 + 0,
        cacheRead: 0 + 110 + 0 + 0 + 0,
      });
      assert.equal(p.cacheCreation1h, 70);
      assert.equal(p.cacheCreation5m, 130);
      assert.deepEqual(p.toolCalls, { Agent: 1, Bash: 1 });
      assert.deepEqual(p.models, [HAIKU, OPUS]);
      assert.deepEqual(p.unpricedModels, []);
      // opus-4-5 $5/$25/$6.25 (5m)/$10 (1h)/$0.50 per MTok; haiku-4-5 $1/$5:
      // msg_1 10·5+42·25+100·6.25=1725; msg_2 5·5+20·25+110·0.5=580; msg_3 7·5+9·25+30·6.25+70·10=1147.5;
      // msg_4 1·5+2·25=55; msg_s1 50·1+5·5=75 → 3582.5 µ$
      assert.ok(Math.abs(p.costUsd! - 3582.5e-6) < 1e-12, String(p.costUsd));
      assert.equal(p.claudeCostUsd, 0.7, 'cost-state is cumulative: the last one wins');
      assert.equal(p.title, 'Listing files');
      assert.equal(p.projectPath, '/home/dev/proj');

      const f = e.session(F)!;
      assert.equal(f.userPrompts, 1);
      assert.equal(f.apiMessages, 1);
      assert.deepEqual(f.tokens, { input: 3, output: 4, cacheCreation: 0, cacheRead: 0 });
      assert.deepEqual(f.toolCalls, {});

      // the subagent file is linked to the Agent call that spawned it
      const agentCall = e.store
        .conversation(P)
        .flatMap((i) => i.toolCalls)
        .find((c) => c.id === 'toolu_agent')!;
      assert.equal(agentCall.subagentId, 'xyz');

      const l = e.session(L)!;
      assert.equal(l.apiMessages, 1, 'no requestId: deduped by message.id alone');
      assert.deepEqual(l.tokens, { input: 100, output: 10, cacheCreation: 0, cacheRead: 0 });
      assert.equal(l.claudeCostUsd, 0.002, 'legacy costUSD of the kept line');
      // claude-3-5-sonnet $3/$15: 100·3 + 10·15 = 450 µ$
      assert.ok(Math.abs(l.costUsd! - 450e-6) < 1e-12);

      const u = e.session(U)!;
      assert.deepEqual(u.unpricedModels, ['claude-nonexistent-9'], 'unknown model: unpriced, never $0');
      // the Bedrock id normalizes to claude-opus-4-5: 1000·5 = 5000 µ$ (the unknown model adds nothing)
      assert.ok(Math.abs(u.costUsd! - 5000e-6) < 1e-12);

      // a second scan and a forced full re-read (rebuild) change nothing
      await e.scan();
      e.store.forgetCursors();
      const st = await e.scan();
      assert.equal(st.apiMessages, 0);
      assert.equal(st.interactions, 0);
      assert.deepEqual(e.session(P)!.tokens, p.tokens);
      assert.deepEqual(e.session(F)!.tokens, f.tokens);
      e.close();
    });
  }
});
