import * as vscode from 'vscode';
import { localize } from '../util';
import { toRange } from './documents';
import type { PromptDiagnostics } from './diagnostics';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/**
 * Quick fixes for the lint's diagnostics. They come from the lint of the document's current version (linted
 * now if the published diagnostics are a keystroke old), so the edits always match the text.
 */
export class PromptCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: PromptDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const current = this.diagnostics.lint(doc).filter((d) => d.fixes?.length);
    const actions: vscode.CodeAction[] = [];
    for (const d of current) {
      const dRange = toRange(d.range);
      const matching = ours.find((v) => v.code === d.code && v.range.intersection(dRange) !== undefined);
      if (!matching && !dRange.intersection(range)) continue;
      for (const f of d.fixes!) {
        const action = new vscode.CodeAction(localize(f.titleMsg), vscode.CodeActionKind.QuickFix);
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
