/**
 * A multiset of numbers kept sorted in one typed array, for medians and percentiles over values that come and go
 * per session (400,000 first-response delays at 20,000 sessions): after one new session its few values are moved
 * into place, instead of every value being copied and sorted on every refresh. Values added wait until the next read
 * or removal; many at once (a first load) are appended and sorted in one go.
 */
export class SortedNumbers {
  private values = new Float64Array(64);
  private n = 0;
  /** Added lists not yet in place (kept as the caller's arrays: no copy until they are settled). */
  private pending: (readonly number[])[] = [];
  private pendingCount = 0;

  get size(): number {
    return this.n + this.pendingCount;
  }

  /** Adds these values (the array is read when they are settled: the caller must not change it meanwhile). */
  add(xs: readonly number[]): void {
    if (xs.length === 0) return;
    this.pending.push(xs);
    this.pendingCount += xs.length;
  }

  /** Removes one occurrence of each value (a value not held is an error: the caller's add and remove disagree). */
  remove(xs: readonly number[]): void {
    this.settle();
    for (const x of xs) {
      const i = this.upper(x) - 1;
      if (i < 0 || this.values[i] !== x) throw new Error(`SortedNumbers.remove: ${x} is not held`);
      this.values.copyWithin(i, i + 1, this.n);
      this.n--;
    }
  }

  /** The median (mean of the two middle values for an even count); null when empty. */
  median(): number | null {
    this.settle();
    if (this.n === 0) return null;
    const m = this.n >> 1;
    return this.n % 2 ? this.values[m]! : (this.values[m - 1]! + this.values[m]!) / 2;
  }

  /** The nearest-rank q-quantile (0 < q ≤ 1); null when empty. */
  quantile(q: number): number | null {
    this.settle();
    if (this.n === 0) return null;
    return this.values[Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1))]!;
  }

  /** Puts the pending values in place: one by one when few, else appended and the whole sorted once. */
  private settle(): void {
    const count = this.pendingCount;
    if (count === 0) return;
    const need = this.n + count;
    if (need > this.values.length) {
      // Exactly what a bulk load needs; room to spare only for values added a few at a time later.
      const grown = new Float64Array(Math.max(64, count > 64 ? need : Math.ceil(need * 1.5)));
      grown.set(this.values.subarray(0, this.n));
      this.values = grown;
    }
    if (count > 64 && count * 64 > this.n) {
      let at = this.n;
      for (const xs of this.pending) {
        this.values.set(xs, at);
        at += xs.length;
      }
      this.n = need;
      this.values.subarray(0, this.n).sort();
    } else
      for (const xs of this.pending)
        for (const x of xs) {
          const i = this.upper(x);
          this.values.copyWithin(i + 1, i, this.n);
          this.values[i] = x;
          this.n++;
        }
    this.pending = [];
    this.pendingCount = 0;
  }

  /** The index after the last value ≤ x. */
  private upper(x: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
