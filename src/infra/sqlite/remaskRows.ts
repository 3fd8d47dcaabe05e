import { countFindings, type Masked, type MaskedText, type RuleCounts } from '../../core/privacy/masker';
import { fsRealPath } from '../fs/realPath';
import { relativizeFiles } from './codeContextStore';
import type { FtsEngine, SqlDriver, SqlRow } from './driver';
import * as Q from './queries';
import { writeSessionFiles } from './sessionFiles';
import { gitSyncSnapshot } from './sessionGitSync';

/**
 * The re-mask's row work, per phase (remask.ts runs the batches): which rows each phase reads, how one row is masked
 * again and written back (FTS in step, findings counted, changed synced rows queued), in the order texts, tool calls,
 * sessions.
 */

/** What the re-mask needs of the Privacy Guard. */
export interface Remasker {
  remaskText(stored: string): MaskedText;
  remaskJson(storedJson: string): { text: Masked; counts: Record<string, number>; rules: RuleCounts };
}

export const PHASES = ['texts', 'tool_calls', 'sessions'] as const;
export type Phase = (typeof PHASES)[number];

export const READ: Record<Phase, string> = {
  texts: `SELECT t.id AS k, t.key, t.interaction_id, t.kind, t.text, i.session_id FROM texts t
    LEFT JOIN interactions i ON i.id = t.interaction_id WHERE t.id > ? ORDER BY t.id LIMIT ?`,
  tool_calls: `SELECT id AS k, session_id, interaction_id, name, ts, input_json, result FROM tool_calls
    WHERE id > ? ORDER BY id LIMIT ?`,
  sessions: `SELECT session_id AS k, title, project_path, git_branch, claude_model_usage FROM sessions
    WHERE session_id > ? ORDER BY session_id LIMIT ?`,
};
export const FIRST: Record<Phase, number | string> = { texts: -1, tool_calls: '', sessions: '' };

const ADD_FINDING = `INSERT INTO privacy_findings (row_key, session_id, category, count) VALUES (?,?,?,?)
ON CONFLICT(row_key, category) DO UPDATE SET count = privacy_findings.count + excluded.count`;
const ADD_RULE_FINDING = `INSERT INTO privacy_rule_findings (row_key, session_id, category, rule_id, count)
VALUES (?,?,?,?,?) ON CONFLICT(row_key, category, rule_id) DO UPDATE SET count = privacy_rule_findings.count + excluded.count`;

/** Runs (or resumes) the re-mask of the whole store. */
export interface Writers {
  enqueue(entity: 'session' | 'interaction', id: string): void;
  /** Adds a row's new findings per category (privacy_findings) and per rule (privacy_rule_findings). */
  finding(rowKey: string, sessionId: string | null, found: { counts: Record<string, number>; rules: RuleCounts }): void;
  ftsReplace(rowid: number, oldText: string, newText: string): void;
  db: SqlDriver;
  /** How many entities this batch queued that the run had not queued before. */
  newlyQueued(): number;
}

export function writers(db: SqlDriver, fts: { engine: FtsEngine; writable: boolean }, queued: Set<string>): Writers {
  const now = Date.now();
  let fresh = 0;
  return {
    db,
    enqueue(entity, id) {
      const k = `${entity}\u0000${id}`;
      if (queued.has(k)) return;
      queued.add(k);
      fresh++;
      db.prepare(Q.ENQUEUE).run([entity, id, now]);
    },
    finding(rowKey, sessionId, found) {
      for (const [cat, n] of Object.entries(found.counts)) db.prepare(ADD_FINDING).run([rowKey, sessionId, cat, n]);
      for (const [cat, byRule] of Object.entries(found.rules))
        for (const [rule, n] of Object.entries(byRule))
          db.prepare(ADD_RULE_FINDING).run([rowKey, sessionId, cat, rule, n]);
    },
    ftsReplace(rowid, oldText, newText) {
      if (!fts.writable) {
        db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_stale', '1')").run();
        return;
      }
      // FTS5 needs the indexed text to delete it; FTS4 reads it from the content table (still the old row here)
      if (fts.engine === 'fts5') db.prepare(Q.DELETE_FTS5).run([rowid, oldText]);
      else db.prepare(Q.DELETE_FTS4).run([rowid]);
      db.prepare(Q.INSERT_FTS).run([rowid, newText]);
    },
    newlyQueued: () => fresh,
  };
}

type RowResult = { bytes: number; changed: boolean };

const utf8 = (s: unknown): number => (typeof s === 'string' ? Buffer.byteLength(s) : 0);

function countOf(r: MaskedText): { counts: Record<string, number>; rules: RuleCounts } {
  return countFindings(r.findings);
}

export const ROW: Record<Phase, (r: SqlRow, guard: Remasker, w: Writers) => RowResult> = {
  texts(r, guard, w) {
    const old = String(r.text);
    const m = guard.remaskText(old);
    if (m.text === old) return { bytes: utf8(old), changed: false };
    // ftsReplace before the row changes: FTS4's delete reads the old text from the content table
    w.ftsReplace(Number(r.k), old, m.text);
    w.db.prepare('UPDATE texts SET text = ? WHERE id = ?').run([m.text, Number(r.k)]);
    const interaction = String(r.interaction_id);
    // the normalizer's row keys: a prompt counts under its interaction, a response block under its text key
    w.finding(r.kind === 'prompt' ? interaction : String(r.key), r.session_id as string | null, countOf(m));
    w.enqueue('interaction', interaction);
    return { bytes: utf8(old), changed: true };
  },
  tool_calls(r, guard, w) {
    const id = String(r.k);
    const bytes = utf8(r.input_json) + utf8(r.result);
    const input = typeof r.input_json === 'string' ? guard.remaskJson(r.input_json) : undefined;
    const result = typeof r.result === 'string' ? guard.remaskText(r.result) : undefined;
    const inputChanged = input !== undefined && input.text !== r.input_json;
    const resultChanged = result !== undefined && result.text !== r.result;
    if (!inputChanged && !resultChanged) return { bytes, changed: false };
    w.db
      .prepare('UPDATE tool_calls SET input_json = ?, result = ? WHERE id = ?')
      .run([input?.text ?? null, result?.text ?? null, id]);
    const sid = r.session_id as string | null;
    if (inputChanged) {
      w.finding(`tc:${id}`, sid, input);
      // tool inputs travel with their interaction (outboxRows.ts); results stay local
      if (r.interaction_id !== null) w.enqueue('interaction', String(r.interaction_id));
      // the files it touched are read from the input: read them again from the new text
      w.db.prepare('DELETE FROM session_files WHERE tool_call_id = ?').run([id]);
      if (sid !== null)
        writeSessionFiles(
          w.db,
          [
            {
              id,
              sessionId: sid,
              interactionId: String(r.interaction_id ?? ''),
              name: String(r.name ?? ''),
              inputJson: input.text as Masked,
              ts: typeof r.ts === 'number' ? r.ts : undefined,
            },
          ],
          fsRealPath,
        );
      const root =
        sid === null ? undefined : w.db.prepare('SELECT repo_root FROM session_git WHERE session_id = ?').get([sid]);
      if (typeof root?.repo_root === 'string') relativizeFiles(w.db, sid!, root.repo_root);
    }
    if (resultChanged) w.finding(`tr:${id}`, sid, countOf(result));
    return { bytes, changed: true };
  },
  sessions(r, guard, w) {
    const id = String(r.k);
    const text = (v: unknown) => (typeof v === 'string' ? guard.remaskText(v) : undefined);
    const title = text(r.title);
    const project = text(r.project_path);
    const branch = text(r.git_branch);
    const usage = typeof r.claude_model_usage === 'string' ? guard.remaskJson(r.claude_model_usage) : undefined;
    const bytes = utf8(r.title) + utf8(r.project_path) + utf8(r.git_branch) + utf8(r.claude_model_usage);
    const differs = (m: { text: string } | undefined, was: unknown) => m !== undefined && m.text !== was;
    const gitBefore = gitSyncSnapshot(w.db, [id]).get(id);
    remaskGitContext(w.db, id, guard);
    // the session row also carries the git remote and branch (sessionGitSync.ts): send it again when they changed
    if (gitSyncSnapshot(w.db, [id]).get(id) !== gitBefore) w.enqueue('session', id);
    const remote = differs(project, r.project_path) || differs(branch, r.git_branch);
    if (!remote && !differs(title, r.title) && !differs(usage, r.claude_model_usage)) return { bytes, changed: false };
    w.db
      .prepare(
        'UPDATE sessions SET title = ?, project_path = ?, git_branch = ?, claude_model_usage = ? WHERE session_id = ?',
      )
      .run([title?.text ?? null, project?.text ?? null, branch?.text ?? null, usage?.text ?? null, id]);
    if (title?.findings.length) w.finding(`title:${id}`, id, countOf(title));
    // the session row sent to the server carries the path and branch, not the title (outboxRows.ts)
    if (remote) w.enqueue('session', id);
    return { bytes, changed: true };
  },
};

/**
 * The session's git context (codeContextStore.ts) holds text git printed, masked when it was stored: paths, remote,
 * branch, commit subjects. Masked again with the session row. (Pull request titles in github_commit_prs are not:
 * they are fetched again within the hour they go stale.)
 */
function remaskGitContext(db: SqlDriver, sessionId: string, guard: Remasker): void {
  const g = db
    .prepare(
      'SELECT repo_root, worktree, remote_url, branch, github_repo, commits_json FROM session_git WHERE session_id = ?',
    )
    .get([sessionId]);
  if (!g) return;
  const text = (v: unknown) => (typeof v === 'string' ? guard.remaskText(v).text : null);
  // only the subjects are text: a sha or a time must stay what git said, whatever the rules think of hex strings
  let commits: string | null = null;
  try {
    const list = JSON.parse(String(g.commits_json ?? 'null')) as { subject?: unknown }[] | null;
    if (Array.isArray(list))
      commits = JSON.stringify(
        list.map((c) => (typeof c.subject === 'string' ? { ...c, subject: guard.remaskText(c.subject).text } : c)),
      );
  } catch {
    commits = null; // not JSON: nothing readable to keep
  }
  db.prepare(
    `UPDATE session_git SET repo_root = ?, worktree = ?, remote_url = ?, branch = ?, github_repo = ?, commits_json = ?
     WHERE session_id = ?`,
  ).run([
    text(g.repo_root),
    text(g.worktree),
    text(g.remote_url),
    text(g.branch),
    text(g.github_repo),
    commits,
    sessionId,
  ]);
}
