/** `cd <cwd> && claude --resume <id>`, the cwd quoted for POSIX shells (single quotes, ' escaped). */
export function resumeCommand(cwd: string | null, sessionId: string): string {
  const resume = `claude --resume ${/^[A-Za-z0-9-]+$/.test(sessionId) ? sessionId : quote(sessionId)}`;
  return cwd ? `cd ${quote(cwd)} && ${resume}` : resume;
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
