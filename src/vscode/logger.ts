import * as vscode from 'vscode';

/** One LogOutputChannel for the extension; each component logs through its own tag. Never log transcript text. */
export interface Logger {
  trace(msg: string, ...args: unknown[]): void;
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string | Error, ...args: unknown[]): void;
  child(component: string): Logger;
}

export function createLogger(channel: vscode.LogOutputChannel, component = 'app'): Logger {
  const tag = (m: string) => `[${component}] ${m}`;
  return {
    trace: (m, ...a) => channel.trace(tag(m), ...a),
    debug: (m, ...a) => channel.debug(tag(m), ...a),
    info: (m, ...a) => channel.info(tag(m), ...a),
    warn: (m, ...a) => channel.warn(tag(m), ...a),
    error: (m, ...a) => channel.error(typeof m === 'string' ? tag(m) : tag(m.stack ?? m.message), ...a),
    child: (c) => createLogger(channel, c),
  };
}
