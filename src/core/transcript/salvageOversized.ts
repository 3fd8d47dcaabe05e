/**
 * A line over the size cap is not parsed whole (it could be 500 MB). What matters in it sits at its ends:
 * an assistant line starts with `message.id`/`model` and ends with `usage`, `requestId`, `type`, `uuid`,
 * `sessionId`, `timestamp`. We rebuild a small record from the kept head and tail so token totals stay exact;
 * the bulky content is replaced by a marker.
 */
export function salvageOversized(head: string, tail: string, length: number): Record<string, unknown> | undefined {
  // Envelope fields sit before `"message":` or after the message's usage (CLI order varies by version).
  const msgAt = head.indexOf('"message":');
  const headEnv = msgAt >= 0 ? head.slice(0, msgAt) : '';
  const usageAt = tail.lastIndexOf('"usage":{');
  const tailEnv = usageAt >= 0 ? tail.slice(usageAt) : tail;
  const get = (key: string) => lastString(tailEnv, key) ?? firstString(headEnv, key);
  const tailType = lastString(tailEnv, 'type');
  const type = tailType === 'assistant' || tailType === 'user' ? tailType : firstString(headEnv, 'type');
  const env: Record<string, unknown> = {
    type,
    uuid: get('uuid'),
    sessionId: get('sessionId'),
    timestamp: get('timestamp'),
    cwd: get('cwd'),
    gitBranch: get('gitBranch'),
    version: get('version'),
    entrypoint: get('entrypoint'),
    agentId: get('agentId'),
    requestSessionId: get('requestSessionId'),
    isSidechain: /"isSidechain":true/.test(headEnv) || /"isSidechain":true/.test(tailEnv),
  };
  const marker = `[line of ${length} bytes exceeded the size cap; content not kept]`;
  if (type === 'assistant') {
    const msgStart = head.indexOf('"message":{');
    const msgHead = msgStart >= 0 ? head.slice(msgStart) : head;
    const usage = lastObject(tail, 'usage');
    return {
      ...env,
      requestId: get('requestId'),
      isApiErrorMessage: /"isApiErrorMessage":true/.test(tailEnv) || /"isApiErrorMessage":true/.test(headEnv),
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
        content: toolUseId
          ? [{ type: 'tool_result', tool_use_id: toolUseId, content: marker, is_error: /"is_error":true/.test(head) }]
          : marker,
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
  const start = at + key.length + 3; // index of the opening brace
  let depth = 0;
  let inStr = false;
  for (let i = start; i < s.length; i++) {
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
