/**
 * A switch from sync mode `metadata` to `full`: the interactions metadata mode sent (no text) are sent again, with
 * their masked text, once — exactly those: not the rows that went out in full, not the sessions (the same in both
 * modes); excluded projects stay unsent; many rows are re-queued in bounded steps; nothing is re-sent when nothing was
 * sent in a lesser mode. Also when the metadata rows come from another client on the same store (`cct sync push`,
 * metadata unless told). Real transcripts, real store and outbox, real SyncEngine (see remoteFreshness).
 */
import assert from 'node:assert/strict';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import type { BackendName, SqlDriver } from '../../../src/infra/sqlite/driver';
import { migrate, SCHEMA_VERSION } from '../../../src/infra/sqlite/migrations';
import { openDriver } from '../../../src/infra/sqlite/openDriver';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';
import { assertRemoteIsFresh, fixedClock, MemoryRemote, openSynced, ts as t } from './remoteFreshness';

const P = 'dddddddd-0000-4000-8000-000000000001';
const S = 'dddddddd-0000-4000-8000-000000000002';
const ALPHA = '/home/dev/alpha';
const CLIENT = '/home/dev/secret-client';
const excluded = (p: string | null) => p === CLIENT;

/** What an older build's store looks like: schema `version` (5 or 6), no per-row sent mode. */
function downgrade(db: SqlDriver, version: 5 | 6): void {
  db.exec(
    `DROP INDEX interactions_sent_metadata; ALTER TABLE interactions DROP COLUMN sent_mode; PRAGMA user_version = ${version}`,
  );
}

const marked = (db: SqlDriver) =>
  db
    .prepare('SELECT id FROM interactions WHERE sent_mode = 1 ORDER BY id')
    .all()
    .map((r) => String(r.id));

/**
 * `cct sync push` next to the extension: its own SqliteOutbox and SyncEngine (metadata unless told) on the same
 * store file — a second node:sqlite connection, as the CLI process has; on sql.js (one in-memory copy per
 * connection) the same Store object stands in.
 */
async function cliPush(tree: TempTree, backend: BackendName, store: Store, remote: MemoryRemote) {
  const own = backend === 'node:sqlite' ? await Store.open(tree.db, backend) : store;
  try {
    const r = await new SyncEngine(
      new SqliteOutbox(own, { flushEveryMs: 0 }),
      remote,
      { mode: 'metadata' },
      fixedClock,
    ).drain();
    assert.equal(r.outcome, 'drained', r.lastError);
    return r;
  } finally {
    if (own !== store) own.close();
  }
}

/** Project alpha: one session, three interactions; project secret-client: one session, two interactions. */
function write(tree: TempTree): void {
  tree.write(
    `-home-dev-alpha/${P}.jsonl`,
    jsonl(
      prompt({ uuid: 'u1', sessionId: P, ts: t(0), text: 'hello alpha', cwd: ALPHA }),
      assistant({
        uuid: 'a1',
        sessionId: P,
        ts: t(1),
        msgId: 'msg_1',
        reqId: 'req_1',
        usage: { in: 10, out: 5 },
        block: { type: 'text', text: 'hi from alpha' },
        cwd: ALPHA,
      }),
      prompt({ uuid: 'u2', sessionId: P, ts: t(2), text: 'more', cwd: ALPHA }),
    ),
  );
  tree.write(
    `-home-dev-secret-client/${S}.jsonl`,
    jsonl(
      prompt({ uuid: 'x1', sessionId: S, ts: t(5), text: 'client work', cwd: CLIENT }),
      assistant({
        uuid: 'x2',
        sessionId: S,
        ts: t(6),
        msgId: 'msg_x',
        reqId: 'req_x',
        usage: { in: 1, out: 1 },
        block: { type: 'text', text: 'ok' },
        cwd: CLIENT,
      }),
    ),
  );
}

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`sync: a switch from metadata to full re-sends what metadata mode sent (${backend})`, () => {
    let tree: TempTree;
    beforeEach(() => {
      tree = new TempTree();
      write(tree);
    });
    afterEach(() => tree.dispose());

    it('on the running engine (a settings change): every interaction sent once more, with its text, not the sessions; excluded projects stay unsent', async () => {
      const { e, remote, engine, drain } = await openSynced(tree, backend, {
        mode: 'metadata',
        excludeProjects: ['secret-*'],
      });
      await e.scan();
      const first = await drain();
      assert.equal(first.discarded, 1 + 2, 'the excluded project was discarded');
      assert.ok([...remote.interactions.values()].every((r) => r.user_prompt === null && r.claude_response === null));
      await assertRemoteIsFresh(e.store, remote, 'metadata', excluded);

      engine.updateConfig({ mode: 'full' });
      const sessionWrites = remote.writes.sessions;
      const second = await drain();
      assert.equal(second.requeuedForMode, 3, 'the three interactions (sessions are the same in both modes)');
      assert.equal(second.acked, 3, 'sent once each');
      assert.equal(remote.writes.sessions, sessionWrites, 'no session row sent again');
      assert.equal(second.discarded, 0, 'excluded projects are not queued again');
      assert.ok([...remote.interactions.values()].some((r) => r.user_prompt === 'hello alpha'));
      await assertRemoteIsFresh(e.store, remote, 'full', excluded);
      assert.equal((await drain()).rowsSent, 0, 'then nothing more');
      e.close();
    });

    it('across a restart (new outbox and engine in full mode, like `cct sync push --mode full`), in steps of 2 rows', async () => {
      const a = await openSynced(tree, backend, { mode: 'metadata' });
      await a.e.scan();
      await a.drain();
      a.e.close();
      const b = await openSynced(tree, backend, { mode: 'full', resendBatchRows: 2 }, a.remote);
      const steps: number[] = [];
      const inner = b.outbox.requeueForMode.bind(b.outbox);
      b.outbox.requeueForMode = async (...args) => {
        const r = await inner(...args);
        steps.push(r.queued);
        return r;
      };
      const r = await b.drain();
      assert.equal(r.acked, 5, 'all five interactions, once each; no session');
      assert.deepEqual(steps, [2, 2, 1, 0], 'bounded steps, then nothing');
      await assertRemoteIsFresh(b.e.store, a.remote, 'full');
      b.e.close();
    });

    it('nothing is re-sent when nothing was sent in a lesser mode (full from the start; full → metadata → full)', async () => {
      const { e, remote, engine, drain } = await openSynced(tree, backend, { mode: 'full' });
      await e.scan();
      assert.equal((await drain()).rowsSent, 2 + 5);
      engine.updateConfig({ mode: 'metadata' });
      assert.equal((await drain()).rowsSent, 0);
      engine.updateConfig({ mode: 'full' });
      assert.equal((await drain()).rowsSent, 0);
      await assertRemoteIsFresh(e.store, remote, 'full');
      e.close();
    });

    it('an interrupted re-send resumes where it stopped; rows metadata mode sends later are re-sent on the next switch, the rest not again', async () => {
      const { e, remote, engine, outbox, drain } = await openSynced(tree, backend, {
        mode: 'metadata',
        resendBatchRows: 1,
      });
      await e.scan();
      await drain();
      engine.updateConfig({ mode: 'full' });
      // stop the drain after the third step: three interactions re-queued (two sent, the third still pending)
      const abort = new AbortController();
      const requeue = outbox.requeueForMode.bind(outbox);
      let steps = 0;
      outbox.requeueForMode = async (...args) => {
        const r = await requeue(...args);
        if (++steps === 3) abort.abort();
        return r;
      };
      const stopped = await engine.drain(abort.signal);
      assert.deepEqual([stopped.outcome, stopped.requeuedForMode, stopped.acked], ['aborted', 3, 2]);
      outbox.requeueForMode = requeue;
      const resumed = await drain();
      assert.equal(resumed.requeuedForMode, 2, 'the two interactions not examined yet');
      assert.equal(resumed.acked, 3, 'and the one left pending');
      await assertRemoteIsFresh(e.store, remote, 'full');

      // back to metadata: a new prompt is sent without its text; the next switch to full re-sends that prompt only
      engine.updateConfig({ mode: 'metadata' });
      tree.append(
        `-home-dev-alpha/${P}.jsonl`,
        jsonl(prompt({ uuid: 'u3', sessionId: P, ts: t(9), text: 'late words', cwd: ALPHA })),
      );
      await e.scan();
      await drain();
      engine.updateConfig({ mode: 'full' });
      const last = await drain();
      assert.deepEqual([last.requeuedForMode, last.rowsSent], [1, 1]);
      await assertRemoteIsFresh(e.store, remote, 'full');
      assert.ok([...remote.interactions.values()].some((r) => r.user_prompt === 'late words'));
      e.close();
    });

    it('a store from before v6 that had delivered rows re-sends its interactions once in full mode (their mode is unknown)', async () => {
      const remote = new MemoryRemote();
      const a = await openSynced(tree, backend, { mode: 'metadata' }, remote);
      await a.e.scan();
      await a.drain();
      a.e.close();
      // what an older build leaves: no sent-mode mark, user_version 5
      const db = await openDriver(tree.db, backend);
      downgrade(db, 5);
      db.close();
      const b = await openSynced(tree, backend, { mode: 'full' }, remote);
      const r = await b.drain();
      assert.equal(r.acked, 5);
      await assertRemoteIsFresh(b.e.store, remote, 'full');
      b.e.close();

      // a store that never delivered anything (sync was off) has nothing to re-send
      const fresh = new TempTree();
      try {
        write(fresh);
        const c = await openSynced(fresh, backend, { mode: 'full' });
        await c.e.scan();
        c.e.close();
        const d = await openDriver(fresh.db, backend);
        downgrade(d, 5);
        assert.equal(migrate(d).from, 5);
        assert.equal(d.prepare("SELECT value FROM meta WHERE key = 'sync_sent_mode'").get(), undefined);
        assert.deepEqual(marked(d), []);
        d.close();
        const s = await Store.open(fresh.db, backend);
        assert.equal((await new SqliteOutbox(s).stats()).pending, 2 + 5);
        s.close();
      } finally {
        fresh.dispose();
      }
    });

    it('a v6 store: its one sent-mode flag becomes marks on the delivered interactions where a lesser mode may have been used; the meta keys go', async () => {
      const { e, drain } = await openSynced(tree, backend, { mode: 'full' });
      await e.scan();
      await drain();
      e.close();
      const all = (db: SqlDriver) =>
        db
          .prepare('SELECT id FROM interactions ORDER BY id')
          .all()
          .map((r) => String(r.id));
      const cases: [string, Record<string, string>, (ids: string[]) => string[]][] = [
        ['metadata acked since the last re-send', { sync_sent_mode: 'metadata' }, (ids) => ids],
        ['an unreadable flag counts as metadata', { sync_sent_mode: '?' }, (ids) => ids],
        ['only full acked', { sync_sent_mode: 'full' }, () => []],
        ['nothing noted (never synced, or a re-send finished since)', {}, () => []],
        [
          'a re-send still on the sessions',
          { sync_resend: JSON.stringify({ mode: 'full', kind: 'session', after: P }) },
          (ids) => ids,
        ],
        ['a re-send in the interactions: after its cursor', { sync_resend: '' }, (ids) => ids.slice(2)],
        ['an unreadable cursor: from the start', { sync_resend: '{' }, (ids) => ids],
      ];
      for (const [what, meta, expected] of cases) {
        const db = await openDriver(tree.db, backend);
        const ids = all(db);
        downgrade(db, 6);
        for (const [k, v] of Object.entries(meta)) {
          const value =
            k === 'sync_resend' && v === '' ? JSON.stringify({ mode: 'full', kind: 'interaction', after: ids[1] }) : v;
          db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run([k, value]);
        }
        // a pending interaction is sent in the current mode anyway, a dead-lettered one was refused: neither is marked
        db.prepare("INSERT INTO sync_outbox (entity, entity_id, enqueued_at) VALUES ('interaction', ?, 1)").run([
          ids[3]!,
        ]);
        db.prepare(
          "INSERT INTO sync_dead_letters (seq, entity, entity_id, reason, failed_at) VALUES (999, 'interaction', ?, 'x', 1)",
        ).run([ids[4]!]);
        assert.deepEqual(migrate(db), { from: 6, to: SCHEMA_VERSION }); // v7, then any later step
        assert.deepEqual(
          marked(db),
          expected(ids).filter((id) => id !== ids[3] && id !== ids[4]),
          what,
        );
        assert.equal(
          db.prepare("SELECT count(*) AS n FROM meta WHERE key IN ('sync_sent_mode', 'sync_resend')").get()!.n,
          0,
          what,
        );
        db.exec('UPDATE interactions SET sent_mode = 2; DELETE FROM sync_outbox; DELETE FROM sync_dead_letters');
        db.close();
      }
    });

    it('`cct sync push` (metadata) sends a few new rows while the extension syncs in full: the extension re-sends exactly those interactions, not the store', async () => {
      const { e, remote, drain } = await openSynced(tree, backend, { mode: 'full' });
      await e.scan();
      assert.equal((await drain()).rowsSent, 2 + 5);
      tree.append(
        `-home-dev-alpha/${P}.jsonl`,
        jsonl(
          prompt({ uuid: 'u4', sessionId: P, ts: t(10), text: 'one more thing', cwd: ALPHA }),
          assistant({
            uuid: 'a4',
            sessionId: P,
            ts: t(11),
            msgId: 'msg_4',
            reqId: 'req_4',
            usage: { in: 3, out: 4 },
            block: { type: 'text', text: 'done' },
            cwd: ALPHA,
          }),
        ),
      );
      await e.scan();
      const pushed = await cliPush(tree, backend, e.store, remote);
      assert.equal(pushed.acked, 1 + 2, 'the session and its two new interactions, without text');
      assert.ok(
        [...remote.interactions.values()].some((r) => r.claude_response === null && r.message_type === 'assistant'),
      );
      const before = { ...remote.writes };
      const r = await drain();
      assert.deepEqual([r.requeuedForMode, r.rowsSent], [2, 2], 'the two interactions the push sent without text');
      assert.deepEqual(remote.writes, { sessions: before.sessions, interactions: before.interactions + 2 });
      await assertRemoteIsFresh(e.store, remote, 'full');
      assert.equal((await drain()).rowsSent, 0, 'then nothing more');
      e.close();
    });

    it('a store of 600 interactions all sent in full re-sends nothing after one metadata push of one row, except that row', async () => {
      const big = new TempTree();
      try {
        const N = 300;
        const at = (k: number) => new Date(Date.parse('2026-11-20T10:00:00.000Z') + k * 1000).toISOString();
        const lines: string[] = [];
        for (let k = 0; k < N; k++) {
          lines.push(prompt({ uuid: `b${k}-p`, sessionId: P, ts: at(2 * k), text: `question ${k}`, cwd: ALPHA }));
          lines.push(
            assistant({
              uuid: `b${k}-a`,
              sessionId: P,
              ts: at(2 * k + 1),
              msgId: `msg_b${k}`,
              reqId: `req_b${k}`,
              usage: { in: k, out: 1 },
              block: { type: 'text', text: `answer ${k}` },
              cwd: ALPHA,
            }),
          );
        }
        big.write(`-home-dev-alpha/${P}.jsonl`, jsonl(...lines));
        const { e, remote, drain } = await openSynced(big, backend, { mode: 'full' });
        await e.scan();
        assert.equal((await drain()).rowsSent, 1 + 2 * N);
        big.append(
          `-home-dev-alpha/${P}.jsonl`,
          jsonl(prompt({ uuid: 'late', sessionId: P, ts: at(2 * N), text: 'late words', cwd: ALPHA })),
        );
        await e.scan();
        assert.equal((await cliPush(big, backend, e.store, remote)).acked, 1 + 1);
        const before = { ...remote.writes };
        const r = await drain();
        assert.deepEqual([r.requeuedForMode, r.rowsSent], [1, 1]);
        assert.deepEqual(remote.writes, { sessions: before.sessions, interactions: before.interactions + 1 });
        assert.deepEqual(marked(e.store.db), [], 'no row left marked as sent in metadata');
        assert.equal(remote.interactions.size, 2 * N + 1);
        await assertRemoteIsFresh(e.store, remote, 'full');
        e.close();
      } finally {
        big.dispose();
      }
    });
  });
}
