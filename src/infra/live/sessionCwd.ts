import * as fs from 'node:fs/promises';
import { findTranscript } from './transcriptTail';

/** How much of a transcript's start is read for its `cwd` (every record carries it; the first few suffice). */
const HEAD_BYTES = 256 * 1024;

/**
 * The folder a session ran in, as Claude Code wrote it (`cwd` of its first records), for resuming it there: the
 * store keeps the project path masked (a user name in a home path can be masked at the strict level), so a path
 * to `cd` into comes from the transcript itself. Undefined when the transcript is gone or names no cwd.
 */
export async function sessionCwdFromTranscript(
  roots: readonly string[],
  sessionId: string,
  hint = '',
): Promise<string | undefined> {
  const file = await findTranscript(roots, hint, sessionId);
  if (!file) return undefined;
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    for (const line of buf.subarray(0, bytesRead).toString('utf8').split('\n')) {
      if (!line.includes('"cwd"')) continue;
      try {
        const cwd = (JSON.parse(line) as { cwd?: unknown }).cwd;
        if (typeof cwd === 'string' && cwd) return cwd;
      } catch {
        // a line cut at the read's end, or not JSON: the next one
      }
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
