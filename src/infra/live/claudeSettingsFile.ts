import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SettingsEdit } from '../../core/live/settingsJsonEdit';
import { replaceFileSync } from '../fs/durableWrite';

/** Reading and writing a Claude Code settings file (the Status Line Bridge and the hooks share these rules). */

export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes the edited settings atomically with the file's own mode; a read-only file is refused, not replaced. */
export function writeSettings(file: string, r: Extract<SettingsEdit, { ok: true }>, existed: boolean): void {
  let mode = 0o600;
  if (existed) {
    const st = fs.statSync(file);
    if ((st.mode & 0o222) === 0) throw new Error(`${file} is read-only: it was left untouched`);
    mode = st.mode & 0o777;
  } else fs.mkdirSync(path.dirname(file), { recursive: true });
  replaceFileSync(file, Buffer.from(r.text, 'utf8'), { mode, onFailure: 'it was left untouched' });
}

export function refuse(file: string, error: string): never {
  throw new Error(`${file} was not changed: ${error}`);
}
