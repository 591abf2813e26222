import assert from 'node:assert/strict';
import { createSanitizer } from '../../../src/webview/sanitize';
import { getMarkdown } from '../../../src/webview/markdown';
import { makeWindow } from './dom';

describe('sanitize', () => {
  const win = makeWindow();
  const s = createSanitizer(win);
  const md = getMarkdown();

  it('strips <script> and keeps surrounding text', () => {
    const out = s.html('<p>hi<script>alert(1)</script> there</p><script src="x.js"></script>');
    assert.equal(out, '<p>hi there</p>');
  });

  it('strips event handler attributes', () => {
    const out = s.html('<p onclick="alert(1)" onmouseover="x()">a</p><img src="data:image/png;base64,AAAA" onerror="alert(1)">');
    assert.doesNotMatch(out, /on(click|mouseover|error)/i);
    assert.match(out, /<p>a<\/p>/);
  });

  it('never leaves a navigable href, and drops javascript: URLs', () => {
    const out = s.html('<a href="javascript:alert(1)">x</a><a href="https://example.com/a">y</a><a href="data:text/html,hi">z</a>');
    assert.doesNotMatch(out, /\shref=/i);
    assert.doesNotMatch(out, /javascript:/i);
    assert.doesNotMatch(out, /data:text/i);
    assert.match(out, /data-href="https:\/\/example.com\/a"/);
  });

  it('removes remote images but keeps inline data images', () => {
    const out = s.html('<img src="https://evil.example/track.png"><img src="//evil.example/x.gif"><img src="data:image/png;base64,iVBORw0KGgo=" alt="ok">');
    assert.doesNotMatch(out, /evil/);
    assert.equal((out.match(/<img/g) ?? []).length, 1);
    assert.match(out, /data:image\/png/);
  });

  it('removes iframes, objects, embeds, forms and base/meta/link', () => {
    const out = s.html(
      '<iframe src="https://x"></iframe><object data="x"></object><embed src="x"><form action="https://x"><input></form>' +
        '<base href="https://x/"><meta http-equiv="refresh" content="0;url=https://x"><link rel="stylesheet" href="https://x.css">',
    );
    assert.doesNotMatch(out, /iframe|object|embed|form|input|base|meta|link/i);
  });

  it('removes <style> elements and style attributes', () => {
    const out = s.html('<style>body{background:url(https://x)}</style><p style="background:url(https://x)">t</p>');
    assert.equal(out, '<p>t</p>');
  });

  it('removes svg (script and remote loads hide in it)', () => {
    const out = s.html('<svg><script>alert(1)</script><image href="https://x"/></svg><p>ok</p>');
    assert.equal(out, '<p>ok</p>');
  });

  it('keeps the markdown it should: code blocks with their action buttons, tables, emphasis', () => {
    const html = md.render('**b** _i_\n\n```ts\nconst a = 1;\n```\n\n| a |\n|---|\n| 1 |\n');
    const out = s.html(html);
    assert.match(out, /<strong>b<\/strong>/);
    assert.match(out, /data-code-action="copy"/);
    assert.match(out, /<span class="hljs-keyword">const<\/span>/);
    assert.match(out, /<table>/);
  });

  it('model output in markdown cannot smuggle script, handlers, javascript: links or remote images', () => {
    const evil = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '[click2](JAVASCRIPT:alert(1))',
      '![pixel](https://evil.example/p.gif)',
      '<iframe src="https://evil.example"></iframe>',
      '<a href="https://evil.example" style="position:fixed">x</a>',
      '```html\n<script>alert(1)</script>\n```',
    ].join('\n\n');
    const frag = s.fragment(md.render(evil));
    const div = win.document.createElement('div');
    div.append(frag);
    assert.equal(div.querySelectorAll('script,iframe,img,[style],[onerror],[href]').length, 0);
    for (const el of Array.from(div.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) assert.doesNotMatch(a.value, /javascript:/i, `${el.tagName} ${a.name}`);
    }
    assert.equal(div.querySelectorAll('a').length, 0); // markdown-it refused the javascript: links outright
    assert.match(div.textContent ?? '', /<script>alert\(1\)<\/script>/); // shown as text, not run
  });
});
