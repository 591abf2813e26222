/**
 * Prompt files in the editor: CodeLenses with live token counts and costs, lint diagnostics with quick fixes,
 * and the "Run prompt file" command. Everything that is not editor glue lives in src/core/prompts.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../util';
import { PromptAnalyzer } from './analysis';
import { PromptCodeActionProvider } from './codeActions';
import { PromptCodeLensProvider, RUN_COMMAND } from './codeLens';
import type { PromptDeps } from './deps';
import { PromptDiagnostics } from './diagnostics';
import { ParseCache, promptSelector } from './documents';
import { runPromptFile, SelectionTracker } from './run';

export type { PromptDeps, PromptRunRequest } from './deps';
export { RUN_COMMAND } from './codeLens';
export { DIAGNOSTIC_SOURCE } from './diagnostics';
export { PROMPT_LANGUAGE, PROMPTY_LANGUAGE } from './documents';

export function registerPromptFiles(_context: vscode.ExtensionContext, deps: PromptDeps): vscode.Disposable {
  const store = new DisposableStore();
  const parses = new ParseCache();
  let selector = promptSelector(deps.settings().extraGlobs);
  const isPrompt = (doc: vscode.TextDocument) => doc.uri.scheme !== 'output' && vscode.languages.match(selector, doc) > 0;

  const analyzer = store.add(new PromptAnalyzer(deps, parses));
  const diagnostics = store.add(new PromptDiagnostics(deps, parses));
  const lenses = store.add(new PromptCodeLensProvider(parses, analyzer));
  const selections = store.add(new SelectionTracker(isPrompt));
  store.add(analyzer.onDidUpdate(() => lenses.refresh()));

  // Providers are registered per selector; a change of `tierwise.prompts.globs` registers them again.
  let registrations: vscode.Disposable | undefined;
  const register = () => {
    registrations?.dispose();
    registrations = vscode.Disposable.from(
      vscode.languages.registerCodeLensProvider(selector, lenses),
      vscode.languages.registerCodeActionsProvider(selector, new PromptCodeActionProvider(diagnostics), PromptCodeActionProvider.metadata),
    );
  };
  register();
  store.add({ dispose: () => registrations?.dispose() });

  const open = vscode.workspace.textDocuments;
  const track = (doc: vscode.TextDocument, delayMs: number) => {
    if (isPrompt(doc)) {
      diagnostics.schedule(doc, delayMs);
      analyzer.schedule(doc, delayMs);
    } else {
      diagnostics.clear(doc);
      analyzer.forget(doc);
    }
  };
  for (const doc of open) track(doc, 0);
  store.add(vscode.workspace.onDidOpenTextDocument((doc) => track(doc, 0)));
  store.add(vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length) track(e.document, 300);
  }));
  store.add(
    vscode.workspace.onDidCloseTextDocument((doc) => {
      diagnostics.clear(doc);
      analyzer.forget(doc);
      parses.forget(doc);
    }),
  );
  const refreshAll = () => {
    const docs = vscode.workspace.textDocuments.filter(isPrompt);
    diagnostics.invalidate();
    for (const doc of vscode.workspace.textDocuments) if (!isPrompt(doc)) diagnostics.clear(doc);
    for (const doc of docs) diagnostics.schedule(doc, 0);
    analyzer.invalidate(docs);
  };
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('tierwise')) return;
      selector = promptSelector(deps.settings().extraGlobs);
      register();
      refreshAll();
    }),
  );
  if (deps.onDidChange) store.add(deps.onDidChange(() => refreshAll()));

  // `tierwise.isPromptFile` lets menus offer Run on files matched by the extra globs too.
  const setContext = (e: vscode.TextEditor | undefined) =>
    void vscode.commands.executeCommand('setContext', 'tierwise.isPromptFile', !!e && isPrompt(e.document));
  setContext(vscode.window.activeTextEditor);
  store.add(vscode.window.onDidChangeActiveTextEditor(setContext));
  store.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('tierwise.prompts') && setContext(vscode.window.activeTextEditor)));

  store.add(vscode.commands.registerCommand(RUN_COMMAND, (arg?: unknown) => runPromptFile(arg, deps, parses, selections, isPrompt)));
  return store;
}
