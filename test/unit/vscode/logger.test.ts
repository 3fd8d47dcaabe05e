import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createLogger, type LogLevel } from '../../../src/vscode/logger';

/** Records what reaches the channel (the logger's own filtering and tagging is what is under test). */
function recordingChannel() {
  const lines: string[] = [];
  const rec = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  const channel = {
    trace: rec('trace'),
    debug: rec('debug'),
    info: rec('info'),
    warn: rec('warn'),
    error: rec('error'),
  };
  return { lines, channel: channel as unknown as vscode.LogOutputChannel };
}

describe('logger', () => {
  it('tags each component and drops messages below claudeTracer.logLevel, following changes', () => {
    const { lines, channel } = recordingChannel();
    let level: LogLevel = 'info';
    const log = createLogger(channel, () => level);
    const ingest = log.child('ingest');
    ingest.debug('hidden');
    ingest.info('scan done');
    level = 'error';
    log.warn('hidden too');
    log.error(new Error('boom'));
    level = 'trace';
    ingest.trace('now visible');
    assert.equal(lines[0], 'info [ingest] scan done');
    assert.match(lines[1]!, /^error \[app\] Error: boom/);
    assert.equal(lines[2], 'trace [ingest] now visible');
    assert.equal(lines.length, 3);
  });
});
