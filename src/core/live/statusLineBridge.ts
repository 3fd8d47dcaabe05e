import { parseSettingsObject, type SettingsEdit, setTopLevelKey } from './settingsJsonEdit';

/** Marks our status line command so it is found again (never matched by anything a user would write). */
export const BRIDGE_MARKER = 'statusline-bridge.sh';

/** POSIX single quotes: the one quoting where nothing inside is special. */
export function shSingleQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The status line command: our script, the spool dir and the user's previous command as its arguments. */
export function bridgeCommand(script: string, spoolDir: string, previousCommand: string | undefined): string {
  const args = [script, spoolDir, ...(previousCommand ? [previousCommand] : [])];
  return `sh ${args.map(shSingleQuote).join(' ')}`;
}

export function isBridgeCommand(command: unknown): boolean {
  return typeof command === 'string' && command.includes(BRIDGE_MARKER);
}

interface StatusLine {
  type?: unknown;
  command?: unknown;
  [k: string]: unknown;
}

/**
 * Installs the bridge in a settings.json text. The user's statusLine (any other fields kept: padding, refresh
 * interval) has its command chained behind ours; `previous` is what must come back on removal (undefined: there was
 * none). Installing again is a no-op that keeps the first `previous`.
 */
export function installBridge(
  text: string | undefined,
  script: string,
  spoolDir: string,
): SettingsEdit<StatusLine> & { alreadyInstalled?: boolean } {
  const parsed = parseSettingsObject(text);
  if (!parsed.ok) return parsed;
  const current = parsed.value.statusLine as StatusLine | undefined;
  if (current && isBridgeCommand(current.command))
    return { ok: true, text: text ?? '', previous: undefined, changed: false, alreadyInstalled: true };
  const base = current && typeof current === 'object' && !Array.isArray(current) ? current : {};
  const prevCommand = base.type === 'command' && typeof base.command === 'string' ? base.command : undefined;
  const next = { ...base, type: 'command', command: bridgeCommand(script, spoolDir, prevCommand) };
  const r = setTopLevelKey(text, 'statusLine', next);
  return r.ok ? { ...r, previous: current } : r;
}

/** Removes the bridge: the statusLine saved at install comes back as it was (removed if there was none). */
export function removeBridge(
  text: string | undefined,
  saved: { previous: unknown } | undefined,
): SettingsEdit & { notInstalled?: boolean } {
  const parsed = parseSettingsObject(text);
  if (!parsed.ok) return parsed;
  const current = parsed.value.statusLine as StatusLine | undefined;
  if (!current || !isBridgeCommand(current.command))
    return { ok: true, text: text ?? '', previous: undefined, changed: false, notInstalled: true };
  return setTopLevelKey(text, 'statusLine', saved ? saved.previous : previousFromCommand(current));
}

/**
 * Without the saved copy (data folder deleted): the previous command is our command's third argument, the other
 * fields are the ones the statusLine still has.
 */
function previousFromCommand(current: StatusLine): StatusLine | undefined {
  const args = unquoteSingle(String(current.command).replace(/^sh /, ''));
  const { type: _t, command: _c, ...rest } = current;
  if (args[2] !== undefined) return { ...rest, type: 'command', command: args[2] };
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** Splits what shSingleQuote produced back into its arguments. */
export function unquoteSingle(s: string): string[] {
  const out: string[] = [];
  const re = /((?:'[^']*'|\\')+)(?:\s+|$)/gy;
  for (let m = re.exec(s); m; m = re.exec(s))
    out.push(m[1]!.replace(/'([^']*)'|\\'/g, (_, q: string | undefined) => q ?? "'"));
  return out;
}
