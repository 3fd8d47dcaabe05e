import type * as vscode from 'vscode';
import type { AuthStorage } from '../infra/supabase/client';

/**
 * The supabase-js auth storage over VS Code's SecretStorage (OS keychain), namespaced so sign-out can clear
 * exactly our keys. SecretStorage is shared by every window of this VS Code profile: onDidChangeAuth fires
 * when another window refreshed or removed the session, so this window can adopt it.
 */
export class SecretStorageAuthStorage implements AuthStorage {
  static readonly PREFIX = 'claudeTracer.supabase.';
  private readonly written = new Map<string, string | null>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  async getItem(key: string): Promise<string | null> {
    return (await this.secrets.get(SecretStorageAuthStorage.PREFIX + key)) ?? null;
  }
  async setItem(key: string, value: string): Promise<void> {
    this.written.set(key, value);
    await this.secrets.store(SecretStorageAuthStorage.PREFIX + key, value);
  }
  async removeItem(key: string): Promise<void> {
    this.written.set(key, null);
    await this.secrets.delete(SecretStorageAuthStorage.PREFIX + key);
  }

  /** Fires for changes of our keys made by ANOTHER window (this window's own writes are filtered out). */
  onDidChangeAuth(listener: (key: string) => void): vscode.Disposable {
    return this.secrets.onDidChange(async (e) => {
      if (!e.key.startsWith(SecretStorageAuthStorage.PREFIX)) return;
      const key = e.key.slice(SecretStorageAuthStorage.PREFIX.length);
      const now = (await this.secrets.get(e.key)) ?? null;
      if (this.written.has(key) && this.written.get(key) === now) return; // our own write echoing back
      this.written.delete(key);
      listener(key);
    });
  }

  /** The publishable key, when the user chose to keep it in SecretStorage rather than settings. */
  getAnonKey(): Thenable<string | undefined> {
    return this.secrets.get(`${SecretStorageAuthStorage.PREFIX}anonKey`);
  }
  storeAnonKey(key: string): Thenable<void> {
    return this.secrets.store(`${SecretStorageAuthStorage.PREFIX}anonKey`, key);
  }
  deleteAnonKey(): Thenable<void> {
    return this.secrets.delete(`${SecretStorageAuthStorage.PREFIX}anonKey`);
  }
}
