import * as vscode from 'vscode';

/**
 * The text editor a command acts on: the active one, or, while a Tierwise panel (or any other webview) has focus,
 * the text editor that was active last, as long as its document is still open.
 */
export class EditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly sub = vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e && isTextEditor(e)) this.last = e;
  });

  current(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && isTextEditor(active)) return active;
    const last = this.last;
    if (!last || last.document.isClosed) return undefined;
    // Prefer the same document's editor that is visible now (the old object may belong to a closed tab group).
    return vscode.window.visibleTextEditors.find((v) => v.document === last.document) ?? (vscode.workspace.textDocuments.includes(last.document) ? last : undefined);
  }

  dispose(): void {
    this.sub.dispose();
  }
}

function isTextEditor(e: vscode.TextEditor): boolean {
  return e.document.uri.scheme !== 'output';
}
