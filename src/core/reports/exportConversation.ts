import type { Masked } from '../privacy/masker';

/** What an export needs (Store.conversation / Store.session produce these shapes). */
export interface ExportItem {
  id: string;
  kind: 'prompt' | 'response';
  ts: number | null;
  isSidechain: boolean;
  agentId: string | null;
  model: string | null;
  texts: { kind: string; text: Masked }[];
  toolCalls: {
    id: string;
    name: string | null;
    inputJson: Masked | null;
    result: Masked | null;
    isError: boolean;
    durationMs: number | null;
    subagentId: string | null;
  }[];
}

export interface ExportSession {
  sessionId: string;
  projectPath: Masked | null;
  gitBranch: Masked | null;
  title: Masked | null;
  firstTs: number | null;
  lastTs: number | null;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** Everything here is already masked; export only formats. */
export function exportJson(s: ExportSession, items: readonly ExportItem[]): string {
  return `${JSON.stringify({ session: { ...s, startTime: iso(s.firstTs), endTime: iso(s.lastTs) }, items }, null, 2)}\n`;
}

/**
 * Markdown that renders inert in any viewer: transcript text (prompts, replies, thinking, tool input and output)
 * goes in fenced code blocks whose fence is longer than any backtick run inside, so no content can close it or
 * be read as HTML, links or images; short fields in headings and lists are escaped (`mdInline`, `mdCode`).
 */
export function exportMarkdown(s: ExportSession, items: readonly ExportItem[]): string {
  const out: string[] = [`# ${s.title ? mdInline(s.title) : `Session ${mdInline(s.sessionId)}`}`, ''];
  out.push(`- session: ${mdCode(s.sessionId)}`);
  if (s.projectPath) out.push(`- project: ${mdCode(s.projectPath)}`);
  if (s.gitBranch) out.push(`- branch: ${mdCode(s.gitBranch)}`);
  out.push(`- from ${iso(s.firstTs)} to ${iso(s.lastTs)}`, '');
  for (const it of items) {
    const who = it.kind === 'prompt' ? 'User' : `Assistant${it.model ? ` (${mdInline(it.model)})` : ''}`;
    const agent = it.isSidechain ? `\\[subagent ${mdInline(it.agentId ?? '')}\\] ` : '';
    out.push(`## ${agent}${who} — ${iso(it.ts)}`, '');
    for (const t of it.texts) {
      if (t.kind === 'thinking')
        out.push('<details><summary>thinking</summary>', '', fence(t.text, 'text'), '', '</details>', '');
      else out.push(fence(t.text, 'text'), '');
    }
    for (const c of it.toolCalls) {
      out.push(
        `**Tool ${mdInline(c.name ?? '?')}**${c.isError ? ' (error)' : ''}${c.durationMs !== null ? ` — ${c.durationMs} ms` : ''}${c.subagentId ? ` → subagent ${mdInline(c.subagentId)}` : ''}`,
        '',
      );
      out.push(fence(c.inputJson ?? '', 'json'));
      if (c.result !== null) out.push('', fence(c.result, 'text'));
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

export function exportHtml(s: ExportSession, items: readonly ExportItem[]): string {
  const e = escapeHtml;
  const body: string[] = [];
  for (const it of items) {
    const who = it.kind === 'prompt' ? 'User' : `Assistant${it.model ? ` (${it.model})` : ''}`;
    body.push(
      `<section class="${it.kind}${it.isSidechain ? ' sidechain' : ''}"><h2>${e(who)} <time>${e(iso(it.ts))}</time></h2>`,
    );
    for (const t of it.texts) {
      body.push(
        t.kind === 'thinking'
          ? `<details><summary>thinking</summary><pre>${e(t.text)}</pre></details>`
          : `<pre class="text">${e(t.text)}</pre>`,
      );
    }
    for (const c of it.toolCalls) {
      body.push(
        `<div class="tool${c.isError ? ' error' : ''}"><h3>${e(c.name ?? '?')}</h3><pre>${e(c.inputJson ?? '')}</pre>${c.result !== null ? `<pre class="result">${e(c.result)}</pre>` : ''}</div>`,
      );
    }
    body.push('</section>');
  }
  const title = e(s.title ?? `Session ${s.sessionId}`);
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title}</title>
<style>body{font:14px system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}section.prompt h2{color:#0550ae}.sidechain{margin-left:2rem;border-left:3px solid #ccc;padding-left:1rem}.error{border-left:3px solid #c00}time{font-size:.7em;color:#777}</style>
</head><body><h1>${title}</h1><p>session <code>${e(s.sessionId)}</code>${s.projectPath ? ` · <code>${e(s.projectPath)}</code>` : ''}</p>
${body.join('\n')}
</body></html>
`;
}

/** A fenced block no line of `text` can close: the fence is one backtick longer than its longest backtick run. */
function fence(text: string, lang: string): string {
  const f = '`'.repeat(Math.max(3, longestRun(text) + 1));
  return `${f}${lang}\n${text}\n${f}`;
}

/** A code span (renders its content literally), on one line, delimited by more backticks than any run inside. */
function mdCode(text: string): string {
  const one = text.replace(/[\r\n]+/g, ' ');
  const d = '`'.repeat(longestRun(one) + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${d}${pad}${one}${pad}${d}`;
}

/** Plain text inside a heading or list line: one line, HTML as entities, Markdown punctuation backslash-escaped. */
function mdInline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&');
}

function longestRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
