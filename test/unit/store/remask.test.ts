/**
 * The archive re-mask end to end, on both backends: transcripts holding a secret in a format no rule knows are
 * scanned (`cct scan`) and synced (real SyncEngine + SqliteOutbox into the fake Supabase); a custom rule for the
 * format is added and the archive re-masked. Then the secret's bytes are in none of the store file, its WAL and SHM,
 * no FTS query finds it, no request the sync sends after the re-queue carries it, and the server's rows lost it.
 * A run cancelled half-way, or killed half-way (SIGKILL), and resumed ends exactly like a run in one go.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { rulesHash } from '../../../src/core/privacy/rulesHash';
import { type SyncConfig, SyncEngine } from '../../../src/core/sync/syncEngine';
import { maskKeyDirOfStore, maskKeyFor } from '../../../src/infra/keys/maskKeyFile';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { pendingRemask, REMASK_LAST_KEY } from '../../../src/infra/sqlite/remask';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { runCct } from '../../helpers/cct';
import { makeTokens, Rng } from '../privacy/tokens';
import { FakeSupabase } from '../sync/fakeSupabase';
import { signIn } from '../sync/helpers';

const SECRET = 'zqx9-Hk3mP8vQ2wL7nR4tY6uB';
/** How FTS keeps the secret's long token (lower case; a leaf keeps a term's suffix whole). */
const FTS_PIECE = 'l7nr4ty6ub';
const GITHUB = makeTokens(new Rng(5)).githubClassic();
const RULES = [{ id: 'zqx', category: 'zqx_token', keywords: ['zqx9-'], pattern: 'zqx9-[A-Za-z0-9]{20}' }];
const FAST: Partial<SyncConfig> = { mode: 'full', backoffBaseMs: 1, backoffCapMs: 5, maxAttempts: 3 };

/** Three sessions of ten exchanges; the secret in a prompt, a response, thinking, a tool input and result, a title. */
function writeTranscripts(root: string): void {
  for (let s = 0; s < 3; s++) {
    const sid = `5e55a0${s}0-0000-4000-8000-000000000000`;
    const dir = join(root, 'projects', `-home-dev-proj${s}`);
    mkdirSync(dir, { recursive: true });
    const lines: unknown[] = [];
    const base = { sessionId: sid, cwd: `/home/dev/proj${s}`, version: '2.1.0', gitBranch: `feature/${SECRET}` };
    for (let i = 0; i < 10; i++) {
      const ts = new Date(Date.UTC(2026, 10, 1, 10, s, i)).toISOString();
      const u = `${s}${i}`.padStart(4, '0');
      const hot = i % 3 === 0;
      lines.push({
        ...base,
        type: 'user',
        uuid: `00000000-0000-4000-8000-00000000${u}`,
        timestamp: ts,
        message: { role: 'user', content: hot ? `use ${SECRET} and ${GITHUB} for step ${i}` : `plain step ${i}` },
      });
      const tool = `toolu_${s}_${i}`;
      lines.push({
        ...base,
        type: 'assistant',
        uuid: `00000000-0000-4000-9000-00000000${u}`,
        requestId: `req_${s}_${i}`,
        timestamp: ts,
        message: {
          id: `msg_${s}_${i}`,
          model: 'claude-sonnet-4-5',
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: hot ? `the token ${SECRET} is needed` : 'thinking' },
            { type: 'text', text: hot ? `I will pass ${SECRET} to the tool` : `answer ${i}` },
            { type: 'tool_use', id: tool, name: 'Bash', input: { command: `deploy --token ${hot ? SECRET : 'x'}` } },
          ],
          usage: { input_tokens: 10, output_tokens: 5 },
        },
      });
      lines.push({
        ...base,
        type: 'user',
        uuid: `00000000-0000-4000-a000-00000000${u}`,
        timestamp: ts,
        message: {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: tool, content: hot ? `deployed with ${SECRET}` : 'ok' }],
        },
      });
    }
    lines.push({ type: 'ai-title', sessionId: sid, aiTitle: `Deploy with ${SECRET}` });
    writeFileSync(join(dir, `${sid}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  }
}

/** Every byte of the store on disk: the file, its WAL and its SHM (as they are now). */
function storeBytes(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter(existsSync).map((f) => readFileSync(f)));
}
const holdsSecret = (b: Buffer) => b.includes(SECRET) || b.includes(FTS_PIECE);

/** Everything re-masking may change, in key order, for comparing two runs. */
function dump(store: Store): unknown {
  const all = (sql: string) => store.db.prepare(sql).all();
  return {
    texts: all('SELECT key, text FROM texts ORDER BY key'),
    tools: all('SELECT id, input_json, result FROM tool_calls ORDER BY id'),
    sessions: all('SELECT session_id, title, project_path, git_branch, claude_model_usage FROM sessions ORDER BY 1'),
    findings: all('SELECT row_key, category, count FROM privacy_findings ORDER BY 1, 2'),
    fts: store
      .search('REDACTED', 1000)
      .map((h) => h.text)
      .sort(),
  };
}

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`re-mask the archive (${backend})`, function () {
    this.timeout(120_000);
    let dir: string;
    let db: string;
    let rulesFile: string;
    let server: FakeSupabase;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cct-remask-'));
      writeTranscripts(join(dir, 'claude'));
      db = join(dir, 'store.db');
      rulesFile = join(dir, 'rules.json');
      writeFileSync(rulesFile, JSON.stringify(RULES));
      const r = await runCct(['scan', '--root', join(dir, 'claude'), '--db', db, '--backend', backend, '--json'], {
        HOME: dir,
      });
      assert.equal(r.code, 0, r.err);
      server = await new FakeSupabase().start();
    });
    after(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const guard = () => createPrivacyGuard({ customRules: RULES, hmacKey: maskKeyFor(maskKeyDirOfStore(db)) });
    const remask = (store: Store, extra: Partial<Parameters<Store['remask']>[0]> = {}) =>
      store.remask({
        guard: guard(),
        level: 'standard',
        rulesHash: rulesHash('standard', RULES),
        leaseOwner: 'test',
        batchRows: 5,
        flushEveryMs: 0,
        ...extra,
      });
    const drain = async (store: Store, remote: SupabaseSyncRemote) => {
      const outbox = new SqliteOutbox(store);
      const engine = new SyncEngine(outbox, remote, FAST);
      let rep = await engine.drain();
      for (let i = 0; rep.outcome === 'drained' && (await outbox.stats()).pending > 0 && i < 50; i++)
        rep = await engine.drain();
      assert.equal(rep.outcome, 'drained', rep.lastError);
      assert.equal((await outbox.stats()).pending, 0);
    };

    it('after a custom rule and a re-mask, the secret is gone from the file, WAL, SHM, FTS and every later request; tags kept', async () => {
      for (const copy of ['ref.db', 'kill.db']) copyFileSync(db, join(dir, copy)); // same folder: same mask.key
      let store = await Store.open(db, backend);
      const { client, userId } = await signIn(server);
      const remote = new SupabaseSyncRemote(client, { interactionResolution: 'merge' });
      await drain(store, remote);
      assert.ok(
        server.requests.some((r) => r.body.includes(SECRET)),
        'before: the remote copy got the secret (no rule knew it)',
      );
      assert.ok(store.search(`"${SECRET.slice(5)}"`).length > 0, 'before: FTS finds it');
      store.close();
      assert.ok(holdsSecret(storeBytes(db)), 'before: its bytes are in the store file');
      const ghTag = /«ghp_…github_token:[0-9a-f]{8}»/.exec(storeBytes(db).toString('utf8'))?.[0];
      assert.ok(ghTag, 'a secret masked at ingest');
      const textsWithGhTag = (s: Store) =>
        s.db
          .prepare('SELECT key FROM texts WHERE instr(text, ?) > 0 ORDER BY key')
          .all([ghTag])
          .map((r) => r.key);

      store = await Store.open(db, backend);
      const ghRows = textsWithGhTag(store);
      // cancelled half-way, then resumed
      const abort = new AbortController();
      const first = await remask(store, { signal: abort.signal, afterBatch: (b) => b === 3 && abort.abort() });
      assert.equal(first.cancelled, true);
      assert.ok(pendingRemask(store.db), 'the cursor stays for the next run');
      store.close();
      store = await Store.open(db, backend);
      const sentBefore = server.requests.length;
      const rep = await remask(store);
      assert.equal(rep.cancelled, false);
      assert.equal(rep.resumed, true);
      assert.equal(pendingRemask(store.db), undefined);
      assert.ok(rep.changed >= 4 * 6 && rep.requeued > 0, JSON.stringify(rep));
      assert.equal(rep.scrub?.walTruncated, true);
      const last = JSON.parse(
        String(store.db.prepare('SELECT value FROM meta WHERE key = ?').get([REMASK_LAST_KEY])!.value),
      );
      assert.equal(last.rulesHash, rulesHash('standard', RULES));
      assert.equal(last.level, 'standard');
      assert.equal(last.rows, rep.rows);
      assert.equal(last.changed, rep.changed);
      // the privacy report's top rules count what the re-mask found, under the rule that found it
      const byRule = store.db
        .prepare("SELECT coalesce(sum(count), 0) AS n FROM privacy_rule_findings WHERE rule_id = 'custom:zqx'")
        .get();
      assert.ok(Number(byRule?.n) > 0, 'findings of the new rule counted per rule');

      // same secret → same tag, everywhere it was
      const tag = `[REDACTED:zqx_token:${guard().tag(SECRET)}]`;
      const n = (sql: string) => Number(store.db.prepare(sql).get([tag])!.n);
      assert.equal(n("SELECT count(*) AS n FROM texts WHERE instr(text, ?) > 0 AND kind = 'prompt'"), 12);
      assert.equal(n("SELECT count(*) AS n FROM texts WHERE instr(text, ?) > 0 AND kind = 'thinking'"), 12);
      assert.equal(n("SELECT count(*) AS n FROM texts WHERE instr(text, ?) > 0 AND kind = 'text'"), 12);
      assert.equal(
        n('SELECT count(*) AS n FROM tool_calls WHERE instr(input_json, ?) > 0 AND instr(result, ?1) > 0'),
        12,
      );
      assert.equal(n('SELECT count(*) AS n FROM sessions WHERE instr(title, ?) > 0 AND instr(git_branch, ?1) > 0'), 3);
      // the tags written at ingest are as they were, in the same rows
      assert.deepEqual(textsWithGhTag(store), ghRows);
      // no FTS query finds the secret; its tag is found
      assert.equal(store.search(`"${SECRET.slice(5)}"`).length, 0);
      assert.equal(store.search(`"${FTS_PIECE}"`).length, 0);
      assert.equal(store.search('zqx_token').length, 36);

      // the re-queued rows reach the server without the secret, and replace the rows that had it
      await drain(store, remote);
      const after = server.requests.slice(sentBefore).filter((r) => r.path.startsWith('/rest/v1/claude_'));
      assert.ok(after.length > 0, 'the re-queued rows were sent');
      for (const r of after) assert.ok(!r.body.includes(SECRET), `${r.method} ${r.path} sent the secret`);
      const remoteRows = JSON.stringify([
        ...server.rowsOf('interactions', userId),
        ...server.rowsOf('sessions', userId),
      ]);
      assert.ok(!remoteRows.includes(SECRET), 'the server keeps no row with the secret');
      assert.ok(remoteRows.includes(tag));
      const resumedDump = dump(store);
      store.close();
      assert.ok(!holdsSecret(storeBytes(db)), 'after: no byte of the secret in the store file, WAL or SHM');

      // the same re-mask in one go (through cct), and one killed half-way then resumed: the same end result
      const ref = join(dir, 'ref.db');
      const r = await runCct(['remask', '--rules', rulesFile, '--db', ref, '--backend', backend, '--json'], {
        HOME: dir,
      });
      assert.equal(r.code, 0, r.err);
      assert.equal(JSON.parse(r.out).changed, rep.changed);
      const refStore = await Store.open(ref, backend);
      assert.deepEqual(dump(refStore), resumedDump);
      refStore.close();
      assert.ok(!holdsSecret(storeBytes(ref)));

      const kill = join(dir, 'kill.db');
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'remaskChild.ts'), kill, backend, rulesFile, '4'],
        { encoding: 'utf8' },
      );
      assert.equal(child.signal, 'SIGKILL', child.stderr);
      let killStore = await Store.open(kill, backend);
      assert.ok(pendingRemask(killStore.db), 'the killed run left its cursor');
      const resumed = await remask(killStore);
      assert.equal(resumed.resumed, true);
      assert.deepEqual(dump(killStore), resumedDump);
      killStore.close();
      assert.ok(!holdsSecret(storeBytes(kill)));
      // a second re-mask under the same rules changes nothing
      killStore = await Store.open(kill, backend);
      const again = await remask(killStore);
      assert.equal(again.changed, 0);
      killStore.close();
    });
  });
}
