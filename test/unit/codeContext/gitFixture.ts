import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs git in `cwd` with fixed author/committer identity and, when given, times (ISO-8601). */
export function git(cwd: string, args: string[], at?: { author: string; committer?: string }): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Fixture',
      GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
      GIT_COMMITTER_NAME: 'Fixture',
      GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
      ...(at ? { GIT_AUTHOR_DATE: at.author, GIT_COMMITTER_DATE: at.committer ?? at.author } : {}),
    },
  }).trim();
}

/** A new repository on `branch` with one file. */
export function initRepo(dir: string, branch: string): void {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', branch]);
}

/** Writes `lines` lines to `file` (relative to the repo) and commits them at `at`; returns the sha. */
export function commitFile(
  repo: string,
  file: string,
  lines: number,
  subject: string,
  at: { author: string; committer?: string },
): string {
  const p = join(repo, file);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, `${Array.from({ length: lines }, (_, i) => `line ${i} of ${subject}`).join('\n')}\n`);
  git(repo, ['add', '--', file]);
  git(repo, ['commit', '-q', '-m', subject], at);
  return git(repo, ['rev-parse', 'HEAD']);
}
