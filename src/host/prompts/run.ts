import * as vscode from 'vscode';
import { type PromptFile, renderPrompt, SELECTION_VARIABLE, toChatRequest } from '../../core/prompts';
import { editorText, errorText, rangesText, localize } from '../util';
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
      const sent = editorText(e);
      if (sent.scope === 'selection') this.last = { uri: e.document.uri, text: rangesText(e.document, sent.ranges) };
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
    const own = active?.document === promptDoc ? editorText(active) : undefined;
    if (own?.scope === 'selection') return rangesText(promptDoc, own.ranges);
    return this.last?.text;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

const SHOW_PROBLEMS = vscode.l10n.t('Show Problems');

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
    void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: open a .prompt.md or .prompty file to run it.'));
    return;
  }
  const file = parses.get(doc);
  const blocking = file.problems.find((p) => p.severity === 'error');
  if (blocking) {
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: this prompt has errors (line {0}: {1})', blocking.range.start.line + 1, localize(blocking.messageMsg)), SHOW_PROBLEMS);
    if (choice === SHOW_PROBLEMS) await vscode.commands.executeCommand('workbench.actions.view.problems');
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
      prompt: name === SELECTION_VARIABLE ? vscode.l10n.t('No selection found: enter the text for {0}', '{{selection}}') : vscode.l10n.t('Value for {0}', `{{${name}}}`),
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
    void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: could not run the prompt: {0}', errorText(e)));
  }
}
