import * as vscode from 'vscode';
import { contentSecurityPolicy, nonce } from './csp';

export { contentSecurityPolicy, nonce } from './csp';

/** Webview options shared by Tierwise's panels: scripts on, resources only from dist/ and media/. */
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

/** The page of a bundled webview: `dist/<bundle>.js` and `dist/<bundle>.css`, under a strict CSP with a nonce. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const n = nonce();
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(asset(`${bundle}.css`))}" nonce="${n}">
<title>${esc(title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${n}" src="${esc(asset(`${bundle}.js`))}"></script>
</body>
</html>`;
}

/** Ties a channel to its panel: not ready while the panel is hidden, and `onClosed` once the panel is closed. */
export function bindChannel(panel: vscode.WebviewPanel, channel: { notReady(): void } & vscode.Disposable, onClosed: () => void): vscode.Disposable[] {
  return [
    channel,
    panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) channel.notReady();
    }),
    panel.onDidDispose(onClosed),
  ];
}
