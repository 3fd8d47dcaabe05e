import assert from 'node:assert/strict';
import { highlightTokens } from '../../../webview/src/lib/codeHighlight';
import { formatDuration, formatTokens, formatUsd, projectShortName, shortModel } from '../../../webview/src/lib/format';
import { highlightSegments } from '../../../webview/src/lib/highlightRanges';
import { splitMasks } from '../../../webview/src/lib/maskSpans';
import { resumeCommand } from '../../../webview/src/lib/resumeCommand';
import { toolSummary, touchedPaths } from '../../../webview/src/lib/toolSummary';

describe('webview display helpers', () => {
  it('cuts snippets into plain and hit segments from ranges (clamped, merged, out of order)', () => {
    const text = 'find the needle in the needles';
    const segs = highlightSegments(text, [
      { start: 23, end: 29 },
      { start: 9, end: 15 },
      { start: 12, end: 15 },
      { start: 40, end: 50 },
      { start: 5, end: 5 },
    ]);
    assert.deepEqual(segs, [
      { text: 'find the ', hit: false },
      { text: 'needle', hit: true },
      { text: ' in the ', hit: false },
      { text: 'needle', hit: true },
      { text: 's', hit: false },
    ]);
    assert.equal(segs.map((s) => s.text).join(''), text);
    assert.deepEqual(
      highlightSegments(
        '<b>x</b>',
        [[0, 3]].map(([start, end]) => ({ start: start!, end: end! })),
      ),
      [
        { text: '<b>', hit: true },
        { text: 'x</b>', hit: false },
      ],
    );
  });

  it('finds the Privacy Guard placeholders and their kind, losing no text', () => {
    const text =
      'key «sk-ant-api03-…anthropic_api_key:AbC_9» mail [REDACTED:email:f7e8bd29] and [REDACTED:unscanned] «not a mask»';
    const segs = splitMasks(text);
    assert.equal(segs.map((s) => s.text).join(''), text);
    assert.deepEqual(
      segs.filter((s) => s.mask).map((s) => [s.text, s.mask?.category, s.mask?.kind]),
      [
        ['«sk-ant-api03-…anthropic_api_key:AbC_9»', 'anthropic_api_key', 'credential'],
        ['[REDACTED:email:f7e8bd29]', 'email', 'pii'],
        ['[REDACTED:unscanned]', 'unscanned', 'unscanned'],
      ],
    );
  });

  it('formats money, tokens, durations and names for rows', () => {
    assert.equal(formatUsd(0.00076, 'en'), '$0.0008');
    assert.equal(formatUsd(12.5, 'en'), '$12.50');
    assert.equal(formatUsd(0, 'en'), '$0.00');
    assert.equal(formatTokens(999, 'en'), '999');
    assert.equal(formatTokens(12_345, 'en'), '12k');
    assert.equal(formatTokens(1_500_000, 'en'), '1.5M');
    assert.equal(formatDuration(968), '968 ms');
    assert.equal(formatDuration(3_723_000), '1 h 2 min');
    assert.equal(formatDuration(null), '–');
    assert.equal(projectShortName('/home/me/src/shop-api/'), 'shop-api');
    assert.equal(projectShortName('C:\\work\\app'), 'app');
    assert.equal(shortModel('claude-sonnet-4-5-20250929'), 'sonnet-4-5');
  });

  it('builds a resume command a shell runs as meant, whatever the cwd holds', () => {
    assert.equal(resumeCommand('/work/app', 'cc7f-01'), 'cd /work/app && claude --resume cc7f-01');
    assert.equal(
      resumeCommand("/tmp/it's $(rm -rf ~)", 'abc'),
      `cd '/tmp/it'\\''s $(rm -rf ~)' && claude --resume abc`,
    );
    assert.equal(resumeCommand(null, 'abc'), 'claude --resume abc');
  });

  it('summarizes tool inputs and lists absolute paths they touched; a cut-off input has none', () => {
    assert.equal(toolSummary('{"command":"ls  -la\\n/tmp"}'), 'ls -la /tmp');
    assert.deepEqual(touchedPaths('{"file_path":"/work/a.ts","content":"x"}'), ['/work/a.ts']);
    assert.deepEqual(touchedPaths('{"file_path":"relative.ts"}'), []);
    assert.deepEqual(touchedPaths('{"file_path":"/work/a.t'), []);
    assert.equal(toolSummary(null), '');
  });

  it('tokenizes code blocks: keywords, strings, numbers, comments per language family; text unchanged', () => {
    const ts = 'const a = "x // y"; // note\nreturn 42;';
    const toks = highlightTokens(ts, 'ts');
    assert.equal(toks.map((t) => t.text).join(''), ts);
    assert.deepEqual(
      toks.filter((t) => t.kind).map((t) => [t.kind, t.text]),
      [
        ['kw', 'const'],
        ['str', '"x // y"'],
        ['com', '// note'],
        ['kw', 'return'],
        ['num', '42'],
      ],
    );
    const py = highlightTokens('x = 1  # not a // comment', 'python');
    assert.deepEqual(py.at(-1), { text: '# not a // comment', kind: 'com' });
    assert.deepEqual(highlightTokens('<b>if</b>', 'text'), [{ text: '<b>if</b>', kind: null }]);
  });
});
