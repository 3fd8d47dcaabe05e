import { costUsd } from '../../core/pricing/cost';
import { PriceTable } from '../../core/pricing/priceTable';
import type { Masked } from '../../core/privacy/masker';
import { priceGroups, type UsageGroupLike } from '../../core/sessions/sessionSummary';
import type { InteractionEntry, OutboxPort, SessionEntry } from '../../core/sync/ports';
import { type InteractionRow, interactionUuid, type SendMode, type SessionRow } from '../../core/sync/rows';
import type { SqlRow, SqlValue } from './driver';
import { longContextOf, longContextTiers } from './longContext';
import { noteSentMode, requeueForMode } from './modeResend';
import * as Q from './queries';
import type { Store } from './store';
import { ledgerGroupsSql, usageGroupOf } from './usageReads';

/** A session counts as active while it wrote something in the last few minutes (same rule as `cct sessions`). */
const ACTIVE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface SqliteOutboxOptions {
  /** Prices for cost_usd / total_cost_usd (API-equivalent). Default: the built-in table. */
  prices?: PriceTable;
  /** sql.js: flush outbox state changes to the file at most this often (default 1000 ms; 0 = after every change). */
  flushEveryMs?: number;
}

interface Pending {
  seq: number;
  entityId: string;
  version: number;
  attempts: number;
}

/**
 * The OutboxPort over the local store's `sync_outbox` (see the mapping in core/sync/ports.ts). The ingest pipeline
 * enqueues entity ids in the same transaction as the rows (Store.writeBatch); next() builds complete rows from
 * the store at read time, so a row always carries the entity's latest state. Every text column comes from the
 * store as written — already masked (type Masked); nothing here unmasks. The sync mode (metadata / full) is
 * applied by the SyncEngine (projectInteraction), which gets the full masked row from here.
 *
 * Versions: enqueued_at is bumped on every re-enqueue (queries.ENQUEUE); next() remembers the version it read and
 * ack / deadLetter / discard remove the row only if it is still that version. A change made while an older
 * snapshot was in flight therefore stays queued and is sent on the next pass.
 *
 * Modes: an ack's sentAs is recorded on the acknowledged interactions (interactions.sent_mode, modeResend.ts), also
 * when a newer version is pending, since the server holds the one that was sent; requeueForMode reads it.
 *
 * Durability: on node:sqlite every statement is committed to the WAL; on sql.js state changes are flushed (atomic
 * file replace of the whole database) at most once a second and on close — see flush().
 */
export class SqliteOutbox implements OutboxPort {
  private readonly prices: PriceTable;
  /** Long-context tiers of the price table (longContextTiers). */
  private readonly thresholds: number[];
  /** seq → version (enqueued_at) and entity as last returned by next(). */
  private readonly sent = new Map<number, { version: number; kind: 'session' | 'interaction'; entityId: string }>();
  private readonly flushEveryMs: number;
  private lastFlush = 0;

  constructor(
    readonly store: Store,
    opts: SqliteOutboxOptions = {},
  ) {
    this.prices = opts.prices ?? PriceTable.builtin();
    this.thresholds = longContextTiers(this.prices.thresholds());
    this.flushEveryMs = opts.flushEveryMs ?? 1000;
  }

  /**
   * sql.js only (node:sqlite commits to the WAL on every statement): writes the outbox state to the file now. State
   * changes are flushed at most every `flushEveryMs`; close() of the store flushes the rest. A crash in between
   * loses only acknowledgements and attempt counts: those rows are sent again and the server's unique keys absorb
   * them (at-least-once, exactly-once on the server).
   */
  flush(): void {
    this.lastFlush = Date.now();
    this.store.flush();
  }

  private changed(): void {
    if (Date.now() - this.lastFlush >= this.flushEveryMs) this.flush();
  }

  private get db() {
    return this.store.db;
  }

  next(kind: 'session', limit: number, now: number): Promise<SessionEntry[]>;
  next(kind: 'interaction', limit: number, now: number): Promise<InteractionEntry[]>;
  async next(
    kind: 'session' | 'interaction',
    limit: number,
    now: number,
  ): Promise<SessionEntry[] | InteractionEntry[]> {
    if (limit <= 0) return [];
    if (kind === 'session') this.requeueGoneIdle(now);
    // Entities whose rows are gone (retention pruned the session) cannot be built: they leave the queue here.
    for (let round = 0; round < 100; round++) {
      const pending = this.db
        .prepare(
          'SELECT seq, entity_id, enqueued_at, attempts FROM sync_outbox WHERE entity = ? AND not_before <= ? ORDER BY seq LIMIT ?',
        )
        .all([kind, now, limit])
        .map(
          (r): Pending => ({
            seq: Number(r.seq),
            entityId: String(r.entity_id),
            version: Number(r.enqueued_at),
            attempts: Number(r.attempts),
          }),
        );
      if (pending.length === 0) return [];
      const built = kind === 'session' ? this.buildSessions(pending, now) : this.buildInteractions(pending);
      const vanished = pending.filter((p) => !built.has(p.seq));
      if (vanished.length) {
        this.removeIfVersion(vanished);
        this.changed();
      }
      if (built.size === 0) continue;
      const out = pending.filter((p) => built.has(p.seq)).map((p) => built.get(p.seq)!);
      for (const p of pending)
        if (built.has(p.seq)) this.sent.set(p.seq, { version: p.version, kind, entityId: p.entityId });
      return out as SessionEntry[] | InteractionEntry[];
    }
    return [];
  }

  async ack(ids: readonly number[], sentAs?: SendMode): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      if (sentAs) noteSentMode(this.db, this.interactionIdsOf(ids), sentAs);
      if (this.db.prepare('SELECT 1 AS x FROM sync_dead_letters LIMIT 1').get()) {
        // delivered after all: an older refusal of the same entity no longer applies
        const clearDead = this.db.prepare(
          'DELETE FROM sync_dead_letters WHERE (entity, entity_id) IN (SELECT entity, entity_id FROM sync_outbox WHERE seq = ?)',
        );
        for (const id of ids) clearDead.run([id]);
      }
      this.removeIfVersion(ids.map((seq) => ({ seq })));
    });
    this.changed();
  }

  async retryLater(ids: readonly number[], notBefore: number, reason: string): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      const st = this.db.prepare(
        'UPDATE sync_outbox SET attempts = attempts + 1, not_before = ?, last_error = ? WHERE seq = ?',
      );
      for (const id of ids) st.run([Math.max(0, Math.floor(notBefore)), reason.slice(0, 1000), id]);
    });
    this.changed();
  }

  async deadLetter(ids: readonly number[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    const at = Date.now();
    this.db.transaction(() => {
      const get = this.db.prepare(
        'SELECT seq, entity, entity_id, enqueued_at, attempts FROM sync_outbox WHERE seq = ?',
      );
      const drop = this.db.prepare('DELETE FROM sync_dead_letters WHERE entity = ? AND entity_id = ?');
      const ins = this.db.prepare(
        'INSERT OR REPLACE INTO sync_dead_letters (seq, entity, entity_id, reason, attempts, failed_at) VALUES (?,?,?,?,?,?)',
      );
      for (const id of ids) {
        const r = get.get([id]);
        if (!r) continue;
        const expected = this.sent.get(id)?.version;
        // A newer snapshot was enqueued meanwhile: it gets its own chance; the refusal is still recorded.
        const [entity, entityId] = [String(r.entity), String(r.entity_id)];
        drop.run([entity, entityId]);
        ins.run([id, entity, entityId, reason.slice(0, 1000), Number(r.attempts), at]);
        if (expected !== undefined && Number(r.enqueued_at) !== expected) continue;
        this.db.prepare('DELETE FROM sync_outbox WHERE seq = ?').run([id]);
        this.sent.delete(id);
      }
    });
    this.changed();
  }

  async discard(ids: readonly number[], _reason: string): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => this.removeIfVersion(ids.map((seq) => ({ seq }))));
    this.changed();
  }

  async ensureSessionQueued(sessionKey: string): Promise<boolean> {
    const known = this.db.prepare('SELECT 1 AS x FROM sessions WHERE session_id = ?').get([sessionKey]);
    if (!known) return false;
    this.db.prepare(Q.ENQUEUE).run(['session', sessionKey, Date.now()]);
    this.changed();
    return true;
  }

  async requeueForMode(
    mode: SendMode,
    limit: number,
    excluded: (projectPath: string | null) => boolean,
  ): Promise<{ queued: number; more: boolean }> {
    const { queued, more, examined } = requeueForMode(this.db, mode, limit, excluded);
    if (examined > 0) this.changed();
    return { queued, more };
  }

  async stats(): Promise<{ pending: number; deadLetters: number }> {
    const n = (sql: string) => Number(this.db.prepare(sql).get()?.n ?? 0);
    return {
      pending: n('SELECT count(*) AS n FROM sync_outbox'),
      deadLetters: n('SELECT count(*) AS n FROM sync_dead_letters'),
    };
  }

  /** What the user sees: refused rows with the server's reason, newest first. */
  deadLetters(
    limit = 100,
  ): { seq: number; entity: string; entityId: string; reason: string; attempts: number; failedAt: number }[] {
    return this.db
      .prepare('SELECT * FROM sync_dead_letters ORDER BY failed_at DESC, seq DESC LIMIT ?')
      .all([limit])
      .map((r) => ({
        seq: Number(r.seq),
        entity: String(r.entity),
        entityId: String(r.entity_id),
        reason: String(r.reason),
        attempts: Number(r.attempts),
        failedAt: Number(r.failed_at),
      }));
  }

  /** Puts dead-lettered entities back in the queue (after the user fixed the cause); returns how many. */
  requeueDeadLetters(): number {
    const n = this.db.transaction(() => {
      const rows = this.db.prepare('SELECT entity, entity_id FROM sync_dead_letters').all();
      const enq = this.db.prepare(Q.ENQUEUE);
      const now = Date.now();
      for (const r of rows) enq.run([r.entity as string, r.entity_id as string, now]);
      this.db.prepare('DELETE FROM sync_dead_letters').run();
      return rows.length;
    });
    this.changed();
    return n;
  }

  /**
   * A session row carries a status computed when it is sent ('active' while it wrote something in the last five
   * minutes). A session whose last line came just before a sync would stay 'active' on the server for good, so
   * every session that crossed into idleness since the last check is queued once more (it then reads
   * 'completed'). The check time persists in meta, so sessions that went idle while nothing ran are caught too.
   */
  requeueGoneIdle(now: number): number {
    const stored = this.db.prepare("SELECT value FROM meta WHERE key = 'sync_idle_checked_at'").get()?.value;
    const setChecked = (at: number) =>
      this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('sync_idle_checked_at', ?)").run([String(at)]);
    if (stored === undefined || stored === null) {
      setChecked(now); // a store migrated without the key: start watching from now
      return 0;
    }
    const checked = Number(stored);
    if (now - checked < 1000) return 0;
    const n = this.db.transaction(() => {
      const ids = this.db
        .prepare('SELECT session_id FROM sessions WHERE last_ts > ? AND last_ts <= ?')
        .all([checked - ACTIVE_MS, now - ACTIVE_MS])
        .map((r) => String(r.session_id));
      const enq = this.db.prepare(Q.ENQUEUE);
      for (const id of ids) enq.run(['session', id, now]);
      setChecked(now);
      return ids.length;
    });
    this.changed();
    return n;
  }

  // ---- internals -------------------------------------------------------------------------------------

  /**
   * The interactions among outbox entries being acknowledged: as next() handed them out (the entry may be gone
   * already: another connection, e.g. `cct sync push`, sent and acknowledged the same version), else from the outbox.
   */
  private interactionIdsOf(seqs: readonly number[]): string[] {
    const out: string[] = [];
    const unknown: number[] = [];
    for (const seq of seqs) {
      const s = this.sent.get(seq);
      if (!s) unknown.push(seq);
      else if (s.kind === 'interaction') out.push(s.entityId);
    }
    if (unknown.length > 0) {
      const rows = this.db
        .prepare(
          "SELECT entity_id FROM sync_outbox WHERE seq IN (SELECT value FROM json_each(?)) AND +entity = 'interaction'",
        ) // by seq, not the entity index
        .all([JSON.stringify(unknown)]);
      for (const r of rows) out.push(String(r.entity_id));
    }
    return out;
  }

  /** Deletes each outbox row if it still holds the version next() handed out (unconditionally if never handed out). */
  private removeIfVersion(rows: readonly { seq: number; version?: number }[]): void {
    const byVersion = this.db.prepare('DELETE FROM sync_outbox WHERE seq = ? AND enqueued_at = ?');
    const bySeq = this.db.prepare('DELETE FROM sync_outbox WHERE seq = ?');
    for (const r of rows) {
      const v = r.version ?? this.sent.get(r.seq)?.version;
      if (v === undefined) bySeq.run([r.seq]);
      else byVersion.run([r.seq, v]);
      this.sent.delete(r.seq);
    }
  }

  private buildSessions(pending: readonly Pending[], now: number): Map<number, SessionEntry> {
    const ids = JSON.stringify(pending.map((p) => p.entityId));
    const sessions = new Map<string, SqlRow>();
    for (const r of this.db
      .prepare('SELECT * FROM sessions WHERE session_id IN (SELECT value FROM json_each(?))')
      .all([ids]))
      sessions.set(String(r.session_id), r);
    const counts = new Map<string, { n: number; minTs: number | null; maxTs: number | null; prompts: number }>();
    for (const r of this.db
      .prepare(
        `SELECT session_id, count(*) AS n, min(ts) AS min_ts, max(ts) AS max_ts, sum(kind = 'prompt' AND is_sidechain = 0) AS prompts
         FROM interactions WHERE session_id IN (SELECT value FROM json_each(?)) GROUP BY session_id`,
      )
      .all([ids]))
      counts.set(String(r.session_id), {
        n: Number(r.n),
        minTs: num(r.min_ts),
        maxTs: num(r.max_ts),
        prompts: Number(r.prompts ?? 0),
      });
    const groups = new Map<string, UsageGroupLike[]>();
    for (const g of this.usageGroups(ids)) {
      const list = groups.get(g.sessionId);
      if (list) list.push(g);
      else groups.set(g.sessionId, [g]);
    }
    const out = new Map<number, SessionEntry>();
    for (const p of pending) {
      const s = sessions.get(p.entityId);
      if (!s) continue;
      const c = counts.get(p.entityId);
      const priced = priceGroups(groups.get(p.entityId) ?? [], this.prices);
      // main model: most output tokens, then most messages
      let mainModel: string | null = null;
      let best = [-1, -1];
      for (const [model, m] of priced.byModel) {
        if (model === '(unknown)' || model === '<synthetic>') continue;
        if (m.tokens.output > best[0]! || (m.tokens.output === best[0] && m.apiMessages > best[1]!)) {
          best = [m.tokens.output, m.apiMessages];
          mainModel = model;
        }
      }
      const startMs = num(s.first_ts) ?? c?.minTs ?? num(s.updated_at) ?? 0;
      const lastMs = num(s.last_ts) ?? c?.maxTs ?? null;
      const endMs = lastMs === null ? null : Math.max(lastMs, startMs);
      const claudeCost = num(s.claude_cost_usd) ?? priced.legacyCostUsd;
      const row: SessionRow = {
        session_id: p.entityId,
        project_path: str(s.project_path) as Masked | null,
        start_time: iso(startMs),
        end_time: endMs === null ? null : iso(endMs),
        status: endMs !== null && now - endMs < ACTIVE_MS ? 'active' : 'completed',
        total_interactions: c?.n ?? 0,
        total_cost_usd: round6(priced.costUsd ?? 0),
        model: mainModel,
        input_tokens: priced.tokens.input,
        output_tokens: priced.tokens.output,
        cache_creation_input_tokens: priced.tokens.cacheCreation,
        cache_read_input_tokens: priced.tokens.cacheRead,
        // No free text in metadata (the engine sends sessions unchanged in metadata mode): ids, versions, numbers;
        // git_branch is masked like the project path. The title (derived from the conversation) stays local.
        metadata: {
          git_branch: str(s.git_branch),
          cli_version: str(s.cli_version),
          entrypoint: str(s.entrypoint),
          user_prompts: c?.prompts ?? 0,
          api_messages: priced.apiMessages,
          cache_creation_5m_tokens: priced.cache5m,
          cache_creation_1h_tokens: priced.cache1h,
          models: priced.models,
          unpriced_models: priced.unpricedModels,
          claude_cost_usd: claudeCost,
        },
      };
      out.set(p.seq, {
        id: p.seq,
        kind: 'session',
        sessionKey: p.entityId,
        projectPath: row.project_path,
        attempts: p.attempts,
        row,
      });
    }
    return out;
  }

  /** Ledger rows of the given sessions grouped by what changes the price, per UTC day (like listSessions). */
  private usageGroups(idsJson: string): UsageGroupLike[] {
    const sql = ledgerGroupsSql(
      'session_id',
      this.thresholds,
      DAY_MS,
      'WHERE session_id IN (SELECT value FROM json_each(?))',
    );
    return this.db.prepare(sql).all([idsJson]).map(usageGroupOf);
  }

  private buildInteractions(pending: readonly Pending[]): Map<number, InteractionEntry> {
    const idList = pending.map((p) => p.entityId);
    const ids = JSON.stringify(idList);
    const rows = new Map<string, SqlRow>();
    for (const r of this.db
      .prepare(
        `SELECT i.*, s.project_path AS s_project_path, s.first_ts AS s_first_ts, s.updated_at AS s_updated_at
         FROM interactions i LEFT JOIN sessions s ON s.session_id = i.session_id WHERE i.id IN (SELECT value FROM json_each(?))`,
      )
      .all([ids]))
      rows.set(String(r.id), r);

    const texts = new Map<string, { kind: string; text: string; key: string }[]>();
    for (const r of this.db
      .prepare(
        'SELECT interaction_id, kind, text, key FROM texts WHERE interaction_id IN (SELECT value FROM json_each(?)) ORDER BY interaction_id, ord, id',
      )
      .all([ids])) {
      const k = String(r.interaction_id);
      const list = texts.get(k) ?? [];
      list.push({ kind: String(r.kind), text: String(r.text), key: String(r.key) });
      texts.set(k, list);
    }

    const apiKeys = JSON.stringify(idList.filter((id) => id.startsWith('r:')).map((id) => id.slice(2)));
    const api = new Map<string, SqlRow>();
    for (const r of this.db
      .prepare('SELECT * FROM api_messages WHERE key IN (SELECT value FROM json_each(?))')
      .all([apiKeys]))
      api.set(`r:${String(r.key)}`, r);

    const tools = new Map<string, { name: string; input: unknown }[]>();
    for (const r of this.db
      .prepare(
        'SELECT interaction_id, name, input_json FROM tool_calls WHERE interaction_id IN (SELECT value FROM json_each(?)) AND name IS NOT NULL ORDER BY interaction_id, ts, id',
      )
      .all([ids])) {
      const k = String(r.interaction_id);
      const list = tools.get(k) ?? [];
      list.push({ name: String(r.name), input: parseMaskedJson(r.input_json) });
      tools.set(k, list);
    }

    // Privacy findings are counted per masked piece: the prompt row (p:<uuid>) or each text block of a response.
    const findingKeys = new Set<string>(idList);
    for (const list of texts.values()) for (const t of list) findingKeys.add(t.key);
    const findings = new Map<string, Record<string, number>>();
    for (const r of this.db
      .prepare(
        'SELECT row_key, category, count FROM privacy_findings WHERE row_key IN (SELECT value FROM json_each(?))',
      )
      .all([JSON.stringify([...findingKeys])])) {
      findings.set(String(r.row_key), {
        ...(findings.get(String(r.row_key)) ?? {}),
        [String(r.category)]: Number(r.count),
      });
    }

    const out = new Map<number, InteractionEntry>();
    for (const p of pending) {
      const i = rows.get(p.entityId);
      if (!i) continue;
      const isPrompt = String(i.kind) === 'prompt';
      const pieces = texts.get(p.entityId) ?? [];
      const categories: Record<string, number> = {};
      for (const key of [p.entityId, ...pieces.map((t) => t.key)])
        for (const [cat, n] of Object.entries(findings.get(key) ?? {})) categories[cat] = (categories[cat] ?? 0) + n;
      const a = isPrompt ? undefined : api.get(p.entityId);
      const ts = num(i.ts) ?? num(a?.ts) ?? num(i.s_first_ts) ?? num(i.s_updated_at) ?? 0;
      const model = isPrompt ? null : (str(a?.model) ?? str(i.model));
      let cost: number | null = null;
      if (a) {
        const t = {
          input: Number(a.input),
          output: Number(a.output),
          cache5m: Number(a.cache_5m),
          cache1h: Number(a.cache_1h),
          cacheRead: Number(a.cache_read),
        };
        const promptTokens = Number(a.input) + Number(a.cache_creation) + Number(a.cache_read);
        const promptAbove = longContextOf(promptTokens, this.thresholds);
        cost = costUsd(this.prices, { model, ts, speed: str(a.speed), promptAbove }, t) ?? null;
      }
      const join = (kind: string) => {
        const parts = pieces.filter((t) => t.kind === kind).map((t) => t.text);
        return parts.length ? (parts.join('\n\n') as Masked) : null;
      };
      const toolList = tools.get(p.entityId);
      const row: InteractionRow = {
        session_id: String(i.session_id),
        message_uuid: isPrompt ? interactionUuid(p.entityId.slice(2)) : interactionUuid(p.entityId),
        message_type: isPrompt ? 'user' : 'assistant',
        user_prompt: isPrompt ? join('prompt') : null,
        claude_response: isPrompt ? null : join('text'),
        tools_used: toolList?.length ? toolList : null,
        performance_metrics: a
          ? {
              speed: str(a.speed),
              cache_creation_5m_tokens: Number(a.cache_5m),
              cache_creation_1h_tokens: Number(a.cache_1h),
              claude_cost_usd: num(a.legacy_cost_usd),
            }
          : null,
        context_analysis: {
          sidechain: Number(i.is_sidechain) === 1,
          agent_id: str(i.agent_id),
          cli_version: str(i.cc_version),
          thinking_blocks: pieces.filter((t) => t.kind === 'thinking').length,
        },
        privacy_status: { masked: true, findings: categories },
        model,
        input_tokens: a ? Number(a.input) : 0,
        output_tokens: a ? Number(a.output) : 0,
        cache_creation_input_tokens: a ? Number(a.cache_creation) : 0,
        cache_read_input_tokens: a ? Number(a.cache_read) : 0,
        cost_usd: cost === null ? null : round6(cost),
        occurred_at: iso(ts),
      };
      out.set(p.seq, {
        id: p.seq,
        kind: 'interaction',
        sessionKey: row.session_id,
        projectPath: str(i.s_project_path),
        attempts: p.attempts,
        row,
      });
    }
    return out;
  }
}

function num(v: SqlValue | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}
function str(v: SqlValue | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}
function iso(ms: number): string {
  return new Date(ms).toISOString();
}
/** numeric(14, 6) on the server: send what it stores, so a re-sent row compares equal. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
/** Tool inputs are stored as masked JSON text; parse it back (masking keeps JSON valid), else keep the text. */
function parseMaskedJson(v: SqlValue | undefined): unknown {
  if (v === null || v === undefined) return null;
  const s = String(v);
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
