import * as vscode from 'vscode';
import type { PromptAnalyzer, ModelCost, PromptStats } from './analysis';
import { type ParseCache, toRange } from './documents';
import { calibrationNote } from '../tokens';

export const RUN_COMMAND = 'tierwise.runPromptFile';

const n = (x: number) => x.toLocaleString('en-US');

/** Short: "simple · $0.00012/call" (the model and the rest are in `costTooltip`), so three fit beside each other. */
export function costTitle(c: ModelCost): string {
  const name = c.label === 'file' ? c.target.model : c.label;
  if (!c.shown) return vscode.l10n.t('{0} · no price known', name);
  return vscode.l10n.t('{0} · {1}/call', name, c.shown.perCall);
}

/** The details a cost lens leaves out: per 1,000 calls, cached, worst-case output. */
export function costTooltip(c: ModelCost): string {
  const ref = `${c.target.provider}/${c.target.model}`;
  const measured = calibrationNote(c.calibration);
  const lines = [
    c.exact
      ? vscode.l10n.t('{0}: {1} input tokens', ref, n(c.counts.total))
      : measured
        ? vscode.l10n.t('{0}: {1} input tokens (approximate count, {2})', ref, n(c.counts.total), measured)
        : vscode.l10n.t('{0}: {1} input tokens (approximate count)', ref, n(c.counts.total)),
  ];
  if (c.shown) {
    lines.push(vscode.l10n.t('Input: {0} per call, {1} per 1,000 calls', c.shown.perCall, c.shown.per1000));
    if (c.shown.cachedPerCall) lines.push(vscode.l10n.t('With the prefix cached: {0} per call', c.shown.cachedPerCall));
    if (c.shown.maxOutput) lines.push(vscode.l10n.t('Output, if the answer uses all of max_tokens: up to {0}', c.shown.maxOutput));
  } else lines.push(vscode.l10n.t('No price is known for this model (add one with the setting tierwise.models).'));
  return lines.join('\n');
}

/**
 * Short enough to sit after ▶ Run in a third of a 1280 px window (about 30 characters of lens text there):
 * "Σ ≈1,234 tok", and "· ⚠ 2 unset" when variables have no value. The model, the prefix and the variables are in
 * `totalTooltip`.
 */
export function totalTitle(s: PromptStats): string {
  const count = `${s.exact ? '' : '≈'}${n(s.counts.total)}`;
  let t = vscode.l10n.t('Σ {0} tok', count);
  if (s.counts.missing.length) t += ` · ${vscode.l10n.t('⚠ {0} unset', s.counts.missing.length)}`;
  return t;
}

export function totalTooltip(s: PromptStats): string {
  const ref = `${s.target.provider}/${s.target.model}`;
  const measured = calibrationNote(s.calibration);
  const lines = [
    s.exact
      ? vscode.l10n.t('{0} input tokens in the rendered request for {1} (variables from their defaults or samples), exact.', n(s.counts.total), ref)
      : measured
        ? vscode.l10n.t('{0} input tokens in the rendered request for {1} (variables from their defaults or samples), approximate: {2}.', n(s.counts.total), ref, measured)
        : vscode.l10n.t('{0} input tokens in the rendered request for {1} (variables from their defaults or samples), approximate.', n(s.counts.total), ref),
  ];
  if (s.counts.prefix > 0 && s.counts.prefix < s.counts.total) lines.push(vscode.l10n.t('Fixed prefix (cacheable): {0} tokens.', n(s.counts.prefix)));
  const missing = s.counts.missing.map((v) => `{{${v}}}`).join(', ');
  if (s.counts.missing.length === 1) lines.push(vscode.l10n.t('{0} has no value yet: give it a default or a sample.', missing));
  else if (s.counts.missing.length > 1) lines.push(vscode.l10n.t('{0} have no value yet: give them a default or a sample.', missing));
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
    lenses.push(new vscode.CodeLens(top, { title: vscode.l10n.t('▶ Run'), command: RUN_COMMAND, arguments: [doc.uri], tooltip: vscode.l10n.t('Render this prompt and send it') }));
    if (usable) {
      lenses.push(info(top, totalTitle(usable), totalTooltip(usable)));
      for (const c of usable.costs) lenses.push(info(second, costTitle(c), costTooltip(c)));
    } else {
      lenses.push(info(top, `$(sync~spin) ${vscode.l10n.t('counting tokens…')}`));
    }

    file.sections.forEach((s, i) => {
      const at = toRange({ start: s.headerRange.start, end: s.headerRange.start });
      const tokens = usable?.counts.sections[i];
      const title =
        tokens === undefined
          ? vscode.l10n.t('counting…')
          : tokens === 1
            ? usable!.exact ? vscode.l10n.t('1 token') : vscode.l10n.t('1 token (approx.)')
            : usable!.exact ? vscode.l10n.t('{0} tokens', n(tokens)) : vscode.l10n.t('{0} tokens (approx.)', n(tokens));
      const tooltip = usable ? vscode.l10n.t('{0}: tokens for {1}', s.label || s.role, usable.target.model) : vscode.l10n.t('{0}: tokens for the target model', s.label || s.role);
      lenses.push(info(at, title, tooltip));
    });
    return lenses;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
