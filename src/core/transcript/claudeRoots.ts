import * as path from 'node:path';

export interface RootsInput {
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Extra config dirs from settings / CLI flags. */
  extra?: readonly string[];
}

/**
 * Claude Code config dirs to look in, in priority order, deduplicated:
 * every entry of `$CLAUDE_CONFIG_DIR` (comma-separated, a ccusage convention) else `~/.claude`,
 * plus the short-lived XDG location `~/.config/claude`, plus user-configured extras.
 */
export function claudeConfigRoots(input: RootsInput): string[] {
  const out: string[] = [];
  const push = (p: string) => {
    const trimmed = p.trim();
    if (!trimmed) return;
    const abs = path.resolve(trimmed.startsWith('~') ? path.join(input.homeDir, trimmed.slice(1)) : trimmed);
    if (!out.includes(abs)) out.push(abs);
  };
  const fromEnv = (input.env.CLAUDE_CONFIG_DIR ?? '').split(',').filter((s) => s.trim());
  if (fromEnv.length > 0) fromEnv.forEach(push);
  else push(path.join(input.homeDir, '.claude'));
  push(path.join(input.env.XDG_CONFIG_HOME || path.join(input.homeDir, '.config'), 'claude'));
  for (const e of input.extra ?? []) push(e);
  return out;
}
