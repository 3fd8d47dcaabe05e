/**
 * Micro-costs of the store paths the sync's per-row mode touches: Store.writeBatch (ingest) and SqliteOutbox.ack.
 * Not a throughput benchmark (that is `npm run bench`): a fresh store per round, synthetic rows shaped like a
 * transcript's (a prompt with its text, an API response with a text block, a tool call), node:sqlite, WAL.
 *
 *   node --import tsx bench/sync/ackMicro.ts [--root DIR] [--rounds 5] [--rows 20000] [--batch 500] [--backend node:sqlite|sql.js]
 *
 * --root runs the same measurement against another checkout's src/ (e.g. an export of the previous commit), so a
 * before/after pair can alternate on one machine. Prints the median of the rounds, µs per interaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(__dirname, '../..') },
    rounds: { type: 'string', default: '5' },
    rows: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '500' },
    backend: { type: 'string', default: 'node:sqlite' },
  },
});
const root = resolve(a.root!);
const rounds = Number(a.rounds);
const pairs = Number(a.rows) / 2; // one prompt + one response per pair
const batchPairs = Number(a.batch) / 2;
const backend = a.backend as 'node:sqlite' | 'sql.js';

const imp = async <T>(p: string): Promise<T> => (await import(pathToFileURL(join(root, p)).href)) as T;
type StoreMod = typeof import('../../src/infra/sqlite/store');
type OutboxMod = typeof import('../../src/infra/sqlite/sqliteOutbox');
type RowsMod = typeof import('../../src/core/collector/rows');
let Store: StoreMod['Store'];
let SqliteOutbox: OutboxMod['SqliteOutbox'];
let emptyBatch: RowsMod['emptyBatch'];
type Masked = import('../../src/core/privacy/masker').Masked;
const m = (s: string) => s as Masked;

function batch(from: number, n: number, sid: string) {
  const b = emptyBatch();
  const t0 = Date.parse('2026-06-01T00:00:00Z');
  b.sessions.set(sid, { sessionId: sid, projectPath: m('/home/dev/proj'), firstTs: t0, lastTs: t0 + from + n });
  for (let k = from; k < from + n; k++) {
    const place = {
      sessionId: sid,
      originSession: sid,
      isSidechain: false,
      sourceFile: `${sid}.jsonl`,
      byteOffset: k * 2000,
      ccVersion: '2.1.0',
    };
    const u = `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
    b.prompts.push({ ...place, id: `p:${u}`, ts: t0 + k * 1000 });
    b.texts.push({
      key: `${u}:p`,
      interactionId: `p:${u}`,
      ord: 0,
      kind: 'prompt',
      text: m(`please look at file ${k} and fix the failing test, then run it again`),
    });
    const key = `msg_${k}:req_${k}`;
    b.apiMessages.push({
      ...place,
      byteOffset: k * 2000 + 1000,
      key,
      interactionId: `r:${key}`,
      messageId: `msg_${k}`,
      requestId: `req_${k}`,
      ts: t0 + k * 1000 + 500,
      model: 'claude-sonnet-4-5',
      input: 10 + k,
      output: 200,
      cache5m: 1000,
      cache1h: 0,
      cacheCreation: 1000,
      cacheRead: 20000,
      lineUuid: u,
    });
    b.texts.push({
      key: `${u}:0`,
      interactionId: `r:${key}`,
      ord: 0,
      kind: 'text',
      text: m(`I changed the assertion in test ${k}; it passes now. `.repeat(4)),
    });
    b.toolCalls.push({
      ...place,
      id: `toolu_${k}`,
      interactionId: `r:${key}`,
      name: 'Bash',
      inputJson: m(JSON.stringify({ command: `npm test -- ${k}` })),
      ts: t0 + k * 1000 + 600,
    });
  }
  return b;
}

async function round(sentAs: 'metadata' | 'full') {
  const dir = mkdtempSync(join(tmpdir(), 'cct-ack-micro-'));
  const store = await Store.open(join(dir, 'store.db'), backend);
  try {
    let write = 0;
    for (let from = 0, s = 0; from < pairs; from += batchPairs, s++) {
      const b = batch(from, Math.min(batchPairs, pairs - from), `sess-${s % 20}`);
      const t = process.hrtime.bigint();
      store.writeBatch(b, { path: 'x.jsonl' });
      write += Number(process.hrtime.bigint() - t);
    }
    const box = new SqliteOutbox(store, { flushEveryMs: 60_000 });
    let ack = 0;
    let acked = 0;
    for (;;) {
      const entries = await box.next('interaction', Number(a.batch), Date.now());
      if (entries.length === 0) break;
      const t = process.hrtime.bigint();
      await box.ack(
        entries.map((e) => e.id),
        sentAs,
      );
      ack += Number(process.hrtime.bigint() - t);
      acked += entries.length;
    }
    // the per-round check of a drain with nothing to re-send (everything went out in full)
    let check = NaN;
    if (sentAs === 'full') {
      const t = process.hrtime.bigint();
      for (let k = 0; k < 1000; k++) await box.requeueForMode('full', 1000, () => false);
      check = Number(process.hrtime.bigint() - t) / 1000;
    }
    return { writeUs: write / 1000 / (pairs * 2), ackUs: ack / 1000 / acked, checkUs: check / 1000 };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function main() {
  ({ Store } = await imp<StoreMod>('src/infra/sqlite/store.ts'));
  ({ SqliteOutbox } = await imp<OutboxMod>('src/infra/sqlite/sqliteOutbox.ts'));
  ({ emptyBatch } = await imp<RowsMod>('src/core/collector/rows.ts'));
  const res = { full: [] as Awaited<ReturnType<typeof round>>[], metadata: [] as Awaited<ReturnType<typeof round>>[] };
  await round('full'); // warm-up
  for (let r = 0; r < rounds; r++) for (const mode of ['full', 'metadata'] as const) res[mode].push(await round(mode));
  for (const mode of ['full', 'metadata'] as const) {
    const rs = res[mode];
    const check =
      mode === 'full'
        ? `, requeueForMode(full) with nothing to do ${median(rs.map((r) => r.checkUs)).toFixed(2)} µs`
        : '';
    console.log(
      `${root} ${backend} ack as ${mode.padEnd(8)}: writeBatch ${median(rs.map((r) => r.writeUs)).toFixed(2)} µs/interaction, ` +
        `ack ${median(rs.map((r) => r.ackUs)).toFixed(2)} µs/row${check}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
