import * as fs from 'node:fs';
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

const posix = process.platform !== 'win32';

/** mkdir -p where every folder made is 0700 whatever the umask; folders already there are left as they are. */
export function makePrivateDirs(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!first || !posix) return;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    fs.chmodSync(d, 0o700);
    if (d === path.resolve(first) || d === path.dirname(d)) break;
  }
}

/**
 * The data dir holds the store (every prompt and response) and the mask key: created 0700, and tightened to 0700
 * when an earlier version made it 0755 (only when it is ours).
 */
export function ensurePrivateDataDir(dir: string = dataDir()): string {
  makePrivateDirs(dir);
  if (!posix) return dir;
  const st = fs.statSync(dir);
  if (st.uid === process.getuid?.() && (st.mode & 0o077) !== 0) fs.chmodSync(dir, st.mode & 0o700);
  return dir;
}
