import * as fs from 'node:fs';
import * as path from 'node:path';
import { latestOfficialLimits, type OfficialLimits } from '../../core/live/rateLimits';
import { installBridge, isBridgeCommand, removeBridge } from '../../core/live/statusLineBridge';
import { replaceFileSync } from '../fs/durableWrite';
import { readIfExists, refuse, writeSettings } from './claudeSettingsFile';

export interface BridgePaths {
  /** Claude Code's user settings (`<config>/settings.json`). */
  settingsFile: string;
  /** The shipped script (resources/statusline-bridge.sh). */
  script: string;
  /** Where the script appends (our data dir). */
  spoolDir: string;
  /** Our copy of the statusLine the bridge replaced, for an exact removal. */
  stateFile: string;
}

interface SavedState {
  previous: unknown;
  hadStatusLine: boolean;
  /** settings.json before the install (null: there was none) and as the install wrote it. */
  originalText: string | null;
  installedText: string;
}

export type BridgeOutcome = 'installed' | 'already installed' | 'removed' | 'not installed';

export function installStatusLineBridge(p: BridgePaths): BridgeOutcome {
  const text = readIfExists(p.settingsFile);
  const r = installBridge(text, p.script, p.spoolDir);
  if (!r.ok) refuse(p.settingsFile, r.error);
  if (r.alreadyInstalled) return 'already installed';
  // the saved copy first: a crash between the two writes leaves a copy and no bridge, never a bridge without a copy
  fs.mkdirSync(path.dirname(p.stateFile), { recursive: true, mode: 0o700 });
  // The file's own text too: removal gives it back byte for byte when nobody edited the file in between.
  const state: SavedState = {
    previous: r.previous ?? null,
    hadStatusLine: r.previous !== undefined,
    originalText: text ?? null,
    installedText: r.text,
  };
  replaceFileSync(p.stateFile, Buffer.from(JSON.stringify(state)));
  writeSettings(p.settingsFile, r, text !== undefined);
  return 'installed';
}

export function removeStatusLineBridge(p: Pick<BridgePaths, 'settingsFile' | 'stateFile'>): BridgeOutcome {
  const text = readIfExists(p.settingsFile);
  const savedText = readIfExists(p.stateFile);
  let saved: SavedState | undefined;
  try {
    saved = savedText ? (JSON.parse(savedText) as SavedState) : undefined;
  } catch {
    saved = undefined; // a damaged copy: the previous command is rebuilt from ours
  }
  const r = removeBridge(text, saved && { previous: saved.hadStatusLine ? saved.previous : undefined });
  if (!r.ok) refuse(p.settingsFile, r.error);
  if (r.notInstalled) return 'not installed';
  if (saved && text === saved.installedText) {
    // untouched since the install: back to the very bytes (or no file) it found
    if (saved.originalText === null) fs.rmSync(p.settingsFile, { force: true });
    else writeSettings(p.settingsFile, { ...r, text: saved.originalText }, true);
  } else writeSettings(p.settingsFile, r, true);
  fs.rmSync(p.stateFile, { force: true });
  return 'removed';
}

export function isStatusLineBridgeInstalled(settingsFile: string): boolean {
  try {
    const v = JSON.parse(readIfExists(settingsFile) ?? '{}') as { statusLine?: { command?: unknown } };
    return isBridgeCommand(v?.statusLine?.command);
  } catch {
    return false;
  }
}

/** The newest official limits in the spool (its last 64 KiB), or undefined. */
export function readOfficialLimits(spoolDir: string): OfficialLimits | undefined {
  const file = path.join(spoolDir, 'statusline.jsonl');
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size, mtimeMs } = fs.fstatSync(fd);
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n');
    if (size > len) lines.shift(); // the first one is cut
    return latestOfficialLimits(lines, mtimeMs);
  } finally {
    fs.closeSync(fd);
  }
}
