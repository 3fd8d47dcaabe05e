/**
 * Rows of a long list fetched from the host in pages, on demand, for the visible range of a virtualized list.
 * A new query (filters, sort) starts a new generation: answers to the old one are ignored.
 */
export class PagedList<Row> {
  total = $state<number | null>(null);
  /** Replaced whole when a page arrives ($state.raw): rows are host data, never mutated here. */
  pages = $state.raw<ReadonlyMap<number, readonly Row[]>>(new Map());
  error = $state<string | null>(null);
  /** Milliseconds from the last reset to its first page (printed by the tests and the bench). */
  firstPageMs = $state<number | null>(null);
  #generation = 0;
  #inflight = new Set<number>();

  constructor(
    readonly pageSize: number,
    private readonly fetchPage: (offset: number, limit: number) => Promise<{ rows: readonly Row[]; total: number }>,
  ) {}

  /** Drops every page and fetches the first one again. */
  reset(): void {
    this.#generation++;
    this.#inflight.clear();
    this.pages = new Map();
    this.error = null;
    this.firstPageMs = null;
    const started = performance.now();
    void this.#load(0, this.#generation).then(() => {
      if (this.firstPageMs === null) this.firstPageMs = performance.now() - started;
    });
  }

  /** Refetches the loaded pages in place (data changed on the host), keeping the scroll position. */
  refresh(): void {
    this.#generation++;
    this.#inflight.clear();
    const loaded = [...this.pages.keys()];
    for (const p of loaded.length > 0 ? loaded : [0]) void this.#load(p, this.#generation);
  }

  row(index: number): Row | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  ensureRange(start: number, end: number): void {
    const first = Math.floor(start / this.pageSize);
    const last = Math.floor(end / this.pageSize);
    for (let p = first; p <= last; p++) {
      if (!this.pages.has(p) && !this.#inflight.has(p)) void this.#load(p, this.#generation);
    }
  }

  async #load(page: number, generation: number): Promise<void> {
    this.#inflight.add(page);
    try {
      const r = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (generation !== this.#generation) return;
      const next = new Map(this.pages);
      next.set(page, r.rows);
      this.pages = next;
      this.total = r.total;
      this.error = null;
    } catch (e) {
      if (generation === this.#generation) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (generation === this.#generation) this.#inflight.delete(page);
    }
  }
}
