import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { groupHits } from '../../../src/core/search/groupHits';
import { toTurn } from '../../../src/core/sessions/timelineTurns';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { Store } from '../../../src/infra/sqlite/store';
import { fixtureStore } from '../../helpers/dashboardFixtureStore';

const LIVE = { now: Date.UTC(2030, 0, 1), liveWindowMs: 5 * 60_000 };
const everything = (s: Store) =>
  s.querySessions({ filters: {}, sort: { by: 'time', dir: 'asc' }, offset: 0, limit: 500, ...LIVE }).rows;

/** Gives session `id` 2,000 more prompts (each with a text) after its own entries. */
function addLongTimeline(s: Store, id: string): void {
  s.db.exec(`WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1999)
    INSERT INTO interactions (id, session_id, origin_session, kind, ts, is_sidechain, byte_offset)
    SELECT printf('p:long-%04d', i), '${id}', '${id}', 'prompt', 4102444800000 + i * 1000, 0, i FROM c;
    WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1999)
    INSERT INTO texts (key, interaction_id, ord, kind, text)
    SELECT printf('t:long-%04d', i), printf('p:long-%04d', i), 0, 'prompt', printf('turn %d', i) FROM c;`);
}

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`session timeline and search on the real-CLI fixtures (${backend})`, function () {
    this.timeout(60_000);
    let dir: string;
    let store: Store;
    const prices = PriceTable.builtin();
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-tl-'));
      store = await fixtureStore(dir, backend);
    });
    after(() => {
      store?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('pages a timeline in order with tokens, cost and latency that add up to the session', () => {
      for (const row of everything(store)) {
        const total = store.timelineCount(row.sessionId);
        const turns = [0, 1, 2, 3, 4, 5, 6, 7, 8]
          .flatMap((p) => store.timelinePage({ sessionId: row.sessionId, offset: p * 2, limit: 2 }))
          .map((e) => toTurn(e, prices));
        assert.equal(turns.length, total, row.sessionId);
        assert.deepEqual(
          turns.map((t) => t.index),
          turns.map((_, i) => i),
        );
        for (let i = 1; i < turns.length; i++) assert.ok((turns[i]!.ts ?? 0) >= (turns[i - 1]!.ts ?? 0));
        const prompts = turns.filter((t) => t.kind === 'prompt').length;
        assert.equal(prompts, row.turns, `${row.sessionId}: main-line prompts are the session's turns`);
        for (const t of turns.filter((t) => t.kind === 'response' && t.ts !== null && t.index > 0))
          assert.equal(t.latencyMs, t.ts! - turns[t.index - 1]!.ts!);
      }
    });

    it('nests a subagent run under the tool call that started it', () => {
      const agent = everything(store).find((r) => r.firstPrompt?.startsWith('SCENARIO:agent'))!;
      const main = store.timelinePage({ sessionId: agent.sessionId, offset: 0, limit: 100 });
      const call = main.flatMap((e) => e.toolCalls).find((c) => c.subagent)!;
      assert.ok(call, 'the agent scenario has a Task/Agent call with its run');
      assert.ok(call.subagent!.items > 0);
      const run = store.timelinePage({
        sessionId: agent.sessionId,
        agentId: call.subagent!.agentId,
        offset: 0,
        limit: 100,
      });
      assert.equal(run.length, call.subagent!.items);
      assert.equal(store.timelineCount(agent.sessionId, call.subagent!.agentId), run.length);
      assert.ok(run.every((e) => e.isSidechain && e.agentId === call.subagent!.agentId));
      assert.ok(!main.some((e) => e.isSidechain), 'the main timeline holds no subagent entries');
      const priced = run.map((e) => toTurn(e, prices)).filter((t) => t.tokens);
      assert.ok(priced.length > 0 && priced.every((t) => t.costUsd !== null && t.costUsd > 0));
    });

    it('marks failed tool calls, truncates long ones and serves them whole on request', () => {
      const fail = everything(store).find((r) => r.firstPrompt?.startsWith('SCENARIO:fail'))!;
      const turns = store
        .timelinePage({ sessionId: fail.sessionId, offset: 0, limit: 100 })
        .map((e) => toTurn(e, prices));
      const failed = turns.flatMap((t) => t.toolCalls).filter((c) => c.isError);
      assert.equal(failed.length, fail.errors);
      assert.ok(turns.some((t) => t.hasError));
      // A preview cut shorter than the fixture's data, then the same call whole.
      const any = turns.flatMap((t) => t.toolCalls).find((c) => (c.input ?? '').length > 10)!;
      const whole = store.toolCall(fail.sessionId, any.id)!;
      assert.equal(whole.input, any.input);
      assert.equal(whole.inputTruncated, false);
      assert.equal(store.toolCall('someone-else', any.id), undefined, 'a tool call is read within its session only');
    });

    it('shows the /compact boundary of the real CLI as a timeline divider with its trigger and token counts', () => {
      const compact = everything(store).find((r) => r.firstPrompt?.startsWith('SCENARIO:compact'))!;
      const turns = store
        .timelinePage({ sessionId: compact.sessionId, offset: 0, limit: 500 })
        .map((e) => toTurn(e, prices));
      const dividers = turns.filter((t) => t.kind === 'compaction');
      assert.equal(dividers.length, 1, 'the fixture ran /compact once');
      const d = dividers[0]!;
      // The fixture line: compactMetadata {trigger:"manual", preTokens:712, postTokens:2555}.
      assert.deepEqual(d.compaction, { trigger: 'manual', preTokens: 712, postTokens: 2555 });
      assert.equal(d.tokens, null);
      assert.equal(d.latencyMs, null);
      assert.equal(d.id, 'c:4955e14d-d3c7-4bb5-a584-2830444e0253');
      assert.ok(d.index > 0 && d.index < turns.length - 1, 'between the turns before and after the compaction');
      assert.ok(turns[d.index - 1]!.ts! <= d.ts! && d.ts! <= turns[d.index + 1]!.ts!);
      assert.equal(store.timelineCount(compact.sessionId), turns.length, 'the count includes the divider');
      for (const other of everything(store).filter((r) => r.sessionId !== compact.sessionId))
        assert.ok(
          store
            .timelinePage({ sessionId: other.sessionId, offset: 0, limit: 500 })
            .every((e) => e.kind !== 'compaction'),
        );
    });

    it('finds the index of any turn (a subagent entry: its starting turn) for deep links', () => {
      for (const row of everything(store)) {
        const all = store.timelinePage({ sessionId: row.sessionId, offset: 0, limit: 500 });
        for (const e of all) assert.equal(store.timelineIndexOf(row.sessionId, e.id), e.index, e.id);
      }
      const agent = everything(store).find((r) => r.firstPrompt?.startsWith('SCENARIO:agent'))!;
      const main = store.timelinePage({ sessionId: agent.sessionId, offset: 0, limit: 100 });
      const holder = main.find((e) => e.toolCalls.some((c) => c.subagent))!;
      const agentId = holder.toolCalls.find((c) => c.subagent)!.subagent!.agentId;
      const inner = store.timelinePage({ sessionId: agent.sessionId, agentId, offset: 0, limit: 100 });
      assert.equal(store.timelineIndexOf(agent.sessionId, inner.at(-1)!.id), holder.index);
      assert.equal(store.timelineIndexOf(agent.sessionId, 'p:no-such-turn'), undefined);
      assert.equal(store.timelineIndexOf('someone-else', main[0]!.id), undefined, 'within its session only');
    });

    it('pages a 2,000-turn session 100 at a time', () => {
      const id = everything(store)[0]!.sessionId;
      const before = store.timelineCount(id);
      addLongTimeline(store, id);
      const total = store.timelineCount(id);
      assert.equal(total, before + 2000);
      const seen: string[] = [];
      for (let offset = 0; offset < total; offset += 100) {
        const page = store.timelinePage({ sessionId: id, offset, limit: 100 });
        assert.equal(page[0]!.index, offset);
        seen.push(...page.map((e) => e.id));
      }
      assert.equal(new Set(seen).size, total);
      assert.equal(seen.at(-1), 'p:long-1999');
      const last = store.timelinePage({ sessionId: id, offset: total - 1, limit: 100 });
      assert.equal(last.length, 1);
      assert.equal(last[0]!.previousTs, 4102444800000 + 1998 * 1000, 'latency reaches across page boundaries');
    });

    it('searches masked text with the FTS index of this backend, snippets highlighted as ranges', () => {
      const r = store.searchTexts({ query: 'Background', filters: {}, limit: 50, ...LIVE });
      assert.equal(r.engine, backend === 'node:sqlite' ? 'fts5' : 'fts4');
      assert.ok(r.matches.length >= 4);
      const groups = groupHits(r.matches, 'Background');
      for (const g of groups)
        for (const h of g.hits) {
          assert.ok(h.snippet.highlights.length > 0, h.snippet.text);
          for (const [a, b] of h.snippet.highlights)
            assert.equal(h.snippet.text.slice(a, b).toLowerCase(), 'background');
        }
      // Prefix match on a word start, every term required.
      assert.ok(store.searchTexts({ query: 'backgr agent', filters: {}, limit: 50, ...LIVE }).matches.length > 0);
      assert.equal(store.searchTexts({ query: 'ackground', filters: {}, limit: 50, ...LIVE }).matches.length, 0);
      assert.equal(
        store.searchTexts({ query: 'background zzqqxx', filters: {}, limit: 50, ...LIVE }).matches.length,
        0,
      );
    });

    it('search applies the session filters and never finds an unmasked secret', () => {
      const beta = store.searchTexts({ query: 'scenario', filters: { project: 'work/beta' }, limit: 50, ...LIVE });
      assert.ok(beta.matches.length > 0 && beta.matches.every((m) => m.projectPath?.includes('work/beta')));
      // The fixture prompt held a GitHub token and a personal e-mail address: only their masks are stored.
      assert.equal(
        store.searchTexts({ query: 'ghp_cctFixtureZq9Zq9Zq9Zq9Zq9Zq9Zq9Zq9Xy', filters: {}, limit: 5, ...LIVE }).matches
          .length,
        0,
      );
      assert.equal(store.searchTexts({ query: 'acme widgets', filters: {}, limit: 5, ...LIVE }).matches.length, 0);
      // FTS operators in the query are words, not syntax.
      assert.doesNotThrow(() => store.searchTexts({ query: 'NEAR( "x" OR * -', filters: {}, limit: 5, ...LIVE }));
    });

    it('answers Japanese queries (no word breaks for the tokenizer) by a substring scan', () => {
      const id = everything(store)[1]!.sessionId;
      store.db.exec(`INSERT INTO interactions (id, session_id, origin_session, kind, ts, is_sidechain) VALUES ('p:ja', '${id}', '${id}', 'prompt', 1, 0);
        INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES ('t:ja', 'p:ja', 0, 'prompt', 'ダッシュボードの全文検索を試す');`);
      const r = store.searchTexts({ query: '全文検索', filters: {}, limit: 5, ...LIVE });
      assert.equal(r.engine, 'scan');
      const hit = groupHits(r.matches, '全文検索')[0]!.hits[0]!;
      const [a, b] = hit.snippet.highlights[0]!;
      assert.equal(hit.snippet.text.slice(a, b), '全文検索');
    });

    it("links the real CLI's /clear: the new session to the one it cleared, and back", () => {
      const before = 'cc7f0000-0000-4000-8000-000000000008';
      const after = '629d7f54-362c-4505-836d-4b45c9f8ad5c';
      assert.deepEqual(store.relatedSessions(after), [{ sessionId: before, relation: 'clearedFrom' }]);
      assert.deepEqual(store.relatedSessions(before), [{ sessionId: after, relation: 'clearedInto' }]);
      // Sessions of other folders and without a /clear have no such link.
      const tools = 'cc7f0000-0000-4000-8000-000000000001';
      assert.ok(store.relatedSessions(tools).every((r) => !r.relation.startsWith('cleared')));
    });

    // Last: it deletes a fixture session.
    it('Forget removes the compaction boundaries with the session', () => {
      const compact = everything(store).find((r) => r.firstPrompt?.startsWith('SCENARIO:compact'))!;
      const count = () =>
        Number(
          store.db.prepare('SELECT count(*) AS n FROM compactions WHERE session_id = ?').get([compact.sessionId])?.n,
        );
      assert.equal(count(), 1);
      store.forget([compact.sessionId]);
      assert.equal(count(), 0);
    });
  });
}

describe('search on a store this backend cannot index (an FTS5 file opened by sql.js)', function () {
  this.timeout(60_000);
  it('falls back to a substring scan and still finds the text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-fts-'));
    try {
      (await fixtureStore(dir, 'node:sqlite')).close();
      const s = await Store.open(path.join(dir, 'store.db'), 'sql.js');
      try {
        assert.deepEqual(s.ftsStatus(), { engine: 'fts5', writable: false });
        const r = s.searchTexts({ query: 'background', filters: {}, limit: 50, ...LIVE });
        assert.equal(r.engine, 'scan');
        assert.ok(r.matches.length >= 4);
      } finally {
        s.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
