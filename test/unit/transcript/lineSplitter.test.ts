import assert from 'node:assert/strict';
import { LineSplitter, type SplitLine } from '../../../src/core/transcript/lineSplitter';

function feed(splitter: LineSplitter, chunks: (string | Buffer)[]): SplitLine[] {
  const out: SplitLine[] = [];
  for (const c of chunks) {
    splitter.push(Buffer.isBuffer(c) ? c : Buffer.from(c), (l) => {
      // Emitted bytes may be views into the chunk: copy, as a real consumer would consume synchronously.
      out.push({ ...l, bytes: l.bytes ? Buffer.from(l.bytes) : undefined });
    });
  }
  return out;
}

describe('LineSplitter', () => {
  it('splits lines across arbitrary chunk boundaries with exact byte offsets', () => {
    const s = new LineSplitter(100);
    const lines = feed(s, ['{"a":1}\n{"b"', ':2}\n', '\n{"c":3}\r\n{"d"']);
    assert.deepEqual(
      lines.map((l) => [l.offset, l.bytes!.toString()]),
      [
        [100, '{"a":1}'],
        [108, '{"b":2}'],
        // the empty line at 116 is skipped but still advances offsets
        [117, '{"c":3}'],
      ],
    );
    // '{"d"' is unterminated: the safe resume point is where it starts
    assert.equal(s.completeEnd, 126);
    assert.equal(s.carriedBytes, 4);
  });

  it('emits the half-written last line only once it is completed', () => {
    const s = new LineSplitter(0);
    assert.equal(feed(s, ['{"x":"hal']).length, 0);
    assert.equal(s.completeEnd, 0);
    const lines = feed(s, ['f"}\n']);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.bytes!.toString(), '{"x":"half"}');
    assert.equal(s.completeEnd, 13);
  });

  it('keeps only head and tail of an oversized line, counts its full length, and resumes correctly after it', () => {
    const s = new LineSplitter(0, { maxLineBytes: 1000, keepBytes: 10 });
    const big = `HEAD-${'x'.repeat(5000)}-TAIL`;
    const lines = feed(s, [big.slice(0, 700), big.slice(700, 3000), `${big.slice(3000)}\n{"ok":1}\n`]);
    assert.equal(lines.length, 2);
    const o = lines[0]!.oversized!;
    assert.equal(o.length, big.length);
    assert.equal(o.head.toString(), 'HEAD-xxxxx');
    assert.equal(o.tail.toString(), 'xxxxx-TAIL');
    assert.equal(lines[1]!.offset, big.length + 1);
    assert.equal(lines[1]!.bytes!.toString(), '{"ok":1}');
  });

  it('does not split a multi-byte UTF-8 character that straddles two chunks', () => {
    const s = new LineSplitter(0);
    const bytes = Buffer.from('{"t":"ü€"}\n');
    const lines = feed(s, [bytes.subarray(0, 8), bytes.subarray(8)]);
    assert.equal(lines[0]!.bytes!.toString('utf8'), '{"t":"ü€"}');
  });
});
