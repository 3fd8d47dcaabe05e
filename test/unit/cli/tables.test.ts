import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

const ENV = { CCT_HMAC_KEY: 'cli-test-key-0123456789abcdef' };
const MODELS = [
  'claude-opus-4-5-20251101',
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-1-20250805',
  'claude-sonnet-4-20250514',
  'claude-3-7-sonnet-20250219',
  'claude-3-5-haiku-20241022',
  'claude-opus-4-20250514',
];
const JA = 'eeeeeeee-0000-4000-8000-0000000000aa';
const EN = 'eeeeeeee-0000-4000-8000-0000000000bb';

/** Terminal columns, counted by hand: the kana/kanji used here are 2 wide, everything else 1. */
function cols(line: string): number {
  let n = 0;
  for (const ch of line) n += /[\u3000-\u30ff\u4e00-\u9fff]/.test(ch) ? 2 : 1;
  return n;
}

/** `cct` writing to a terminal `columns` wide (what process.stdout is on a TTY). */
async function cctOnTty(argv: string[], columns: number): Promise<string> {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns });
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await main(argv, { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: ENV });
  assert.equal(code, 0);
  return out;
}

describe('cct tables: capped cells, display width, terminal width', () => {
  let tree: TempTree;
  before(async () => {
    tree = new TempTree();
    // one session per project, on the same day; the Japanese one uses every model
    const lines = MODELS.map((model, i) =>
      assistant({
        uuid: `a${i}`,
        sessionId: JA,
        ts: `2026-11-20T10:0${i}:00.000Z`,
        msgId: `m${i}`,
        reqId: `r${i}`,
        model,
        usage: { in: 1000 * (i + 1), out: 10 },
        cwd: '/home/dev/日本語のプロジェクト/サービス',
        block: { type: 'text', text: 'ok' },
      }),
    );
    tree.write(
      `-home-dev-ja/${JA}.jsonl`,
      jsonl(
        prompt({
          uuid: 'u0',
          sessionId: JA,
          ts: '2026-11-20T09:59:00.000Z',
          text: 'やって',
          cwd: '/home/dev/日本語のプロジェクト/サービス',
        }),
        ...lines,
      ),
    );
    tree.write(
      `-home-dev-en/${EN}.jsonl`,
      jsonl(
        prompt({ uuid: 'v0', sessionId: EN, ts: '2026-11-20T11:00:00.000Z', text: 'go', cwd: '/home/dev/english' }),
        assistant({
          uuid: 'b0',
          sessionId: EN,
          ts: '2026-11-20T11:00:01.000Z',
          msgId: 'n0',
          reqId: 's0',
          usage: { in: 5, out: 5 },
          cwd: '/home/dev/english',
          block: { type: 'text', text: 'ok' },
        }),
      ),
    );
    const r = await runCct(['scan', '--root', tree.projects, '--db', tree.db, '--serial', '--json'], ENV);
    assert.equal(r.code, 0, r.err);
  });
  after(() => tree.dispose());

  it('report daily: the models cell is capped ("+N more"), --json keeps every model', async () => {
    const r = await runCct(['report', 'daily', '--db', tree.db, '--tz', 'UTC'], ENV);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) assert.ok(cols(l) <= 120, `${cols(l)} columns: ${l}`);
    assert.match(r.out, /, [a-z0-9-]+ \+6 more/);
    const json = JSON.parse((await runCct(['report', 'daily', '--db', tree.db, '--tz', 'UTC', '--json'], ENV)).out);
    assert.deepEqual([...json.daily[0].models].sort(), [...MODELS, 'claude-opus-4-5'].sort());
  });

  it('sessions and report session: rows with a Japanese project path line up with the others', async () => {
    for (const argv of [['sessions'], ['report', 'session']]) {
      const r = await runCct([...argv, '--db', tree.db], ENV);
      assert.equal(r.code, 0, r.err);
      const table = r.out
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith('*'));
      const header = table[0]!;
      // each column starts where its header does: the Input column (right-aligned) ends at one column on every row
      const inputEnd = cols(header.slice(0, header.indexOf('Input') + 'Input'.length));
      for (const row of table.slice(2)) {
        const numbers = [...row.matchAll(/\d[\d,]*/g)];
        assert.ok(/ジェクト|サービス|english/.test(row), row);
        const endsAt = numbers.map((m) => cols(row.slice(0, m.index + m[0].length)));
        assert.ok(
          endsAt.includes(inputEnd),
          `${argv.join(' ')}: a number ends under "Input" (column ${inputEnd}):\n${r.out}`,
        );
      }
    }
  });

  it('on a terminal, tables fit its width', async () => {
    for (const argv of [['report', 'daily', '--tz', 'UTC'], ['sessions'], ['report', 'session']]) {
      const out = await cctOnTty([...argv, '--db', tree.db], 100);
      const lines = out.trimEnd().split('\n');
      for (const l of lines) assert.ok(cols(l) <= 100, `${argv.join(' ')}: ${cols(l)} columns: ${l}`);
    }
    // piped (not a TTY): not cut to any terminal
    const piped = await runCct(['sessions', '--db', tree.db], ENV);
    assert.ok(piped.out.split('\n').some((l) => cols(l) > 100));
  });
});
