import assert from 'node:assert/strict';
// marked: a CommonMark/GFM renderer (here through @vscode/vsce, which renders READMEs with it): what a viewer does.
import { marked } from 'marked';
import type { Masked } from '../../../src/core/privacy/masker';
import { type ExportItem, type ExportSession, exportMarkdown } from '../../../src/core/reports/exportConversation';

const m = (s: string) => s as Masked;

const HOSTILE = [
  '<script>alert("prompt")</script>',
  '<img src=x onerror="alert(1)">',
  '<div>\n<iframe src="https://evil.example/"></iframe>\n</div>',
  '```\n</code></pre><script>alert("fence")</script>\n```',
  '````md\n<img src=y onerror=alert(2)>\n````',
  '![tracker](https://evil.example/pixel.png) [click](javascript:alert(3))',
  '日本語のテキスト：設定ファイルを確認してください。',
].join('\n\n');

const session: ExportSession = {
  sessionId: 'aaaaaaaa-0000-4000-8000-000000000001',
  projectPath: m('/home/dev/プロジェクト/`weird`<b>'),
  gitBranch: m('feat/<script>x</script>'),
  title: m('<img src=z onerror=alert(4)> # タイトル'),
  firstTs: Date.UTC(2026, 10, 20),
  lastTs: Date.UTC(2026, 10, 21),
};

const items: ExportItem[] = [
  {
    id: 'p1',
    kind: 'prompt',
    ts: 1,
    isSidechain: false,
    agentId: null,
    model: null,
    texts: [{ kind: 'text', text: m(HOSTILE) }],
    toolCalls: [],
  },
  {
    id: 'r1',
    kind: 'response',
    ts: 2,
    isSidechain: true,
    agentId: '<b>agent</b>',
    model: 'claude-<i>x</i>',
    texts: [
      { kind: 'thinking', text: m('<script>alert("thinking")</script>\n\n日本語で考える') },
      { kind: 'text', text: m('`````\n<script>alert("five")</script>') },
    ],
    toolCalls: [
      {
        id: 't1',
        name: '<svg onload=alert(5)>',
        inputJson: m('{"command":"echo \\"<script>alert(6)</script>\\""}'),
        result: m('```\n<img src=q onerror=alert(7)>'),
        isError: false,
        durationMs: 3,
        subagentId: null,
      },
    ],
  },
];

describe('exportMarkdown: transcript text renders inert', () => {
  const md = exportMarkdown(session, items);
  const html = marked.parse(md, { async: false }) as string;

  it('a Markdown renderer produces no script, img, iframe, svg or event handler from the content', () => {
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<iframe/i);
    assert.doesNotMatch(html, /<svg/i);
    assert.doesNotMatch(html, /<(i|b)>/i);
    assert.doesNotMatch(html, /<a /i, 'no link is made from the text');
    // every handler attribute would sit inside a tag; tags left are only the renderer's own
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((t) => t[1]!.toLowerCase()));
    for (const t of tags)
      assert.ok(['h1', 'h2', 'ul', 'li', 'p', 'pre', 'code', 'details', 'summary', 'strong'].includes(t), `tag <${t}>`);
  });

  it('content with backtick fences cannot close its block: each text is one code block, verbatim', () => {
    const blocks = [...html.matchAll(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map((b) => decodeHtml(b[1]!));
    assert.ok(blocks.includes(`${HOSTILE}\n`), 'the whole prompt is one block');
    assert.ok(blocks.includes('`````\n<script>alert("five")</script>\n'));
    assert.ok(blocks.includes('```\n<img src=q onerror=alert(7)>\n'));
    assert.ok(blocks.includes('<script>alert("thinking")</script>\n\n日本語で考える\n'));
    assert.equal(blocks.length, 5, 'prompt, thinking, reply, tool input, tool result');
  });

  it('Japanese text is kept as is, headings and list fields are escaped', () => {
    assert.ok(md.includes('日本語のテキスト：設定ファイルを確認してください。'));
    assert.match(html, /<h1>&lt;img src=z onerror=alert\(4\)&gt; # タイトル<\/h1>/);
    assert.ok(html.includes('<code>/home/dev/プロジェクト/`weird`&lt;b&gt;</code>'), html);
    assert.ok(html.includes('<code>feat/&lt;script&gt;x&lt;/script&gt;</code>'));
  });
});

function decodeHtml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
