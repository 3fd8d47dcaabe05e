import * as fs from 'node:fs';
import * as path from 'node:path';
import { makePrivateDirs } from '../fs/dataDir';

/**
 * The store holds every prompt and response: its folder is created 0700 and its files (the database, and the
 * -wal/-shm/-journal SQLite makes with the database's own mode) are kept 0600, whatever the umask. Files
 * written 0644 by earlier versions are tightened when the store is opened (only ours: never another user's).
 */
const SIDE_FILES = ['', '-wal', '-shm', '-journal'];
const posix = process.platform !== 'win32';

/** Creates the store's folder (and any missing parent) 0700. An existing folder is left as it is. */
export function ensureStoreDir(file: string): void {
  makePrivateDirs(path.dirname(path.resolve(file)));
}

/** Creates an empty database file 0600 if none is there, so SQLite (which would use 0644) opens ours. */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
    if (posix) fs.chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/** chmod 600 on the store file and its SQLite side files where they exist, are ours and are open to others. */
export function tightenStoreFiles(file: string): void {
  if (!posix) return;
  const uid = process.getuid?.();
  for (const suffix of SIDE_FILES) {
    const f = `${file}${suffix}`;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(f);
    } catch {
      continue;
    }
    if (st.isFile() && st.uid === uid && (st.mode & 0o077) !== 0) fs.chmodSync(f, st.mode & 0o700);
  }
}
