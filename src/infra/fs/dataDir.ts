import * as os from 'node:os';
import * as path from 'node:path';

/** The per-user data dir: $XDG_DATA_HOME/claude-code-tracer, ~/Library/Application Support/…, %LOCALAPPDATA%\…. */
export function dataDir(
  env: Record<string, string | undefined> = process.env,
  platform = process.platform,
  home = os.homedir(),
): string {
  if (env.CCT_DATA_DIR) return env.CCT_DATA_DIR;
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'claude-code-tracer');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'claude-code-tracer');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'claude-code-tracer');
}

export function defaultDbPath(env: Record<string, string | undefined> = process.env): string {
  return path.join(dataDir(env), 'store.db');
}
