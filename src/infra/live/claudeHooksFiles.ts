import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installedTracerHookEvents,
  installTracerHooks,
  removeTracerHooks,
  type TracedHookEvent,
} from '../../core/live/claudeHooksSettings';
import { replaceFileSync } from '../fs/durableWrite';
import { readIfExists, refuse, writeSettings } from './claudeSettingsFile';

export interface HooksPaths {
  /** `<config>/settings.json` (user) or `<workspace>/.claude/settings.local.json`. */
  settingsFile: string;
  /** The shipped script (resources/claude-tracer-hook.sh). */
  script: string;
  /** Where the script appends (our data dir). */
  spoolDir: string;
}

export type HooksOutcome = 'installed' | 'already installed' | 'removed' | 'not installed';

/** Adds our hook entries to a settings file (created if missing); a file that does not parse is left untouched. */
export function installClaudeHooks(p: HooksPaths): HooksOutcome {
  const text = readIfExists(p.settingsFile);
  const r = installTracerHooks(text, p.script, p.spoolDir);
  if (!r.ok) refuse(p.settingsFile, r.error);
  if (r.alreadyInstalled) return 'already installed';
  writeSettings(p.settingsFile, r, text !== undefined);
  return 'installed';
}

/** Takes every hook entry of ours out of a settings file; nothing else changes. */
export function removeClaudeHooks(settingsFile: string): HooksOutcome {
  const text = readIfExists(settingsFile);
  if (text === undefined) return 'not installed';
  const r = removeTracerHooks(text);
  if (!r.ok) refuse(settingsFile, r.error);
  if (r.notInstalled) return 'not installed';
  writeSettings(settingsFile, r, true);
  return 'removed';
}

/** The events of ours a settings file holds ([] when none, or the file is missing or does not parse). */
export function claudeHooksInstalled(settingsFile: string): TracedHookEvent[] {
  try {
    return installedTracerHookEvents(JSON.parse(readIfExists(settingsFile) ?? '{}'));
  } catch {
    return [];
  }
}

/**
 * Copies the shipped hook script into our data dir (when missing or different) and returns the copy's path: the
 * settings name a path that outlives extension updates (each version installs to its own folder) and even an
 * uninstall, so Claude Code never runs a hook whose script is gone (it would report an error on every event).
 */
export function installHookScript(shipped: string, dir: string): string {
  const target = path.join(dir, 'claude-tracer-hook.sh');
  const text = fs.readFileSync(shipped);
  let current: Buffer | undefined;
  try {
    current = fs.readFileSync(target);
  } catch {
    current = undefined;
  }
  if (!current?.equals(text)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    replaceFileSync(target, text, { mode: 0o700 });
  }
  return target;
}

/** The spool file the hook script appends to, and its rotated predecessor. */
export function hookSpoolFile(spoolDir: string): string {
  return path.join(spoolDir, 'hooks.jsonl');
}

/**
 * Reads the lines appended to the hook spool since the last read. Starts at the spool's end (what was written while
 * no editor ran is history: the registry says what runs now). A rotation (the file replaced by a new one) is noticed
 * by its inode or a smaller size; the rest of the rotated file is read first, so no line is lost across it.
 */
export class HookSpoolReader {
  private offset = 0;
  private ino = 0;
  private partial = '';

  constructor(private readonly spoolDir: string) {
    try {
      const st = fs.statSync(hookSpoolFile(spoolDir));
      this.offset = st.size;
      this.ino = st.ino;
    } catch {
      /* no spool yet: read from its start once it exists */
    }
  }

  /** Complete lines appended since the last call (a half-written last line waits for the next). */
  readNew(): string[] {
    const file = hookSpoolFile(this.spoolDir);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return [];
    }
    let text = '';
    if (this.ino !== 0 && (st.ino !== this.ino || st.size < this.offset)) {
      // rotated: the tail of the old file (now .1, if it is the one we read) comes first
      try {
        const old = fs.statSync(`${file}.1`);
        if (old.ino === this.ino) text += readRange(`${file}.1`, this.offset, old.size);
      } catch {
        /* rotated twice or removed: those lines are gone */
      }
      this.offset = 0;
    }
    this.ino = st.ino;
    text += readRange(file, this.offset, st.size);
    this.offset = Math.max(this.offset, st.size);
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > 64 * 1024) this.partial = ''; // not a line of ours
    return lines.filter((l) => l.length > 0);
  }
}

function readRange(file: string, from: number, to: number): string {
  if (to <= from) return '';
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(to - from, 4 * 1024 * 1024));
    const n = fs.readSync(fd, buf, 0, buf.length, from);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
