/**
 * The one page builder of Tierwise's webviews: document, Content Security Policy with a fresh nonce, and escaping.
 * Every `<style>`, stylesheet and script carries the nonce; nothing else may run or load (see `csp.ts`).
 * Pure TypeScript (no vscode), so tests and benchmarks build the same pages.
 */
import { contentSecurityPolicy, nonce } from './csp';

/** Text (or an attribute value) made safe to put into HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PageParts {
  /** The document title (plain text; escaped here). */
  title: string;
  /** The document's language (`vscode.env.language`); "en" when absent. */
  lang?: string;
  /**
   * The webview's `cspSource` when the page loads its stylesheets and scripts from the extension; absent for a page
   * that loads nothing and runs no script (then only `style` applies).
   */
  cspSource?: string;
  /** Stylesheet URLs (from the extension). */
  stylesheets?: readonly string[];
  /** Script URLs (from the extension), loaded after the body. */
  scripts?: readonly string[];
  /** CSS of an inline `<style>`. */
  style?: string;
  /** The body's markup. Trusted: every untrusted value in it must already be escaped with `escapeHtml`. */
  body: string;
}

/** A whole page under the strict CSP, with one fresh nonce for its styles and scripts. */
export function buildPage(p: PageParts): string {
  const n = nonce();
  const head = [
    `<meta charset="UTF-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.cspSource, n)}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1.0">`,
    ...(p.stylesheets ?? []).map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}" nonce="${n}">`),
    `<title>${escapeHtml(p.title)}</title>`,
    ...(p.style !== undefined ? [`<style nonce="${n}">\n${p.style}\n</style>`] : []),
  ];
  const scripts = (p.scripts ?? []).map((src) => `<script nonce="${n}" src="${escapeHtml(src)}"></script>`);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(p.lang || 'en')}">
<head>
${head.join('\n')}
</head>
<body>
${[p.body, ...scripts].join('\n')}
</body>
</html>`;
}
