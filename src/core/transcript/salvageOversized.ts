/**
 * A line over the size cap is not parsed whole (it could be 500 MB). What matters in it sits at its ends:
 * an assistant line starts with `message.id`/`model` and ends with `usage`, `requestId`, `type`, `uuid`,
 * `sessionId`, `timestamp`. We rebuild a small record from the kept head and tail so token totals stay exact;
 * the bulky content is replaced by a marker.
 */
export function salvageOversized(head: string, tail: string, length: number): Record<string, unknown> | undefined {
  const type = lastString(tail, 'type');
  const env: Record<string, unknown> = {
    type,
    uuid: lastString(tail, 'uuid'),
    sessionId: lastString(tail, 'sessionId'),
    timestamp: lastString(tail, 'timestamp'),
    cwd: lastString(tail, 'cwd'),
    gitBranch: lastString(tail, 'gitBranch'),
    version: lastString(tail, 'version'),
    entrypoint: lastString(tail, 'entrypoint'),
    agentId: lastString(tail, 'agentId'),
    isSidechain: /"isSidechain":true/.test(head) || /"isSidechain":true/.test(tail),
  };
  const marker = `[line of ${length} bytes exceeded the size cap; content not kept]`;
  if (type === 'assistant') {
    const msgStart = head.indexOf('"message":{');
    const msgHead = msgStart >= 0 ? head.slice(msgStart) : head;
    const usage = lastObject(tail, 'usage');
    return {
      ...env,
      requestId: lastString(tail, 'requestId'),
      isApiErrorMessage: /"isApiErrorMessage":true/.test(tail),
      message: {
        id: firstString(msgHead, 'id'),
        model: firstString(msgHead, 'model'),
        content: [{ type: 'text', text: marker }],
        usage,
      },
    };
  }
  if (type === 'user') {
    const toolUseId = firstString(head, 'tool_use_id');
    return {
      ...env,
      message: {
        role: 'user',
        content: toolUseId ? [{ type: 'tool_result', tool_use_id: toolUseId, content: marker, is_error: /"is_error":true/.test(head) }] : marker,
      },
    };
  }
  return undefined;
}

function firstString(s: string, key: string): string | undefined {
  const m = new RegExp(`"${key}":"((?:[^"\\\\]|\\\\.)*)"`).exec(s);
  return m ? safeUnescape(m[1]!) : undefined;
}

function lastString(s: string, key: string): string | undefined {
  const re = new RegExp(`"${key}":"((?:[^"\\\\]|\\\\.)*)"`, 'g');
  let last: string | undefined;
  for (const m of s.matchAll(re)) last = m[1];
  return last === undefined ? undefined : safeUnescape(last);
}

/** The last `"key":{...}` object in s, brace-balanced (strings respected), parsed; undefined if cut. */
function lastObject(s: string, key: string): unknown {
  const at = s.lastIndexOf(`"${key}":{`);
  if (at < 0) return undefined;
  let i = at + key.length + 3;
  const start = i - 1;
  let depth = 0;
  let inStr = false;
  for (i = start; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(s.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function safeUnescape(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
