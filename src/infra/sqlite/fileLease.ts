import * as fs from 'node:fs';

/**
 * The ingest lease as a lock file next to the store, for the sql.js backend: each sql.js process works on its
 * own in-memory copy, so a lease row inside the database is invisible to other processes until a flush — and
 * a flush by one would overwrite the other's. The file is created exclusively; an expired one is taken over.
 */
export class FileLease {
  constructor(private readonly file: string) {}

  private read(): { owner: string; expiresAt: number } | undefined {
    try {
      const v = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { owner?: unknown; expiresAt?: unknown };
      return typeof v.owner === 'string' && typeof v.expiresAt === 'number'
        ? { owner: v.owner, expiresAt: v.expiresAt }
        : undefined;
    } catch {
      return undefined;
    }
  }

  private write(owner: string, expiresAt: number, exclusive: boolean): boolean {
    try {
      fs.writeFileSync(this.file, JSON.stringify({ owner, expiresAt, pid: process.pid }), {
        flag: exclusive ? 'wx' : 'w',
        mode: 0o600,
      });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  acquire(owner: string, ttlMs: number, now: number): boolean {
    if (this.write(owner, now + ttlMs, true)) return true;
    const cur = this.read();
    if (cur && cur.owner !== owner && cur.expiresAt > now) return false;
    // Expired, unreadable or ours: take it over, then check nobody else did in between.
    this.write(owner, now + ttlMs, false);
    return this.read()?.owner === owner;
  }

  heartbeat(owner: string, ttlMs: number, now: number): boolean {
    if (this.read()?.owner !== owner) return false;
    return this.write(owner, now + ttlMs, false);
  }

  release(owner: string): void {
    if (this.read()?.owner === owner) fs.rmSync(this.file, { force: true });
  }

  holder(now: number): string | undefined {
    const cur = this.read();
    return cur && cur.expiresAt > now ? cur.owner : undefined;
  }
}
