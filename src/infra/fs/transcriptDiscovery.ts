import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DiscoveredFile, ScanProblem, TranscriptSource } from '../../core/collector/ports';
import { classifyTranscriptPath, isForbiddenPath } from '../../core/transcript/transcriptFile';

/** The filesystem implementation of the collector's TranscriptSource port. */
export const fsTranscriptSource: TranscriptSource = {
  async discover(root, onProblem) {
    const dir = await projectsDirOf(root, onProblem);
    return dir ? discoverTranscripts(dir, onProblem) : [];
  },
  readSubagentMeta: (p) => readSubagentMeta(p),
};

/**
 * `--root` may be a config dir (holding projects/) or a projects/ dir itself. Returns the projects dir or
 * undefined when there is none.
 */
export async function projectsDirOf(
  root: string,
  onProblem: (p: ScanProblem) => void = () => {},
): Promise<string | undefined> {
  const candidates = [path.join(root, 'projects'), root];
  for (const c of candidates) {
    try {
      if (
        (await fsp.stat(c)).isDirectory() &&
        (c !== root || path.basename(root) === 'projects' || (await looksLikeProjects(root)))
      )
        return c;
    } catch (e) {
      // A root that is not there is normal (the default roots are guesses); one we may not enter is not.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        onProblem({ path: c, reason: problemReason(e) });
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * What is wrong with an explicit `--root`, in words for an error message; undefined when it is a readable
 * directory. (Default roots may be absent; a root the user names must exist.)
 */
export function rootProblem(root: string): string | undefined {
  try {
    if (!fs.statSync(root).isDirectory()) return 'not a directory';
    fs.accessSync(root, fs.constants.R_OK | fs.constants.X_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'does not exist';
    if (code === 'ELOOP') return 'symbolic link loop';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOTDIR') return 'does not exist (a parent is not a directory)';
    return `cannot be read (${code ?? 'error'})`;
  }
}

function problemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symlink_loop';
  return `unreadable:${typeof code === 'string' ? code : 'error'}`;
}

/** A dir counts as a projects dir if some child dir holds a .jsonl (lets tests pass any folder). */
async function looksLikeProjects(dir: string): Promise<boolean> {
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    try {
      if ((await fsp.readdir(path.join(dir, e.name))).some((n) => n.endsWith('.jsonl'))) return true;
    } catch {
      /* unreadable */
    }
  }
  return false;
}

/**
 * Finds transcripts under `projects/<enc>/`: `<sid>.jsonl`, `<sid>/subagents/agent-*.jsonl` (+ workflows/…)
 * and legacy `agent-*.jsonl`. Only descends into the shapes Claude Code writes (not arbitrary depth), and
 * never opens credential or backup files (transcriptFile.isForbiddenPath).
 */
export async function discoverTranscripts(
  projectsDir: string,
  onProblem: (p: ScanProblem) => void = () => {},
): Promise<DiscoveredFile[]> {
  // Synchronous on purpose: thousands of awaited stats cost ~0.3 s of thread-pool round trips on a warm
  // rescan, the sync calls ~10 ms. Discovery runs in the scan worker or the CLI, never on the host thread.
  const out: DiscoveredFile[] = [];
  // path.join re-normalizes the whole path on every call (a sixth of a warm rescan); directory entry names hold
  // no separator, so appending to a normalized dir gives the same string.
  const base = path.normalize(projectsDir);
  const join = (dir: string, name: string) =>
    dir === '.' ? name : dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
  const add = (p: string) => {
    if (isForbiddenPath(p)) return;
    const info = classifyTranscriptPath(p);
    if (!info) return;
    // bigint: the same (dev, ino, whole-ms mtime) the tailer's fstat records in the cursor, so an unchanged
    // file compares equal and is settled without being opened (number stats carry a fractional mtime).
    const st = fs.statSync(p, { bigint: true, throwIfNoEntry: false });
    if (st?.isFile())
      out.push({
        ...info,
        size: Number(st.size),
        mtimeMs: Number(st.mtimeMs),
        dev: String(st.dev),
        ino: String(st.ino),
      });
  };
  const readdir = (dir: string): fs.Dirent[] => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      // Gone since it was listed: nothing to report. Anything else (EACCES, EIO, …) is a problem of this dir.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onProblem({ path: dir, reason: problemReason(e) });
      return [];
    }
  };
  // Symbolic links are followed (a project dir may be linked in), but a link that dangles, loops, or leads back to
  // a directory it sits in is reported instead: walking it would read the same files again under other names.
  const kindOf = (dir: string, e: fs.Dirent): 'file' | 'dir' | undefined => {
    if (e.isFile()) return 'file';
    if (e.isDirectory()) return 'dir';
    if (!e.isSymbolicLink()) return undefined;
    const p = join(dir, e.name);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      onProblem({ path: p, reason: code === 'ENOENT' ? 'dangling_symlink' : problemReason(err) });
      return undefined;
    }
    let target: string;
    try {
      target = fs.realpathSync(p);
    } catch (err) {
      onProblem({ path: p, reason: problemReason(err) });
      return undefined;
    }
    // A link must not lead to what is never opened (credentials, file-history backups) under another name.
    if (isForbiddenPath(target)) {
      onProblem({ path: p, reason: 'forbidden_link_target' });
      return undefined;
    }
    if (st.isFile()) return 'file';
    if (!st.isDirectory()) return undefined;
    try {
      const here = fs.realpathSync(dir);
      if (here === target || here.startsWith(target.endsWith(path.sep) ? target : target + path.sep)) {
        onProblem({ path: p, reason: 'symlink_loop' });
        return undefined;
      }
    } catch (err) {
      onProblem({ path: p, reason: problemReason(err) });
      return undefined;
    }
    return 'dir';
  };
  const walkSubagents = (dir: string, depth: number) => {
    for (const e of readdir(dir)) {
      const p = join(dir, e.name);
      const kind = kindOf(dir, e);
      if (kind === 'file' && e.name.endsWith('.jsonl')) add(p);
      else if (kind === 'dir' && depth < 3) walkSubagents(p, depth + 1);
    }
  };
  for (const proj of readdir(base)) {
    if (kindOf(base, proj) !== 'dir') continue;
    const projDir = join(base, proj.name);
    for (const e of readdir(projDir)) {
      const p = join(projDir, e.name);
      const kind = kindOf(projDir, e);
      if (kind === 'file' && e.name.endsWith('.jsonl')) add(p);
      else if (kind === 'dir' && e.name !== 'memory') {
        const sub = join(p, 'subagents');
        if (isDir(sub)) walkSubagents(sub, 0);
      }
    }
  }
  // Main files first, so subagent rows find their parent's session facts already present; stable order.
  const rank = { main: 0, 'legacy-agent': 1, subagent: 2 } as const;
  out.sort((a, b) => rank[a.kind] - rank[b.kind] || a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
  return out;
}

function isDir(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Reads `agent-<id>.meta.json` (small, ours to parse): the link from a subagent file to the spawning tool call. */
export async function readSubagentMeta(
  metaPath: string,
): Promise<{ toolUseId?: string; agentType?: string } | undefined> {
  try {
    const st = await fsp.stat(metaPath);
    if (st.size > 1024 * 1024) return undefined;
    const v = JSON.parse(await fsp.readFile(metaPath, 'utf8')) as { toolUseId?: unknown; agentType?: unknown };
    return {
      toolUseId: typeof v.toolUseId === 'string' ? v.toolUseId : undefined,
      agentType: typeof v.agentType === 'string' ? v.agentType : undefined,
    };
  } catch {
    return undefined;
  }
}
