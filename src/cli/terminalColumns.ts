/** The terminal's width when `stream` is one (process.stdout on a TTY); undefined for pipes and files. */
export function terminalColumns(stream: NodeJS.WritableStream): number | undefined {
  const s = stream as { isTTY?: boolean; columns?: number };
  return s.isTTY === true && typeof s.columns === 'number' && s.columns > 0 ? s.columns : undefined;
}
