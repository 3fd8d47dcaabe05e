import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The per-user data dir: $XDG_DATA_HOME/claude-code-tracer, ~/Library/Application Support/…, %LOCALAPPDATA%\…. */
export function dataDir(env: Record<string, string | undefined> = process.env, platform = process.platform, home = os.homedir()): string {
  if (env.CCT_DATA_DIR) return env.CCT_DATA_DIR;
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'claude-code-tracer');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'claude-code-tracer');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'claude-code-tracer');
}

export function defaultDbPath(env: Record<string, string | undefined> = process.env): string {
  return path.join(dataDir(env), 'store.db');
}

/**
 * The key of the masker's HMAC tags. Kept in its own 0600 file next to (never inside) the store: whoever holds
 * the store alone cannot test guesses of masked values against their tags. $CCT_HMAC_KEY overrides it.
 */
export function loadOrCreateMaskKey(dir: string, env: Record<string, string | undefined> = process.env): string {
  if (env.CCT_HMAC_KEY && env.CCT_HMAC_KEY.length >= 16) return env.CCT_HMAC_KEY;
  const file = path.join(dir, 'mask.key');
  try {
    const k = fs.readFileSync(file, 'utf8').trim();
    if (k.length >= 32) return k;
  } catch {
    /* create below */
  }
  fs.mkdirSync(dir, { recursive: true });
  const key = crypto.randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    // Another process created it first: use theirs.
    return fs.readFileSync(file, 'utf8').trim();
  }
}
