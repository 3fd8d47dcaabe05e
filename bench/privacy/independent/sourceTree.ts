/** Read-only access to a local copy of a public repository: a checkout, or a bare git directory (read with git). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SourceTree {
  /** The commit read (bare git directories), or 'working tree'. */
  readonly revision: string;
  /** Paths (with '/') of every file under `prefix`. */
  list(prefix: string): string[];
  read(file: string): string;
}

const isBareGit = (dir: string) =>
  fs.existsSync(path.join(dir, 'HEAD')) &&
  fs.existsSync(path.join(dir, 'objects')) &&
  !fs.existsSync(path.join(dir, '.git'));

export function openSourceTree(dir: string): SourceTree {
  if (!fs.existsSync(dir)) throw new Error(`source not found: ${dir}`);
  if (isBareGit(dir)) {
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const revision = git('rev-parse', 'HEAD').trim();
    const all = git('ls-tree', '-r', '--name-only', '-z', 'HEAD').split('\0').filter(Boolean);
    return {
      revision,
      list: (prefix) => all.filter((f) => f.startsWith(prefix)),
      read: (file) => git('show', `HEAD:${file}`),
    };
  }
  let revision = 'working tree';
  try {
    revision = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout: fine
  }
  const walk = (rel: string): string[] => {
    const abs = path.join(dir, rel);
    if (!fs.existsSync(abs)) return [];
    if (!fs.statSync(abs).isDirectory()) return [rel];
    return fs.readdirSync(abs).flatMap((e) => walk(rel ? `${rel}/${e}` : e));
  };
  return {
    revision,
    list: (prefix) => {
      const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix.slice(0, prefix.lastIndexOf('/') + 1);
      return walk(base.replace(/\/$/, '')).filter((f) => f.startsWith(prefix));
    },
    read: (file) => fs.readFileSync(path.join(dir, file), 'utf8'),
  };
}
