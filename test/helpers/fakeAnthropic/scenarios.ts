/**
 * The scripted scenarios behind the committed fixture transcripts (scripts/gen-fixtures.ts).
 * Every answer's usage is written out here, so the expected token totals of each fixture follow
 * from this file alone (see test/unit/fixtures/).
 *
 * Step = number of assistant messages already in the request. Steps past the script get a plain
 * closing text (never happens in the committed runs; it keeps the CLI from hanging if it does).
 */
import path from 'node:path';
import { secretValue } from './fakeSecrets';
import type { FakeBlock, FakeReply, FakeUsage, Scenario } from './types';

const u = (input: number, output: number, cacheWrite5m = 0, cacheRead = 0, cacheWrite1h = 0): FakeUsage => ({
  input,
  output,
  cacheWrite5m,
  cacheRead,
  cacheWrite1h,
});

const msg = (usage: FakeUsage, ...blocks: FakeBlock[]): FakeReply => ({ kind: 'message', blocks, usage });
const text = (t: string): FakeBlock => ({ type: 'text', text: t });
const tool = (name: string, input: Record<string, unknown>): FakeBlock => ({ type: 'tool_use', name, input });

function script(steps: Array<(cwd: string) => FakeReply>): Scenario {
  return (ctx) => {
    const f = steps[ctx.step];
    if (f) return f(ctx.cwd);
    return msg(u(1, 1), text('Nothing more to do.'));
  };
}

/** Model the subagent of the agent scenario is asked to use (Agent tool `model`). */
export const SUBAGENT_MODEL_ALIAS = 'haiku';

export const FIXTURE_SCENARIOS: Record<string, Scenario> = {
  // Bash (secret only in the output) → Read a file full of fake secrets → Write → Edit → text
  tools: script([
    () =>
      msg(
        u(1000, 40, 2000, 0),
        text('Let me look around first.'),
        tool('Bash', {
          command: 'echo hi && printenv CCT_FAKE_SLACK_TOKEN',
          description: 'Print a greeting and a token',
        }),
      ),
    (cwd) => msg(u(10, 30, 100, 2000), tool('Read', { file_path: path.join(cwd, 'secrets.env') })),
    (cwd) =>
      msg(
        u(12, 50, 150, 2100),
        text('Writing a summary file.'),
        tool('Write', {
          file_path: path.join(cwd, 'out.txt'),
          content: `summary: alpha\nsession token: ${secretValue('jwt')}\n`,
        }),
      ),
    (cwd) =>
      msg(
        u(14, 35, 120, 2250),
        tool('Edit', {
          file_path: path.join(cwd, 'out.txt'),
          old_string: 'alpha',
          new_string: 'beta',
          replace_all: false,
        }),
      ),
    () => msg(u(16, 25, 0, 2370, 60), text('Done: I ran echo, read secrets.env, wrote out.txt and edited it.')),
  ]),

  // thinking + text + two Bash calls in ONE API message (4 transcript lines, one usage)
  parallel: script([
    () =>
      msg(
        u(500, 80, 1000, 0),
        { type: 'thinking', thinking: 'Two independent commands; run both at once.' },
        text('Running two commands.'),
        tool('Bash', { command: 'echo one', description: 'Print one' }),
        tool('Bash', { command: 'echo two', description: 'Print two' }),
      ),
    () => msg(u(20, 10, 40, 1500), text('Both printed.')),
  ]),

  // the main thread delegates to a subagent (synchronous Agent call, subagent on another model)
  agent: script([
    () =>
      msg(
        u(700, 60, 900, 0),
        text('Delegating to a subagent.'),
        tool('Agent', {
          description: 'Sub task',
          prompt: 'SCENARIO:sub run echo from-sub and report back',
          subagent_type: 'general-purpose',
          model: SUBAGENT_MODEL_ALIAS,
          run_in_background: false,
        }),
      ),
    () => msg(u(30, 15, 0, 1600), text('The subagent finished: it printed from-sub.')),
  ]),
  sub: script([
    () => msg(u(300, 20, 400, 0), tool('Bash', { command: 'echo from-sub', description: 'Print from-sub' })),
    () => msg(u(15, 12, 0, 400), text('Subagent report: printed from-sub.')),
  ]),

  // a BACKGROUND agent (the Agent tool's default): async_launched result, later a <task-notification>
  bgagent: script([
    () =>
      msg(
        u(650, 45, 800, 0),
        text('Starting a background agent.'),
        tool('Agent', {
          description: 'Background task',
          prompt: 'SCENARIO:bgsub say hello from the background',
          subagent_type: 'general-purpose',
          model: SUBAGENT_MODEL_ALIAS,
        }),
      ),
    () => msg(u(25, 9, 0, 1450), text('It runs in the background.')),
    () => msg(u(35, 11, 60, 1450), text('The background agent reported back.')),
  ]),
  bgsub: script([() => msg(u(210, 14, 300, 0), text('Background report: hello.'))]),

  // a tool the run does not allow (-p without Write in --allowedTools): the CLI denies it
  denied: script([
    (cwd) =>
      msg(
        u(120, 30, 200, 0),
        tool('Write', { file_path: path.join(cwd, 'not-allowed.txt'), content: 'should never be written\n' }),
      ),
    () => msg(u(18, 9, 0, 320), text('The write was not permitted.')),
  ]),

  // a failing Bash (exit 2) and a Read of a missing file: tool_result is_error
  fail: script([
    () =>
      msg(
        u(400, 20, 500, 0),
        tool('Bash', { command: 'ls /nonexistent-cct-fixture-dir', description: 'List a missing dir' }),
      ),
    (cwd) => msg(u(25, 18, 0, 500), tool('Read', { file_path: path.join(cwd, 'does-not-exist.txt') })),
    // fast mode: the CLI keeps usage.speed = "fast" on the line (priced higher)
    () => msg({ ...u(30, 12, 0, 560), speed: 'fast' }, text('Both failed as expected.')),
  ]),

  // one good turn, then HTTP 400: the CLI writes a <synthetic> isApiErrorMessage line
  apierror: (ctx) => {
    if (ctx.step === 0)
      return msg(u(200, 15, 300, 0), tool('Bash', { command: 'echo before-error', description: 'Print before-error' }));
    return {
      kind: 'error',
      status: 400,
      errorType: 'invalid_request_error',
      message: 'fake: prompt is malformed (scripted)',
    };
  },

  // run 1: one answer; run 2 (--resume, same file): Bash + text; run 3 (--resume --fork-session): text
  resume: script([
    () => msg(u(100, 10, 200, 0), text('First answer.')),
    () => msg(u(50, 20, 60, 200), tool('Bash', { command: 'echo resumed', description: 'Print resumed' })),
    () => msg(u(10, 8, 0, 260), text('Resumed fine.')),
    () => msg(u(40, 9, 30, 300), text('Forked answer.')),
  ]),

  // -p run 1: a turn; run 2: `/compact` (the summary call is a side query, not written as an assistant
  // line); run 3: a turn after the compaction
  compact: (ctx) => {
    if (ctx.lastUserText.includes('Respond with TEXT ONLY') || /summary of the conversation/i.test(ctx.lastUserText))
      return {
        ...msg(
          u(900, 120, 0, 0),
          text(
            '<analysis>Short session.</analysis>\n<summary>1. Primary Request: a first answer.\n2. Current work: done.</summary>',
          ),
        ),
        sideQuery: true,
      } as FakeReply;
    if (ctx.lastUserText.includes('after compaction')) return msg(u(70, 10, 90, 0), text('Answer after compaction.'));
    return msg(u(300, 12, 400, 0), text('First answer before compaction.'));
  },

  // interactive: a prompt, /clear, another prompt (two sessions, one process)
  clearA: script([() => msg(u(90, 7, 100, 0), text('Hello before clear.'))]),
  clearB: script([() => msg(u(60, 6, 80, 0), text('Hello after clear.'))]),
};
