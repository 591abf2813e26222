import * as vscode from 'vscode';
import type { PromptFile } from '../../core/prompts';
import { renderPrompt, SELECTION_VARIABLE, toChatRequest } from '../../core/prompts';
import type { PromptDeps, PromptRunRequest } from './deps';
import type { ParseCache } from './documents';

export const DEFAULT_MAX_TOKENS = 1024;

/** Remembers the selection of the last editor that is not a prompt file: that is what `{{selection}}` takes. */
export class SelectionTracker implements vscode.Disposable {
  private last: { uri: vscode.Uri; text: string } | undefined;
  private readonly sub: vscode.Disposable;

  constructor(private readonly isPrompt: (doc: vscode.TextDocument) => boolean) {
    const remember = (e: vscode.TextEditor | undefined) => {
      if (!e || this.isPrompt(e.document) || e.document.uri.scheme === 'output') return;
      const text = e.selections.map((s) => e.document.getText(s)).join('\n');
      if (text.trim() !== '') this.last = { uri: e.document.uri, text };
    };
    remember(vscode.window.activeTextEditor);
    this.sub = vscode.Disposable.from(
      vscode.window.onDidChangeActiveTextEditor(remember),
      vscode.window.onDidChangeTextEditorSelection((e) => remember(e.textEditor)),
    );
  }

  selection(promptDoc: vscode.TextDocument): string | undefined {
    // A selection in the prompt file itself wins when it is the active editor.
    const active = vscode.window.activeTextEditor;
    if (active && active.document === promptDoc && !active.selection.isEmpty) return promptDoc.getText(active.selection);
    return this.last?.text;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

function titleOf(file: PromptFile, doc: vscode.TextDocument): string {
  return file.config.name ?? doc.uri.path.split('/').pop() ?? 'Prompt';
}

/** `tierwise.runPromptFile`: render, ask for the values still missing, hand over to the answer panel. */
export async function runPromptFile(
  arg: unknown,
  deps: PromptDeps,
  parses: ParseCache,
  selections: SelectionTracker,
  isPrompt: (doc: vscode.TextDocument) => boolean,
): Promise<void> {
  const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
  if (!doc || !isPrompt(doc)) {
    void vscode.window.showWarningMessage('Tierwise: open a .prompt.md or .prompty file to run it.');
    return;
  }
  const file = parses.get(doc);
  const blocking = file.problems.find((p) => p.severity === 'error');
  if (blocking) {
    const choice = await vscode.window.showErrorMessage(`Tierwise: this prompt has errors (line ${blocking.range.start.line + 1}: ${blocking.message})`, 'Show Problems');
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }

  const values: Record<string, string> = {};
  const selection = selections.selection(doc);
  if (selection !== undefined) values[SELECTION_VARIABLE] = selection;
  const missing = renderPrompt(file, { values }).missing;
  for (const name of missing) {
    const def = file.variables.find((v) => v.name === name);
    const value = await vscode.window.showInputBox({
      title: `${titleOf(file, doc)}: {{${name}}}`,
      prompt: name === SELECTION_VARIABLE ? 'No selection found: enter the text for {{selection}}' : `Value for {{${name}}}`,
      value: def?.sample ?? '',
      ignoreFocusOut: true,
    });
    if (value === undefined) return; // cancelled
    values[name] = value;
  }

  const r = renderPrompt(file, { values });
  // The file's own request, addressed to its own model for now: routing then picks the model it goes to.
  const { provider: _provider, model: _model, ...request } = toChatRequest(r, r.provider && r.model ? { provider: r.provider, model: r.model } : deps.defaultTarget(), DEFAULT_MAX_TOKENS);
  const req: PromptRunRequest = { title: titleOf(file, doc), uri: doc.uri, request };
  if (r.provider !== undefined) req.provider = r.provider;
  if (r.model !== undefined) req.model = r.model;
  if (r.tier !== undefined) req.tier = r.tier;
  try {
    await deps.runPrompt(req);
  } catch (e) {
    deps.log.error(e instanceof Error ? e : new Error(String(e)));
    void vscode.window.showErrorMessage(`Tierwise: could not run the prompt: ${e instanceof Error ? e.message : String(e)}`);
  }
}
