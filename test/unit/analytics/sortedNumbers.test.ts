import assert from 'node:assert/strict';
import fc from 'fast-check';
import { median } from '../../../src/core/analytics/efficiency';
import { SortedNumbers } from '../../../src/core/analytics/sortedNumbers';

describe('analytics: SortedNumbers (a sorted multiset for medians kept across refreshes)', () => {
  it('after any adds and removes, its median and quantiles are those of the values held (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (groups, drops, q) => {
          const s = new SortedNumbers();
          // Reads between adds settle a few values one by one; the first read after many sorts them in one go.
          groups.forEach((g, i) => {
            s.add(g);
            if (i % 2) s.median();
          });
          const held = [...groups];
          for (const d of drops) {
            if (held.length === 0) break;
            const [gone] = held.splice(d % held.length, 1);
            s.remove(gone!);
          }
          const all = held.flat().sort((a, b) => a - b);
          assert.equal(s.size, all.length);
          assert.equal(s.median(), median(all));
          assert.equal(s.quantile(q), all.length ? all[Math.min(all.length - 1, Math.ceil(q * all.length) - 1)] : null);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses to remove a value it does not hold (add and remove disagree: a bug, not a silent skew)', () => {
    const s = new SortedNumbers();
    s.add([1, 2, 3]);
    assert.throws(() => s.remove([4]), /4 is not held/);
    s.remove([2]);
    assert.throws(() => s.remove([2]), /2 is not held/);
    assert.equal(s.median(), 2);
  });
});
