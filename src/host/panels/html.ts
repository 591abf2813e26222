import * as vscode from 'vscode';
import { WEBVIEW_STRINGS, type PageLocale, type WebviewStringId } from '../../shared/protocol/strings';
import { buildPage, escapeHtml } from './page';

/** Webview options shared by Tierwise's bundled panels: scripts on, resources only from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    // Not retained when hidden: the webview restores itself from the host's model on `ready`, which is cheaper
    // than keeping a hidden renderer process alive.
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

/** Options of a static page (Compare Costs): no scripts, no resources from anywhere. */
export const staticPageOptions: vscode.WebviewOptions & vscode.WebviewPanelOptions = { enableScripts: false, localResourceRoots: [] };

/**
 * What a page is told about its language: VS Code's display language and every webview string translated to it
 * through `vscode.l10n` (the English template is the key; `npm run l10n` puts the templates into the bundle).
 */
export function pageLocale(): PageLocale {
  const strings: Partial<Record<WebviewStringId, string>> = {};
  for (const [id, template] of Object.entries(WEBVIEW_STRINGS) as [WebviewStringId, string][]) strings[id] = vscode.l10n.t(template);
  return { language: vscode.env.language || 'en', strings };
}

/**
 * The page of a bundled webview: `dist/<bundle>.js` and `dist/<bundle>.css`, under a strict CSP with a nonce. The
 * root element carries the page's locale as JSON in `data-locale` (an attribute, so no inline script is needed).
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  const locale = pageLocale();
  return buildPage({
    title,
    lang: locale.language,
    cspSource: webview.cspSource,
    stylesheets: [asset(`${bundle}.css`)],
    scripts: [asset(`${bundle}.js`)],
    body: `<main id="app" data-locale="${escapeHtml(JSON.stringify(locale))}"></main>`,
  });
}
