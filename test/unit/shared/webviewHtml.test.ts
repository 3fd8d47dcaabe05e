import assert from 'node:assert/strict';
import { contentSecurityPolicy, renderWebviewHtml } from '../../../src/shared/webviewHtml';

describe('webview HTML shell', () => {
  const base = {
    cspSource: 'https://x.vscode-cdn.net',
    nonce: 'abcdefghijklmnopqrstuvwx',
    scriptUri: 's.js',
    styleUri: 's.css',
    lang: 'en',
    title: 't',
  };

  it('allows scripts only by nonce and nothing by default', () => {
    const csp = contentSecurityPolicy(base.cspSource, base.nonce);
    assert.match(csp, /default-src 'none'/);
    // The nonced entry module and its chunks from the webview's own resource roots; nothing inline, no strict-dynamic.
    assert.match(csp, /script-src 'nonce-abcdefghijklmnopqrstuvwx' https:\/\/x\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /strict-dynamic/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('puts the nonce on the one script tag and escapes attributes', () => {
    const html = renderWebviewHtml({ ...base, title: '<x>"' });
    assert.equal(html.match(/<script /g)?.length, 1);
    assert.match(html, /<script type="module" nonce="abcdefghijklmnopqrstuvwx" src="s.js">/);
    assert.match(html, /&lt;x&gt;&quot;/);
  });

  it('refuses a short or unsafe nonce', () => {
    assert.throws(() => renderWebviewHtml({ ...base, nonce: 'short' }));
    assert.throws(() => renderWebviewHtml({ ...base, nonce: '"><script>alert(1)</script>' }));
  });
});
