import * as vscode from 'vscode';
import type { PromptDeps } from './deps';
import type { ParseCache } from './documents';
import { toRange } from './documents';
import { DIAGNOSTIC_SOURCE, lintDocument } from './diagnostics';

/**
 * Quick fixes for the lint's diagnostics. The lint runs again on the current text (cheap, synchronous), so the
 * edits always match the document even when the diagnostics are a keystroke old.
 */
export class PromptCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly deps: PromptDeps,
    private readonly parses: ParseCache,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const current = lintDocument(this.parses.get(doc), this.deps).filter((d) => d.fixes?.length);
    const actions: vscode.CodeAction[] = [];
    for (const d of current) {
      const dRange = toRange(d.range);
      const matching = ours.find((v) => v.code === d.code && v.range.intersection(dRange) !== undefined);
      if (!matching && !dRange.intersection(range)) continue;
      for (const f of d.fixes!) {
        const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of f.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
        action.edit = edit;
        action.isPreferred = f.preferred ?? false;
        if (matching) action.diagnostics = [matching];
        actions.push(action);
      }
    }
    return actions;
  }
}
