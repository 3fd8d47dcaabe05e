import * as path from 'node:path';

/** What a transcript file is, from its path alone (docs/TRANSCRIPTS.md §1). */
export type TranscriptFileKind = 'main' | 'subagent' | 'legacy-agent';

export interface TranscriptFileInfo {
  path: string;
  kind: TranscriptFileKind;
  /** Session the file belongs to, when its path says so (main: its name; subagent: the parent dir). */
  sessionId?: string;
  agentId?: string;
  /** `agent-<id>.meta.json` next to a subagent file. */
  metaPath?: string;
}

const AGENT_RE = /^agent-(.+)\.jsonl$/;

/** Classifies `projects/<enc>/…` paths; returns undefined for anything that is not a transcript. */
export function classifyTranscriptPath(p: string): TranscriptFileInfo | undefined {
  const base = path.basename(p);
  if (!base.endsWith('.jsonl')) return undefined;
  const agent = AGENT_RE.exec(base);
  // <sid>/subagents/agent-*.jsonl, or deeper under it (subagents/workflows/<wf>/agent-*.jsonl)
  const parts = path.dirname(p).split(/[\\/]/);
  const sub = parts.lastIndexOf('subagents');
  if (agent && sub > 0) {
    return {
      path: p,
      kind: 'subagent',
      agentId: agent[1]!,
      sessionId: parts[sub - 1]!,
      metaPath: `${p.slice(0, -'.jsonl'.length)}.meta.json`,
    };
  }
  if (agent) return { path: p, kind: 'legacy-agent', agentId: agent[1]! };
  if (base === 'journal.jsonl') return undefined; // workflow journals are not transcripts
  return { path: p, kind: 'main', sessionId: base.slice(0, -'.jsonl'.length) };
}

/** Files Claude Code keeps that hold credentials or raw file copies: never opened, whatever a root points at. */
export function isForbiddenPath(p: string): boolean {
  const norm = path.sep === '/' ? p : p.split(path.sep).join('/');
  const base = path.basename(norm);
  return (
    base === '.claude.json' ||
    base === '.credentials.json' ||
    /\/sessions\/[^/]*\.key$/.test(norm) ||
    /(^|\/)file-history(\/|$)/.test(norm) ||
    /\/ide\/[^/]*\.lock$/.test(norm)
  );
}
