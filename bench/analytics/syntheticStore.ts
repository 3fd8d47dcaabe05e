/**
 * The analytics benchmark's store at the issue's scale (20,000 sessions / 2 M interactions), written straight into
 * SQLite and cached in $TMPDIR/cct-bench (a scan of 2 M interactions' transcripts would take the run):
 * v4 per session 1 prompt in 5 interactions, the rest API messages, a tool call every other message, 5 % of them
 *    errors; no text at all.
 * v5 a copy of v4 with masked prompt text and tool targets per session (topicTexts.ts), the rollups (and their topic
 *    terms) refreshed: topic clustering then costs what it costs a real user with 20,000 sessions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { dropRollupTerms } from '../../src/infra/sqlite/analyticsRollups';
import { Store } from '../../src/infra/sqlite/store';
import { sessionText, vocabulary } from './topicTexts';

/** The seed of the v5 texts (part of the file's identity: change the file version with it). */
export const TEXT_SEED = 11;

/**
 * The issue's scale, written straight into a store (a scan of 2 M interactions' transcripts would take the run). v2 and
 * v3, of earlier versions, came from a store another branch had migrated without the compactions table; v4 and v5
 * start again from v1, which migrates like any store.
 */
export async function syntheticStore(sessions: number, interactions: number): Promise<string> {
  const file = path.join(os.tmpdir(), 'cct-bench', `analytics-${sessions}s-${interactions}i-v4.db`);
  if (fs.existsSync(`${file}.complete`)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // v1 (schema v13, shared with branches without rollups) is copied, never migrated in place.
  const v1 = file.replace(/-v4\.db$/, '-v1.db');
  if (fs.existsSync(`${v1}.complete`)) {
    fs.copyFileSync(v1, file);
    fs.writeFileSync(`${file}.complete`, '');
    return file;
  }
  fs.rmSync(file, { force: true });
  const t0 = performance.now();
  // Store.open needs node:sqlite for a file this size: this part runs under Node 22.
  const store = await Store.open(file, 'node:sqlite');
  const db = store.db;
  const models = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-5'];
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const perSession = Math.max(2, Math.round(interactions / sessions));
  const start = Date.UTC(2025, 11, 1);
  const insS = db.prepare(
    'INSERT INTO sessions (session_id, project_path, entrypoint, first_ts, last_ts) VALUES (?,?,?,?,?)',
  );
  const insI = db.prepare(
    'INSERT INTO interactions (id, session_id, kind, ts, is_sidechain, model) VALUES (?,?,?,?,?,?)',
  );
  const insA = db.prepare(
    'INSERT INTO api_messages (key, session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const insT = db.prepare(
    'INSERT INTO tool_calls (id, session_id, interaction_id, name, input_json, ts, is_error, is_sidechain) VALUES (?,?,?,?,?,?,?,?)',
  );
  const tools = ['Bash', 'Read', 'Edit', 'Grep', 'Write', 'Agent'];
  db.begin();
  for (let s = 0; s < sessions; s++) {
    const sid = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
    let ts = start + Math.floor(rnd() * 365 * 86_400_000);
    const first = ts;
    const model = models[s % models.length]!;
    for (let i = 0; i < perSession; i++) {
      ts += Math.floor(rnd() * 90_000);
      const side = rnd() < 0.1 ? 1 : 0;
      if (i % 5 === 0) {
        insI.run([`p:${sid}:${i}`, sid, 'prompt', ts, 0, null]);
        continue;
      }
      const key = `${sid}:${i}`;
      insI.run([`r:${key}`, sid, 'response', ts, side, model]);
      const cw = Math.floor(rnd() * 4000);
      insA.run([
        key,
        sid,
        ts,
        model,
        'standard',
        Math.floor(rnd() * 500),
        Math.floor(rnd() * 2000),
        cw,
        0,
        cw,
        Math.floor(rnd() * 80_000),
        side,
      ]);
      if (i % 2 === 0) {
        const tool = tools[Math.floor(rnd() * tools.length)]!;
        insT.run([`t:${key}`, sid, `r:${key}`, tool, `{"command":"step ${i % 7}"}`, ts, rnd() < 0.05 ? 1 : 0, side]);
      }
    }
    insS.run([sid, `/home/dev/project-${s % 50}`, s % 3 ? 'cli' : 'sdk-cli', first, ts]);
  }
  db.commit();
  store.close();
  fs.writeFileSync(`${file}.complete`, '');
  console.log(`synthetic store written in ${Math.round((performance.now() - t0) / 1000)} s: ${file}`);
  return file;
}

/** v5: v4 plus prompt texts and tool targets (topicTexts.ts) and rollups refreshed over them. */
export async function topicStore(sessions: number, interactions: number): Promise<string> {
  const file = path.join(os.tmpdir(), 'cct-bench', `analytics-${sessions}s-${interactions}i-v5.db`);
  if (fs.existsSync(`${file}.complete`)) return file;
  const v4 = await syntheticStore(sessions, interactions);
  const t0 = performance.now();
  fs.rmSync(file, { force: true });
  fs.copyFileSync(v4, file);
  const store = await Store.open(file, 'node:sqlite');
  const db = store.db;
  const v = vocabulary(TEXT_SEED);
  const prompts = db
    .prepare(
      `SELECT id, session_id FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0 ORDER BY session_id, ts, id`,
    )
    .values();
  const calls = db
    .prepare('SELECT id, session_id FROM tool_calls WHERE session_id IS NOT NULL ORDER BY session_id, ts, id')
    .values();
  const insText = db.prepare('INSERT INTO texts (key, interaction_id, ord, kind, text) VALUES (?,?,0,?,?)');
  const insFts = db.prepare('INSERT INTO texts_fts (rowid, text) VALUES (last_insert_rowid(), ?)');
  const setInput = db.prepare('UPDATE tool_calls SET input_json = ? WHERE id = ?');
  // Session i's text is sessionText(i): the index is the id's last 12 digits (v4's ids are numbered).
  const textOf = new Map<string, ReturnType<typeof sessionText>>();
  const text = (sid: string) => {
    let t = textOf.get(sid);
    if (!t) {
      t = sessionText(v, TEXT_SEED, Number(sid.slice(-12)));
      textOf.set(sid, t);
    }
    return t;
  };
  const nth = new Map<string, number>();
  const next = (key: string) => {
    const n = nth.get(key) ?? 0;
    nth.set(key, n + 1);
    return n;
  };
  db.transaction(() => {
    for (const [id, sid] of prompts) {
      const p = text(String(sid)).prompts[next(`p${sid}`)];
      if (p === undefined) continue;
      insText.run([`${id}:text:0`, String(id), 'prompt', p]);
      insFts.run([p]);
    }
    for (const [id, sid] of calls) {
      const input = text(String(sid)).toolInputs[next(`t${sid}`)];
      if (input !== undefined) setInput.run([input, String(id)]);
    }
    // Every session's rollups stale: the refresh below recomputes them (and their terms) the way a scan does.
    dropRollupTerms(db);
  });
  const refreshed = store.refreshAnalyticsRollups(PriceTable.builtin());
  store.close();
  fs.writeFileSync(`${file}.complete`, '');
  console.log(
    `synthetic store v5 (texts of ${textOf.size} sessions, ${refreshed.changed.length} rollups refreshed) written in ${Math.round((performance.now() - t0) / 1000)} s: ${file}`,
  );
  return file;
}
