/**
 * The dashboard's store queries at 20,000 sessions: prints the median and p95 of each (sessions/query first page for
 * every sort, a filter change, a page deep in the list, a session's timeline pages, search) with the hardware.
 * `node --import tsx bench/dashboard/queries.ts [--sessions N] [--backend node:sqlite|sql.js]`
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceTable } from '../../src/core/pricing/priceTable';
import type { BackendName } from '../../src/infra/sqlite/driver';
import { Store } from '../../src/infra/sqlite/store';
import { fillGeneratedStore } from '../../test/helpers/generatedDashboardStore';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('sessions', '20000'));
const backend = arg('backend', 'node:sqlite') as BackendName;
const RUNS = 15;

function time(label: string, fn: () => unknown): void {
  fn(); // warm the statement cache
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(1);
  console.log(`${label.padEnd(44)} median ${p(0.5).padStart(7)} ms   p95 ${p(0.95).padStart(7)} ms`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-dash-'));
  try {
    const store = await Store.open(path.join(dir, 'store.db'), backend);
    let t = performance.now();
    fillGeneratedStore(store, N);
    console.log(`generated ${N} sessions in ${(performance.now() - t).toFixed(0)} ms (${store.backend})`);
    t = performance.now();
    store.refreshSessionStats(PriceTable.builtin());
    console.log(`session stats, full refresh: ${(performance.now() - t).toFixed(0)} ms`);
    console.log(
      `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.versions.node}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const live = { now: Date.now(), liveWindowMs: 300_000 };
    for (const by of ['time', 'cost', 'tokens', 'duration'] as const)
      for (const dir of ['desc', 'asc'] as const)
        time(`sessions/query first 100, ${by} ${dir}`, () =>
          store.querySessions({ filters: {}, sort: { by, dir }, offset: 0, limit: 100, ...live }),
        );
    time('sessions/query offset 15,000, cost desc', () =>
      store.querySessions({ filters: {}, sort: { by: 'cost', dir: 'desc' }, offset: 15_000, limit: 100, ...live }),
    );
    time('sessions/query filter project+model+errors', () =>
      store.querySessions({
        filters: { project: 'proj-1', model: 'claude-opus-4-5', hasErrors: true },
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 100,
        ...live,
      }),
    );
    time('search "pinecone" (limit 100)', () =>
      store.searchTexts({ query: 'pinecone', filters: {}, limit: 100, ...live }),
    );
    time('search "kube" prefix, project filter', () =>
      store.searchTexts({ query: 'kube', filters: { project: 'proj-2' }, limit: 100, ...live }),
    );
    // A 2,000-entry timeline: one session given 2,000 prompts.
    store.db.exec(`WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1999)
      INSERT INTO interactions (id, session_id, origin_session, kind, ts, is_sidechain, byte_offset)
      SELECT printf('p:long-%04d', i), 'gen-000042', 'gen-000042', 'prompt', 1700000000000 + i * 1000, 0, i FROM c;
      WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1999)
      INSERT INTO texts (key, interaction_id, ord, kind, text) SELECT printf('t:long-%04d', i), printf('p:long-%04d', i), 0, 'prompt', printf('turn %d', i) FROM c;`);
    time('session/turns first 100 of 2,001', () =>
      store.timelinePage({ sessionId: 'gen-000042', offset: 0, limit: 100 }),
    );
    time('session/turns offset 1,900 of 2,001', () =>
      store.timelinePage({ sessionId: 'gen-000042', offset: 1900, limit: 100 }),
    );
    store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
