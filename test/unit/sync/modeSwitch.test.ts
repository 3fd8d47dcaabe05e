/**
 * A switch from sync mode `metadata` to `full`: the rows metadata mode sent (no text) are sent again, with their
 * masked text, once; excluded projects stay unsent; a big store is walked in bounded steps; nothing is re-sent when
 * nothing was sent in a lesser mode. Real transcripts, real store and outbox, real SyncEngine (see remoteFreshness).
 */
import assert from 'node:assert/strict';
import { openDriver } from '../../../src/infra/sqlite/openDriver';
import { migrate } from '../../../src/infra/sqlite/migrations';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';
import { assertRemoteIsFresh, MemoryRemote, openSynced, ts as t } from './remoteFreshness';

const P = 'dddddddd-0000-4000-8000-000000000001';
const S = 'dddddddd-0000-4000-8000-000000000002';
const ALPHA = '/home/dev/alpha';
const CLIENT = '/home/dev/secret-client';
const excluded = (p: string | null) => p === CLIENT;

/** Project alpha: one session, three interactions; project secret-client: one session, two interactions. */
function write(tree: TempTree): void {
  tree.write(`-home-dev-alpha/${P}.jsonl`, jsonl(
    prompt({ uuid: 'u1', sessionId: P, ts: t(0), text: 'hello alpha', cwd: ALPHA }),
    assistant({ uuid: 'a1', sessionId: P, ts: t(1), msgId: 'msg_1', reqId: 'req_1', usage: { in: 10, out: 5 }, block: { type: 'text', text: 'hi from alpha' }, cwd: ALPHA }),
    prompt({ uuid: 'u2', sessionId: P, ts: t(2), text: 'more', cwd: ALPHA }),
  ));
  tree.write(`-home-dev-secret-client/${S}.jsonl`, jsonl(
    prompt({ uuid: 'x1', sessionId: S, ts: t(5), text: 'client work', cwd: CLIENT }),
    assistant({ uuid: 'x2', sessionId: S, ts: t(6), msgId: 'msg_x', reqId: 'req_x', usage: { in: 1, out: 1 }, block: { type: 'text', text: 'ok' }, cwd: CLIENT }),
  ));
}

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`sync: a switch from metadata to full re-sends what metadata mode sent (${backend})`, () => {
    let tree: TempTree;
    beforeEach(() => {
      tree = new TempTree();
      write(tree);
    });
    afterEach(() => tree.dispose());

    it('on the running engine (a settings change): every sent row once more, with its text; excluded projects stay unsent', async () => {
      const { e, remote, engine, drain } = await openSynced(tree, backend, { mode: 'metadata', excludeProjects: ['secret-*'] });
      await e.scan();
      const first = await drain();
      assert.equal(first.discarded, 1 + 2, 'the excluded project was discarded');
      assert.ok([...remote.interactions.values()].every((r) => r.user_prompt === null && r.claude_response === null));
      await assertRemoteIsFresh(e.store, remote, 'metadata', excluded);

      engine.updateConfig({ mode: 'full' });
      const second = await drain();
      assert.equal(second.requeuedForMode, 1 + 3, 'one session and its three interactions');
      assert.equal(second.acked, 1 + 3, 'sent once each');
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
      assert.equal(r.acked, 2 + 5, 'both sessions and all five interactions, once each');
      assert.ok(steps.length >= 4 && steps.every((n) => n <= 2), `bounded steps: ${steps.join(',')}`);
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

    it('an interrupted re-send resumes where it stopped; rows metadata mode sends meanwhile restart it', async () => {
      const { e, remote, engine, outbox, drain } = await openSynced(tree, backend, { mode: 'metadata', resendBatchRows: 1 });
      await e.scan();
      await drain();
      engine.updateConfig({ mode: 'full' });
      // stop the drain after the third step: both sessions re-queued (and sent), the interactions not yet
      const abort = new AbortController();
      const requeue = outbox.requeueForMode.bind(outbox);
      let steps = 0;
      outbox.requeueForMode = async (...args) => {
        const r = await requeue(...args);
        if (++steps === 3) abort.abort();
        return r;
      };
      const stopped = await engine.drain(abort.signal);
      assert.deepEqual([stopped.outcome, stopped.requeuedForMode], ['aborted', 2]);
      outbox.requeueForMode = requeue;
      const resumed = await drain();
      assert.equal(resumed.requeuedForMode, 5, 'the five interactions, not the sessions again');
      await assertRemoteIsFresh(e.store, remote, 'full');

      // back to metadata: a new prompt is sent without its text; the next switch to full walks everything again
      engine.updateConfig({ mode: 'metadata' });
      tree.append(`-home-dev-alpha/${P}.jsonl`, jsonl(prompt({ uuid: 'u3', sessionId: P, ts: t(9), text: 'late words', cwd: ALPHA })));
      await e.scan();
      await drain();
      engine.updateConfig({ mode: 'full' });
      assert.equal((await drain()).requeuedForMode, 2 + 6);
      await assertRemoteIsFresh(e.store, remote, 'full');
      assert.ok([...remote.interactions.values()].some((r) => r.user_prompt === 'late words'));
      e.close();
    });

    it('a store from before v6 that had delivered rows re-sends them once in full mode (their mode is unknown)', async () => {
      const remote = new MemoryRemote();
      const a = await openSynced(tree, backend, { mode: 'metadata' }, remote);
      await a.e.scan();
      await a.drain();
      a.e.close();
      // what an older build leaves: no sent-mode mark, user_version 5
      const db = await openDriver(tree.db, backend);
      db.exec("DELETE FROM meta WHERE key = 'sync_sent_mode'; PRAGMA user_version = 5");
      db.close();
      const b = await openSynced(tree, backend, { mode: 'full' }, remote);
      const r = await b.drain();
      assert.equal(r.acked, 2 + 5);
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
        d.exec('PRAGMA user_version = 5');
        assert.equal(migrate(d).from, 5);
        assert.equal(d.prepare("SELECT value FROM meta WHERE key = 'sync_sent_mode'").get(), undefined);
        d.close();
        const s = await Store.open(fresh.db, backend);
        assert.equal((await new SqliteOutbox(s).stats()).pending, 2 + 5);
        s.close();
      } finally {
        fresh.dispose();
      }
    });
  });
}
