/**
 * The files a tool call touched, read from its (masked) input: Edit, Write, MultiEdit (`file_path`),
 * NotebookEdit (`notebook_path`), and Bash commands only where the path can be read without a shell: a plain
 * command (no quotes, variables, globs, substitutions or escapes anywhere in it) of `touch`, `rm`, `mv`, `cp`,
 * `tee`, `git rm`, `git mv`, or an output redirection `> file` / `>> file`. Anything else yields nothing:
 * a missed file is better than a wrong one.
 */
export interface TouchedPath {
  /** As written in the tool input (masked text). */
  path: string;
  tool: string;
}

const FILE_TOOLS: Readonly<Record<string, string>> = {
  Edit: 'file_path',
  Write: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/** Tools whose calls can touch files (the store reads only these when it back-fills). */
export const TOUCHING_TOOLS: readonly string[] = [...Object.keys(FILE_TOOLS), 'Bash'];

export function touchedPaths(tool: string, input: unknown): TouchedPath[] {
  if (typeof input !== 'object' || input === null) return [];
  const rec = input as Record<string, unknown>;
  const field = FILE_TOOLS[tool];
  if (field) {
    const p = rec[field];
    return typeof p === 'string' && p.trim() ? [{ path: p, tool }] : [];
  }
  if (tool === 'Bash' && typeof rec.command === 'string') return bashPaths(rec.command).map((path) => ({ path, tool }));
  return [];
}

/** Characters after which a word is no longer a literal path (or the command no longer a plain one). */
const SHELL_SPECIAL = /[$`'"\\*?[\]{}~()<!#«»]/;
const PLAIN_WORD = /^[A-Za-z0-9_./@+,:=%-]+$/;

/** The files a plain shell command writes, moves or removes; [] when any part of it is not plain. */
export function bashPaths(command: string): string[] {
  if (SHELL_SPECIAL.test(command)) return [];
  const out: string[] = [];
  for (const segment of command.split(/&&|\|\||[;|\n]/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    const args: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const redirect = /^(>>?)(.*)$/.exec(w);
      if (redirect) {
        const target = redirect[2] || words[++i];
        if (target && isFileWord(target)) out.push(target);
        continue;
      }
      if (/^\d*>/.test(w) || w.startsWith('&>')) return []; // fd redirections: not worth guessing
      args.push(w);
    }
    out.push(...commandPaths(args));
  }
  return [...new Set(out)];
}

function commandPaths(words: string[]): string[] {
  let [cmd, ...rest] = words;
  if (cmd === 'git' && (rest[0] === 'rm' || rest[0] === 'mv')) [cmd, ...rest] = rest;
  if (!cmd) return [];
  const operands = rest.filter((w) => !w.startsWith('-'));
  if (!operands.every(isFileWord)) return [];
  switch (cmd) {
    case 'touch':
    case 'rm':
    case 'tee':
      return operands;
    case 'mv':
      return operands.length === 2 ? operands : [];
    case 'cp':
      // the source is only read; the destination may be a directory, which is still what was written
      return operands.length === 2 ? [operands[1]!] : [];
    default:
      return [];
  }
}

function isFileWord(w: string): boolean {
  return PLAIN_WORD.test(w) && !w.startsWith('-') && !w.startsWith('/dev/') && w !== '.' && w !== '..';
}
