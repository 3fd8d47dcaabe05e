import { apiMessageKey, isNonBillable } from '../accounting/dedupeKey';
import { tokensFromUsage } from '../accounting/tokens';
import { countFindings, type Masked, type MaskedJson, type Masker, type RuleCounts } from '../privacy/masker';
import type {
  AiTitleRecord,
  AssistantRecord,
  CostStateRecord,
  CustomTitleRecord,
  SummaryRecord,
  SystemRecord,
  TranscriptRecord,
  UserRecord,
} from '../transcript/records';
import type { TranscriptFileInfo } from '../transcript/transcriptFile';
import { DriftTally, driftVersion, isDriftReason } from './formatDrift';
import { emptyBatch, type IngestBatch, type SessionFacts } from './rows';

/**
 * Turns parsed records of ONE file into masked rows (the store does the global dedupe on natural keys).
 * Stateless across lines except for the file's session context, so re-reading any byte range is safe.
 */
export class Normalizer {
  private batch: IngestBatch = emptyBatch();
  /** Counts of lines we read but did not count (synthetic/API-error lines, for the skipped histogram). */
  readonly notCounted = new Map<string, number>();
  /** Lines among those that the format drifted under (formatDrift.ts), with their versions and offsets. */
  readonly drift = new DriftTally();
  private lastSessionId: string | undefined;

  constructor(
    private readonly masker: Masker,
    private readonly file: TranscriptFileInfo,
  ) {
    this.lastSessionId = file.sessionId;
  }

  /** The subagent file's meta links it to the Agent tool call that spawned it. */
  link(l: { toolUseId: string; agentId: string; agentType?: string; file: string }): void {
    this.batch.subagentLinks.push(l);
  }

  take(): IngestBatch {
    const b = this.batch;
    this.batch = emptyBatch();
    return b;
  }

  accept(record: TranscriptRecord, byteOffset: number): void {
    switch (record.type) {
      case 'user':
        this.user(record as UserRecord, byteOffset);
        break;
      case 'assistant':
        this.assistant(record as AssistantRecord, byteOffset);
        break;
      case 'system':
        this.system(record as SystemRecord, byteOffset);
        break;
      case 'summary':
        this.summary(record as SummaryRecord);
        break;
      case 'cost-state':
        this.costState(record as CostStateRecord);
        break;
      case 'ai-title':
        this.title((record as AiTitleRecord).sessionId, (record as AiTitleRecord).aiTitle, 2);
        break;
      case 'custom-title':
        this.title((record as CustomTitleRecord).sessionId, (record as CustomTitleRecord).customTitle, 3);
        break;
    }
  }

  // ---- records ---------------------------------------------------------------------------------------

  private user(r: UserRecord, byteOffset: number): void {
    const sessionId = this.sessionOf(r.sessionId);
    if (!sessionId) {
      this.count('no_session', r.version, byteOffset);
      return;
    }
    const ts = toMs(r.timestamp);
    this.touch(sessionId, r, ts);
    const place = this.placement(r, sessionId, byteOffset);
    const content = r.message.content;
    if (Array.isArray(content)) {
      let sawResult = false;
      for (const block of content) {
        if (!isObj(block) || block.type !== 'tool_result' || typeof block.tool_use_id !== 'string') continue;
        sawResult = true;
        const masked = this.maskText(`tr:${block.tool_use_id}`, sessionId, resultText(block.content));
        this.batch.toolResults.push({
          toolUseId: block.tool_use_id,
          sessionId,
          originSession: place.originSession,
          result: masked,
          isError: block.is_error === true,
          ts,
        });
      }
      if (sawResult) return; // a tool-result carrier, not a prompt
    }
    if (!r.uuid || !isRealPrompt(r)) return;
    const text = promptText(content);
    const id = `p:${r.uuid}`;
    this.batch.prompts.push({ ...place, id, ts });
    this.batch.texts.push({
      key: `${r.uuid}:p`,
      interactionId: id,
      ord: 0,
      kind: 'prompt',
      text: this.maskText(id, sessionId, text),
    });
  }

  private assistant(r: AssistantRecord, byteOffset: number): void {
    const sessionId = this.sessionOf(r.sessionId);
    if (!sessionId) {
      this.count('no_session', r.version, byteOffset);
      return;
    }
    const ts = toMs(r.timestamp);
    this.touch(sessionId, r, ts);
    const m = r.message;
    if (isNonBillable(m.model, r.isApiErrorMessage)) {
      this.count('synthetic_or_api_error');
      return;
    }
    const key = apiMessageKey(m.id, r.requestId);
    if (!key) {
      this.count('assistant_without_message_id', r.version, byteOffset);
      return;
    }
    const place = this.placement(r, sessionId, byteOffset);
    const interactionId = `r:${key}`;
    const t = tokensFromUsage(m.usage);
    this.batch.apiMessages.push({
      ...place,
      key,
      interactionId,
      messageId: m.id!,
      requestId: r.requestId ?? undefined,
      ts,
      model: m.model ?? undefined,
      speed: m.usage?.speed ?? undefined,
      input: t.input,
      output: t.output,
      cache5m: t.cache5m,
      cache1h: t.cache1h,
      cacheCreation: t.cacheCreation,
      cacheRead: t.cacheRead,
      lineUuid: r.uuid ?? undefined,
      entrypoint: r.entrypoint ?? undefined,
      legacyCostUsd: typeof r.costUSD === 'number' ? r.costUSD : undefined,
    });
    const blocks = Array.isArray(m.content)
      ? m.content
      : typeof m.content === 'string'
        ? [{ type: 'text', text: m.content }]
        : [];
    // Old CLIs put several blocks on one line; new ones one block per line with apiBlockIndex.
    const base = typeof r.apiBlockIndex === 'number' ? r.apiBlockIndex : 0;
    const lineKey = r.uuid ?? `${this.file.path}@${byteOffset}`;
    blocks.forEach((block, i) => {
      if (!isObj(block)) return;
      const ord = base + i;
      if (block.type === 'text' && typeof block.text === 'string') {
        this.batch.texts.push({
          key: `${lineKey}:${i}`,
          interactionId,
          ord,
          kind: 'text',
          text: this.maskText(`${lineKey}:${i}`, sessionId, block.text),
        });
      } else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking) {
        this.batch.texts.push({
          key: `${lineKey}:${i}`,
          interactionId,
          ord,
          kind: 'thinking',
          text: this.maskText(`${lineKey}:${i}`, sessionId, block.thinking),
        });
      } else if ((block.type === 'tool_use' || block.type === 'server_tool_use') && typeof block.id === 'string') {
        const { value, counts, rules } = this.masker.maskJson(block.input ?? {});
        this.addFindings(`tc:${block.id}`, sessionId, counts, rules);
        this.batch.toolCalls.push({
          ...place,
          id: block.id,
          interactionId,
          name: typeof block.name === 'string' ? block.name : '?',
          inputJson: stringifyMasked(value),
          ts,
        });
      }
    });
  }

  private system(r: SystemRecord, byteOffset: number): void {
    const sessionId = this.sessionOf(r.sessionId);
    if (!sessionId) return;
    // Not a first time: a session starts with a message, and a file of system lines alone makes no session.
    const ts = toMs(r.timestamp);
    this.touch(sessionId, r, ts, false);
    if (r.subtype === 'local_command' && r.commandRun?.command === 'clear' && r.isSidechain !== true)
      this.batch.clearStarts.push({ sessionId, ts });
    if (r.subtype === 'compact_boundary' && r.uuid) {
      const meta = r.compactMetadata;
      const trigger = meta?.trigger === 'manual' || meta?.trigger === 'auto' ? meta.trigger : undefined;
      this.batch.compactions.push({
        ...this.placement(r, sessionId, byteOffset),
        id: `c:${r.uuid}`,
        ts,
        trigger,
        preTokens: tokenCount(meta?.preTokens),
        postTokens: tokenCount(meta?.postTokens),
      });
    }
  }

  /** Titles the file's session; the store drops it when the file has no messages (queries.ts UPSERT_SESSION). */
  private summary(r: SummaryRecord): void {
    const sessionId = this.lastSessionId;
    if (sessionId && this.file.kind === 'main') this.title(sessionId, r.summary, 1);
  }

  private costState(r: CostStateRecord): void {
    const sessionId = this.sessionOf(r.sessionId);
    if (!sessionId) return;
    const facts = this.facts(sessionId);
    // Cumulative and restored on resume: the last record wins.
    facts.claudeCostUsd = r.totalCostUSD;
    facts.claudeCostUnknown = r.hasUnknownModelCost === true;
    if (typeof r.totalLinesAdded === 'number') facts.claudeLinesAdded = r.totalLinesAdded;
    if (typeof r.totalLinesRemoved === 'number') facts.claudeLinesRemoved = r.totalLinesRemoved;
    if (r.modelUsage) facts.claudeModelUsage = stringifyMasked(this.masker.maskJson(r.modelUsage).value);
  }

  private title(sid: string | null | undefined, text: string, rank: number): void {
    const sessionId = this.sessionOf(sid);
    if (!sessionId) return;
    const facts = this.facts(sessionId);
    if ((facts.titleRank ?? 0) > rank) return;
    facts.title = this.maskText(`title:${sessionId}`, sessionId, text);
    facts.titleRank = rank;
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private sessionOf(sid: string | null | undefined): string | undefined {
    if (sid) this.lastSessionId = sid;
    return sid || this.lastSessionId;
  }

  private placement(r: UserRecord | AssistantRecord | SystemRecord, sessionId: string, byteOffset: number) {
    return {
      sessionId,
      originSession: r.requestSessionId || sessionId,
      isSidechain: r.isSidechain === true || this.file.kind !== 'main',
      agentId: r.agentId ?? this.file.agentId,
      sourceFile: this.file.path,
      byteOffset,
      ccVersion: r.version ?? undefined,
    };
  }

  private facts(sessionId: string): SessionFacts {
    let f = this.batch.sessions.get(sessionId);
    if (!f) {
      f = { sessionId };
      this.batch.sessions.set(sessionId, f);
    }
    return f;
  }

  /**
   * `message`: the record is a user or assistant message, whose time may start the session. Only facts with a first
   * time create a session row (queries.ts UPSERT_SESSION); the rest update one that exists.
   */
  private touch(
    sessionId: string,
    r: UserRecord | AssistantRecord | SystemRecord,
    ts: number | undefined,
    message = true,
  ): void {
    const f = this.facts(sessionId);
    if (ts !== undefined) {
      if (message && (f.firstTs === undefined || ts < f.firstTs)) f.firstTs = ts;
      if (f.lastTs === undefined || ts >= f.lastTs) {
        f.lastTs = ts;
        if (r.version) f.cliVersion = r.version;
        if (r.gitBranch && f.gitBranch === undefined) f.gitBranch = this.maskPlain(r.gitBranch);
      }
    }
    if (r.cwd && f.projectPath === undefined && r.isSidechain !== true) f.projectPath = this.maskPlain(r.cwd);
    if (r.entrypoint && f.entrypoint === undefined) f.entrypoint = r.entrypoint;
    if (r.gitBranch && f.gitBranch === undefined) f.gitBranch = this.maskPlain(r.gitBranch);
  }

  /** Paths and branch names: masked (they can hold user names), findings not tied to a row. */
  private maskPlain(text: string): Masked {
    return this.masker.maskText(text).text;
  }

  private maskText(rowKey: string, sessionId: string, text: string): Masked {
    const r = this.masker.maskText(text);
    if (r.findings.length > 0) {
      const { counts, rules } = countFindings(r.findings);
      this.addFindings(rowKey, sessionId, counts, rules);
    }
    return r.text;
  }

  private addFindings(rowKey: string, sessionId: string, counts: Record<string, number>, rules: RuleCounts): void {
    for (const _ in counts) {
      this.batch.findings.push({ rowKey, sessionId, counts, rules });
      return;
    }
  }

  /** `version` and `byteOffset` for lines the format drifted under (a field ingest needs is missing). */
  private count(reason: string, version?: string | null, byteOffset?: number): void {
    this.notCounted.set(reason, (this.notCounted.get(reason) ?? 0) + 1);
    if (byteOffset !== undefined && isDriftReason(reason)) this.drift.note(reason, driftVersion(version), byteOffset);
  }
}

/**
 * A prompt the human (or the SDK caller) sent — not harness text (docs/TRANSCRIPTS.md §5): isMeta lines, compact
 * summaries, tool-result carriers, slash-command wrappers, local-command output, task notifications and
 * interrupt markers are not prompts. Subagent prompts (sidechain) are kept as text but are not user prompts
 * (the store counts only non-sidechain ones).
 */
const WRAPPER_PREFIXES = [
  '<command-name>',
  '<command-message>',
  '<local-command-',
  '<task-notification>',
  '[Request interrupted',
];

export function isRealPrompt(r: UserRecord): boolean {
  if (r.isMeta === true || r.isCompactSummary === true) return false;
  if ((r as { isVisibleInTranscriptOnly?: unknown }).isVisibleInTranscriptOnly === true) return false;
  if (r.origin?.kind === 'task-notification') return false;
  const text = promptText(r.message.content).trimStart();
  if (!text) return false;
  return !WRAPPER_PREFIXES.some((p) => text.startsWith(p));
}

function promptText(content: string | unknown[]): string {
  if (typeof content === 'string') return content;
  const parts: string[] = [];
  for (const b of content) {
    if (!isObj(b)) continue;
    if (b.type === 'text' && typeof b.text === 'string') parts.push(b.text);
    else if (b.type === 'image') parts.push('[image]');
  }
  return parts.join('\n');
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content == null ? '' : JSON.stringify(content);
  const parts: string[] = [];
  for (const b of content) {
    if (isObj(b) && b.type === 'text' && typeof b.text === 'string') parts.push(b.text);
    else if (isObj(b) && b.type === 'image') parts.push('[image]');
  }
  return parts.join('\n');
}

/** JSON text of an already-masked value: every string in it came out of the Masker, keys are schema keys. */
export function stringifyMasked(value: MaskedJson<unknown>): Masked {
  return JSON.stringify(value) as Masked;
}

function toMs(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A token count from compactMetadata, or undefined when absent or not a count. */
function tokenCount(n: number | null | undefined): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
