import assert from 'node:assert/strict';
import { buildPage, escapeHtml } from '../../../src/host/panels/page';

/** The CSP of a page and every nonce its tags carry. */
function parts(html: string): { csp: string; nonces: string[]; tags: number } {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
  const tags = html.match(/<(script|style|link)\b[^>]*>/g) ?? [];
  const nonces = tags.map((t) => /nonce="([^"]*)"/.exec(t)?.[1] ?? '');
  return { csp, nonces, tags: tags.length };
}

describe('webview pages (one builder for every panel)', () => {
  it('a bundled page: default-src none, scripts and styles only with the page nonce, no unsafe-inline', () => {
    const html = buildPage({
      title: 'Tierwise Answers',
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      stylesheets: ['https://file+.vscode-resource.vscode-cdn.net/dist/webview.css'],
      scripts: ['https://file+.vscode-resource.vscode-cdn.net/dist/webview.js'],
      body: '<main id="app"></main>',
    });
    const { csp, nonces, tags } = parts(html);
    assert.match(csp, /^default-src 'none'; /);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const n = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(n && n.length >= 16, csp);
    assert.equal(tags, 2);
    assert.deepEqual(nonces, [n, n]);
    assert.match(html, /<main id="app"><\/main>\n<script nonce="[^"]+" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/dist\/webview\.js"><\/script>/);
  });

  it('a static page (Compare Costs): only its own nonce-d style; no scripts, images, fonts or resources', () => {
    const html = buildPage({ title: 'Tierwise: Compare Costs', style: 'h1{font-size:1.3em}', body: '<h1>Compare costs</h1>' });
    const { csp, nonces, tags } = parts(html);
    const n = nonces[0];
    assert.equal(csp, `default-src 'none'; style-src 'nonce-${n}';`);
    assert.equal(tags, 1);
    assert.match(html, /<style nonce="[^"]+">\nh1\{font-size:1\.3em\}\n<\/style>/);
  });

  it('every page load gets a fresh nonce', () => {
    const a = parts(buildPage({ title: 't', style: '', body: '' })).nonces[0];
    const b = parts(buildPage({ title: 't', style: '', body: '' })).nonces[0];
    assert.notEqual(a, b);
  });

  it('escapes the title, URLs and the text put into a page', () => {
    const hostile = `"><script>alert('x')</script>&`;
    assert.equal(escapeHtml(hostile), '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;');
    const html = buildPage({ title: hostile, cspSource: 'vscode-resource:', scripts: [`x.js"${hostile}`], body: '' });
    assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'only the page script');
    assert.ok(html.includes(`<title>${escapeHtml(hostile)}</title>`));
  });
});

describe('webview pages: the display language', () => {
  it('the document says its language; English when none is given', () => {
    assert.match(buildPage({ title: 't', lang: 'zh-cn', body: '' }), /<html lang="zh-cn">/);
    assert.match(buildPage({ title: 't', body: '' }), /<html lang="en">/);
    assert.match(buildPage({ title: 't', lang: '"><x', body: '' }), /<html lang="&quot;&gt;&lt;x">/);
  });
});
