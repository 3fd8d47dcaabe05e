import assert from 'node:assert/strict';
import { ftsMatch, makeSnippet, needsSubstringScan, queryTerms } from '../../../src/core/search/snippet';

describe('search terms and snippets', () => {
  it('takes words only: FTS operators and quotes never reach MATCH as syntax', () => {
    assert.deepEqual(queryTerms('NEAR("deploy" OR key*) -x'), ['near', 'deploy', 'or', 'key', 'x']);
    assert.equal(ftsMatch(['deploy', 'or'], 'fts5'), '"deploy"* "or"*');
    assert.equal(ftsMatch(['deploy', 'or'], 'fts4'), 'deploy* or*');
    assert.equal(needsSubstringScan(['検索']), true);
    assert.equal(needsSubstringScan(['deploy']), false);
  });

  it('highlights every term at a word start as [start, end) ranges of the plain snippet text', () => {
    const s = makeSnippet('Deploy the <img src=x onerror=alert(1)> redeploy; deployment done', ['deploy']);
    assert.equal(s.text, 'Deploy the <img src=x onerror=alert(1)> redeploy; deployment done');
    assert.deepEqual(
      s.highlights.map(([a, b]) => s.text.slice(a, b)),
      ['Deploy', 'deploy'],
    );
    assert.equal(s.highlights[1]![0], s.text.indexOf('deployment'));
  });

  it('cuts a window around the first match with ellipses, flattens whitespace, never splits a surrogate pair', () => {
    const long = `${'😀'.repeat(100)} middle\n\n  needle here ${'x'.repeat(400)}`;
    const s = makeSnippet(long, ['needle'], 60);
    assert.ok(s.text.startsWith('…') && s.text.endsWith('…'));
    assert.ok(!/\n/.test(s.text));
    assert.ok(
      !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s.text),
      'no lone surrogate',
    );
    const [a, b] = s.highlights[0]!;
    assert.equal(s.text.slice(a, b), 'needle');
  });
});
