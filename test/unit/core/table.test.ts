import assert from 'node:assert/strict';
import { displayWidth, fmtModels, renderTable, truncateToWidth } from '../../../src/core/reports/table';

/** Terminal columns of a line, counted by hand: ASCII 1, the kana/kanji used here 2, '─' and '…' 1. */
function cols(line: string): number {
  let n = 0;
  for (const ch of line) n += /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1;
  return n;
}

describe('renderTable: display width', () => {
  it('aligns rows holding Japanese text by terminal columns, not string length', () => {
    const out = renderTable(
      [{ header: 'Project' }, { header: 'Tokens', align: 'right' }],
      [
        ['/home/dev/alpha', '1,000'],
        ['/home/dev/日本語のプロジェクト', '20'],
        ['/home/dev/テスト', '300'],
      ],
      ['Total', '1,320'],
    );
    const lines = out.trimEnd().split('\n');
    const ends = lines.filter((l) => !l.startsWith('─')).map(cols);
    assert.equal(new Set(ends).size, 1, `every row ends at the same column:\n${out}`);
    assert.equal(cols(lines[1]!), ends[0], 'the rule is as wide as the rows');
  });

  it('displayWidth counts wide characters twice and emoji as two', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('日本語'), 6);
    assert.equal(displayWidth('ｶﾀｶﾅ'), 4, 'half-width katakana are narrow');
    assert.equal(displayWidth('👍'), 2);
  });

  it('cuts a cell at maxWidth on a grapheme boundary, from the start for paths', () => {
    assert.equal(
      truncateToWidth('/home/dev/日本語のプロジェクト', 12, 'start'),
      '…ロジェクト',
      'one column left: not half a character',
    );
    assert.equal(truncateToWidth('/home/dev/日本語のプロジェクト', 13, 'start'), '…プロジェクト');
    assert.equal(truncateToWidth('日本語のプロジェクト', 7), '日本語…');
    assert.equal(truncateToWidth('short', 10), 'short');
    const out = renderTable([{ header: 'P', maxWidth: 6, cut: 'start' }], [['/a/b/cdefgh']]);
    assert.equal(out.split('\n')[2], '…defgh');
  });

  it('fits a width by shrinking flexible columns only; numbers are never cut', () => {
    const columns = [
      { header: 'Date' },
      { header: 'Models', flexible: true },
      { header: 'Total', align: 'right' as const },
    ];
    const rows = [['2026-11-20', 'opus-4-5, sonnet-4-5 +3 more', '123,456,789']];
    const fitted = renderTable(columns, rows, undefined, { width: 42 });
    for (const l of fitted.trimEnd().split('\n')) assert.ok(cols(l) <= 42, `${cols(l)}: ${l}`);
    assert.match(fitted, /123,456,789/);
    assert.match(fitted, /opus-4-5, sonnet…/);
    // too narrow for anything but the numbers: the flexible column stops at 8, the table stays wider
    const narrow = renderTable(columns, rows, undefined, { width: 10 });
    assert.match(narrow, /opus-4-…/);
    assert.match(narrow, /123,456,789/);
  });

  it('leaves out droppable columns, in their order, when shrinking is not enough, and says which', () => {
    const columns = [
      { header: 'Date' },
      { header: 'Models', flexible: true },
      { header: 'Cache write', align: 'right' as const, dropOrder: 1 },
      { header: 'Cache read', align: 'right' as const, dropOrder: 2 },
      { header: 'Total', align: 'right' as const },
    ];
    const rows = [['2026-11-20', 'opus-4-5, sonnet-4-5', '1,000', '2,000', '3,000']];
    const out = renderTable(columns, rows, undefined, { width: 44 });
    const lines = out.trimEnd().split('\n');
    for (const l of lines) assert.ok(cols(l) <= 44, `${cols(l)}: ${l}`);
    assert.match(lines[0]!, /^Date\s+Models\s+Cache read\s+Total$/);
    assert.equal(lines.at(-1), '(hidden to fit the terminal: Cache write)');
    assert.doesNotMatch(renderTable(columns, rows), /hidden/, 'nothing is left out without a width');
  });

  it('fmtModels: short names, the first two, then +N more', () => {
    assert.equal(fmtModels(['claude-opus-4-5-20251101']), 'opus-4-5');
    assert.equal(
      fmtModels(['claude-opus-4-5', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5', 'gpt-x']),
      'opus-4-5, sonnet-4-5 +2 more',
    );
    assert.equal(fmtModels(['claude-opus-4-5', 'claude-opus-4-5-20251101']), 'opus-4-5');
    assert.equal(fmtModels([]), '');
  });
});
