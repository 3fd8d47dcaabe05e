import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Normalizer } from '../../../src/core/collector/normalizer';
import type { IngestBatch } from '../../../src/core/collector/rows';
import { parseText } from '../../../src/core/transcript/parseLine';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { SCHEMA_VERSION } from '../../../src/infra/sqlite/migrations';
import { Store } from '../../../src/infra/sqlite/store';
import { guard } from '../transcript/engine';
import { assistant, prompt } from '../transcript/lines';

const S = 'cccccccc-0000-4000-8000-000000000001';
const t = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}.000Z`;

/** A real batch: lines → parser → normalizer (with the real Privacy Guard). */
function batchOf(lines: string[], file = `/x/${S}.jsonl`): IngestBatch {
  const n = new Normalizer(guard, { path: file, kind: 'main', sessionId: S });
  lines.forEach((l, i) => {
    const r = parseText(l);
    assert.equal(r.kind, 'record');
    if (r.kind === 'record') n.accept(r.record, i * 1000);
  });
  return n.take();
}

const GH_TOKEN = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;
const LINES = [
  prompt({ uuid: 'u1', sessionId: S, ts: t(0), text: `deploy with token ${GH_TOKEN} and pinecone` }),
  assistant({
    uuid: 'a1',
    sessionId: S,
    ts: t(1),
    msgId: 'm1',
    reqId: 'r1',
    usage: { in: 10, out: 20 },
    block: { type: 'text', text: 'pinecone deployed' },
  }),
];

const allRows = (s: Store) =>
  Object.fromEntries(
    ['sessions', 'interactions', 'texts', 'api_messages', 'tool_calls', 'privacy_findings', 'sync_outbox'].map(
      (tbl) => [
        tbl,
        s.db
          .prepare(`SELECT * FROM ${tbl} ORDER BY 1`)
          .all()
          .map((r) => ({ ...r, updated_at: undefined, enqueued_at: undefined })),
      ],
    ),
  );

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`store (${backend})`, () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-store-'));
      file = path.join(dir, 'store.db');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('migrates to the current user_version and reopens without re-migrating', async () => {
      let s = await Store.open(file, backend);
      assert.equal(s.backend, backend);
      assert.equal(Number(s.db.prepare('PRAGMA user_version').get()!.user_version), SCHEMA_VERSION);
      s.close();
      s = await Store.open(file, backend);
      assert.equal(Number(s.db.prepare('PRAGMA user_version').get()!.user_version), SCHEMA_VERSION);
      if (backend === 'node:sqlite')
        assert.equal(String(s.db.prepare('PRAGMA journal_mode').get()!.journal_mode), 'wal');
      s.close();
    });

    it('writes are idempotent on natural keys: the same batch twice, or a rolled-back crash then a rerun, give the same rows', async () => {
      const s = await Store.open(file, backend);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      const once = allRows(s);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      assert.deepEqual(allRows(s), once);
      // crash mid-transaction: nothing of it remains
      assert.throws(() =>
        s.db.transaction(() => {
          s.db.prepare("INSERT INTO sessions(session_id) VALUES ('half-written')").run();
          throw new Error('power cut');
        }),
      );
      assert.deepEqual(allRows(s), once);
      assert.equal(s.counts().apiMessages, 1);
      assert.equal(s.search('pinecone').length, 2, 'the FTS index holds each text once');
      s.close();
    });

    it('stores only masked text, keeps per-category finding counts (never values), and indexes it for search', async () => {
      const s = await Store.open(file, backend);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      const dump = JSON.stringify(allRows(s));
      assert.ok(!dump.includes(GH_TOKEN), 'the token never reaches the store');
      const counts = s.privacyStatus(S);
      assert.ok(Object.values(counts).reduce((a, b) => a + b, 0) >= 1, JSON.stringify(counts));
      assert.ok(Object.keys(counts).every((k) => !k.includes('ghp_')));
      const hits = s.search('pinecone');
      assert.deepEqual(hits.map((h) => h.interactionId).sort(), ['p:u1', 'r:m1:r1']);
      assert.equal(s.ftsStatus().engine, backend === 'node:sqlite' ? 'fts5' : 'fts4');
      s.close();
    });

    it('enqueues each changed session and interaction once in the sync outbox until acknowledged', async () => {
      const s = await Store.open(file, backend);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      s.writeBatch(batchOf(LINES), { path: '/x' });
      const pending = s.pendingOutbox(100);
      assert.deepEqual(pending.map((p) => `${p.entity}:${p.entityId}`).sort(), [
        `interaction:p:u1`,
        'interaction:r:m1:r1',
        `session:${S}`,
      ]);
      s.ackOutbox(pending.map((p) => p.seq));
      assert.equal(s.pendingOutbox(100).length, 0);
      s.close();
    });

    it('usage rollups answer exactly what grouping the ledger answers, and only while fresh', async () => {
      const s = await Store.open(file, backend);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      const sortG = (g: ReturnType<Store['usageGroups']>) =>
        [...g].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const shapes = [
        { slotMs: 86_400_000 },
        { bySession: false },
        { bySession: false, sinceMs: Date.parse('2026-11-20T00:00:00Z') },
      ];
      const direct = shapes.map((f) => sortG(s.usageGroups({ ...f, thresholds: [100_000, 200_000] })));
      s.refreshRollups([100_000, 200_000]);
      const rolled = shapes.map((f) => sortG(s.usageGroups({ ...f, thresholds: [100_000, 200_000] })));
      assert.deepEqual(rolled, direct);
      // the rollup really is what answers: tamper with it and see it come back
      s.db.exec('UPDATE usage_rollup_session SET input = input + 1');
      assert.equal(s.usageGroups({ slotMs: 86_400_000, thresholds: [100_000, 200_000] })[0]!.input, 11);
      // other thresholds, or a new write, fall back to the ledger
      assert.equal(s.usageGroups({ slotMs: 86_400_000, thresholds: [50_000] })[0]!.input, 10);
      const n = new Normalizer(guard, { path: `/x/${S}.jsonl`, kind: 'main', sessionId: S });
      const r = parseText(
        assistant({
          uuid: 'a9',
          sessionId: S,
          ts: t(9),
          msgId: 'm9',
          reqId: 'r9',
          usage: { in: 5, out: 1 },
          block: { type: 'text', text: 'more' },
        }),
      );
      if (r.kind === 'record') n.accept(r.record, 0);
      s.writeBatch(n.take(), { path: '/x' });
      assert.equal(
        s.usageGroups({ slotMs: 86_400_000, thresholds: [100_000, 200_000] }).reduce((a, g) => a + g.input, 0),
        15,
      );
      s.close();
    });

    it('a partial rollup refresh (after an append) equals a full rebuild', async () => {
      const s = await Store.open(file, backend);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      s.refreshRollups([100_000, 200_000]);
      // append: m1 gets its final usage on a later line (larger output), plus a new message an hour later
      const n = new Normalizer(guard, { path: `/x/${S}.jsonl`, kind: 'main', sessionId: S });
      for (const l of [
        assistant({
          uuid: 'a1b',
          sessionId: S,
          ts: '2026-11-20T10:20:00.000Z',
          msgId: 'm1',
          reqId: 'r1',
          usage: { in: 10, out: 99 },
          block: { type: 'text', text: 'tail' },
        }),
        assistant({
          uuid: 'a2',
          sessionId: S,
          ts: '2026-11-20T11:00:00.000Z',
          msgId: 'm2',
          reqId: 'r2',
          usage: { in: 7, out: 3 },
          block: { type: 'text', text: 'next' },
        }),
      ]) {
        const r = parseText(l);
        if (r.kind === 'record') n.accept(r.record, 0);
      }
      s.writeBatch(n.take(), { path: '/x' });
      // a marker in an untouched slot survives only a partial refresh (a full one rebuilds everything)
      s.db.exec("INSERT INTO usage_rollup_slot VALUES ('marker', NULL, 0, 900000000, 1, 0, 0, 0, 0, 0, 0, NULL)");
      s.refreshRollups([100_000, 200_000]);
      assert.ok(s.db.prepare("SELECT 1 FROM usage_rollup_slot WHERE model = 'marker'").get(), 'the partial path ran');
      s.db.exec("DELETE FROM usage_rollup_slot WHERE model = 'marker'");
      const dump = (st: Store) =>
        ['usage_rollup_session', 'usage_rollup_slot'].map((t) =>
          st.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4, 5`).all(),
        );
      const partial = dump(s);
      assert.equal(
        s.usageGroups({ bySession: false, thresholds: [100_000, 200_000] }).reduce((a, g) => a + g.output, 0),
        99 + 3,
      );
      s.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('rollup_stale', '1')").run();
      s.close();
      const again = await Store.open(file, backend);
      again.refreshRollups([100_000, 200_000]); // a new instance knows no delta: full rebuild
      assert.deepEqual(dump(again), partial);
      again.close();
    });

    it('lease: one ingester at a time; expiry hands it over; heartbeat keeps it', async () => {
      const s = await Store.open(file, backend);
      assert.ok(s.acquireLease('A', 1000, 10_000));
      assert.ok(!s.acquireLease('B', 1000, 10_500), 'held by A');
      assert.ok(s.heartbeat('A', 1000, 10_900));
      assert.ok(!s.acquireLease('B', 1000, 11_500), 'A renewed until 11 900');
      assert.ok(s.acquireLease('B', 1000, 12_000), 'A expired');
      assert.ok(!s.heartbeat('A', 1000, 12_001), 'A lost it');
      s.releaseLease('B');
      assert.equal(s.leaseHolder(12_002), undefined);
      // a second process on the same file sees the lease (sql.js: each process has its own in-memory copy)
      assert.ok(s.acquireLease('A', 1000, 20_000));
      const other = await Store.open(file, backend);
      assert.ok(!other.acquireLease('C', 1000, 20_100));
      assert.equal(other.leaseHolder(20_100), 'A');
      other.close();
      s.releaseLease('A');
      s.close();
    });

    it('retention: a size cap deletes the least recently active sessions until the data fits', async () => {
      const s = await Store.open(file, backend);
      for (let k = 0; k < 6; k++) {
        const sid = `cccccccc-0000-4000-8000-00000000010${k}`;
        const n = new Normalizer(guard, { path: `/x/${sid}.jsonl`, kind: 'main', sessionId: sid });
        const r = parseText(
          prompt({
            uuid: `big${k}`,
            sessionId: sid,
            ts: `2026-11-2${k}T00:00:00.000Z`,
            text: `${k} ${'lorem ipsum dolor '.repeat(8000)}`, // well above the store's fixed pages (tables, indexes)
          }),
        );
        if (r.kind === 'record') n.accept(r.record, 0);
        s.writeBatch(n.take(), { path: `/x/${k}` });
      }
      const full = s.sizeBytes();
      const removed = s.pruneToSize(Math.floor(full / 2));
      assert.ok(removed >= 2 && removed < 6, `removed ${removed}`);
      assert.ok(s.sizeBytes() <= full / 2);
      const left = s.sessions().map((x) => x.sessionId);
      // the newest sessions stay
      assert.deepEqual(
        left,
        Array.from({ length: 6 - removed }, (_, i) => `cccccccc-0000-4000-8000-00000000010${i + removed}`),
      );
      s.close();
    });

    it('retention: an age cap deletes old sessions with all their rows (FTS included), keeps the rest', async () => {
      const s = await Store.open(file, backend);
      s.writeBatch(batchOf(LINES), { path: '/x' });
      const S2 = 'cccccccc-0000-4000-8000-000000000002';
      const n = new Normalizer(guard, { path: `/x/${S2}.jsonl`, kind: 'main', sessionId: S2 });
      const r = parseText(
        prompt({ uuid: 'v1', sessionId: S2, ts: '2026-11-27T00:00:00.000Z', text: 'pinecone again' }),
      );
      if (r.kind === 'record') n.accept(r.record, 0);
      s.writeBatch(n.take(), { path: '/y' });
      assert.equal(s.pruneOlderThan(Date.parse('2026-11-25T00:00:00Z')), 1);
      assert.deepEqual(
        s.sessions().map((x) => x.sessionId),
        [S2],
      );
      assert.equal(s.counts().apiMessages, 0);
      assert.deepEqual(
        s.search('pinecone').map((h) => h.sessionId),
        [S2],
      );
      s.close();
    });
  });
}

describe('store: file persistence across backends', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sql.js persists atomically (no temp file left) and a reopen sees every committed row', async () => {
    const file = path.join(dir, 'wasm.db');
    let s = await Store.open(file, 'sql.js');
    s.writeBatch(batchOf(LINES), { path: '/x' });
    s.flush();
    assert.deepEqual(fs.readdirSync(dir), ['wasm.db']);
    s.close();
    s = await Store.open(file, 'sql.js');
    assert.equal(s.counts().interactions, 2);
    s.close();
  });

  it('a node:sqlite (WAL, FTS5) store opens on sql.js; FTS writes wait there and are rebuilt on node:sqlite', async () => {
    const file = path.join(dir, 'shared.db');
    let s = await Store.open(file, 'node:sqlite');
    s.writeBatch(batchOf(LINES), { path: '/x' });
    s.close();
    s = await Store.open(file, 'sql.js');
    assert.equal(s.counts().interactions, 2);
    assert.deepEqual(s.ftsStatus(), { engine: 'fts5', writable: false });
    const S3 = 'cccccccc-0000-4000-8000-000000000003';
    const n = new Normalizer(guard, { path: `/x/${S3}.jsonl`, kind: 'main', sessionId: S3 });
    const r = parseText(prompt({ uuid: 'w1', sessionId: S3, ts: t(5), text: 'walrus' }));
    if (r.kind === 'record') n.accept(r.record, 0);
    s.writeBatch(n.take(), { path: '/z' });
    assert.deepEqual(
      s.search('walrus').map((h) => h.sessionId),
      [S3],
      'substring fallback while FTS is stale',
    );
    s.close();
    s = await Store.open(file, 'node:sqlite');
    assert.deepEqual(
      s.search('walrus').map((h) => h.sessionId),
      [S3],
      'rebuilt FTS5 index',
    );
    assert.equal(s.counts().interactions, 3);
    s.close();
  });
});
