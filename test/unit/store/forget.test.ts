import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyRetention } from '../../../src/infra/sqlite/applyRetention';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';

const cct = (argv: string[]) => runCct(argv, { CCT_HMAC_KEY: 'forget-test-key-0123456789abcdef' });

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const FORK = 'cccccccc-0000-4000-8000-000000000003';
/** Unique text planted in session A's prompt and answer: no rule masks it, so it is stored as written. */
const PLANTED = 'quokkaxylophone zanzibarnightjar 8861 forget-me-planted';
const TOKEN = 'zanzibarnightjar';

function lines(sessionId: string, n: number, prompt: string, extra: Record<string, unknown> = {}): string {
  const env = {
    isSidechain: false,
    userType: 'external',
    cwd: `/w/${sessionId.slice(0, 4)}`,
    sessionId,
    version: '2.1.332',
    gitBranch: 'main',
    ...extra,
  };
  const ts = new Date(Date.now() - 3600_000 + n * 1000).toISOString();
  const u = {
    ...env,
    parentUuid: null,
    type: 'user',
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    timestamp: ts,
    message: { role: 'user', content: prompt },
  };
  const a = {
    ...env,
    parentUuid: u.uuid,
    type: 'assistant',
    uuid: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
    timestamp: ts,
    requestId: `req_forget_${n}`,
    message: {
      id: `msg_forget_${n}`,
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: `answer to: ${prompt}` },
        { type: 'tool_use', id: `toolu_forget_${n}`, name: 'Bash', input: { command: `echo ${prompt}` } },
      ],
      usage: { input_tokens: 10, output_tokens: 5 },
    },
  };
  return `${JSON.stringify(u)}\n${JSON.stringify(a)}\n`;
}

const bytesOf = (file: string) => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0));
function holds(file: string, text: string): boolean {
  return bytesOf(file).includes(Buffer.from(text));
}

for (const backend of ['node:sqlite', 'sql.js'] as const) {
  describe(`cct forget (${backend})`, function () {
    this.timeout(60_000);
    let tmp: string;
    let root: string;
    let projects: string;
    let db: string;
    const scan = async () => {
      const r = await cct(['scan', '--root', root, '--db', db, '--backend', backend, '--serial', '--json']);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out) as { forgotten: number; interactions: number };
    };
    const sessionIds = async () => {
      const s = await Store.open(db, backend);
      try {
        return s
          .sessions()
          .map((x) => x.sessionId)
          .sort();
      } finally {
        s.close();
      }
    };

    beforeEach(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-forget-'));
      root = path.join(tmp, 'claude');
      projects = path.join(root, 'projects', '-w-p');
      mkdirSync(projects, { recursive: true });
      db = path.join(tmp, 'store.db');
      writeFileSync(path.join(projects, `${A}.jsonl`), lines(A, 1, PLANTED));
      writeFileSync(path.join(projects, `${B}.jsonl`), lines(B, 2, 'an ordinary prompt that stays'));
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));

    it('deletes every row of the session, and its text leaves the store file, WAL and shm', async () => {
      await scan();
      // another connection stays open, as the extension's sync connection does: the WAL and shm persist
      const other = backend === 'node:sqlite' ? await Store.open(db, backend) : undefined;
      try {
        const files = [db, `${db}-wal`, `${db}-shm`];
        assert.ok(
          files.some((f) => holds(f, PLANTED)),
          'the planted text is stored before (else the byte search proves nothing)',
        );
        const before = await Store.open(db, backend);
        assert.ok(before.search(TOKEN).length > 0);
        before.close();

        const r = await cct(['forget', A, '--db', db, '--backend', backend, '--json']);
        assert.equal(r.code, 0, r.err);
        const out = JSON.parse(r.out);
        assert.deepEqual(out.sessions, [A]);
        assert.equal(out.interactions, 2);
        assert.equal(out.checkpointBusy, false);

        for (const f of files) {
          assert.equal(holds(f, PLANTED), false, `${path.basename(f)} still holds the text`);
          assert.equal(holds(f, TOKEN), false, `${path.basename(f)} still holds a term of it`);
        }
        const s = await Store.open(db, backend);
        try {
          assert.deepEqual(s.search(TOKEN), []);
          assert.deepEqual(
            s.sessions().map((x) => x.sessionId),
            [B],
          );
          const left = (sql: string) => Number(s.db.prepare(sql).get([A])!.n);
          for (const t of ['interactions', 'api_messages', 'tool_calls', 'privacy_findings', 'usage_rollup_session'])
            assert.equal(left(`SELECT count(*) AS n FROM ${t} WHERE session_id = ?`), 0, t);
          assert.equal(left(`SELECT count(*) AS n FROM texts WHERE interaction_id LIKE '%' || ? || '%'`), 0);
          assert.equal(
            Number(
              s.db
                .prepare(
                  "SELECT count(*) AS n FROM sync_outbox WHERE (entity = 'session' AND entity_id = ?1) OR (entity = 'interaction' AND entity_id NOT IN (SELECT id FROM interactions))",
                )
                .get([A])!.n,
            ),
            0,
            'no queued sync entry of the session or its interactions',
          );
          assert.equal(left("SELECT count(*) AS n FROM file_cursors WHERE path LIKE '%' || ? || '%'"), 0);
          assert.equal(s.conversation(B).length > 0, true, 'the other session is intact');
        } finally {
          s.close();
        }
      } finally {
        other?.close();
      }
    });

    it('the tombstone holds across rescans, appends and a fork that copies its history; Unforget re-ingests', async () => {
      await scan();
      assert.equal((await cct(['forget', A, '--db', db, '--backend', backend])).code, 0);
      let st = await scan();
      assert.equal(st.forgotten, 1);
      assert.deepEqual(await sessionIds(), [B]);
      // the forgotten session goes on (Claude Code appends), and a fork copies its history into a new session
      appendFileSync(path.join(projects, `${A}.jsonl`), lines(A, 3, `more of ${PLANTED}`));
      writeFileSync(
        path.join(projects, `${FORK}.jsonl`),
        lines(FORK, 1, PLANTED, { requestSessionId: A }) + lines(FORK, 4, 'the fork goes its own way'),
      );
      st = await scan();
      assert.deepEqual(await sessionIds(), [B, FORK].sort());
      for (const f of [db, `${db}-wal`]) assert.equal(holds(f, TOKEN), false, `${path.basename(f)} holds the copy`);
      const s = await Store.open(db, backend);
      try {
        assert.deepEqual(s.search(TOKEN), []);
        assert.ok(s.search('own').length > 0, "the fork's own prompt is kept");
        assert.deepEqual(
          s.tombstones().map((t) => [t.sessionId, t.files.map((f) => path.basename(f))]),
          [[A, [`${A}.jsonl`, `${FORK}.jsonl`]]],
        );
      } finally {
        s.close();
      }

      const u = await cct(['forget', '--undo', A, '--db', db, '--backend', backend, '--json']);
      assert.equal(u.code, 0, u.err);
      await scan();
      assert.deepEqual(await sessionIds(), [A, B, FORK].sort());
      const back = await Store.open(db, backend);
      try {
        assert.ok(back.search(TOKEN).length > 0, 'the text is back after Unforget');
        assert.deepEqual(back.tombstones(), []);
      } finally {
        back.close();
      }
    });

    it('retention deletes through the same path (queued sync entries and rollups too) and writes no tombstone', async () => {
      await scan();
      const s = await Store.open(db, backend);
      s.refreshRollups([200_000]);
      const queued = () =>
        Number(
          s.db
            .prepare(
              "SELECT count(*) AS n FROM sync_outbox WHERE (entity = 'session' AND entity_id = ?1) OR (entity = 'interaction' AND entity_id NOT IN (SELECT id FROM interactions))",
            )
            .get([A])!.n,
        );
      assert.ok(Number(s.db.prepare('SELECT count(*) AS n FROM sync_outbox').get()!.n) > 0);
      // A becomes the old one
      s.db.prepare('UPDATE sessions SET last_ts = 1 WHERE session_id = ?').run([A]);
      assert.equal(applyRetention(s, { maxAgeDays: 30 }), 1);
      assert.equal(queued(), 0, 'no queued entry of the deleted session or its interactions is left to send');
      assert.equal(
        Number(s.db.prepare('SELECT count(*) AS n FROM usage_rollup_session WHERE session_id = ?').get([A])!.n),
        0,
      );
      assert.deepEqual(s.tombstones(), []);
      s.close();
      await scan();
      assert.deepEqual(await sessionIds(), [B], 'a rescan does not bring it back: its file was read to the end');
    });

    it('--project GLOB forgets every session of the matching projects', async () => {
      await scan();
      const r = await cct(['forget', '--project', `/w/${A.slice(0, 4)}`, '--db', db, '--backend', backend, '--json']);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out).sessions, [A]);
      await scan();
      assert.deepEqual(await sessionIds(), [B]);
    });
  });
}

describe('cct forget: arguments', () => {
  it('refuses nothing to forget, a mix of modes, and a non-id', async () => {
    for (const argv of [
      ['forget'],
      ['forget', 'x', '--project', '*'],
      ['forget', '--undo', 'a', '--list'],
      ['forget', 'a/b'],
    ]) {
      const r = await cct([...argv, '--db', path.join(os.tmpdir(), 'cct-forget-none.db')]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    }
  });
});

describe('cct forget on sql.js of a node:sqlite (FTS5) store', function () {
  this.timeout(60_000);
  it('empties the FTS5 index it cannot update (no term of the text stays) and node:sqlite rebuilds it', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-forget-fts5-'));
    try {
      const root = path.join(tmp, 'claude');
      const projects = path.join(root, 'projects', '-w-p');
      mkdirSync(projects, { recursive: true });
      const db = path.join(tmp, 'store.db');
      writeFileSync(path.join(projects, `${A}.jsonl`), lines(A, 1, PLANTED));
      writeFileSync(path.join(projects, `${B}.jsonl`), lines(B, 2, 'an ordinary prompt that stays'));
      const scan = await cct(['scan', '--root', root, '--db', db, '--backend', 'node:sqlite', '--serial']);
      assert.equal(scan.code, 0, scan.err);
      assert.ok(holds(db, TOKEN), 'the term is in the index before');
      const r = await cct(['forget', A, '--db', db, '--backend', 'sql.js']);
      assert.equal(r.code, 0, r.err);
      assert.equal(holds(db, TOKEN), false, 'no term of the forgotten text in the file');
      const s = await Store.open(db, 'node:sqlite');
      try {
        assert.deepEqual(s.search(TOKEN), []);
        assert.ok(s.search('ordinary').length > 0, 'the index was rebuilt from what remains');
      } finally {
        s.close();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
