/**
 * Markdown for model output: markdown-it with highlight.js for fenced code.
 *
 * Model output is untrusted. This layer already refuses raw HTML (`html: false`), never turns URLs into links on
 * its own, does not resolve reference definitions (they would make earlier blocks depend on later text, which
 * incremental rendering cannot afford) and never emits a remote image; `sanitize.ts` is the second layer.
 */
import MarkdownIt from 'markdown-it';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { s, type WebviewStringId } from './strings';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, plaintext, python, rust, shell, sql,
  typescript, xml, yaml,
};
let registered = false;
function registerLanguages(): void {
  if (registered) return;
  for (const [name, def] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, def);
  registered = true;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The button row of every code block; the webview handles clicks by event delegation on `data-code-action`.
 * `label` is the id of the button's text (see `codeActionLabel`).
 */
export const CODE_ACTIONS = [
  { action: 'copy', label: 'code.copy' },
  { action: 'insert', label: 'code.insert' },
  { action: 'replace', label: 'code.replace' },
] as const satisfies readonly { action: string; label: WebviewStringId }[];
export type CodeAction = (typeof CODE_ACTIONS)[number]['action'];

/** A code block button's text in the page's language. */
export function codeActionLabel(a: (typeof CODE_ACTIONS)[number]): string {
  return s(a.label);
}

const SAFE_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;

export function createMarkdown(): MarkdownIt {
  registerLanguages();
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.disable('reference');

  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    const info = token.info ? md.utils.unescapeAll(token.info).trim() : '';
    const lang = info.split(/\s+/)[0] ?? '';
    const known = lang !== '' && hljs.getLanguage(lang) !== undefined;
    const body = known
      ? hljs.highlight(token.content, { language: lang, ignoreIllegals: true }).value
      : escapeHtml(token.content);
    const cls = known ? ` class="hljs language-${escapeHtml(lang)}"` : ' class="hljs"';
    const label = lang ? `<span class="code-lang">${escapeHtml(lang)}</span>` : '';
    const buttons = CODE_ACTIONS.map(
      (a) => `<button type="button" class="code-action" data-code-action="${a.action}">${escapeHtml(codeActionLabel(a))}</button>`,
    ).join('');
    return `<div class="code-block">\n<div class="code-toolbar">${label}${buttons}</div><pre><code${cls}>${body}</code></pre></div>\n`;
  };

  // Images: only inline data images are drawn; anything remote becomes its alt text (and the CSP would block it).
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = token.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    if (SAFE_IMAGE.test(src)) return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
    return `<span class="md-image" title="${escapeHtml(src)}">${escapeHtml(s('markdown.image', alt))}</span>`;
  };
  return md;
}

let shared: MarkdownIt | undefined;
/** One markdown-it instance for the page. */
export function getMarkdown(): MarkdownIt {
  return (shared ??= createMarkdown());
}
