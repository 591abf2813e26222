import * as vscode from 'vscode';
import { buildPage } from './page';

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

/** The page of a bundled webview: `dist/<bundle>.js` and `dist/<bundle>.css`, under a strict CSP with a nonce. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  return buildPage({
    title,
    cspSource: webview.cspSource,
    stylesheets: [asset(`${bundle}.css`)],
    scripts: [asset(`${bundle}.js`)],
    body: '<main id="app"></main>',
  });
}
