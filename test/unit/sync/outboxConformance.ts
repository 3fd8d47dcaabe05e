/**
 * The contract every OutboxPort implementation must meet (src/core/sync/ports.ts), as a reusable mocha suite.
 * Run it against the SQLite store's outbox adapter with a harness that can enqueue rows the way the ingest
 * pipeline does and reopen the store (restart). It runs here against the test FileOutbox.
 */
import assert from 'node:assert/strict';
import type { OutboxPort } from '../../../src/core/sync/ports';
import type { InteractionRow, RemoteSessionRow, SendMode } from '../../../src/core/sync/rows';
import { interactionRow, sessionRow } from './helpers';

export interface OutboxHarness {
  port: OutboxPort;
  /** As ingest would: record/update the session locally and enqueue it. */
  enqueueSession(row: RemoteSessionRow, projectPath?: string | null): Promise<void> | void;
  /**
   * Returns the row as this outbox's store represents it when the store derives columns itself (a SQLite outbox
   * builds rows at next() time: message uuid from its local id, cost from its price table…); void = unchanged.
   */
  enqueueInteraction(
    row: InteractionRow,
    projectPath?: string | null,
  ): Promise<InteractionRow | undefined> | InteractionRow | undefined;
  /** Close and open again (a restart of the extension host); returns the new port. */
  reopen(): Promise<OutboxPort> | OutboxPort;
  dispose?(): Promise<void> | void;
}

/** Calls requeueForMode until it has nothing more; checks every step stays within its limit; returns the total. */
async function requeueAll(
  port: OutboxPort,
  mode: SendMode,
  limit: number,
  excluded: (p: string | null) => boolean,
): Promise<number> {
  let queued = 0;
  for (let more = true, calls = 0; more; calls++) {
    assert.ok(calls < 50, 'the re-send ends');
    const r = await port.requeueForMode(mode, limit, excluded);
    assert.ok(r.queued <= limit, `a step queues at most its limit (${r.queued} > ${limit})`);
    queued += r.queued;
    more = r.more;
  }
  return queued;
}

export function describeOutboxConformance(name: string, make: () => Promise<OutboxHarness> | OutboxHarness): void {
  describe(`OutboxPort conformance: ${name}`, () => {
    let h: OutboxHarness;
    beforeEach(async () => (h = await make()));
    afterEach(async () => h.dispose?.());

    it('next() returns ready entries of one kind, oldest first, limited', async () => {
      await h.enqueueSession(sessionRow('s1'));
      await h.enqueueInteraction(interactionRow('s1', 0), '/p');
      await h.enqueueSession(sessionRow('s2'));
      await h.enqueueInteraction(interactionRow('s1', 1), '/p');
      const s = await h.port.next('session', 10, Date.now());
      assert.deepEqual(
        s.map((e) => e.row.session_id),
        ['s1', 's2'],
      );
      assert.ok(s.every((e) => e.kind === 'session' && e.sessionKey === e.row.session_id && e.attempts === 0));
      assert.ok(s[0]!.id < s[1]!.id);
      const i = await h.port.next('interaction', 1, Date.now());
      assert.equal(i.length, 1);
      assert.equal(i[0]!.row.session_id, 's1');
      assert.equal(i[0]!.sessionKey, 's1');
      assert.equal(i[0]!.projectPath, '/p');
    });

    it('rows come back complete (every column the remote writes)', async () => {
      const row = interactionRow('s1', 1);
      await h.enqueueSession(sessionRow('s1'));
      const expected = (await h.enqueueInteraction(row, '/p')) ?? row;
      const [e] = await h.port.next('interaction', 1, Date.now());
      assert.deepEqual(e!.row, expected);
    });

    it('ack removes exactly the given entries; nothing else ever disappears', async () => {
      await h.enqueueSession(sessionRow('a'));
      await h.enqueueSession(sessionRow('b'));
      const [a] = await h.port.next('session', 1, Date.now());
      await h.port.ack([a!.id]);
      assert.deepEqual(
        (await h.port.next('session', 10, Date.now())).map((e) => e.row.session_id),
        ['b'],
      );
      assert.deepEqual(await h.port.stats(), { pending: 1, deadLetters: 0 });
    });

    it('retryLater hides an entry until not-before and counts the attempt', async () => {
      await h.enqueueSession(sessionRow('a'));
      const [a] = await h.port.next('session', 1, Date.now());
      const later = Date.now() + 60_000;
      await h.port.retryLater([a!.id], later, 'HTTP 503: down');
      assert.equal((await h.port.next('session', 10, Date.now())).length, 0);
      const [again] = await h.port.next('session', 10, later);
      assert.equal(again!.id, a!.id);
      assert.equal(again!.attempts, 1);
    });

    it('deadLetter moves entries out of the queue and counts them; discard removes silently', async () => {
      await h.enqueueSession(sessionRow('a'));
      await h.enqueueSession(sessionRow('b'));
      const [a, b] = await h.port.next('session', 10, Date.now());
      await h.port.deadLetter([a!.id], 'HTTP 400 22P02: bad');
      await h.port.discard([b!.id], 'project excluded');
      assert.deepEqual(await h.port.stats(), { pending: 0, deadLetters: 1 });
    });

    it('ensureSessionQueued re-enqueues an acknowledged session from the local store; false for an unknown one', async () => {
      await h.enqueueSession(sessionRow('a', { total_interactions: 3 }));
      const [a] = await h.port.next('session', 1, Date.now());
      await h.port.ack([a!.id]);
      assert.equal(await h.port.ensureSessionQueued('a'), true);
      const [again] = await h.port.next('session', 1, Date.now());
      assert.equal(again!.row.session_id, 'a');
      assert.equal(again!.row.total_interactions, 3);
      assert.equal(await h.port.ensureSessionQueued('never-seen'), false);
    });

    it('a change enqueued while an older snapshot is in flight is not lost when the older one is acked', async () => {
      await h.enqueueSession(sessionRow('a', { total_interactions: 1 }));
      const [inflight] = await h.port.next('session', 1, Date.now());
      await h.enqueueSession(sessionRow('a', { total_interactions: 2, status: 'completed' }));
      await h.port.ack([inflight!.id]);
      const pending = await h.port.next('session', 10, Date.now());
      assert.equal(pending.length, 1, 'the newer snapshot is still pending');
      assert.equal(pending[0]!.row.total_interactions, 2);
    });

    it('requeueForMode: interactions acked in metadata are queued again for full, in bounded steps, without sessions, excluded projects or pending duplicates; once', async () => {
      await h.enqueueSession(sessionRow('a'), '/p');
      const a = [0, 1, 2].map((i) => interactionRow('a', i));
      for (const r of a) await h.enqueueInteraction(r, '/p');
      await h.enqueueSession(sessionRow('x'), '/x');
      await h.enqueueInteraction(interactionRow('x', 0), '/x');
      const sent = [
        ...(await h.port.next('session', 10, Date.now())),
        ...(await h.port.next('interaction', 10, Date.now())),
      ];
      assert.equal(sent.length, 2 + 4);
      await h.port.ack(
        sent.map((e) => e.id),
        'metadata',
      );
      assert.deepEqual(
        await h.port.requeueForMode('metadata', 10, () => false),
        { queued: 0, more: false },
        'the same mode needs nothing',
      );
      const a1 = (await h.enqueueInteraction({ ...a[1]!, output_tokens: 99 }, '/p')) ?? { ...a[1]!, output_tokens: 99 }; // changed since: pending again
      const queued = await requeueAll(h.port, 'full', 2, (p) => p === '/x');
      assert.equal(
        queued,
        2,
        "a0 and a2 (a1 is pending, x's project is excluded, sessions are the same in every mode)",
      );
      assert.deepEqual(await h.port.stats(), { pending: 3, deadLetters: 0 });
      assert.deepEqual(await h.port.next('session', 10, Date.now()), []);
      const again = await h.port.next('interaction', 10, Date.now());
      assert.deepEqual(
        again.map((e) => e.sessionKey),
        ['a', 'a', 'a'],
      );
      assert.equal(again.filter((e) => e.row.message_uuid === a1.message_uuid).length, 1, 'the pending row once');
      await h.port.ack(
        again.map((e) => e.id),
        'full',
      );
      assert.deepEqual(
        await h.port.requeueForMode('full', 10, () => false),
        { queued: 0, more: false },
        'once; the excluded row is not looked at again',
      );
    });

    it('requeueForMode: the mode is kept per row, across a restart: only interactions whose last ack was in a lesser mode are queued', async () => {
      await h.enqueueSession(sessionRow('m'), '/p');
      const m0 = interactionRow('m', 0);
      await h.enqueueInteraction(m0, '/p');
      const first = [
        ...(await h.port.next('session', 10, Date.now())),
        ...(await h.port.next('interaction', 10, Date.now())),
      ];
      await h.port.ack(
        first.map((e) => e.id),
        'full',
      );
      assert.deepEqual(
        await h.port.requeueForMode('full', 10, () => false),
        { queued: 0, more: false },
        'sent in full: nothing',
      );
      // another client sends a new row, a changed row and the session in metadata…
      const m1 = interactionRow('m', 1);
      await h.enqueueInteraction(m1, '/p');
      const m2 = interactionRow('m', 2);
      const m2Stored = (await h.enqueueInteraction(m2, '/p')) ?? m2;
      await h.enqueueSession(sessionRow('m', { end_time: '2026-06-01T10:09:00.000Z' }), '/p');
      const second = [
        ...(await h.port.next('session', 10, Date.now())),
        ...(await h.port.next('interaction', 10, Date.now())),
      ];
      assert.equal(second.length, 3);
      await h.port.ack(
        second.map((e) => e.id),
        'metadata',
      );
      // …and m1 changes and goes out in full again: its last ack wins
      await h.enqueueInteraction({ ...m1, output_tokens: 7 }, '/p');
      const third = await h.port.next('interaction', 10, Date.now());
      assert.equal(third.length, 1);
      await h.port.ack(
        third.map((e) => e.id),
        'full',
      );
      h.port = await h.reopen();
      assert.equal(await requeueAll(h.port, 'full', 10, () => false), 1);
      assert.deepEqual(await h.port.next('session', 10, Date.now()), [], 'sessions are not re-sent');
      assert.deepEqual(
        (await h.port.next('interaction', 10, Date.now())).map((e) => e.row.message_uuid),
        [m2Stored.message_uuid],
      );
    });

    it('everything not acknowledged survives a restart, attempts and not-before included', async () => {
      await h.enqueueSession(sessionRow('a'));
      await h.enqueueInteraction(interactionRow('a', 0), '/p');
      const [s] = await h.port.next('session', 1, Date.now());
      await h.port.ack([s!.id]);
      const [i] = await h.port.next('interaction', 1, Date.now());
      await h.port.retryLater([i!.id], 0, 'network');
      h.port = await h.reopen();
      const [back] = await h.port.next('interaction', 1, Date.now());
      assert.equal(back!.id, i!.id);
      assert.equal(back!.attempts, 1);
      assert.equal((await h.port.next('session', 1, Date.now())).length, 0);
    });
  });
}
