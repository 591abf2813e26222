import { randomBytes } from 'node:crypto';

/** A fresh nonce for one page load. */
export function nonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The webviews' Content Security Policy: nothing by default; styles and fonts only from the extension's own
 * resources (plus the nonce), images from there or inline data, scripts only with the page's nonce. No remote
 * loads, no inline handlers, no eval.
 *
 * Without `cspSource` (a page that loads nothing from the extension and runs no script, such as Compare Costs),
 * only the page's own nonce'd `<style>` is allowed: no scripts, images, fonts or other resources at all.
 */
export function contentSecurityPolicy(cspSource: string | undefined, n: string): string {
  if (cspSource === undefined) return `default-src 'none'; style-src 'nonce-${n}';`;
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${n}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ') + ';';
}
