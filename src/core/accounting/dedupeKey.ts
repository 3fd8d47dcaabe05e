/**
 * The global identity of one API response (docs/TRANSCRIPTS.md §4): every content-block line of it, and every
 * copy a fork/resume makes, shares message.id and requestId. requestId can be missing (proxies, old CLIs):
 * then message.id alone. A line with neither is not an API response we can count.
 */
export function apiMessageKey(
  messageId: string | null | undefined,
  requestId: string | null | undefined,
): string | undefined {
  if (!messageId) return undefined;
  return requestId ? `${messageId}:${requestId}` : messageId;
}

/** Lines that carry no billable usage: the CLI's own error placeholders. */
export function isNonBillable(
  model: string | null | undefined,
  isApiErrorMessage: boolean | null | undefined,
): boolean {
  return model === '<synthetic>' || isApiErrorMessage === true;
}
