/**
 * The masking key for `cct mask`: the same key file the store and `cct scan` use (src/infra/fs/dataDir.ts:
 * <data dir>/mask.key, 64 hex chars, used as the HMAC key string), so a secret gets the same tag everywhere.
 * Created 0600 when missing (complete or not at all); refused when it is a symlink, another user's, or readable by others. Overrides: CCT_MASK_KEY_FILE (a key file, used
 * by tests), CCT_HMAC_KEY (the key itself), CCT_DATA_DIR (the data dir).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataDir, defaultDbPath, makePrivateDirs } from '../fs/dataDir';
import { createFileExclusiveSync, type WriteFs } from '../fs/durableWrite';

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

/**
 * Reads the key file without following a symlink, and only when it is a regular file owned by this user that no
 * one else can read. Undefined when there is none. An empty file (left by versions that created the file and
 * then wrote it, on a full disk) is removed: no key was ever read from it, so nothing was masked with it.
 */
function readKeyFile(file: string, platform: NodeJS.Platform): string | undefined {
  const posix = platform !== 'win32';
  let fd: number;
  try {
    if (!posix && fs.lstatSync(file).isSymbolicLink()) throw Object.assign(new Error('symlink'), { code: 'ELOOP' });
    fd = fs.openSync(file, posix ? fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW : 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw new MaskKeyError(
        `mask key file ${file} is a symbolic link; refusing to follow it (replace it with the key file itself)`,
      );
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new MaskKeyError(`mask key file ${file} is not a regular file`);
    const uid = process.getuid?.();
    if (posix && uid !== undefined && st.uid !== uid)
      throw new MaskKeyError(
        `mask key file ${file} belongs to uid ${st.uid}, not to you (uid ${uid}); refusing a key another user controls`,
      );
    if (posix && (st.mode & 0o077) !== 0)
      throw new MaskKeyError(
        `mask key file ${file} is accessible by other users (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 '${file}'`,
      );
    const content = fs.readFileSync(fd, 'utf8');
    if (content.trim() === '' && st.size === 0) {
      removeIfSame(file, st);
      return undefined;
    }
    return parseKey(file, content);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes `file` if it is still the inode we read (another process may have replaced it meanwhile). */
function removeIfSame(file: string, st: fs.Stats): void {
  try {
    const now = fs.lstatSync(file);
    if (now.ino === st.ino && now.dev === st.dev && now.size === 0) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

/**
 * Reads the key, creating the file (mode 0600, parent 0700) when missing. The new key is written to a temp file,
 * fsynced and linked into place, so a full disk leaves no key file rather than an empty one. Refuses a key file
 * that is a symlink, belongs to another user, or that other users can read. `fs`: the writes (tests inject a full
 * disk through it).
 */
export function loadOrCreateMaskKey(opts: KeyFileEnv & { fs?: WriteFs }): {
  key: string;
  path: string;
  created: boolean;
} {
  const { env } = opts;
  if (!env.CCT_MASK_KEY_FILE && env.CCT_HMAC_KEY && env.CCT_HMAC_KEY.length >= 16)
    return { key: env.CCT_HMAC_KEY, path: '(CCT_HMAC_KEY)', created: false };
  const file = maskKeyPath(opts);
  const platform = opts.platform ?? process.platform;
  const existing = readKeyFile(file, platform);
  if (existing !== undefined) return { key: existing, path: file, created: false };
  makePrivateDirs(path.dirname(file));
  const hex = randomBytes(32).toString('hex');
  if (createFileExclusiveSync(file, Buffer.from(`${hex}\n`), { mode: 0o600, fs: opts.fs }))
    return { key: hex, path: file, created: true };
  // another process created it first: use theirs
  const theirs = readKeyFile(file, platform);
  if (theirs === undefined) throw new MaskKeyError(`mask key file ${file} vanished while it was being created`);
  return { key: theirs, path: file, created: false };
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
