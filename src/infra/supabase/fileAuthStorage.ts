import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuthStorage } from './client';

/**
 * The CLI's auth storage: one JSON file, mode 0600, written atomically (temp + rename). It holds the supabase-js
 * session (access + refresh token) and, during a sign-in, the PKCE verifier. Never inside the store file.
 */
export class FileAuthStorage implements AuthStorage {
  constructor(readonly file: string) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(m: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(m), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    fs.chmodSync(this.file, 0o600);
  }

  async getItem(key: string): Promise<string | null> {
    return this.read()[key] ?? null;
  }
  async setItem(key: string, value: string): Promise<void> {
    this.write({ ...this.read(), [key]: value });
  }
  async removeItem(key: string): Promise<void> {
    const m = this.read();
    if (!(key in m)) return;
    delete m[key];
    this.write(m);
  }
}
