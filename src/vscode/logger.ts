import type * as vscode from 'vscode';

/** One LogOutputChannel for the extension; each component logs through its own tag. Never log transcript text. */
export interface Logger {
  trace(msg: string, ...args: unknown[]): void;
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string | Error, ...args: unknown[]): void;
  child(component: string): Logger;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * `minLevel` is the `claudeTracer.logLevel` setting: messages below it are dropped here; VS Code's own log level
 * for the channel still applies on top.
 */
export function createLogger(channel: vscode.LogOutputChannel, minLevel: () => LogLevel, component = 'app'): Logger {
  const tag = (m: string) => `[${component}] ${m}`;
  const on = (l: LogLevel) => RANK[l] >= RANK[minLevel()];
  return {
    trace: (m, ...a) => on('trace') && channel.trace(tag(m), ...a),
    debug: (m, ...a) => on('debug') && channel.debug(tag(m), ...a),
    info: (m, ...a) => on('info') && channel.info(tag(m), ...a),
    warn: (m, ...a) => on('warn') && channel.warn(tag(m), ...a),
    error: (m, ...a) => on('error') && channel.error(typeof m === 'string' ? tag(m) : tag(m.stack ?? m.message), ...a),
    child: (c) => createLogger(channel, minLevel, c),
  };
}
