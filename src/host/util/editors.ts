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
    // That editor itself while it is visible (the same document may be open beside it with other selections);
    // else the same document's editor that is visible now (the old object may belong to a closed tab group).
    const visible = vscode.window.visibleTextEditors;
    if (visible.includes(last)) return last;
    return visible.find((v) => v.document === last.document) ?? (vscode.workspace.textDocuments.includes(last.document) ? last : undefined);
  }

  dispose(): void {
    this.sub.dispose();
  }
}

function isTextEditor(e: vscode.TextEditor): boolean {
  return e.document.uri.scheme !== 'output';
}

/** The text a command sends from an editor, and what the status bar counts: the one rule for both. */
export interface EditorText {
  /** 'selection': the selections that hold text; 'document': none does, so the whole document. */
  scope: 'selection' | 'document';
  /** In the editor's order of selections (the primary one first); one range over the whole document otherwise. */
  ranges: vscode.Range[];
}

/**
 * Which text of `editor` is sent: every selection that holds more than white space (several cursors: each of
 * them, joined by a newline), else the whole document. Reads no more of the document than it has to.
 */
export function editorText(editor: vscode.TextEditor): EditorText {
  const doc = editor.document;
  const ranges = editor.selections.filter((sel) => !sel.isEmpty && rangeHasText(doc, sel));
  if (ranges.length) return { scope: 'selection', ranges };
  const last = doc.lineAt(doc.lineCount - 1).range.end;
  return { scope: 'document', ranges: [new vscode.Range(new vscode.Position(0, 0), last)] };
}

/** The text of the ranges, joined by a newline. */
export function rangesText(doc: vscode.TextDocument, ranges: readonly vscode.Range[]): string {
  return ranges.map((r) => doc.getText(r)).join('\n');
}

/** Whether a range holds anything but white space, line by line, stopping at the first that does. */
function rangeHasText(doc: vscode.TextDocument, range: vscode.Range): boolean {
  for (let line = range.start.line; line <= range.end.line; line++) {
    const whole = doc.lineAt(line);
    if (line !== range.start.line && line !== range.end.line) {
      if (!whole.isEmptyOrWhitespace) return true;
    } else {
      const part = whole.range.intersection(range);
      if (part && doc.getText(part).trim() !== '') return true;
    }
  }
  return false;
}
