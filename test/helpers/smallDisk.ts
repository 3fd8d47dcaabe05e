import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WriteFs } from '../../src/infra/fs/durableWrite';

/**
 * A real small file system for disk-full tests: a tmpfs of `sizeKiB` mounted on a fresh temp folder. Only root can
 * mount one; elsewhere `mountSmallDisk` returns undefined and the tests use `failingWriteFs` instead.
 * Call `dispose()` from an after() hook: it unmounts even when a test failed.
 */
export interface SmallDisk {
  readonly dir: string;
  /** Bytes still free for an unprivileged writer. */
  free(): number;
  /** Takes up the space with a filler file until about `leaveBytes` are free. */
  fill(leaveBytes: number): void;
  /** Deletes the filler. */
  release(): void;
  dispose(): void;
}

export function mountSmallDisk(sizeKiB: number): SmallDisk | undefined {
  // CCT_TEST_NO_TMPFS=1: exercise the injected-failure path even as root.
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || process.env.CCT_TEST_NO_TMPFS) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    fs.rmdirSync(dir);
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  const free = () => {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    free,
    fill(leaveBytes) {
      fs.rmSync(filler, { force: true });
      const n = free() - leaveBytes;
      if (n > 0) fs.writeFileSync(filler, Buffer.alloc(n));
    },
    release: () => fs.rmSync(filler, { force: true }),
    dispose() {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
      fs.rmdirSync(dir);
    },
  };
}

/**
 * The injected full disk, where no tmpfs can be mounted: the real fs, except that writes stop after `room` bytes
 * in total (`room`, changeable) — the write that crosses the limit is short, the next one fails with ENOSPC, as write(2) does.
 */
export function failingWriteFs(room: number): WriteFs & { written: number; room: number } {
  const port = {
    ...fs,
    room,
    written: 0,
    writeSync(fd: number, data: Uint8Array, offset: number, length: number): number {
      const left = port.room - port.written;
      if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = fs.writeSync(fd, data, offset, Math.min(length, left));
      port.written += n;
      return n;
    },
  };
  return port;
}
