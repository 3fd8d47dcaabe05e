import { globToRegExp, isExcluded } from '../sync/policy';
import type { IngestBatch } from './rows';

/**
 * Projects the user does not want tracked (`claudeTracer.tracking.excludeProjects`): every row of their sessions is
 * dropped from a batch before it reaches the store, while the file cursors still advance, so those lines are never
 * ingested (Rebuild Index reads them once the exclusion is removed). A session is judged by the project path its
 * lines carry (masked as stored); a chunk that names none (a line without `cwd`) asks the store.
 */
export class ProjectExclusion {
  private readonly globs: RegExp[];
  private readonly decided = new Map<string, boolean>();
  /** Rows left out, for the scan's log line. */
  dropped = 0;

  constructor(
    globs: readonly string[],
    private readonly storedProjectPath: (sessionId: string) => string | null | undefined,
  ) {
    this.globs = globs.filter((g) => g.trim()).map(globToRegExp);
  }

  get active(): boolean {
    return this.globs.length > 0;
  }

  private excluded(sessionId: string, projectPath: string | undefined): boolean {
    let d = this.decided.get(sessionId);
    if (d === undefined) {
      const p = projectPath ?? this.storedProjectPath(sessionId) ?? null;
      d = isExcluded(p, this.globs);
      // undecided sessions (no path yet) are asked again with the next chunk
      if (p !== null) this.decided.set(sessionId, d);
    }
    return d;
  }

  /** The batch without the rows of excluded projects (the same object when nothing is excluded). */
  filter(batch: IngestBatch): IngestBatch {
    if (!this.active) return batch;
    const out = new Set<string>();
    for (const [id, facts] of batch.sessions) if (this.excluded(id, facts.projectPath)) out.add(id);
    const rowSessions = [
      ...batch.prompts.map((r) => r.sessionId),
      ...batch.apiMessages.map((r) => r.sessionId),
      ...batch.toolCalls.map((r) => r.sessionId),
      ...batch.toolResults.map((r) => r.sessionId),
      ...batch.findings.map((r) => r.sessionId),
      ...batch.compactions.map((r) => r.sessionId),
      ...batch.clearStarts.map((r) => r.sessionId),
    ];
    for (const id of new Set(rowSessions)) if (!out.has(id) && this.excluded(id, undefined)) out.add(id);
    if (out.size === 0) return batch;
    const interactions = new Set([
      ...batch.prompts.filter((r) => out.has(r.sessionId)).map((r) => r.id),
      ...batch.apiMessages.filter((r) => out.has(r.sessionId)).map((r) => r.interactionId),
    ]);
    const toolUses = new Set(batch.toolCalls.filter((r) => out.has(r.sessionId)).map((r) => r.id));
    const keep = <T>(rows: T[], drop: (r: T) => boolean): T[] => {
      const kept = rows.filter((r) => !drop(r));
      this.dropped += rows.length - kept.length;
      return kept;
    };
    return {
      sessions: new Map([...batch.sessions].filter(([id]) => !out.has(id))),
      prompts: keep(batch.prompts, (r) => out.has(r.sessionId)),
      apiMessages: keep(batch.apiMessages, (r) => out.has(r.sessionId)),
      texts: keep(batch.texts, (r) => interactions.has(r.interactionId)),
      toolCalls: keep(batch.toolCalls, (r) => out.has(r.sessionId)),
      toolResults: keep(batch.toolResults, (r) => out.has(r.sessionId)),
      subagentLinks: keep(batch.subagentLinks, (r) => toolUses.has(r.toolUseId)),
      findings: keep(batch.findings, (r) => out.has(r.sessionId)),
      compactions: keep(batch.compactions, (r) => out.has(r.sessionId)),
      clearStarts: keep(batch.clearStarts, (r) => out.has(r.sessionId)),
    };
  }
}
