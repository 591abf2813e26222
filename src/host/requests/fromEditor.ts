/** The first step of a request: the text of the editor a command acts on, by the one rule of `editorText`. */
import * as vscode from 'vscode';
import { editorText, rangesText, type EditorTracker } from '../util';
import type { PendingRequest } from './pending';

/** Texts from this size on ask before they are sent, naming their size. */
export const LARGE_TEXT_BYTES = 1024 * 1024;

/**
 * Builds the request from the active editor (or the last active one while a Tierwise panel has focus): its
 * selections, or the whole document (and says so).
 */
export function requestFromEditor(editors: EditorTracker, task: string, title: string, question?: string): PendingRequest | undefined {
  const editor = editors.current();
  if (!editor) {
    void vscode.window.showWarningMessage(noEditorMessage());
    return undefined;
  }
  const doc = editor.document;
  const { scope, ranges } = editorText(editor);
  const text = rangesText(doc, ranges);
  const whole = scope === 'document';
  if (whole) {
    if (text.trim() === '') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: the selection and the document are empty. Select some code or text to send.'));
      return undefined;
    }
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Tierwise: no selection, sending the whole document ({0} lines)', doc.lineCount), 5000);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = nulLine(doc, ranges, nul);
    void vscode.window.showErrorMessage(
      whole
        ? vscode.l10n.t('Tierwise: the document contains binary data (a NUL byte on line {0}), so nothing was sent. Select text only, or open the file as text.', line)
        : vscode.l10n.t('Tierwise: the selection contains binary data (a NUL byte on line {0}), so nothing was sent. Select text only, or open the file as text.', line),
    );
    return undefined;
  }
  // An answer is inserted at the primary selection when it holds text, else the first that does (or the document).
  const r = ranges[0]!;
  const selection = ranges.includes(editor.selection) ? editor.selection : new vscode.Selection(r.start, r.end);
  return {
    task,
    title,
    text,
    question,
    languageId: doc.languageId,
    fileName: vscode.workspace.asRelativePath(doc.uri),
    target: { uri: doc.uri, selection },
  };
}

/** The line (1-based) of the character at `offset` of the ranges' text joined by newlines. */
function nulLine(doc: vscode.TextDocument, ranges: readonly vscode.Range[], offset: number): number {
  let at = offset;
  for (const r of ranges) {
    const len = doc.offsetAt(r.end) - doc.offsetAt(r.start);
    if (at < len) return doc.positionAt(doc.offsetAt(r.start) + at).line + 1;
    at -= len + 1;
  }
  return doc.positionAt(doc.offsetAt(ranges[0]!.start) + offset).line + 1;
}

/** UTF-8 size of a text without copying it (fast even for 50 MB). */
export function byteSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** "50.0 MB (52,428,800 characters)". */
export function formatSize(chars: number, bytes: number): string {
  const mb = bytes / (1024 * 1024);
  const size = mb >= 1 ? `${mb.toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
  return `${size} (${chars.toLocaleString('en-US')} characters)`;
}

/**
 * Why there is no editor to send from. VS Code does not hand files of 50 MB or more to extensions: such a file is
 * open in a tab but has no text editor, which deserves its own message.
 */
function noEditorMessage(): string {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText) {
    return vscode.l10n.t(
      'Tierwise: {0} is open but VS Code does not share it with extensions (files of 50 MB or more are not). Copy the part you need into a smaller file.',
      vscode.workspace.asRelativePath(input.uri),
    );
  }
  return vscode.l10n.t('Tierwise: open a file and select some code or text first.');
}
