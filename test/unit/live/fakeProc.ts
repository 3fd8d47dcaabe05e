import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Writes a fake `/proc/<pid>/{stat,cmdline}` tree: the shapes the Linux kernel gives, nothing more. */
export class FakeProc {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  add(p: { pid: number; ppid: number; comm: string; start: number | string; args?: string[] }): this {
    const dir = path.join(this.root, String(p.pid));
    mkdirSync(dir, { recursive: true });
    // fields 5..21 (17 of them) are not read; field 22 is starttime
    const filler = Array.from({ length: 17 }, () => '0').join(' ');
    writeFileSync(path.join(dir, 'stat'), `${p.pid} (${p.comm}) S ${p.ppid} ${filler} ${p.start} 0 0\n`);
    writeFileSync(path.join(dir, 'cmdline'), `${(p.args ?? [p.comm]).join('\0')}\0`);
    return this;
  }

  remove(pid: number): void {
    rmSync(path.join(this.root, String(pid)), { recursive: true, force: true });
  }
}
