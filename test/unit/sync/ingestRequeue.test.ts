/**
 * Ingest changes that reach rows other than the ones a batch writes: a late tool result (the call's interaction)
 * and a fork move (the session the interaction left). After each drain the remote must equal the store.
 */
import assert from 'node:assert/strict';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt, toolResult } from '../transcript/lines';
import { assertRemoteIsFresh, openSynced, ts as t } from './remoteFreshness';

const P = 'cccccccc-0000-4000-8000-00000000000p';
const F = 'cccccccc-0000-4000-8000-00000000000f';

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`sync after ingest: remote rows stay equal to the store (${backend})`, () => {
    let tree: TempTree;
    beforeEach(() => (tree = new TempTree()));
    afterEach(() => tree.dispose());

    it('a tool result read in a later scan than its call changes no remote row (results are not synced): only the session is re-sent', async () => {
      const { e, remote, drain } = await openSynced(tree, backend);
      const f = `-home-dev-proj/${P}.jsonl`;
      tree.write(
        f,
        jsonl(
          prompt({ uuid: 'u1', sessionId: P, ts: t(0), text: 'list files' }),
          assistant({
            uuid: 'a1',
            sessionId: P,
            ts: t(1),
            msgId: 'msg_1',
            reqId: 'req_1',
            usage: { in: 10, out: 5 },
            stop: 'tool_use',
            block: { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
          }),
        ),
      );
      await e.scan();
      await drain();
      await assertRemoteIsFresh(e.store, remote, 'full');
      const before = { ...remote.writes };

      tree.append(
        f,
        jsonl(
          toolResult({
            uuid: 'u2',
            sessionId: P,
            ts: t(3),
            toolUseId: 'toolu_1',
            content: 'ls: permission denied',
            isError: true,
          }),
        ),
      );
      await e.scan();
      const call = e.store.db.prepare("SELECT result, is_error FROM tool_calls WHERE id = 'toolu_1'").get()!;
      assert.deepEqual(
        [call.result, Number(call.is_error)],
        ['ls: permission denied', 1],
        'the local call has its late result',
      );
      await drain();
      await assertRemoteIsFresh(e.store, remote, 'full');
      assert.deepEqual(
        remote.writes,
        { sessions: before.sessions + 1, interactions: before.interactions },
        'the session (last activity moved), no interaction',
      );
      e.close();
    });

    it('interactions moved to their original session by a later scan: the session they left is re-sent with its new totals', async () => {
      const { e, remote, drain } = await openSynced(tree, backend);
      // the fork copies u1 + msg_1 (same uuids and ids, requestSessionId = P) and has a turn of its own; P is not on disk yet
      const copy = { requestSessionId: P };
      tree.write(
        `-home-dev-proj/${F}.jsonl`,
        jsonl(
          prompt({ uuid: 'u1', sessionId: F, ts: t(0), text: 'list files', ...copy }),
          assistant({
            uuid: 'a1',
            sessionId: F,
            ts: t(1),
            msgId: 'msg_1',
            reqId: 'req_1',
            usage: { in: 10, out: 40 },
            block: { type: 'text', text: 'a.txt' },
            ...copy,
          }),
          prompt({ uuid: 'f1', sessionId: F, ts: t(20), text: 'and now?' }),
          assistant({
            uuid: 'f2',
            sessionId: F,
            ts: t(21),
            msgId: 'msg_9',
            reqId: 'req_9',
            usage: { in: 3, out: 4 },
            block: { type: 'text', text: 'forked' },
          }),
        ),
      );
      await e.scan();
      await drain();
      const early = remote.sessions.get(F)!;
      assert.deepEqual(
        [early.total_interactions, early.input_tokens, early.output_tokens],
        [4, 13, 44],
        'the copies count for the fork while their original is unknown',
      );

      tree.write(
        `-home-dev-proj/${P}.jsonl`,
        jsonl(
          prompt({ uuid: 'u1', sessionId: P, ts: t(0), text: 'list files' }),
          assistant({
            uuid: 'a1',
            sessionId: P,
            ts: t(1),
            msgId: 'msg_1',
            reqId: 'req_1',
            usage: { in: 10, out: 40 },
            block: { type: 'text', text: 'a.txt' },
          }),
        ),
      );
      await e.scan();
      await drain();
      const fork = remote.sessions.get(F)!;
      assert.deepEqual(
        [fork.total_interactions, fork.input_tokens, fork.output_tokens],
        [2, 3, 4],
        'the fork keeps only its own turn',
      );
      const orig = remote.sessions.get(P)!;
      assert.deepEqual([orig.total_interactions, orig.input_tokens, orig.output_tokens], [2, 10, 40]);
      assert.equal(remote.interactions.size, 4, 'moved, not duplicated');
      assert.deepEqual([...remote.interactions.values()].filter((r) => r.session_id === P).length, 2);
      await assertRemoteIsFresh(e.store, remote, 'full');
      e.close();
    });
  });
}
