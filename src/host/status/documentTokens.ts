import * as vscode from 'vscode';
import type { TokenCount, TokenCounter } from '../../core/tokens/client';
import { LiveDocuments } from '../../core/tokens/documents';
import type { ProviderId } from '../../core/types';

/**
 * Whole-document counts through the token worker's document path: a document is sent once, then its edits as
 * they happen, so a keystroke re-counts only the chunks it touched. Closed documents are let go.
 */
export class DocumentTokens implements vscode.Disposable {
  private docs: LiveDocuments | undefined;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly counter: () => TokenCounter) {
    this.subs = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        if (!this.docs?.has(key)) return;
        // Applied in the order given, each against the text the previous one left, as VS Code's own copies do.
        this.docs.edit(
          key,
          e.document.version,
          e.contentChanges.map((c) => ({ offset: c.rangeOffset, deleteCount: c.rangeLength, text: c.text })),
        );
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.docs?.close(d.uri.toString())),
    ];
  }

  /** The count of the whole of `doc` as it is now. */
  count(doc: vscode.TextDocument, provider: ProviderId, model: string): Promise<TokenCount> {
    const counter = this.counter();
    this.docs ??= new LiveDocuments(counter.backend, undefined, counter.calibration);
    return this.docs.count(
      {
        key: doc.uri.toString(),
        get version() {
          return doc.version;
        },
        text: () => doc.getText(),
      },
      provider,
      model,
    );
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.docs?.dispose();
  }
}
