import assert from 'node:assert/strict';
import {
  CircuitBreaker,
  classify,
  fullJitter,
  globToRegExp,
  isExcluded,
  parseRetryAfter,
} from '../../../src/core/sync/policy';
import type { RemoteResult, SyncClock, SyncRemote } from '../../../src/core/sync/ports';
import {
  type InteractionRow,
  interactionUuid,
  projectInteraction,
  type RemoteSessionRow,
} from '../../../src/core/sync/rows';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { FileOutbox } from './fileOutbox';
import { interactionRow, sessionRow } from './helpers';

/** A virtual clock: sleep() advances time instantly and records what was asked. */
class FakeClock implements SyncClock {
  t = 1_000_000;
  sleeps: number[] = [];
  rnd = 0.5;
  now() {
    return this.t;
  }
  random() {
    return this.rnd;
  }
  async sleep(ms: number) {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

type Call = { kind: 'session' | 'interaction'; rows: readonly (RemoteSessionRow | InteractionRow)[] };
/** A scripted fake of our SyncRemote port: answers from a queue of results (default ok). */
class ScriptedRemote implements SyncRemote {
  calls: Call[] = [];
  script: ((c: Call) => RemoteResult | undefined)[] = [];
  refreshes = 0;
  refreshOk = true;
  private answer(c: Call): RemoteResult {
    this.calls.push(c);
    const next = this.script.shift();
    return next?.(c) ?? { ok: true };
  }
  async upsertSessions(rows: readonly RemoteSessionRow[]) {
    return this.answer({ kind: 'session', rows });
  }
  async upsertInteractions(rows: readonly InteractionRow[]) {
    return this.answer({ kind: 'interaction', rows });
  }
  async refreshAuth() {
    this.refreshes++;
    return this.refreshOk;
  }
}
const fail =
  (status: number, extra: Partial<{ code: string; retryAfterMs: number; message: string }> = {}) =>
  () =>
    ({ ok: false, status, message: extra.message ?? `status ${status}`, ...extra }) as RemoteResult;

function setup(config: Parameters<typeof SyncEngine.prototype.updateConfig>[0] = {}, breaker?: CircuitBreaker) {
  const outbox = new FileOutbox();
  const remote = new ScriptedRemote();
  const clock = new FakeClock();
  const engine = new SyncEngine(
    outbox,
    remote,
    { mode: 'full', backoffBaseMs: 100, backoffCapMs: 1_000, ...config },
    clock,
    breaker,
  );
  return { outbox, remote, clock, engine };
}

describe('SyncEngine policy', () => {
  it('mode off sends nothing and keeps the outbox', async () => {
    const { outbox, remote, engine } = setup({ mode: 'off' });
    outbox.enqueueSession(sessionRow('a'));
    assert.equal((await engine.drain()).outcome, 'disabled');
    assert.equal(remote.calls.length, 0);
    assert.equal(outbox.pending.length, 1);
  });

  it('drains sessions first, then interactions, in id order, and acks only after success', async () => {
    const { outbox, remote, engine } = setup();
    const i1 = interactionRow('a', 1);
    outbox.enqueueInteraction(i1, '/p');
    outbox.enqueueSession(sessionRow('a'));
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.deepEqual(
      remote.calls.map((c) => c.kind),
      ['session', 'interaction'],
    );
    assert.equal(outbox.pending.length, 0);
    assert.equal(r.acked, 2);
  });

  it('several snapshots of one session in a batch: only the newest is sent, all are acked', async () => {
    const { outbox, remote, engine } = setup();
    outbox.enqueueSession(sessionRow('a', { total_interactions: 1 }));
    outbox.enqueueSession(sessionRow('b'));
    outbox.enqueueSession(sessionRow('a', { total_interactions: 5, status: 'completed' }));
    await engine.drain();
    assert.equal(remote.calls.length, 1);
    const rows = remote.calls[0]!.rows as RemoteSessionRow[];
    assert.deepEqual(
      rows.map((r) => [r.session_id, r.total_interactions]),
      [
        ['b', 0],
        ['a', 5],
      ],
    );
    assert.equal(outbox.pending.length, 0);
  });

  it('sends complete rows: a missing key becomes null, extra keys are dropped', async () => {
    const { outbox, remote, engine } = setup();
    const partial = { ...sessionRow('a'), extra: 'nope' } as RemoteSessionRow & { extra: string };
    delete (partial as Partial<RemoteSessionRow>).end_time;
    outbox.enqueueSession(partial);
    await engine.drain();
    const sent = remote.calls[0]!.rows[0] as unknown as Record<string, unknown>;
    assert.equal(sent.end_time, null);
    assert.ok(!('extra' in sent));
  });

  it('respects the row and byte budget of a batch', async () => {
    const { outbox, remote, engine } = setup({ maxBatchRows: 3, maxBatchBytes: 1_500 });
    outbox.enqueueSession(sessionRow('a'));
    for (let i = 0; i < 7; i++) outbox.enqueueInteraction(interactionRow('a', i), '/p');
    await engine.drain();
    const sizes = remote.calls.filter((c) => c.kind === 'interaction').map((c) => c.rows.length);
    assert.ok(sizes.every((n) => n <= 3));
    assert.ok(
      remote.calls
        .filter((c) => c.kind === 'interaction')
        .every((c) => Buffer.byteLength(JSON.stringify(c.rows)) <= 1_500),
    );
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      7,
    );
  });

  it('413 halves the batch recursively; a single row that is still too large is dead-lettered', async () => {
    const { outbox, remote, engine } = setup({ maxBatchRows: 8 });
    for (let i = 0; i < 8; i++) outbox.enqueueSession(sessionRow(`s${i}`));
    remote.script = [fail(413), fail(413), undefined as never, undefined as never, undefined as never];
    // 8 → 413 → 4 → 413 → 2 ok, 2 ok → 4 ok
    const r = await engine.drain();
    assert.deepEqual(
      remote.calls.map((c) => c.rows.length),
      [8, 4, 2, 2, 4],
    );
    assert.equal(r.outcome, 'drained');
    assert.equal(outbox.pending.length, 0);
    assert.ok(r.rowsRetried >= 12);

    const x = setup();
    x.outbox.enqueueSession(sessionRow('huge'));
    x.remote.script = [fail(413)];
    const r2 = await x.engine.drain();
    assert.equal(r2.deadLettered, 1);
    assert.match(x.outbox.dead[0]!.reason, /too large/);
  });

  it('a statement timeout (500 / 57014) splits like a 413', async () => {
    const { outbox, remote, engine } = setup({ maxBatchRows: 4 });
    for (let i = 0; i < 4; i++) outbox.enqueueSession(sessionRow(`s${i}`));
    remote.script = [fail(500, { code: '57014', message: 'canceling statement due to statement timeout' })];
    await engine.drain();
    assert.deepEqual(
      remote.calls.map((c) => c.rows.length),
      [4, 2, 2],
    );
  });

  it('a shrunken batch grows back after consecutive successes', async () => {
    const { outbox, remote, engine } = setup({ maxBatchRows: 8, growAfter: 2 });
    for (let i = 0; i < 40; i++) outbox.enqueueSession(sessionRow(`s${i}`));
    remote.script = [fail(413)];
    await engine.drain();
    const sizes = remote.calls.map((c) => c.rows.length);
    assert.equal(sizes[0], 8);
    assert.equal(sizes[1], 4);
    assert.ok(sizes.includes(8) && sizes.lastIndexOf(8) > 0, `grew back to 8: ${sizes}`);
  });

  it('401 → refresh once → retry; a second 401 stops with auth-required and keeps the rows', async () => {
    const a = setup();
    a.outbox.enqueueSession(sessionRow('a'));
    a.remote.script = [fail(401, { code: 'PGRST303', message: 'JWT expired' })];
    const r = await a.engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.equal(a.remote.refreshes, 1);
    assert.equal(a.remote.calls.length, 2);

    const b = setup();
    b.outbox.enqueueSession(sessionRow('a'));
    b.remote.script = [fail(401), fail(401)];
    const r2 = await b.engine.drain();
    assert.equal(r2.outcome, 'auth-required');
    assert.equal(b.remote.refreshes, 1);
    assert.equal(b.outbox.pending.length, 1, 'rows stay queued');
    assert.equal(b.outbox.dead.length, 0);

    const c = setup();
    c.outbox.enqueueSession(sessionRow('a'));
    c.remote.refreshOk = false;
    c.remote.script = [fail(401)];
    assert.equal((await c.engine.drain()).outcome, 'auth-required');
    assert.equal(c.remote.calls.length, 1);
  });

  it('429 waits exactly the Retry-After, then retries', async () => {
    const { outbox, remote, clock, engine } = setup();
    outbox.enqueueSession(sessionRow('a'));
    remote.script = [fail(429, { retryAfterMs: 7_000 })];
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.deepEqual(clock.sleeps, [7_000]);
  });

  it('a Retry-After longer than the cap ends the drain and sets not-before instead of sleeping', async () => {
    const { outbox, remote, clock, engine } = setup({ maxRetryAfterMs: 60_000 });
    outbox.enqueueSession(sessionRow('a'));
    remote.script = [fail(429, { retryAfterMs: 3_600_000 })];
    const r = await engine.drain();
    assert.equal(r.outcome, 'gave-up');
    assert.equal(clock.sleeps.length, 0);
    assert.equal(r.retryAt, clock.t + 3_600_000);
    assert.equal((await engine.drain()).requests, 0, 'not retried before not-before');
  });

  it('5xx and network errors back off with full jitter: random(0, min(cap, base·2^n))', async () => {
    const { outbox, remote, clock, engine } = setup({ maxAttempts: 10 }, new CircuitBreaker(100));
    outbox.enqueueSession(sessionRow('a'));
    clock.rnd = 0.999;
    remote.script = [
      fail(503),
      fail(502),
      () => ({ ok: false, status: 0, message: 'ECONNREFUSED' }),
      fail(500),
      fail(504),
      fail(503),
    ];
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.deepEqual(clock.sleeps, [99, 199, 399, 799, 999, 999]);
  });

  it('after maxAttempts the drain gives up; rows stay with not-before and an attempt counted', async () => {
    const { outbox, remote, engine } = setup({ maxAttempts: 3 }, new CircuitBreaker(100));
    outbox.enqueueSession(sessionRow('a'));
    remote.script = [fail(503), fail(503), fail(503)];
    const r = await engine.drain();
    assert.equal(r.outcome, 'gave-up');
    assert.equal(outbox.pending.length, 1);
    assert.equal(outbox.pending[0]!.attempts, 1);
  });

  it('the circuit opens after consecutive failures, sends nothing while open, lets one probe through after the cooldown', async () => {
    const breaker = new CircuitBreaker(3, 10_000, 40_000);
    const { outbox, remote, clock, engine } = setup({ maxAttempts: 50 }, breaker);
    outbox.enqueueSession(sessionRow('a'));
    remote.script = [fail(503), fail(503), fail(503), fail(503)];
    const r = await engine.drain();
    assert.equal(r.outcome, 'circuit-open');
    assert.equal(remote.calls.length, 3);
    assert.equal(r.retryAt, breaker.retryAt());
    const again = await engine.drain();
    assert.equal(again.outcome, 'circuit-open');
    assert.equal(remote.calls.length, 3, 'no request while open');
    clock.t = breaker.retryAt();
    const probe = await engine.drain(); // the probe fails (4th scripted 503): open again, cooldown doubled
    assert.equal(probe.outcome, 'circuit-open');
    assert.equal(remote.calls.length, 4);
    assert.equal(breaker.retryAt() - clock.t, 20_000);
    clock.t = breaker.retryAt();
    assert.equal((await engine.drain()).outcome, 'drained');
    assert.equal(breaker.state(clock.t), 'closed');
  });

  it('409 / 23503: interactions wait for their parent session, which is re-queued and sent first', async () => {
    const { outbox, remote, engine } = setup();
    outbox.enqueueSession(sessionRow('p'));
    await engine.drain(); // the session was delivered and acked …
    remote.calls.length = 0;
    for (let i = 0; i < 3; i++) outbox.enqueueInteraction(interactionRow('p', i), '/p');
    // … but is gone on the server now (deleted from another machine)
    remote.script = [fail(409, { code: '23503' })];
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.deepEqual(
      remote.calls.map((c) => c.kind),
      ['interaction', 'session', 'interaction'],
    );
    assert.equal(r.waitingForParent, 3);
    assert.ok(outbox.calls.includes('ensureSessionQueued:p'));
    assert.equal(outbox.pending.length, 0);
  });

  it('409 in a batch spanning sessions: split by session to find the orphan; unknown sessions are dead-lettered', async () => {
    const { outbox, remote, engine } = setup();
    outbox.enqueueSession(sessionRow('known'));
    await engine.drain();
    remote.calls.length = 0;
    outbox.enqueueInteraction(interactionRow('known', 0), '/p');
    outbox.enqueueInteraction(interactionRow('ghost', 1), '/p');
    remote.script = [fail(409, { code: '23503' }), undefined as never, fail(409, { code: '23503' })];
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.deepEqual(
      remote.calls.map((c) => c.rows.map((x) => (x as InteractionRow).session_id).join('+')),
      ['known+ghost', 'known', 'ghost'],
    );
    assert.equal(outbox.dead.length, 1);
    assert.match(outbox.dead[0]!.reason, /session ghost is unknown locally/);
  });

  it('an orphan whose parent never arrives is dead-lettered after maxParentWaits', async () => {
    const { outbox, remote, engine } = setup({ maxParentWaits: 3 });
    outbox.enqueueSession(sessionRow('p'));
    outbox.enqueueInteraction(interactionRow('p', 0), '/p');
    remote.script = [
      undefined as never,
      ...Array.from(
        { length: 20 },
        () => (c: Call) => (c.kind === 'interaction' ? fail(409, { code: '23503' })() : undefined),
      ),
    ];
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.equal(outbox.dead.length, 1);
    assert.match(outbox.dead[0]!.reason, /still missing on the server after 3 attempts/);
  });

  it('other 4xx: the batch is bisected and only the offending row is dead-lettered, with the reason', async () => {
    const { outbox, remote, engine } = setup();
    outbox.enqueueSession(sessionRow('a'));
    const rows = Array.from({ length: 8 }, (_, i) => interactionRow('a', i));
    const bad = rows[5]!.message_uuid;
    for (const r of rows) outbox.enqueueInteraction(r, '/p');
    remote.script = Array.from(
      { length: 30 },
      () => (c: Call) =>
        c.rows.some((x) => (x as InteractionRow).message_uuid === bad)
          ? fail(400, { code: '22P02', message: 'invalid input syntax for type uuid' })()
          : undefined,
    );
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.equal(outbox.dead.length, 1);
    assert.equal((outbox.dead[0]!.entry.row as InteractionRow).message_uuid, bad);
    assert.equal(outbox.dead[0]!.reason, 'HTTP 400 22P02: invalid input syntax for type uuid');
    assert.equal(r.acked, 8);
  });

  it('a thrown transport error counts as a network failure', async () => {
    const { outbox, remote, engine } = setup();
    outbox.enqueueSession(sessionRow('a'));
    remote.script = [
      () => {
        throw new Error('socket hang up');
      },
    ];
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained');
    assert.equal(remote.calls.length, 2);
  });

  it('excluded projects are discarded unsent', async () => {
    const { outbox, remote, engine } = setup({ excludeProjects: ['**/secret-*', '/home/*/clients/**'] });
    outbox.enqueueSession(sessionRow('a'), '/home/dev/work/secret-project');
    outbox.enqueueSession(sessionRow('b'), '/home/dev/clients/acme/app');
    outbox.enqueueSession(sessionRow('c'), '/home/dev/work/open');
    await engine.drain();
    assert.deepEqual(
      remote.calls.flatMap((c) => c.rows.map((r) => (r as RemoteSessionRow).session_id)),
      ['c'],
    );
    assert.equal(outbox.discarded.length, 2);
  });

  it('an aborted drain stops before the next request and keeps the rows', async () => {
    const { outbox, remote, engine } = setup();
    outbox.enqueueSession(sessionRow('a'));
    const ac = new AbortController();
    ac.abort();
    assert.equal((await engine.drain(ac.signal)).outcome, 'aborted');
    assert.equal(remote.calls.length, 0);
    assert.equal(outbox.pending.length, 1);
  });

  it('concurrent drain() calls share one drain', async () => {
    const { outbox, engine } = setup();
    outbox.enqueueSession(sessionRow('a'));
    const [a, b] = await Promise.all([engine.drain(), engine.drain()]);
    assert.equal(a, b);
  });
});

describe('sync policy helpers', () => {
  it('classifies failures', () => {
    assert.equal(classify({ status: 0, message: '' }).kind, 'backoff');
    assert.equal(classify({ status: 401, message: '' }).kind, 'refresh-auth');
    assert.equal(classify({ status: 413, message: '' }).kind, 'split');
    assert.equal(classify({ status: 500, code: '57014', message: '' }).kind, 'split');
    assert.deepEqual(classify({ status: 429, message: '', retryAfterMs: 5 }), { kind: 'wait', ms: 5 });
    assert.equal(classify({ status: 409, code: '23503', message: '' }).kind, 'missing-parent');
    assert.equal(classify({ status: 409, code: '23505', message: '' }).kind, 'reject');
    assert.equal(classify({ status: 503, message: '' }).kind, 'backoff');
    assert.equal(classify({ status: 403, code: '42501', message: '' }).kind, 'reject');
    assert.equal(classify({ status: 400, code: '42P10', message: '' }).kind, 'reject');
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('120', 0), 120_000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter(null, 0), undefined);
  });

  it('full jitter stays within [0, min(cap, base·2^n))', () => {
    for (let n = 0; n < 40; n++) {
      const hi = fullJitter(n, () => 0.999999, 100, 30_000);
      assert.ok(hi < Math.min(30_000, 100 * 2 ** n) && hi >= 0);
      assert.equal(
        fullJitter(n, () => 0, 100, 30_000),
        0,
      );
    }
  });

  it('globs', () => {
    const g = (p: string) => globToRegExp(p);
    assert.ok(g('**/secret-*').test('/home/a/secret-x'));
    assert.ok(!g('**/secret-*').test('/home/a/secret-x/sub'));
    assert.ok(g('/home/*/clients/**').test('/home/bob/clients/acme/app'));
    assert.ok(!g('/home/*/clients/**').test('/home/bob/x/clients/acme'));
    assert.ok(g('private').test('/work/private'), 'no slash: matches the last segment');
    assert.ok(!g('private').test('/work/private-ish'));
    assert.ok(g('/w/{a,b}?').test('/w/a1'));
    assert.ok(isExcluded('C:\\Users\\me\\secret-x', [g('**/secret-*')]), 'windows separators');
    assert.ok(!isExcluded(null, [g('**')]));
  });

  it('interactionUuid is a stable v5 uuid and leaves real uuids alone', () => {
    const a = interactionUuid('r:msg_01ABC');
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(interactionUuid('r:msg_01ABC'), a);
    assert.notEqual(interactionUuid('r:msg_01ABD'), a);
    assert.equal(interactionUuid('45306725-57D3-46dc-a22f-c0778d140239'), '45306725-57d3-46dc-a22f-c0778d140239');
  });

  it('metadata projection drops text and tool inputs but keeps numbers and tool names', () => {
    const row = interactionRow('s', 1);
    const p = projectInteraction(row, 'metadata');
    assert.equal(p.user_prompt, null);
    assert.equal(p.claude_response, null);
    assert.deepEqual(p.tools_used, ['Read']);
    assert.equal(p.input_tokens, row.input_tokens);
    assert.deepEqual(projectInteraction(row, 'full'), row);
  });
});
