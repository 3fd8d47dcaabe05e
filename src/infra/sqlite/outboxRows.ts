import { costUsd } from '../../core/pricing/cost';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { Masked } from '../../core/privacy/masker';
import { priceGroups, type UsageGroupLike } from '../../core/sessions/sessionSummary';
import type { InteractionEntry, SessionEntry } from '../../core/sync/ports';
import { type InteractionRow, interactionUuid, type RemoteSessionRow } from '../../core/sync/rows';
import type { SqlDriver, SqlRow, SqlValue } from './driver';
import { longContextOf } from './longContext';
import { machineId } from './machineId';
import { ACTIVE_MS, type PendingEntry } from './outboxQueue';
import { gitSyncFields, NO_GIT_FIELDS } from './sessionGitSync';
import { num, str } from './sqlValues';
import { ledgerGroupsSql, usageGroupOf } from './usageReads';

const DAY_MS = 86_400_000;

/**
 * Builds the rows the sync sends from the store at read time, so a row always carries the entity's latest state.
 * Every text column comes from the store as written — already masked (type Masked); nothing here unmasks. The
 * sync mode (metadata / full) is applied later by the SyncEngine (projectInteraction), which gets the full row.
 */
export class OutboxRowBuilder {
  constructor(
    private readonly db: SqlDriver,
    private readonly prices: PriceTable,
    /** Long-context tiers of the price table (longContextTiers). */
    private readonly tiers: readonly number[],
  ) {}

  private machine: string | undefined;

  /** Read once per builder: every session row of a batch carries the same id. */
  private machineId(): string {
    if (this.machine === undefined) this.machine = machineId(this.db);
    return this.machine;
  }

  /** Session rows: the sessions row with its interaction counts and priced ledger totals, as of now. */
  sessions(pending: readonly PendingEntry[], now: number): Map<number, SessionEntry> {
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
    for (const g of this.usageGroups(ids)) pushTo(groups, g.sessionId, g);
    const git = gitSyncFields(
      this.db,
      pending.map((p) => p.entityId),
    );
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
      const row: RemoteSessionRow = {
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
        // `machine`: this store's random machine id (machineId.ts, never the host name), so the dashboard's "All my
        // machines" search says where a result came from.
        metadata: {
          machine: this.machineId(),
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
        // repository (masked remote), branch, HEADs, commit shas, pull requests: sessionGitSync.ts
        ...(git.get(p.entityId) ?? NO_GIT_FIELDS),
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
      this.tiers,
      DAY_MS,
      'WHERE session_id IN (SELECT value FROM json_each(?))',
    );
    return this.db.prepare(sql).all([idsJson]).map(usageGroupOf);
  }

  /** Interaction rows: the interaction with its texts, usage, price, tool calls and finding counts. */
  interactions(pending: readonly PendingEntry[]): Map<number, InteractionEntry> {
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
      .all([ids]))
      pushTo(texts, String(r.interaction_id), { kind: String(r.kind), text: String(r.text), key: String(r.key) });

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
      .all([ids]))
      pushTo(tools, String(r.interaction_id), { name: String(r.name), input: parseMaskedJson(r.input_json) });

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
        const promptAbove = longContextOf(promptTokens, this.tiers);
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

function pushTo<K, V>(m: Map<K, V[]>, key: K, value: V): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}
