import { micromark } from 'micromark';
import { highlightTokens } from './codeHighlight';
import { splitMasks } from './maskSpans';

/**
 * Assistant text as Markdown, safely:
 * 1. micromark with its defaults never passes HTML through (`<script>` becomes text) and empties `javascript:` /
 *    `data:` link and image targets;
 * 2. the result is parsed into an inert <template> (nothing runs, nothing loads) and cut down to an allowlist of
 *    elements and attributes — defence in depth, should the renderer ever change;
 * 3. code blocks are highlighted (text nodes in token spans), masked spans are wrapped in marked elements.
 */

const ALLOWED = new Set([
  'P',
  'BR',
  'HR',
  'EM',
  'STRONG',
  'DEL',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'A',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'SPAN',
]);
const SAFE_HREF = /^(?:https?:|mailto:|#)/i;

function sanitize(root: ParentNode): void {
  for (const el of [...root.querySelectorAll('*')]) {
    if (!ALLOWED.has(el.tagName)) {
      // Unknown elements keep their text only; an image becomes its alt text (no remote loads).
      const text = el.tagName === 'IMG' ? (el.getAttribute('alt') ?? '') : (el.textContent ?? '');
      el.replaceWith(document.createTextNode(text));
      continue;
    }
    for (const attr of [...el.attributes]) {
      const keep =
        (el.tagName === 'A' && attr.name === 'href' && SAFE_HREF.test(attr.value.trim())) ||
        (el.tagName === 'CODE' && attr.name === 'class' && /^language-[\w+#.-]{1,40}$/.test(attr.value)) ||
        (el.tagName === 'OL' && attr.name === 'start');
      if (!keep) el.removeAttribute(attr.name);
    }
    if (el.tagName === 'A') {
      el.setAttribute('title', el.getAttribute('href') ?? '');
      el.setAttribute('rel', 'noreferrer noopener');
    }
  }
}

/** Wraps masked placeholders in text nodes with <span class="mask mask-KIND" title="category">. */
export function markMasks(root: Node, label: (category: string) => string): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  for (const node of nodes) {
    const segments = splitMasks(node.data);
    if (segments.length === 1 && !segments[0]?.mask) continue;
    const frag = document.createDocumentFragment();
    for (const s of segments) {
      if (!s.mask) {
        frag.append(s.text);
        continue;
      }
      const span = document.createElement('span');
      span.className = `mask mask-${s.mask.kind}`;
      span.title = label(s.mask.category);
      span.dataset.category = s.mask.category;
      span.textContent = s.text;
      frag.append(span);
    }
    node.replaceWith(frag);
  }
}

/** Markdown source → a sanitized DocumentFragment (never attached as an HTML string). */
export function renderMarkdown(source: string, maskLabel: (category: string) => string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = micromark(source);
  const frag = template.content;
  sanitize(frag);
  highlightCodeBlocks(frag);
  markMasks(frag, maskLabel);
  return frag;
}

/** Highlights every <pre><code> under root in place (their text only; nothing else is touched). */
export function highlightCodeBlocks(root: ParentNode): void {
  for (const code of root.querySelectorAll('pre > code')) {
    const lang = /language-([\w+#.-]+)/.exec(code.className)?.[1] ?? '';
    const frag = document.createDocumentFragment();
    for (const t of highlightTokens(code.textContent ?? '', lang)) {
      if (t.kind === null) {
        frag.append(t.text);
      } else {
        const span = document.createElement('span');
        span.className = `tok-${t.kind}`;
        span.textContent = t.text;
        frag.append(span);
      }
    }
    code.replaceChildren(frag);
    if (lang) code.parentElement?.setAttribute('data-lang', lang);
  }
}
