/**
 * The CLI's masking key: 32 random bytes (hex) in a 0600 file in the user's data dir, created on first use.
 * The VS Code host keeps its key in SecretStorage instead; this file is only for `cct`.
 * `CCT_MASK_KEY_FILE` overrides the location (tests use a temp file).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface KeyFileEnv {
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/** Per-user data directory: $XDG_DATA_HOME or ~/.local/share (Linux), ~/Library/Application Support (macOS), %APPDATA% (Windows). */
export function userDataDir({ env, platform = process.platform, homeDir = os.homedir() }: KeyFileEnv): string {
  if (platform === 'win32') return env.APPDATA ?? path.join(homeDir, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Application Support');
  return env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(homeDir, '.local', 'share');
}

export function maskKeyPath(opts: KeyFileEnv): string {
  return opts.env.CCT_MASK_KEY_FILE || path.join(userDataDir(opts), 'claude-code-tracer', 'mask.key');
}

export class MaskKeyError extends Error {}

function parseKey(file: string, content: string): Buffer {
  const hex = content.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new MaskKeyError(`mask key file ${file} is malformed (expected 64 hex characters)`);
  return Buffer.from(hex, 'hex');
}

/** Reads the key, creating the file (mode 0600, parent 0700) when missing. Refuses a group/world-readable file. */
export function loadOrCreateMaskKey(opts: KeyFileEnv): { key: Buffer; path: string; created: boolean } {
  const file = maskKeyPath(opts);
  const platform = opts.platform ?? process.platform;
  try {
    const st = fs.statSync(file);
    if (platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw new MaskKeyError(`mask key file ${file} is accessible by other users (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 '${file}'`);
    return { key: parseKey(file, fs.readFileSync(file, 'utf8')), path: file, created: false };
  } catch (e) {
    if (!(e instanceof Error) || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const hex = randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, `${hex}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    // another process created it first: use theirs
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { key: parseKey(file, fs.readFileSync(file, 'utf8')), path: file, created: false };
    throw e;
  }
  return { key: Buffer.from(hex, 'hex'), path: file, created: true };
}
