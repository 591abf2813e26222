import * as vscode from 'vscode';
import type { PromptAnalyzer, ModelCost, PromptStats } from './analysis';
import type { ParseCache } from './documents';
import { toRange } from './documents';

export const RUN_COMMAND = 'tierwise.runPromptFile';

const n = (x: number) => x.toLocaleString('en-US');

/** Short: "simple · $0.00012/call" (the model and the rest are in `costTooltip`), so three fit beside each other. */
export function costTitle(c: ModelCost): string {
  const name = c.label === 'file' ? c.target.model : c.label;
  if (!c.shown) return `${name} · no price known`;
  return `${name} · ${c.shown.perCall}/call`;
}

/** The details a cost lens leaves out: per 1,000 calls, cached, worst-case output. */
export function costTooltip(c: ModelCost): string {
  const lines = [`${c.target.provider}/${c.target.model}: ${n(c.counts.total)} input tokens${c.exact ? '' : ' (approximate count)'}`];
  if (c.shown) {
    lines.push(`Input: ${c.shown.perCall} per call, ${c.shown.per1000} per 1,000 calls`);
    if (c.shown.cachedPerCall) lines.push(`With the prefix cached: ${c.shown.cachedPerCall} per call`);
    if (c.shown.maxOutput) lines.push(`Output, if the answer uses all of max_tokens: up to ${c.shown.maxOutput}`);
  } else lines.push('No price is known for this model (add one with the setting tierwise.models).');
  return lines.join('\n');
}

/** Short: "Σ 1,234 tokens · gpt-4o-mini"; prefix and missing variables go to `totalTooltip`. */
export function totalTitle(s: PromptStats): string {
  let t = `Σ ${n(s.counts.total)} input tokens${s.exact ? '' : ' (approx.)'} · ${s.target.model}`;
  if (s.counts.missing.length) t += ` · ${s.counts.missing.length === 1 ? `{{${s.counts.missing[0]}}} has` : `${s.counts.missing.length} variables have`} no value yet`;
  return t;
}

export function totalTooltip(s: PromptStats): string {
  const lines = [`Tokens of the rendered request for ${s.target.provider}/${s.target.model} (variables from their defaults or samples), ${s.exact ? 'exact' : 'approximate'}.`];
  if (s.counts.prefix > 0 && s.counts.prefix < s.counts.total) lines.push(`Fixed prefix (cacheable): ${n(s.counts.prefix)} tokens.`);
  return lines.join('\n');
}

export class PromptCodeLensProvider implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly parses: ParseCache,
    private readonly analyzer: PromptAnalyzer,
  ) {}

  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.parses.get(doc);
    const stats = this.analyzer.latest(doc);
    if (!stats || stats.version !== doc.version) this.analyzer.ensure(doc);
    const usable = stats && stats.counts.sections.length === file.sections.length ? stats : undefined;

    // Run comes first and the top line stays short, so it is never beyond the editor's edge; the cost of each tier
    // goes on the next line, with the details in the hover.
    const topLine = file.frontMatter?.openLine ?? 0;
    const top = new vscode.Range(topLine, 0, topLine, 0);
    const costLine = topLine + 1 < doc.lineCount ? topLine + 1 : topLine;
    const second = new vscode.Range(costLine, 0, costLine, 0);
    const lenses: vscode.CodeLens[] = [];
    const info = (range: vscode.Range, title: string, tooltip?: string) => new vscode.CodeLens(range, { title, command: '', tooltip });
    lenses.push(new vscode.CodeLens(top, { title: '▶ Run', command: RUN_COMMAND, arguments: [doc.uri], tooltip: 'Render this prompt and send it' }));
    if (usable) {
      lenses.push(info(top, totalTitle(usable), totalTooltip(usable)));
      for (const c of usable.costs) lenses.push(info(second, costTitle(c), costTooltip(c)));
    } else {
      lenses.push(info(top, '$(sync~spin) counting tokens…'));
    }

    file.sections.forEach((s, i) => {
      const at = toRange({ start: s.headerRange.start, end: s.headerRange.start });
      const tokens = usable?.counts.sections[i];
      const title = tokens === undefined ? 'counting…' : `${n(tokens)} token${tokens === 1 ? '' : 's'}${usable!.exact ? '' : ' (approx.)'}`;
      lenses.push(info(at, title, `${s.label || s.role}: tokens for ${usable?.target.model ?? 'the target model'}`));
    });
    return lenses;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
