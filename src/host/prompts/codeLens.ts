import * as vscode from 'vscode';
import { formatMoney } from '../../core/prompts';
import type { PromptAnalyzer, ModelCost, PromptStats } from './analysis';
import type { ParseCache } from './documents';
import { toRange } from './documents';

export const RUN_COMMAND = 'tierwise.runPromptFile';

const n = (x: number) => x.toLocaleString('en-US');

export function costTitle(c: ModelCost): string {
  const name = c.label === 'file' ? c.target.model : `${c.label} · ${c.target.model}`;
  if (!c.price || c.perCall === undefined) return `${name}: ${n(c.counts.total)} tokens, no price known`;
  const cur = c.price.currency;
  let t = `${name}: ${formatMoney(c.perCall, cur)}/call · ${formatMoney(c.perCall * 1000, cur)} per 1,000`;
  if (c.cachedPerCall !== undefined) t += ` · cached ${formatMoney(c.cachedPerCall, cur)}/call`;
  if (c.maxOutput !== undefined) t += ` · output ≤ ${formatMoney(c.maxOutput, cur)}`;
  return t;
}

export function totalTitle(s: PromptStats): string {
  let t = `Σ ${n(s.counts.total)} input tokens${s.exact ? '' : ' (approx.)'} · ${s.target.model}`;
  if (s.counts.prefix > 0 && s.counts.prefix < s.counts.total) t += ` · fixed prefix ${n(s.counts.prefix)}`;
  if (s.counts.missing.length) t += ` · ${s.counts.missing.length === 1 ? `{{${s.counts.missing[0]}}} has` : `${s.counts.missing.length} variables have`} no value yet`;
  return t;
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

    const top = new vscode.Range(file.frontMatter?.openLine ?? 0, 0, file.frontMatter?.openLine ?? 0, 0);
    const lenses: vscode.CodeLens[] = [];
    const info = (range: vscode.Range, title: string, tooltip?: string) => new vscode.CodeLens(range, { title, command: '', tooltip });
    if (usable) {
      lenses.push(info(top, totalTitle(usable), `Tokens of the rendered request for ${usable.target.provider}/${usable.target.model} (variables from their defaults or samples).`));
      for (const c of usable.costs) lenses.push(info(top, costTitle(c), c.exact ? 'Exact token count' : 'Approximate token count'));
    } else {
      lenses.push(info(top, '$(sync~spin) counting tokens…'));
    }
    lenses.push(new vscode.CodeLens(top, { title: '▶ Run', command: RUN_COMMAND, arguments: [doc.uri], tooltip: 'Render this prompt and send it' }));

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
