/**
 * The masking key for `cct mask`: the same key file the store and `cct scan` use (src/infra/fs/dataDir.ts:
 * <data dir>/mask.key, 64 hex chars, used as the HMAC key string), so a secret gets the same tag everywhere.
 * Created 0600 when missing; refused when other users can read it. Overrides: CCT_MASK_KEY_FILE (a key file, used
 * by tests), CCT_HMAC_KEY (the key itself), CCT_DATA_DIR (the data dir).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataDir, defaultDbPath } from '../fs/dataDir';

export interface KeyFileEnv {
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

export function maskKeyPath({ env, platform = process.platform, homeDir = os.homedir() }: KeyFileEnv): string {
  return env.CCT_MASK_KEY_FILE || path.join(dataDir(env, platform, homeDir), 'mask.key');
}

export class MaskKeyError extends Error {}

function parseKey(file: string, content: string): string {
  const k = content.trim();
  if (k.length < 32 || /\s/.test(k))
    throw new MaskKeyError(`mask key file ${file} is malformed (expected at least 32 characters, e.g. 64 hex)`);
  return k;
}

/** Reads the key, creating the file (mode 0600, parent 0700) when missing. Refuses a group/world-readable file. */
export function loadOrCreateMaskKey(opts: KeyFileEnv): { key: string; path: string; created: boolean } {
  const { env } = opts;
  if (!env.CCT_MASK_KEY_FILE && env.CCT_HMAC_KEY && env.CCT_HMAC_KEY.length >= 16)
    return { key: env.CCT_HMAC_KEY, path: '(CCT_HMAC_KEY)', created: false };
  const file = maskKeyPath(opts);
  const platform = opts.platform ?? process.platform;
  try {
    const st = fs.statSync(file);
    if (platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw new MaskKeyError(
        `mask key file ${file} is accessible by other users (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 '${file}'`,
      );
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
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return { key: parseKey(file, fs.readFileSync(file, 'utf8')), path: file, created: false };
    throw e;
  }
  return { key: hex, path: file, created: true };
}

/**
 * The key for a store in `dir` (the data dir of the default store, or the folder of an explicit `--db`):
 * `<dir>/mask.key` unless CCT_MASK_KEY_FILE / CCT_HMAC_KEY say otherwise. One loader for cct mask, cct scan and
 * the extension, so a secret gets the same tag everywhere.
 */
export function maskKeyFor(dir: string, env: Record<string, string | undefined> = process.env): string {
  if (!env.CCT_MASK_KEY_FILE && env.CCT_HMAC_KEY && env.CCT_HMAC_KEY.length >= 16) return env.CCT_HMAC_KEY;
  return loadOrCreateMaskKey({
    env: { ...env, CCT_MASK_KEY_FILE: env.CCT_MASK_KEY_FILE || path.join(dir, 'mask.key') },
  }).key;
}

/**
 * Where the key of the store `dbPath` lives: the data dir for the default store, else the folder of the file.
 * `cct scan --db` and `cct mask --db` both use it, so a secret masked by either gets the same tag.
 */
export function maskKeyDirOfStore(dbPath: string, env: Record<string, string | undefined> = process.env): string {
  return path.resolve(dbPath) === path.resolve(defaultDbPath(env)) ? dataDir(env) : path.dirname(path.resolve(dbPath));
}
