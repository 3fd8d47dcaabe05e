/**
 * The dashboard's HTML shell. Pure so that the extension and the webview test harness serve
 * byte-for-byte the same document and CSP.
 */
export interface WebviewHtmlOptions {
  /** `webview.cspSource` in VS Code; the harness origin in tests. */
  cspSource: string;
  /** Fresh per render, from a CSPRNG. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  lang: string;
  title: string;
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource}`,
    // The nonced entry module, and its code-split chunks (chart.js, Markdown: loaded on demand) from our own
    // resource roots; no inline script, and no script another script builds ('strict-dynamic' would trust those).
    `script-src 'nonce-${nonce}' ${cspSource}`,
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('nonce must be at least 16 url-safe characters');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title)}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}
