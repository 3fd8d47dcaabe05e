import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The fs calls a durable write makes, as a port: tests inject a short or failing write where they cannot mount a
 * small file system (a real full tmpfs is used where the tests run as root).
 */
export interface WriteFs {
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fchmodSync(fd: number, mode: number): void;
  fstatSync(fd: number): { size: number };
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, newPath: string): void;
  rmSync(file: string, opts: { force: boolean }): void;
}

export const nodeWriteFs: WriteFs = fs;

/** The file system is full (ENOSPC, EDQUOT, or SQLite's SQLITE_FULL): nothing of the failed write was kept. */
export class DiskFullError extends Error {
  readonly code = 'ENOSPC';
}

const isFull = (e: unknown) => ['ENOSPC', 'EDQUOT'].includes((e as NodeJS.ErrnoException)?.code ?? '');

/**
 * Writes every byte or throws. write(2) on a nearly full disk writes what fits and returns the count; fs.writeSync
 * passes that count on without an error, so a caller that ignores it keeps a truncated file.
 */
export function writeAllSync(fd: number, data: Uint8Array, wfs: WriteFs = nodeWriteFs): void {
  let done = 0;
  while (done < data.length) {
    const n = wfs.writeSync(fd, data, done, data.length - done);
    if (!(n > 0)) throw Object.assign(new Error(`write returned ${n} after ${done} bytes`), { code: 'ENOSPC' });
    done += n;
  }
}

/**
 * Writes `data` to a new private temp file next to `file`, fsyncs it and checks its size: the file is complete or
 * gone (removed on any error). Returns the temp path for the caller to move into place.
 */
function writeTemp(file: string, data: Uint8Array, mode: number, wfs: WriteFs): string {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    fd = wfs.openSync(tmp, 'wx', mode);
    // The mode given to open is filtered by the umask; set it exactly.
    if (process.platform !== 'win32') wfs.fchmodSync(fd, mode);
    writeAllSync(fd, data, wfs);
    wfs.fsyncSync(fd);
    const size = wfs.fstatSync(fd).size;
    if (size !== data.length) throw new Error(`${tmp} holds ${size} of ${data.length} bytes after writing`);
    wfs.closeSync(fd);
    fd = undefined;
    return tmp;
  } catch (e) {
    if (fd !== undefined) {
      try {
        wfs.closeSync(fd);
      } catch {
        /* the write error is the one to report */
      }
    }
    wfs.rmSync(tmp, { force: true });
    throw e;
  }
}

function describe(e: unknown, file: string, what: string): Error {
  const msg = e instanceof Error ? e.message : String(e);
  return isFull(e) ? new DiskFullError(`disk full (ENOSPC): could not write ${file}: ${msg}; ${what}`) : (e as Error);
}

/** Best effort: makes a rename durable (the directory entry); not possible on every platform. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* a directory that cannot be opened for fsync: the rename itself is still atomic */
  }
}

/**
 * Replaces `file` atomically with `data` (temp file, fsync, size check, rename): a full disk or a crash leaves the
 * previous file exactly as it was, and no temp file behind. Throws DiskFullError when the disk is full.
 */
export function replaceFileSync(
  file: string,
  data: Uint8Array,
  opts: { mode?: number; fs?: WriteFs; onFailure?: string } = {},
): void {
  const wfs = opts.fs ?? nodeWriteFs;
  let tmp: string;
  try {
    tmp = writeTemp(file, data, opts.mode ?? 0o600, wfs);
  } catch (e) {
    throw describe(e, file, opts.onFailure ?? 'the previous file is unchanged');
  }
  try {
    wfs.renameSync(tmp, file);
  } catch (e) {
    wfs.rmSync(tmp, { force: true });
    throw describe(e, file, opts.onFailure ?? 'the previous file is unchanged');
  }
  fsyncDir(path.dirname(file));
}

/**
 * Creates `file` holding `data` only if no file is there (link(2) of a complete temp file: never follows a symlink,
 * never leaves an empty or partial file, even when the disk is full). Returns false when something already exists.
 */
export function createFileExclusiveSync(
  file: string,
  data: Uint8Array,
  opts: { mode?: number; fs?: WriteFs } = {},
): boolean {
  const wfs = opts.fs ?? nodeWriteFs;
  let tmp: string;
  try {
    tmp = writeTemp(file, data, opts.mode ?? 0o600, wfs);
  } catch (e) {
    throw describe(e, file, 'nothing was created');
  }
  try {
    try {
      wfs.linkSync(tmp, file);
    } catch (e) {
      // A file system without hard links (FAT, some network mounts): create exclusively, write, remove on failure.
      if (!NO_LINKS.includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      writeExclusiveInPlace(file, data, opts.mode ?? 0o600, wfs);
    }
    fsyncDir(path.dirname(file));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw describe(e, file, 'nothing was created');
  } finally {
    wfs.rmSync(tmp, { force: true });
  }
}

const NO_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'];

function writeExclusiveInPlace(file: string, data: Uint8Array, mode: number, wfs: WriteFs): void {
  const fd = wfs.openSync(file, 'wx', mode);
  try {
    writeAllSync(fd, data, wfs);
    wfs.fsyncSync(fd);
  } catch (e) {
    wfs.closeSync(fd);
    wfs.rmSync(file, { force: true });
    throw e;
  }
  wfs.closeSync(fd);
}
