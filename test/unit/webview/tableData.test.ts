import assert from 'node:assert/strict';
import { toCsv, toJson, toTsv } from '../../../webview/src/charts/tableData';

describe('chart table exports (CSV / JSON / TSV)', () => {
  const t = {
    columns: ['Project', 'Cost (USD)', 'Note'],
    rows: [
      ['/w/a,b', 1.5, 'say "hi"'],
      ['=HYPERLINK("http://x")', null, 'line\nbreak'],
      ['-1+2', -3, '@sum'],
    ],
  };

  it('CSV: RFC 4180 quoting, CRLF, empty for missing, formula-looking text cells neutralised, numbers kept', () => {
    assert.equal(
      toCsv(t),
      'Project,Cost (USD),Note\r\n' +
        '"/w/a,b",1.5,"say ""hi"""\r\n' +
        `"'=HYPERLINK(""http://x"")",,"line\nbreak"\r\n` +
        "'-1+2,-3,'@sum\r\n",
    );
  });

  it('JSON: objects keyed by column, numbers as numbers, null for missing', () => {
    assert.deepEqual(JSON.parse(toJson(t)), [
      { Project: '/w/a,b', 'Cost (USD)': 1.5, Note: 'say "hi"' },
      { Project: '=HYPERLINK("http://x")', 'Cost (USD)': null, Note: 'line\nbreak' },
      { Project: '-1+2', 'Cost (USD)': -3, Note: '@sum' },
    ]);
  });

  it('TSV for the clipboard: one line per row, tabs and newlines inside cells flattened', () => {
    assert.equal(toTsv(t).split('\n')[2], '=HYPERLINK("http://x")\t\tline break');
  });
});
