/**
 * The host side of the webview tests: answers the dashboard's RPC requests from a REAL store built by the real
 * pipeline (tailer, Privacy Guard, SQLite) from the real-CLI fixtures. The answers take the protocol's shapes;
 * paging, sorting and filtering are done here simply (the host's SQL is tested in its own tier).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Collector } from '../../src/core/collector/collector';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { createPrivacyGuard } from '../../src/core/privacy';
import type { ExportItem } from '../../src/core/reports/exportConversation';
import { listSessions, type SessionSummaryJson } from '../../src/core/sessions/listSessions';
import { NodeFileTailer } from '../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../src/infra/fs/transcriptDiscovery';
import { Store } from '../../src/infra/sqlite/store';
import type {
  SearchGroup,
  SearchParams,
  SessionHeader,
  SessionRow,
  SessionsQueryParams,
  SessionTurnsParams,
  StatusDetails,
  StatusSnapshot,
  ToolCall,
  Turn,
} from '../../src/shared/protocol';
import { REPO_ROOT } from '../helpers/repo';

export type Handler = (params: Record<string, unknown>) => unknown | Promise<unknown>;
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: 'notFound' | 'invalidParams' | 'internal' = 'internal',
  ) {
    super(message);
  }
}

const PREVIEW = 2000;

export function statusSnapshot(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    extensionVersion: '9.8.7',
    locale: 'en',
    activationMs: 3.25,
    roots: [
      { path: '/home/dev/.claude', exists: true },
      { path: '/home/dev/.config/claude', exists: false },
    ],
    storeBackend: 'node:sqlite',
    storePath: '/home/dev/.local/share/claude-tracer/store.db',
    totals: { sessions: 14, interactions: 120, apiMessages: 60 },
    ingest: { state: 'idle', progress: null, lastScanAt: '2026-11-28T10:00:00.000Z', lastScanMs: 840, message: null },
    liveSession: null,
    generatedAt: '2026-11-28T10:00:00.000Z',
    ...over,
  };
}

function toRow(s: SessionSummaryJson, items: ExportItem[] | undefined): SessionRow {
  const start = s.startTime ? Date.parse(s.startTime) : null;
  const end = s.endTime ? Date.parse(s.endTime) : null;
  const first = items?.find((i) => i.kind === 'prompt' && !i.isSidechain)?.texts[0]?.text ?? null;
  const errors = items?.reduce((n, i) => n + i.toolCalls.filter((c) => c.isError).length, 0) ?? 0;
  const findings = items?.reduce((n, i) => n + i.texts.filter((t) => /REDACTED|«/.test(t.text)).length, 0) ?? 0;
  return {
    sessionId: s.sessionId,
    projectPath: s.projectPath,
    firstPrompt: s.title ?? (first ? first.slice(0, 200) : null),
    startMs: start,
    endMs: end,
    durationMs: start !== null && end !== null ? end - start : null,
    turns: s.userPrompts,
    apiMessages: s.apiMessages,
    tokens: {
      input: s.tokens.input,
      output: s.tokens.output,
      cacheWrite: s.tokens.cacheCreation,
      cacheRead: s.tokens.cacheRead,
    },
    costUsd: s.costUsd,
    unpricedModels: s.unpricedModels,
    models: s.models,
    live: false,
    sync: 'clean',
    findings,
    errors,
  };
}

function cut(text: string | null): { text: string | null; truncated: boolean } {
  if (text === null) return { text: null, truncated: false };
  return text.length > PREVIEW ? { text: text.slice(0, PREVIEW), truncated: true } : { text, truncated: false };
}

function toToolCall(c: ExportItem['toolCalls'][number], items: ExportItem[], full = false): ToolCall {
  const input = full ? { text: c.inputJson, truncated: false } : cut(c.inputJson);
  const result = full ? { text: c.result, truncated: false } : cut(c.result);
  const sub = c.subagentId ? items.filter((i) => i.agentId === c.subagentId) : [];
  return {
    id: c.id,
    name: c.name,
    input: input.text,
    inputTruncated: input.truncated,
    result: result.text,
    resultTruncated: result.truncated,
    isError: c.isError,
    durationMs: c.durationMs,
    subagent: c.subagentId ? { agentId: c.subagentId, type: null, items: sub.length } : null,
  };
}

function toTurns(items: ExportItem[], all: ExportItem[]): Turn[] {
  return items.map((i, index) => ({
    id: i.id,
    index,
    kind: i.kind,
    ts: i.ts,
    model: i.model,
    isSidechain: i.isSidechain,
    agentId: i.agentId,
    texts: i.texts
      .filter((t) => t.kind !== 'tool')
      .map((t) => ({
        kind: (t.kind === 'thinking' ? 'thinking' : 'text') as 'text' | 'thinking',
        text: t.text,
        truncated: false,
        fullLength: t.text.length,
      })),
    toolCalls: i.toolCalls.map((c) => toToolCall(c, all)),
    tokens: null,
    costUsd: null,
    unpriced: false,
    latencyMs: index > 0 && i.ts !== null && items[index - 1]?.ts != null ? i.ts - (items[index - 1]?.ts ?? 0) : null,
    hasError: i.toolCalls.some((c) => c.isError),
  }));
}

/** Case-insensitive occurrences of each query word in text, as [start, end) ranges. */
export function wordRanges(text: string, query: string): [number, number][] {
  const out: [number, number][] = [];
  const lower = text.toLowerCase();
  for (const w of query.toLowerCase().split(/\s+/).filter(Boolean)) {
    for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + w.length)) out.push([at, at + w.length]);
  }
  return out;
}

export class FixtureHost {
  readonly handlers = new Map<string, Handler>();
  /** Every request the webview made, in order (method + params), for round-trip assertions. */
  readonly requests: { method: string; params: Record<string, unknown> }[] = [];
  private constructor(
    private readonly root: string,
    private readonly store: Store,
    readonly sessions: SessionSummaryJson[],
    private readonly items: Map<string, ExportItem[]>,
  ) {
    this.installDefaults();
  }

  static async open(): Promise<FixtureHost> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-webview-'));
    const store = await Store.open(path.join(root, 'store.db'), 'node:sqlite');
    const guard = createPrivacyGuard({ hmacKey: 'webview-test-key-0123456789abcdef' });
    const collector = new Collector(store, fsTranscriptSource, new NodeFileTailer({}), guard);
    await collector.scan([path.join(REPO_ROOT, 'test', 'fixtures', 'claude', 'cli')]);
    const sessions = listSessions(store, PriceTable.builtin());
    const items = new Map(sessions.map((s) => [s.sessionId, store.conversation(s.sessionId)]));
    return new FixtureHost(root, store, sessions, items);
  }

  rows(): SessionRow[] {
    return this.sessions.map((s) => toRow(s, this.items.get(s.sessionId)));
  }

  private installDefaults(): void {
    this.handlers.set('sessions/query', (raw) => {
      const p = raw as unknown as SessionsQueryParams;
      let rows = this.rows();
      const f = p.filters;
      if (f.project) rows = rows.filter((r) => r.projectPath?.toLowerCase().includes(f.project!.toLowerCase()));
      if (f.model) rows = rows.filter((r) => r.models.includes(f.model!));
      if (f.hasErrors) rows = rows.filter((r) => r.errors > 0);
      if (f.status) rows = rows.filter((r) => (f.status === 'live') === r.live);
      if (f.sinceMs !== undefined) rows = rows.filter((r) => (r.endMs ?? 0) >= f.sinceMs!);
      if (f.untilMs !== undefined) rows = rows.filter((r) => (r.startMs ?? 0) < f.untilMs!);
      const key = (r: SessionRow): number =>
        p.sort.by === 'cost'
          ? (r.costUsd ?? -1)
          : p.sort.by === 'tokens'
            ? r.tokens.input + r.tokens.output + r.tokens.cacheRead + r.tokens.cacheWrite
            : p.sort.by === 'duration'
              ? (r.durationMs ?? -1)
              : (r.startMs ?? 0);
      rows.sort((a, b) => (p.sort.dir === 'asc' ? key(a) - key(b) : key(b) - key(a)));
      return { rows: rows.slice(p.offset, p.offset + p.limit), total: rows.length };
    });
    this.handlers.set('session/get', (raw) => {
      const id = String(raw.sessionId);
      const s = this.sessions.find((x) => x.sessionId === id);
      if (!s) throw new HostError(`no session ${id}`, 'notFound');
      const items = this.items.get(id) ?? [];
      const header: SessionHeader = {
        ...toRow(s, items),
        title: s.title,
        gitBranch: s.gitBranch,
        cwd: s.projectPath,
        cliVersion: s.cliVersion,
        entrypoint: s.entrypoint,
        claudeCostUsd: s.claudeCostUsd,
        toolCalls: Object.values(s.toolCalls).reduce((a, b) => a + b, 0),
        findingsByCategory: {},
        timelineItems: items.filter((i) => i.agentId === null).length,
        related: [],
      };
      return header;
    });
    this.handlers.set('session/turns', (raw) => {
      const p = raw as unknown as SessionTurnsParams;
      const all = this.items.get(p.sessionId);
      if (!all) throw new HostError(`no session ${p.sessionId}`, 'notFound');
      const timeline = all.filter((i) => (p.agentId ? i.agentId === p.agentId : i.agentId === null));
      const turns = toTurns(timeline, all);
      return { turns: turns.slice(p.offset, p.offset + p.limit), total: turns.length };
    });
    this.handlers.set('session/toolCall', (raw) => {
      const all = this.items.get(String(raw.sessionId)) ?? [];
      for (const i of all) for (const c of i.toolCalls) if (c.id === raw.toolCallId) return toToolCall(c, all, true);
      throw new HostError('no such tool call', 'notFound');
    });
    this.handlers.set('search', (raw) => {
      const p = raw as unknown as SearchParams;
      const hits = this.store.search(p.query, p.limit);
      const groups = new Map<string, SearchGroup>();
      for (const h of hits) {
        const s = this.sessions.find((x) => x.sessionId === h.sessionId);
        if (p.filters.project && !s?.projectPath?.toLowerCase().includes(p.filters.project.toLowerCase())) continue;
        const item = this.items.get(h.sessionId)?.find((i) => i.id === h.interactionId);
        const g = groups.get(h.sessionId) ?? {
          sessionId: h.sessionId,
          projectPath: s?.projectPath ?? null,
          firstPrompt: s?.title ?? null,
          startMs: s?.startTime ? Date.parse(s.startTime) : null,
          hits: [],
        };
        const text = h.text.slice(0, 300);
        g.hits.push({
          interactionId: `${h.interactionId}:${g.hits.length}`,
          role: item?.kind ?? 'prompt',
          at: item?.ts ?? null,
          snippet: { text, highlights: wordRanges(text, p.query) },
        });
        groups.set(h.sessionId, g);
      }
      return { groups: [...groups.values()], engine: 'fts5' };
    });
    this.handlers.set(
      'status/get',
      (): StatusDetails => ({
        snapshot: statusSnapshot(),
        store: { sizeBytes: 3_456_789, schemaVersion: 9, fts: { engine: 'fts5', writable: true } },
        skipped: [{ reason: 'invalid-json', lines: 2, files: 1 }],
        unpricedModels: ['<synthetic>'],
        sync: {
          pending: 3,
          deadLetters: [
            { entity: 'session', entityId: 's-1', reason: 'row too large', attempts: 5, failedAt: 1_764_000_000_000 },
          ],
        },
      }),
    );
  }

  async answer(
    method: string,
    params: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: { message: string; code?: string } }> {
    this.requests.push({ method, params: params as Record<string, unknown> });
    const h = this.handlers.get(method);
    if (!h) return { ok: false, error: { message: `unknown method ${method}`, code: 'unknownMethod' } };
    try {
      return { ok: true, result: await h(params as Record<string, unknown>) };
    } catch (e) {
      return {
        ok: false,
        error: {
          message: e instanceof Error ? e.message : String(e),
          code: e instanceof HostError ? e.code : 'internal',
        },
      };
    }
  }

  close(): void {
    this.store.close();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
