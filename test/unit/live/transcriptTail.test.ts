import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { findTranscript, TranscriptTail } from '../../../src/infra/live/transcriptTail';
import { CLI_TREE, EXPECTED_CLI, ids } from '../fixtures/expected';

/** The committed real-CLI transcript of a session (test/fixtures/claude/cli). */
async function fixtureFile(sessionId: string): Promise<string> {
  const f = await findTranscript([CLI_TREE], '/nowhere', sessionId);
  assert.ok(f, `fixture ${sessionId}`);
  return f;
}

describe('live session stats from the transcript', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-tail-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  for (const name of ['tools', 'compact', 'apierror', 'parallel'] as const) {
    it(`counts turns and tokens of the real CLI's "${name}" session like the hand-checked figures`, async () => {
      const want = EXPECTED_CLI[ids[name]!]!;
      const s = await new TranscriptTail(await fixtureFile(ids[name]!), PriceTable.builtin()).read();
      assert.equal(s.turns, want.userPrompts);
      assert.deepEqual(
        {
          input: s.tokens.input,
          output: s.tokens.output,
          cacheCreation: s.tokens.cacheCreation,
          cacheRead: s.tokens.cacheRead,
        },
        want.tokens,
      );
      assert.deepEqual(s.models, [...want.models].filter((m) => m !== 'claude-haiku-5-5').sort());
      assert.ok(s.lastTs && s.firstTs && s.lastTs >= s.firstTs);
    });
  }

  it('reads appended bytes only, waits for a half-written line, and starts over when the file shrinks', async () => {
    const all = readFileSync(await fixtureFile(ids.tools!));
    const file = path.join(tmp, 's.jsonl');
    const cut = all.indexOf(0x0a, Math.floor(all.length / 2)) + 20; // inside a line
    writeFileSync(file, all.subarray(0, cut));
    const tail = new TranscriptTail(file, PriceTable.builtin());
    const half = await tail.read();
    appendFileSync(file, all.subarray(cut));
    const full = await tail.read();
    assert.ok(half.tokens.input < full.tokens.input, 'the second half adds usage');
    assert.equal(full.tokens.input, EXPECTED_CLI[ids.tools!]!.tokens.input, 'the line cut in two counts once');
    assert.equal((await tail.read()).tokens.input, full.tokens.input, 'nothing new, nothing added');
    writeFileSync(file, all.subarray(0, cut));
    assert.equal((await tail.read()).tokens.input, half.tokens.input);
  });

  it('prices known models and keeps Claude Code’s own figure apart; an unknown model leaves the cost undefined', async () => {
    const file = path.join(tmp, 'p.jsonl');
    const line = (model: string, id: string) =>
      `${JSON.stringify({ type: 'assistant', requestId: `r${id}`, timestamp: '2026-11-01T00:00:00Z', message: { id, model, usage: { input_tokens: 1_000_000, output_tokens: 0 } } })}\n`;
    writeFileSync(file, line('claude-sonnet-4-5-20250929', 'a'));
    appendFileSync(file, `${JSON.stringify({ type: 'cost-state', sessionId: 'x', totalCostUSD: 1.25 })}\n`);
    const tail = new TranscriptTail(file, PriceTable.builtin());
    const s = await tail.read();
    assert.ok(s.costUsd !== undefined && s.costUsd > 0);
    assert.equal(s.claudeCostUsd, 1.25);
    appendFileSync(file, line('model-nobody-knows', 'b'));
    const u = await tail.read();
    assert.equal(u.costUsd, undefined);
    assert.equal(u.unpricedMessages, 1);
  });

  it('finds a transcript under its encoded project dir or any other', async () => {
    const dir = path.join(tmp, 'projects', '-w-a');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'sid.jsonl'), '');
    assert.equal(await findTranscript([tmp], '/w/a', 'sid'), path.join(dir, 'sid.jsonl'));
    assert.equal(await findTranscript([tmp], '/elsewhere', 'sid'), path.join(dir, 'sid.jsonl'));
    assert.equal(await findTranscript([tmp], '/w/a', 'missing'), undefined);
  });
});
