import * as vscode from 'vscode';
import { KeyedDebounce } from './debounce';
import type { PromptDiagnostic, PromptFile, Severity } from '../../core/prompts';
import { lintPrompt, resolveTarget } from '../../core/prompts';
import { localize } from '../util';
import type { PromptDeps } from './deps';
import type { ParseCache } from './documents';
import { toRange } from './documents';

export const DIAGNOSTIC_SOURCE = 'tierwise';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Lint a prompt document with the fast approximate counter of its target model. */
export function lintDocument(file: PromptFile, deps: PromptDeps): PromptDiagnostic[] {
  const target = resolveTarget(file.config, deps.tierModels(), deps.defaultTarget());
  return lintPrompt(file, {
    countTokens: (t) => deps.countTokensSync(target.provider, target.model, t),
    target,
    systemPromptMaxTokens: deps.settings().systemPromptMaxTokens,
    contextWindow: deps.contextWindow?.(target.provider, target.model),
    priceFor: (p, m) => deps.priceFor(p, m),
  });
}

export function toVsDiagnostic(d: PromptDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(d.range), localize(d.messageMsg), SEVERITY[d.severity]);
  out.source = DIAGNOSTIC_SOURCE;
  out.code = d.code;
  if (d.code === 'variable-unused') out.tags = [vscode.DiagnosticTag.Unnecessary];
  return out;
}

/** The "tierwise" diagnostic collection, refreshed debounced as documents change. */
export class PromptDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new KeyedDebounce();
  /** The last lint of each document, by version (the code actions read it on every cursor move). */
  private readonly lints = new Map<string, { version: number; diagnostics: PromptDiagnostic[] }>();

  constructor(
    private readonly deps: PromptDeps,
    private readonly parses: ParseCache,
  ) {}

  schedule(doc: vscode.TextDocument, delayMs: number): void {
    this.timers.schedule(doc.uri.toString(), delayMs, () => this.update(doc));
  }

  /** Lint results for the document's current version. */
  lint(doc: vscode.TextDocument): PromptDiagnostic[] {
    const key = doc.uri.toString();
    const hit = this.lints.get(key);
    if (hit && hit.version === doc.version) return hit.diagnostics;
    const diagnostics = lintDocument(this.parses.get(doc), this.deps);
    this.lints.set(key, { version: doc.version, diagnostics });
    return diagnostics;
  }

  /** Settings, models or prices changed: every lint is out of date. */
  invalidate(): void {
    this.lints.clear();
  }

  update(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    try {
      const diags = this.lint(doc);
      this.collection.set(doc.uri, diags.map(toVsDiagnostic));
    } catch (e) {
      this.deps.log.error(e instanceof Error ? e : new Error(String(e)));
    }
  }

  clear(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.timers.cancel(key);
    this.lints.delete(key);
    if (this.collection.has(doc.uri)) this.collection.delete(doc.uri);
  }

  dispose(): void {
    this.timers.dispose();
    this.collection.dispose();
  }
}
