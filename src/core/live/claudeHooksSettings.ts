import { parseSettingsObject, type SettingsEdit, setTopLevelKey } from './settingsJsonEdit';
import { shSingleQuote } from './statusLineBridge';

/** The Claude Code hook events we install: the session's life and its turns (never tool-level events: too many). */
export const TRACED_HOOK_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'Stop',
  'SubagentStop',
  'PreCompact',
  'Notification',
] as const;
export type TracedHookEvent = (typeof TRACED_HOOK_EVENTS)[number];

/** Marks our hook commands so they are found again (the shipped script's name: nothing a user would write). */
export const HOOK_MARKER = 'claude-tracer-hook.sh';

export function isTracerHookCommand(command: unknown): boolean {
  return typeof command === 'string' && command.includes(HOOK_MARKER);
}

/** `sh '<script>' '<spool dir>' <Event>`: POSIX quoting, like the status line bridge. */
export function hookCommand(script: string, spoolDir: string, event: TracedHookEvent): string {
  return `sh ${shSingleQuote(script)} ${shSingleQuote(spoolDir)} ${event}`;
}

/**
 * One hook entry. `async`: Claude Code does not wait for it (nothing it prints is read anyway). Stop and SessionEnd
 * run in line (~25 ms): they come last before `claude -p` exits, and an async hook still running then is lost.
 */
const IN_LINE: ReadonlySet<TracedHookEvent> = new Set(['Stop', 'SessionEnd']);

function hookEntry(script: string, spoolDir: string, event: TracedHookEvent): Record<string, unknown> {
  return {
    type: 'command',
    command: hookCommand(script, spoolDir, event),
    timeout: 5,
    ...(IN_LINE.has(event) ? {} : { async: true }),
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The `hooks` object without our entries: groups left empty by that are dropped, and so are event arrays and the
 * `hooks` object itself when only our entries made them. Everything else (other hooks, unknown keys, order) stays.
 */
export function withoutTracerHooks(hooks: unknown): { hooks: unknown; removed: number } {
  if (!isObject(hooks)) return { hooks, removed: 0 };
  let removed = 0;
  const out: Json = {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      out[event] = groups;
      continue;
    }
    let touched = false;
    const kept: unknown[] = [];
    for (const g of groups) {
      if (!isObject(g) || !Array.isArray(g.hooks)) {
        kept.push(g);
        continue;
      }
      const inner = g.hooks.filter((h) => !(isObject(h) && isTracerHookCommand(h.command)));
      if (inner.length === g.hooks.length) {
        kept.push(g);
        continue;
      }
      removed += g.hooks.length - inner.length;
      touched = true;
      if (inner.length > 0) kept.push({ ...g, hooks: inner });
    }
    if (!touched || kept.length > 0) out[event] = kept;
  }
  const emptiedByUs = removed > 0 && Object.keys(out).length === 0;
  return { hooks: emptiedByUs ? undefined : out, removed };
}

export type HooksEdit = SettingsEdit & { alreadyInstalled?: boolean; notInstalled?: boolean };

/**
 * Installs our hooks in a settings text: one group per event, appended after the user's own groups. An install
 * that finds exactly our current entries changes nothing; older entries of ours (another script path) are replaced.
 */
export function installTracerHooks(text: string | undefined, script: string, spoolDir: string): HooksEdit {
  const parsed = parseSettingsObject(text);
  if (!parsed.ok) return parsed;
  const current = parsed.value.hooks;
  if (current !== undefined && !isObject(current))
    return { ok: false, error: 'its "hooks" value is not a JSON object' };
  const base = withoutTracerHooks(current);
  const next: Json = isObject(base.hooks) ? { ...base.hooks } : {};
  for (const event of TRACED_HOOK_EVENTS) {
    const groups = Array.isArray(next[event]) ? [...(next[event] as unknown[])] : [];
    groups.push({ hooks: [hookEntry(script, spoolDir, event)] });
    next[event] = groups;
  }
  if (JSON.stringify(next) === JSON.stringify(current))
    return { ok: true, text: text ?? '', previous: current, changed: false, alreadyInstalled: true };
  return setTopLevelKey(text, 'hooks', next);
}

/** Removes every hook entry of ours (any version of the script), nothing else. */
export function removeTracerHooks(text: string | undefined): HooksEdit {
  const parsed = parseSettingsObject(text);
  if (!parsed.ok) return parsed;
  const current = parsed.value.hooks;
  const r = withoutTracerHooks(current);
  if (r.removed === 0) return { ok: true, text: text ?? '', previous: current, changed: false, notInstalled: true };
  return setTopLevelKey(text, 'hooks', r.hooks);
}

/** How many of our events a settings value has (7: installed; 0: not). */
export function installedTracerHookEvents(settings: unknown): TracedHookEvent[] {
  const hooks = isObject(settings) ? settings.hooks : undefined;
  if (!isObject(hooks)) return [];
  return TRACED_HOOK_EVENTS.filter((e) => {
    const groups = hooks[e];
    return (
      Array.isArray(groups) &&
      groups.some(
        (g) =>
          isObject(g) && Array.isArray(g.hooks) && g.hooks.some((h) => isObject(h) && isTracerHookCommand(h.command)),
      )
    );
  });
}
