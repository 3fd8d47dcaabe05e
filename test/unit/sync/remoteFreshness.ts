/**
 * "Sync never loses or duplicates a row", read as: after a drain, every remote row equals what the local store
 * would send now. Tests run real transcripts through the real pipeline (tailer, Privacy Guard, store), drain the
 * store's outbox with the real SyncEngine into MemoryRemote (one row per key, merge on conflict, like the server),
 * and compare the remote with a fresh build of every local row (assertRemoteIsFresh).
 */
import assert from 'node:assert/strict';
import type { SyncClock, SyncRemote } from '../../../src/core/sync/ports';
import {
  type InteractionRow,
  projectInteraction,
  projectSession,
  type RemoteSessionRow,
} from '../../../src/core/sync/rows';
import { type SyncConfig, SyncEngine } from '../../../src/core/sync/syncEngine';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import type { Store } from '../../../src/infra/sqlite/store';
import { openEngine, type TempTree } from '../transcript/engine';

/** Long after every test line: sessions read 'completed', so a row does not change with the wall clock. */
export const NOW = Date.parse('2027-01-01T00:00:00.000Z');
export const fixedClock: SyncClock = { now: () => NOW, random: () => 0.5, sleep: async () => undefined };
export const ts = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}.000Z`;

/** The server's upsert semantics: one row per key, merge on conflict; every row written is counted. */
export class MemoryRemote implements SyncRemote {
  readonly sessions = new Map<string, RemoteSessionRow>();
  readonly interactions = new Map<string, InteractionRow>();
  writes = { sessions: 0, interactions: 0 };
  async upsertSessions(rows: readonly RemoteSessionRow[]) {
    for (const r of rows) this.sessions.set(r.session_id, structuredClone(r));
    this.writes.sessions += rows.length;
    return { ok: true } as const;
  }
  async upsertInteractions(rows: readonly InteractionRow[]) {
    for (const r of rows) this.interactions.set(r.message_uuid, structuredClone(r));
    this.writes.interactions += rows.length;
    return { ok: true } as const;
  }
  async refreshAuth() {
    return true;
  }
}

type Mode = 'metadata' | 'full';
type Exclude = (projectPath: string | null) => boolean;

/**
 * Every local session and interaction as the outbox would build it now (projected for `mode`, excluded projects
 * left out). The outbox must be empty before; everything is queued, built and removed again (the idle-check mark
 * that next() moves is put back).
 */
export async function localRows(store: Store, mode: Mode, exclude: Exclude = () => false) {
  const db = store.db;
  assert.equal(
    Number(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()!.n),
    0,
    'the drain left nothing queued',
  );
  const idle = db.prepare("SELECT value FROM meta WHERE key = 'sync_idle_checked_at'").get()?.value ?? null;
  db.exec(`INSERT INTO sync_outbox (entity, entity_id, enqueued_at) SELECT 'session', session_id, 0 FROM sessions;
    INSERT INTO sync_outbox (entity, entity_id, enqueued_at) SELECT 'interaction', id, 0 FROM interactions;`);
  const box = new SqliteOutbox(store);
  const sessions = (await box.next('session', 1e6, NOW)).filter((e) => !exclude(e.projectPath));
  const interactions = (await box.next('interaction', 1e6, NOW)).filter((e) => !exclude(e.projectPath));
  db.exec('DELETE FROM sync_outbox');
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('sync_idle_checked_at', ?)").run([idle]);
  return {
    sessions: new Map(sessions.map((e) => [e.row.session_id, projectSession(e.row)])),
    interactions: new Map(interactions.map((e) => [e.row.message_uuid, projectInteraction(e.row, mode)])),
  };
}

export async function assertRemoteIsFresh(
  store: Store,
  remote: MemoryRemote,
  mode: Mode,
  exclude?: Exclude,
): Promise<void> {
  const local = await localRows(store, mode, exclude);
  const sorted = <V>(m: Map<string, V>) => new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
  assert.deepEqual(sorted(remote.sessions), sorted(local.sessions), 'remote session rows = local rows');
  assert.deepEqual(sorted(remote.interactions), sorted(local.interactions), 'remote interaction rows = local rows');
}

/** A store over `tree`, its SqliteOutbox and a SyncEngine (fixed clock) draining into `remote`. */
export async function openSynced(
  tree: TempTree,
  backend: BackendName,
  config: Partial<SyncConfig> = {},
  remote = new MemoryRemote(),
) {
  const e = await openEngine(tree, backend);
  const outbox = new SqliteOutbox(e.store, { flushEveryMs: 0 });
  const engine = new SyncEngine(outbox, remote, { mode: 'full', ...config }, fixedClock);
  const drain = async () => {
    const r = await engine.drain();
    assert.equal(r.outcome, 'drained', r.lastError);
    return r;
  };
  return { e, remote, outbox, engine, drain };
}
