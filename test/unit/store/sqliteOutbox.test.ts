import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyBatch, type IngestBatch } from '../../../src/core/collector/rows';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import type { Masked } from '../../../src/core/privacy/masker';
import { type InteractionRow, interactionUuid, type RemoteSessionRow } from '../../../src/core/sync/rows';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { interactionRow, sessionRow } from '../sync/helpers';
import { describeOutboxConformance } from '../sync/outboxConformance';

const CC_VERSION = '2.1.0';
const m = (s: string) => s as Masked;

/**
 * Writes a sync row into the store the way ingest does (Store.writeBatch: rows + outbox in one transaction). The
 * store keeps facts, not rows: `total_interactions` is the number of interactions the store holds for the session,
 * so the harness adds already-synced filler prompts (outbox rows removed) to reach it; an interaction's project is
 * its session's project.
 */
class IngestLike {
  constructor(public store: Store) {}

  session(row: RemoteSessionRow, projectPath?: string | null): void {
    const b = emptyBatch();
    b.sessions.set(row.session_id, {
      sessionId: row.session_id,
      projectPath: (projectPath ?? row.project_path ?? undefined) as Masked | undefined,
      firstTs: Date.parse(row.start_time),
      lastTs: Date.parse(row.end_time ?? row.start_time),
    });
    this.write(b);
    const have = Number(
      this.store.db.prepare('SELECT count(*) AS n FROM interactions WHERE session_id = ?').get([row.session_id])!.n,
    );
    if (row.total_interactions > have) {
      const f = emptyBatch();
      for (let k = have; k < row.total_interactions; k++) {
        f.prompts.push({
          id: `p:filler-${row.session_id}-${k}`,
          sessionId: row.session_id,
          originSession: row.session_id,
          isSidechain: false,
          sourceFile: 'h.jsonl',
          byteOffset: k,
          ts: Date.parse(row.start_time),
        });
      }
      this.write(f);
      this.store.db
        .prepare("DELETE FROM sync_outbox WHERE entity = 'interaction' AND entity_id LIKE 'p:filler-%'")
        .run();
    }
  }

  interaction(row: InteractionRow, projectPath?: string | null): InteractionRow {
    const b = emptyBatch();
    const sid = row.session_id;
    const place = {
      sessionId: sid,
      originSession: sid,
      isSidechain: false,
      sourceFile: 'h.jsonl',
      byteOffset: 0,
      ccVersion: CC_VERSION,
    };
    const ts = Date.parse(row.occurred_at);
    const uuid = row.message_uuid;
    if (row.message_type === 'user') {
      const id = `p:${uuid}`;
      b.prompts.push({ ...place, id, ts });
      if (row.user_prompt !== null)
        b.texts.push({ key: `${uuid}:p`, interactionId: id, ord: 0, kind: 'prompt', text: row.user_prompt });
    } else {
      const id = `r:${uuid}`;
      b.apiMessages.push({
        ...place,
        key: uuid,
        interactionId: id,
        messageId: uuid,
        ts,
        model: row.model ?? undefined,
        input: row.input_tokens,
        output: row.output_tokens,
        cache5m: row.cache_creation_input_tokens,
        cache1h: 0,
        cacheCreation: row.cache_creation_input_tokens,
        cacheRead: row.cache_read_input_tokens,
        lineUuid: uuid,
      });
      if (row.claude_response !== null)
        b.texts.push({ key: `${uuid}:0`, interactionId: id, ord: 0, kind: 'text', text: row.claude_response });
      for (const [k, t] of ((row.tools_used as { name: string; input: unknown }[] | null) ?? []).entries())
        b.toolCalls.push({
          ...place,
          id: `toolu_${uuid}_${k}`,
          interactionId: id,
          name: t.name,
          inputJson: m(JSON.stringify(t.input)),
          ts,
        });
    }
    this.write(b);
    if (projectPath !== undefined)
      this.store.db.prepare('UPDATE sessions SET project_path = ? WHERE session_id = ?').run([projectPath, sid]);
    return expectedRow(row);
  }

  private write(b: IngestBatch): void {
    this.store.writeBatch(b, { path: 'h.jsonl' });
  }
}

/** What the store derives for a row the harness wrote: computed here from the price file's rates, not by the outbox. */
function expectedRow(row: InteractionRow): InteractionRow {
  if (row.message_type === 'user') {
    return {
      ...row,
      tools_used: null,
      performance_metrics: null,
      model: null,
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cost_usd: null,
      privacy_status: { masked: true, findings: {} },
      context_analysis: { sidechain: false, agent_id: null, cli_version: CC_VERSION, thinking_blocks: 0 },
    };
  }
  const r = PriceTable.builtin().rowsFor(row.model!)!.at(-1)!;
  const usd =
    (row.input_tokens * r.input +
      row.output_tokens * r.output +
      row.cache_creation_input_tokens * r.cacheWrite5m +
      row.cache_read_input_tokens * r.cacheRead) /
    1e6;
  return {
    ...row,
    message_uuid: interactionUuid(`r:${row.message_uuid}`),
    cost_usd: Math.round(usd * 1e6) / 1e6,
    performance_metrics: {
      speed: null,
      cache_creation_5m_tokens: row.cache_creation_input_tokens,
      cache_creation_1h_tokens: 0,
      claude_cost_usd: null,
    },
    context_analysis: { sidechain: false, agent_id: null, cli_version: CC_VERSION, thinking_blocks: 0 },
    privacy_status: { masked: true, findings: {} },
  };
}

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describeOutboxConformance(`SqliteOutbox (${backend})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cct-sqlite-outbox-'));
    const file = join(dir, 'store.db');
    let store = await Store.open(file, backend);
    const ingest = new IngestLike(store);
    return {
      port: new SqliteOutbox(store),
      enqueueSession: (row, p) => ingest.session(row, p),
      enqueueInteraction: (row, p) => ingest.interaction(row, p),
      async reopen() {
        store.close();
        store = await Store.open(file, backend);
        ingest.store = store;
        return new SqliteOutbox(store);
      },
      dispose() {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  describe(`SqliteOutbox details (${backend})`, () => {
    let dir: string;
    let store: Store;
    let ingest: IngestLike;
    let box: SqliteOutbox;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cct-sqlite-outbox-'));
      store = await Store.open(join(dir, 'store.db'), backend);
      ingest = new IngestLike(store);
      box = new SqliteOutbox(store);
    });
    afterEach(() => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('session rows aggregate the ledger: tokens, priced cost, main model, interaction count, times, status', async () => {
      const now = Date.parse('2026-06-01T12:00:00.000Z');
      ingest.session(sessionRow('s', { start_time: '2026-06-01T10:00:00.000Z', end_time: '2026-06-01T11:59:00.000Z' }));
      ingest.interaction(interactionRow('s', 0));
      ingest.interaction(
        interactionRow('s', 1, {
          model: 'claude-sonnet-4-5',
          input_tokens: 1000,
          output_tokens: 500,
          cache_creation_input_tokens: 2000,
          cache_read_input_tokens: 10_000,
        }),
      );
      ingest.interaction(interactionRow('s', 3, { model: 'claude-haiku-4-5', input_tokens: 10, output_tokens: 20 }));
      const [s] = await box.next('session', 10, now);
      const row = s!.row;
      assert.equal(row.total_interactions, 3);
      assert.equal(row.input_tokens, 1010);
      assert.equal(row.output_tokens, 520);
      assert.equal(row.cache_creation_input_tokens, 2000);
      assert.equal(row.cache_read_input_tokens, 10_000);
      assert.equal(row.model, 'claude-sonnet-4-5', 'the model with the most output tokens');
      // sonnet 4.5: $3 in, $15 out, $3.75 cache write 5m, $0.30 cache read per MTok; haiku 4.5: $1 in, $5 out
      const expected = (1000 * 3 + 500 * 15 + 2000 * 3.75 + 10_000 * 0.3) / 1e6 + (10 * 1 + 20 * 5) / 1e6;
      assert.ok(Math.abs(row.total_cost_usd - expected) < 1e-9, `${row.total_cost_usd} vs ${expected}`);
      assert.equal(row.start_time, '2026-06-01T10:00:00.000Z');
      assert.equal(row.end_time, '2026-06-01T11:59:00.000Z');
      assert.equal(row.status, 'active');
      const [later] = await box.next('session', 10, now + 3_600_000);
      assert.equal(later!.row.status, 'completed');
      assert.deepEqual((row.metadata as { models: string[] }).models, ['claude-haiku-4-5', 'claude-sonnet-4-5']);
      // the dashboard's "All my machines" search says which machine a synced session came from: this store's random
      // id, the same on every row, never the host name (it often carries a person's name; team admins see it)
      const machine = (row.metadata as { machine?: string }).machine;
      assert.match(machine ?? '', /^[0-9a-f]{8}$/);
      assert.equal((later!.row.metadata as { machine?: string }).machine, machine);
      assert.notEqual(machine, hostname());
    });

    it('a session sent while active is queued once more when it goes idle, then reads completed', async () => {
      const last = Date.now() - 60_000;
      ingest.session(
        sessionRow('live', {
          start_time: new Date(last - 600_000).toISOString(),
          end_time: new Date(last).toISOString(),
        }),
      );
      const [s] = await box.next('session', 10, Date.now());
      assert.equal(s!.row.status, 'active');
      await box.ack([s!.id]);
      assert.equal((await box.next('session', 10, Date.now())).length, 0, 'still active: nothing to resend');
      const later = last + 6 * 60_000;
      const [again] = await box.next('session', 10, later);
      assert.equal(again!.row.session_id, 'live');
      assert.equal(again!.row.status, 'completed');
      await box.ack([again!.id]);
      assert.equal((await box.next('session', 10, later + 3_600_000)).length, 0, 'once');
    });

    it('an in-flight entity changed again: ack leaves it queued, the next ack (of the new version) removes it', async () => {
      ingest.session(sessionRow('a'));
      const [first] = await box.next('session', 1, Date.now());
      ingest.interaction(interactionRow('a', 0));
      ingest.session(sessionRow('a', { end_time: '2026-06-01T10:05:00.000Z' }));
      await box.ack([first!.id]);
      const [second] = await box.next('session', 1, Date.now());
      assert.equal(second!.id, first!.id, 're-enqueue keeps the place in the queue');
      assert.equal(second!.row.total_interactions, 1);
      await box.ack([second!.id]);
      assert.equal((await box.next('session', 1, Date.now())).length, 0);
    });

    it('dead letters keep the reason and the attempts; a later delivery of the entity clears its dead letter; requeue', async () => {
      ingest.session(sessionRow('a'));
      const [a] = await box.next('session', 1, Date.now());
      await box.retryLater([a!.id], 0, 'HTTP 503: down');
      const [again] = await box.next('session', 1, Date.now());
      await box.deadLetter([again!.id], 'HTTP 400 22P02: invalid input');
      const [dl] = box.deadLetters();
      assert.equal(dl!.entityId, 'a');
      assert.equal(dl!.reason, 'HTTP 400 22P02: invalid input');
      assert.equal(dl!.attempts, 1);
      assert.equal(box.requeueDeadLetters(), 1);
      assert.deepEqual(await box.stats(), { pending: 1, deadLetters: 0 });
      const [back] = await box.next('session', 1, Date.now());
      await box.deadLetter([back!.id], 'again');
      ingest.session(sessionRow('a', { end_time: '2026-06-01T10:09:00.000Z' }));
      const [fixed] = await box.next('session', 1, Date.now());
      await box.ack([fixed!.id]);
      assert.deepEqual(await box.stats(), { pending: 0, deadLetters: 0 });
    });

    it('entities whose rows were pruned locally leave the queue instead of blocking it', async () => {
      ingest.session(sessionRow('old', { start_time: '2020-01-01T00:00:00.000Z' }));
      ingest.interaction(interactionRow('old', 0));
      ingest.session(sessionRow('new', { start_time: '2026-06-01T00:00:00.000Z' }));
      assert.equal(store.pruneOlderThan(Date.parse('2021-01-01T00:00:00.000Z')), 1);
      assert.deepEqual(
        (await box.next('session', 10, Date.now())).map((e) => e.row.session_id),
        ['new'],
      );
      assert.equal((await box.next('interaction', 10, Date.now())).length, 0);
      assert.deepEqual(await box.stats(), { pending: 1, deadLetters: 0 });
    });
  });
}

describe('SqliteOutbox next to an ingesting connection (node:sqlite, WAL: the extension host drains while the scan worker writes)', () => {
  it("a second connection sees the worker's enqueues; a change committed by the worker while a snapshot is in flight survives the ack", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cct-sqlite-outbox-2c-'));
    const file = join(dir, 'store.db');
    const worker = await Store.open(file, 'node:sqlite');
    const host = await Store.open(file, 'node:sqlite');
    try {
      const ingest = new IngestLike(worker);
      const box = new SqliteOutbox(host);
      ingest.session(sessionRow('a'));
      ingest.interaction(interactionRow('a', 0));
      const [s] = await box.next('session', 10, Date.now());
      const [i] = await box.next('interaction', 10, Date.now());
      assert.equal(s!.row.total_interactions, 1);
      // the worker ingests more of the session while the host's snapshot is on the wire
      ingest.interaction(interactionRow('a', 2));
      ingest.session(sessionRow('a', { end_time: '2026-06-01T10:30:00.000Z' }));
      await box.ack([s!.id, i!.id], 'full');
      const [s2] = await box.next('session', 10, Date.now());
      assert.equal(s2!.row.total_interactions, 2, 'the newer snapshot is pending');
      assert.equal((await box.next('interaction', 10, Date.now())).length, 1, 'only the new interaction');
      // a long ingest transaction in the worker does not block the host's reads
      worker.bulk.begin();
      ingest.interaction(interactionRow('a', 4));
      assert.equal((await box.next('interaction', 10, Date.now())).length, 1, 'uncommitted rows are invisible');
      // with nothing to re-send (everything went out in full), the per-round mode check does not wait for the worker's write lock
      const t0 = Date.now();
      assert.deepEqual(await box.requeueForMode('full', 1000, () => false), { queued: 0, more: false });
      assert.ok(Date.now() - t0 < 1000, `answered without the write lock (${Date.now() - t0} ms)`);
      worker.bulk.commit();
      assert.equal((await box.next('interaction', 10, Date.now())).length, 2);
    } finally {
      host.close();
      worker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`cct sync push` (metadata) and the extension (full) send the same entry at once: the last ack decides, also when the first removed the entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cct-sqlite-outbox-2m-'));
    const file = join(dir, 'store.db');
    const host = await Store.open(file, 'node:sqlite');
    const cli = await Store.open(file, 'node:sqlite');
    try {
      const ingest = new IngestLike(host);
      ingest.session(sessionRow('a'));
      ingest.interaction(interactionRow('a', 0));
      const full = new SqliteOutbox(host);
      const meta = new SqliteOutbox(cli);
      for (const order of [
        ['full', 'metadata'],
        ['metadata', 'full'],
      ] as const) {
        const [e1] = await full.next('interaction', 10, Date.now());
        const [e2] = await meta.next('interaction', 10, Date.now());
        assert.equal(e1!.id, e2!.id, 'both hold the same entry');
        // the first ack removes the entry; the second still knows which row it sent, from its own next()
        for (const mode of order) await (mode === 'full' ? full.ack([e1!.id], 'full') : meta.ack([e2!.id], 'metadata'));
        const expected = order[1] === 'metadata' ? 1 : 0; // 1 queues it again for the next order
        assert.deepEqual(
          await full.requeueForMode('full', 10, () => false),
          { queued: expected, more: false },
          order.join(' then '),
        );
      }
    } finally {
      cli.close();
      host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
